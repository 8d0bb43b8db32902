/**
 * How deployments move between statuses: wake (SCALED_TO_ZERO → WAKING_UP → LOADING_MODEL → ACTIVE),
 * deactivation, activation, retry, and falling asleep again. Requests to a sleeping deployment are
 * parked here until it serves.
 */
import { EventEmitter } from 'node:events';
import type { ResolvedOptions } from '../core/options';
import type { Timers } from '../core/timers';
import type { TrafficRecorder } from '../core/traffic';
import type { ChainDeploymentState, ChainletState, DeploymentState, DeploymentStatus, LogLevel, Runnable } from './state';
import { isServing, isSleeping, replicaName, replicasFor } from './state';

export type Deployment = DeploymentState | ChainDeploymentState;

export type ParkOutcome = 'serving' | 'aborted' | 'timeout' | 'unavailable';

interface Step {
  /** Share of the transition's total time spent before this status is reached. */
  at: number;
  status: DeploymentStatus;
  log: string;
  level?: LogLevel;
}

const WAKE: Step[] = [
  { at: 0, status: 'WAKING_UP', log: 'Waking up from scale to zero' },
  { at: 0.5, status: 'LOADING_MODEL', log: 'Executing model.load()' },
  { at: 1, status: 'ACTIVE', log: 'Completed model.load() execution; replica ready' },
];
const DEACTIVATE: Step[] = [
  { at: 0, status: 'DEACTIVATING', log: 'Deactivating deployment' },
  { at: 0.25, status: 'INACTIVE', log: 'Deployment deactivated' },
];
const ACTIVATE: Step[] = [
  { at: 0, status: 'DEPLOYING', log: 'Activating deployment' },
  { at: 0.3, status: 'LOADING_MODEL', log: 'Executing model.load()' },
  { at: 1, status: 'ACTIVE', log: 'Completed model.load() execution; replica ready' },
];
const RETRY: Step[] = [
  { at: 0, status: 'BUILDING', log: 'Retrying the build' },
  { at: 0.4, status: 'DEPLOYING', log: 'Model image built' },
  { at: 0.6, status: 'LOADING_MODEL', log: 'Executing model.load()' },
  { at: 1, status: 'ACTIVE', log: 'Completed model.load() execution; replica ready' },
];

/** A new Truss archive: image build, deploy, model load. */
const BUILD: Step[] = [
  { at: 0, status: 'BUILDING', log: 'Building model image from the uploaded Truss' },
  { at: 0.4, status: 'DEPLOYING', log: 'Model image built; deploying' },
  { at: 0.6, status: 'LOADING_MODEL', log: 'Executing model.load()' },
  { at: 1, status: 'ACTIVE', log: 'Completed model.load() execution; replica ready' },
];

function failedBuild(reason: string): Step[] {
  return [
    { at: 0, status: 'BUILDING', log: 'Building model image from the uploaded Truss' },
    { at: 0.4, status: 'BUILD_FAILED', log: `Build failed: ${reason}`, level: 'ERROR' },
  ];
}

const LOG_LIMIT = 2000;

export class Lifecycle {
  private readonly events = new EventEmitter();
  /** Cancels the transition a deployment is in, so a new one (or a forced status) replaces it. */
  private readonly transitions = new Map<Runnable, () => void>();
  private readonly idleTimers = new Map<Runnable, () => void>();
  private readonly turns = new WeakMap<Runnable, number>();

  constructor(
    private readonly options: ResolvedOptions,
    private readonly timers: Timers,
    private readonly traffic?: TrafficRecorder,
  ) {
    this.events.setMaxListeners(0);
  }

  /** Calls `listener` after every status change; the returned function unsubscribes. */
  onStatus(listener: (target: Deployment) => void): () => void {
    this.events.on('status', listener);
    return () => this.events.off('status', listener);
  }

  /**
   * Writes a line to a deployment's logs, from one of its replicas (requests go round them; one with no
   * replica running writes as the platform, with no replica).
   */
  log(target: Runnable, message: string, level: LogLevel = 'INFO', requestId: string | null = null, replica?: string | null): void {
    const at = Date.now();
    const last = target.logs[target.logs.length - 1];
    const nanos = last && last.at === at ? (last.nanos ?? 0) + 1 : 0;
    target.logs.push({ at, nanos, message, level, replica: replica === undefined ? this.replicaOf(target) : replica, requestId });
    if (target.logs.length > LOG_LIMIT) target.logs.splice(0, target.logs.length - LOG_LIMIT);
  }

  /** The replica a request goes to now: round robin over the running ones; null when none runs. */
  replicaOf(target: Runnable): string | null {
    if (target.activeReplicaCount <= 0) return null;
    const turn = (this.turns.get(target) ?? 0) + 1;
    this.turns.set(target, turn);
    return replicaName(target.id, turn % target.activeReplicaCount);
  }

  /** Sets a status now, ending any transition in progress. */
  setStatus(target: Deployment, status: DeploymentStatus): void {
    this.cancelTransition(target);
    this.apply(target, status);
  }

  setChainletStatus(target: ChainDeploymentState, chainlet: ChainletState, status: DeploymentStatus): void {
    chainlet.status = status;
    chainlet.activeReplicaCount = replicasFor(status, chainlet.autoscalingSettings);
    this.log(target, `Chainlet ${chainlet.name} status set to ${status}`);
  }

  private apply(target: Deployment, status: DeploymentStatus): void {
    target.status = status;
    this.setReplicas(target, replicasFor(status, target.autoscalingSettings));
    if (target.kind === 'chain') {
      for (const chainlet of target.chainlets) {
        chainlet.status = status;
        chainlet.activeReplicaCount = replicasFor(status, chainlet.autoscalingSettings);
      }
    }
    this.events.emit('status', target);
    if (status === 'ACTIVE') this.touch(target);
  }

