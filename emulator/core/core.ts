/**
 * The emulator's moving parts in one place: options, live state, timers, stats, faults, deployment
 * lifecycle, the async queue and webhook deliveries. Each route is handed a `Pick` of only what it reads.
 */
import { setMaxListeners } from 'node:events';
import { AsyncQueue } from '../async/queue';
import { WebhookDispatcher } from '../async/webhooks';
import { FaultRegistry } from '../faults/faults';
import { Lifecycle } from '../state/lifecycle';
import type { Deployment } from '../state/lifecycle';
import { buildWorkspace } from '../state/scaleSeed';
import type { DeploymentStatus, EmulatorState } from '../state/state';
import { DEPLOYMENT_STATUSES, findChain, findModel } from '../state/state';
import type { ResolvedOptions } from './options';
import { StatsRecorder } from './stats';
import { Timers } from './timers';
import { TrafficRecorder } from './traffic';

/** Fixed one-second windows per API key, for the async status endpoints. */
class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly perSecond: () => number) {}

  allow(key: string, now = Date.now()): boolean {
    const window = this.windows.get(key);
    if (!window || now - window.start >= 1000) {
      this.windows.set(key, { start: now, count: 1 });
      return true;
    }
    window.count += 1;
    return window.count <= this.perSecond();
  }

  clear(): void {
    this.windows.clear();
  }
}

export class EmulatorCore {
  state: EmulatorState;
  /** `http://127.0.0.1:<port>`, once listening. */
  baseUrl = '';
  readonly timers = new Timers();
  readonly stats = new StatsRecorder();
  /** What each deployment served, for the metrics routes. */
  readonly traffic = new TrafficRecorder();
  readonly faults = new FaultRegistry();
  readonly lifecycle: Lifecycle;
  readonly webhooks: WebhookDispatcher;
  readonly asyncQueue: AsyncQueue;
  readonly statusRateLimit: RateLimiter;
  private lifetime = EmulatorCore.newLifetime();

  private static newLifetime(): AbortController {
    const controller = new AbortController();
    // Every request in flight listens to it.
    setMaxListeners(0, controller.signal);
    return controller;
  }

  constructor(readonly options: ResolvedOptions) {
    this.state = buildWorkspace(options.scale);
    this.lifecycle = new Lifecycle(options, this.timers, this.traffic);
    this.webhooks = new WebhookDispatcher(this);
    this.asyncQueue = new AsyncQueue(this);
    this.statusRateLimit = new RateLimiter(() => options.asyncStatusRateLimitPerSecond);
  }

  /** Aborts on reset and close: parked requests, streams and waits stop. */
  get lifetimeSignal(): AbortSignal {
    return this.lifetime.signal;
  }

  /**
   * A signal for one request or session: aborted by `abort()` (the client left) or by reset and close.
   * `release()` must be called when it ends, so the lifetime signal does not collect listeners.
   */
  linkedSignal(): { signal: AbortSignal; abort: () => void; release: () => void } {
    const controller = new AbortController();
    const lifetime = this.lifetime.signal;
    const abort = (): void => controller.abort();
    if (lifetime.aborted) abort();
    else lifetime.addEventListener('abort', abort, { once: true });
    return { signal: controller.signal, abort, release: () => lifetime.removeEventListener('abort', abort) };
  }

  /** Finds a model or chain deployment by its owner's ID. */
  findDeployment(ownerId: string, deploymentId: string): Deployment | undefined {
    const model = findModel(this.state, ownerId);
    if (model) return model.deployments.find((deployment) => deployment.id === deploymentId);
    return findChain(this.state, ownerId)?.deployments.find((deployment) => deployment.id === deploymentId);
  }

  setDeploymentStatus(ownerId: string, deploymentId: string, status: DeploymentStatus): void {
    if (!DEPLOYMENT_STATUSES.includes(status)) throw new RangeError(`Unknown deployment status ${status}`);
    const deployment = this.findDeployment(ownerId, deploymentId);
    if (!deployment) throw new RangeError(`No deployment ${deploymentId} of model or chain ${ownerId}`);
    this.lifecycle.setStatus(deployment, status);
    this.lifecycle.log(deployment, `Status set to ${status}`);
  }

  /** One chainlet's status, apart from its deployment's (a chainlet can still be loading in an active chain). */
  setChainletStatus(chainId: string, deploymentId: string, chainletId: string, status: DeploymentStatus): void {
    if (!DEPLOYMENT_STATUSES.includes(status)) throw new RangeError(`Unknown deployment status ${status}`);
    const deployment = findChain(this.state, chainId)?.deployments.find((candidate) => candidate.id === deploymentId);
    const chainlet = deployment?.chainlets.find((candidate) => candidate.id === chainletId);
    if (!deployment || !chainlet) throw new RangeError(`No chainlet ${chainletId} in deployment ${deploymentId} of chain ${chainId}`);
    this.lifecycle.setChainletStatus(deployment, chainlet, status);
  }

  /** Stops everything in flight and starts again from the seed. */
  reset(): void {
    this.stopActivity();
    this.lifetime = EmulatorCore.newLifetime();
    this.state = buildWorkspace(this.options.scale);
    this.faults.clear();
    this.stats.reset();
    this.traffic.reset();
  }

  /** Aborts every wait and timer; used by reset and close. */
  stopActivity(): void {
    this.lifetime.abort();
    this.asyncQueue.clear();
    this.webhooks.clear();
    this.lifecycle.clear();
    this.timers.clear();
    this.statusRateLimit.clear();
  }
}