  private cancelTransition(target: Runnable): void {
    this.transitions.get(target)?.();
    this.transitions.delete(target);
  }

  private run(target: Deployment, steps: Step[], total = this.options.wakeDelayMs): void {
    this.cancelTransition(target);
    const cancels: Array<() => void> = [];
    for (const step of steps) {
      const enter = (): void => {
        this.apply(target, step.status);
        this.log(target, step.log, step.level);
        if (step === steps[steps.length - 1]) this.transitions.delete(target);
      };
      const delay = Math.round(step.at * total);
      if (delay <= 0) enter();
      else cancels.push(this.timers.after(delay, enter));
    }
    if (cancels.length > 0) this.transitions.set(target, () => cancels.forEach((cancel) => cancel()));
  }

  /** Starts waking a scaled-to-zero deployment; anything else is left as it is. */
  wake(target: Deployment): void {
    if (target.status === 'SCALED_TO_ZERO') this.run(target, WAKE);
  }

  deactivate(target: Deployment): void {
    if (target.status === 'INACTIVE' || target.status === 'DEACTIVATING') return;
    this.run(target, DEACTIVATE);
  }

  activate(target: Deployment): void {
    if (target.status !== 'INACTIVE' && target.status !== 'DEACTIVATING') return;
    this.run(target, ACTIVATE);
  }

  retry(target: Deployment): void {
    this.run(target, RETRY);
  }

  /**
   * Builds a deployment from a new archive, up to ACTIVE, or to BUILD_FAILED with the reason in its logs. An
   * image build takes longer than a wake: three times `wakeDelayMs`.
   */
  build(target: Deployment, failure?: string): void {
    this.run(target, failure === undefined ? BUILD : failedBuild(failure), this.options.wakeDelayMs * 3);
  }

  /**
   * Resolves once the deployment serves. A sleeping one is woken first and the caller waits (parked),
   * at most `timeoutMs`; one that can neither serve nor wake resolves 'unavailable'.
   */
  whenServing(target: Deployment, signal: AbortSignal, timeoutMs = this.options.parkingTimeoutMs): Promise<ParkOutcome> {
    if (isServing(target.status)) return Promise.resolve('serving');
    if (!isSleeping(target.status)) return Promise.resolve('unavailable');
    if (signal.aborted) return Promise.resolve('aborted');
    this.wake(target);
    if (isServing(target.status)) return Promise.resolve('serving');
    return new Promise((resolve) => {
      const finish = (outcome: ParkOutcome): void => {
        this.events.off('status', onStatus);
        signal.removeEventListener('abort', onAbort);
        cancelTimeout();
        resolve(outcome);
      };
      const onStatus = (changed: Runnable): void => {
        if (changed !== target) return;
        if (isServing(target.status)) finish('serving');
        else if (!isSleeping(target.status)) finish('unavailable');
        // Put back to sleep while parked (e.g. by a test): wake it again.
        else if (target.status === 'SCALED_TO_ZERO') this.wake(target);
      };
      const onAbort = (): void => finish('aborted');
      const cancelTimeout = this.timers.after(timeoutMs, () => finish('timeout'));
      this.events.on('status', onStatus);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private setReplicas(target: Deployment, count: number): void {
    const before = target.activeReplicaCount;
    target.activeReplicaCount = count;
    this.traffic?.replicas(target.id, count, before);
  }

  /**
   * Its autoscaling settings changed: replicas follow min_replica at once (a sleeping deployment with a
   * minimum above 0 wakes), and the idle countdown starts again with the new scale-down delay.
   */
  autoscalingChanged(target: Deployment): void {
    const minimum = target.autoscalingSettings?.min_replica ?? 0;
    if (target.status === 'SCALED_TO_ZERO' && minimum > 0) {
      this.log(target, `Waking up: min_replica is now ${minimum}`);
      this.wake(target);
      return;
    }
    if (!isServing(target.status)) return;
    this.setReplicas(target, replicasFor(target.status, target.autoscalingSettings));
    this.log(target, `Autoscaling settings updated: ${target.activeReplicaCount} active ${target.activeReplicaCount === 1 ? 'replica' : 'replicas'}`);
    this.touch(target);
  }

  /** Idle time before scaling to zero: `scaleToZeroAfterMs` for Baseten's default delay (900 s), in proportion to the deployment's. */
  private idleMs(target: Deployment): number | undefined {
    const after = this.options.scaleToZeroAfterMs;
    if (after === undefined) return undefined;
    const delay = target.autoscalingSettings?.scale_down_delay ?? 900;
    return Math.round((after * delay) / 900);
  }

  /** Traffic reached the deployment: restart its idle countdown to scale to zero. */
  touch(target: Deployment): void {
    const after = this.idleMs(target);
    if (after === undefined) return;
    this.idleTimers.get(target)?.();
    this.idleTimers.set(
      target,
      this.timers.after(after, () => {
        this.idleTimers.delete(target);
        if (target.status === 'ACTIVE' && (target.autoscalingSettings?.min_replica ?? 0) === 0) {
          this.setStatus(target, 'SCALED_TO_ZERO');
          this.log(target, `Scaled to zero after ${after} ms without traffic`);
        }
      }),
    );
  }

  /** Forgets every transition and idle countdown (their timers are cleared by the caller). */
  clear(): void {
    this.transitions.clear();
    this.idleTimers.clear();
  }
}
