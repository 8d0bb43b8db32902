/**
 * Async inference (docs/baseten-api.md#async-inference): one queue per deployment, ordered by priority (0
 * first) then arrival, running one request at a time. QUEUED → IN_PROGRESS → SUCCEEDED / FAILED (after
 * retries), or EXPIRED when still queued after `max_time_in_queue_seconds`, or CANCELED. A finished request is
 * delivered to its webhook (WEBHOOK_FAILED when that fails) and its status is kept for `statusRetentionMs`.
 */
import { newAsyncRequestId } from '../core/ids';
import type { Resolved } from '../core/targets';
import { asyncExtraMs, runAsync } from '../inference/predictors';
import type { Deployment } from '../state/lifecycle';
import type { AsyncError, AsyncRequestState, AsyncStatus, LogLevel } from '../state/state';
import { findChain, findModel, isServing } from '../state/state';
import type { ResolvedOptions } from '../core/options';
import type { Timers } from '../core/timers';
import type { Lifecycle } from '../state/lifecycle';
import type { EmulatorState } from '../state/state';
import type { WebhookDispatcher } from './webhooks';

export interface AsyncSubmission {
  modelInput: unknown;
  priority: number;
  maxTimeInQueueSeconds: number;
  retry: { maxAttempts: number; initialDelayMs: number; maxDelayMs: number };
  webhookEndpoint: string | null;
}

const TERMINAL: ReadonlySet<AsyncStatus> = new Set(['SUCCEEDED', 'FAILED', 'EXPIRED', 'CANCELED', 'WEBHOOK_FAILED']);

/** What the model server logs when an async request fails: a traceback for the model's exceptions. */
function asyncFailureLog(code: string, message: string): string {
  if (code !== 'MODEL_PREDICT_ERROR') return `Async request failed (${code}): ${message}`;
  return [`Exception while running async predict (${code}): ${message}`, 'Traceback (most recent call last):', '  File "/app/model/model.py", line 42, in predict', `    raise RuntimeError(${JSON.stringify(message)})`, `RuntimeError: ${message}`].join('\n');
}

function keyOf(request: AsyncRequestState): string {
  return `${request.owner.kind}:${request.owner.id}:${request.deploymentId}`;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** `AsyncRequestStatusResponse`. */
export function statusBody(request: AsyncRequestState): Record<string, unknown> {
  return {
    request_id: request.requestId,
    [request.owner.kind === 'model' ? 'model_id' : 'chain_id']: request.owner.id,
    deployment_id: request.deploymentId,
    status: request.status,
    webhook_status: request.webhookStatus,
    created_at: iso(request.createdAt),
    status_at: iso(request.statusAt),
    errors: request.errors,
  };
}

/** What the queue uses of the emulator's core. */
export interface AsyncQueueCore {
  readonly state: EmulatorState;
  readonly options: ResolvedOptions;
  readonly timers: Timers;
  readonly lifecycle: Lifecycle;
  readonly lifetimeSignal: AbortSignal;
  readonly webhooks: WebhookDispatcher;
}

export class AsyncQueue {
  private readonly running = new Set<string>();
  private seq = 0;
  /** Bumped by `clear`, so work started before a reset never touches what came after it. */
  private generation = 0;

  constructor(private readonly core: AsyncQueueCore) {
    core.lifecycle.onStatus((deployment) => {
      if (isServing(deployment.status)) this.pumpDeployment(deployment);
    });
  }

  private get requests(): Map<string, AsyncRequestState> {
    return this.core.state.asyncRequests;
  }

  submit(resolved: Resolved, submission: AsyncSubmission): AsyncRequestState {
    const now = Date.now();
    const request: AsyncRequestState = {
      requestId: newAsyncRequestId(),
      owner: { kind: resolved.owner.kind, id: resolved.ownerId },
      deploymentId: resolved.deployment.id,
      status: 'QUEUED',
      webhookStatus: submission.webhookEndpoint ? 'PENDING' : 'NO_WEBHOOK_PROVIDED',
      createdAt: now,
      statusAt: now,
      errors: [],
      priority: submission.priority,
      seq: this.seq++,
      maxTimeInQueueSeconds: submission.maxTimeInQueueSeconds,
      retry: submission.retry,
      webhookEndpoint: submission.webhookEndpoint,
      modelInput: submission.modelInput,
      attempts: 0,
    };
    this.requests.set(request.requestId, request);
    this.core.timers.after(submission.maxTimeInQueueSeconds * this.core.options.queueSecondsScale, () => {
      if (request.status !== 'QUEUED') return;
      this.setStatus(request, 'EXPIRED');
      if (request.webhookEndpoint) request.webhookStatus = 'CANCELED';
      this.retain(request);
    });
    this.pump(keyOf(request));
    return request;
  }

  cancel(request: AsyncRequestState): { canceled: boolean; message: string } {
    if (request.status !== 'QUEUED') {
      const why = TERMINAL.has(request.status) ? 'it has already ended' : 'it is already being processed';
      return { canceled: false, message: `Only QUEUED requests can be canceled; this request is ${request.status} (${why}).` };
    }
    this.setStatus(request, 'CANCELED');
    if (request.webhookEndpoint) request.webhookStatus = 'CANCELED';
    this.retain(request);
    return { canceled: true, message: 'The request was canceled.' };
  }

  /** `{num_queued_requests, num_in_progress_requests}` of one deployment. */
  counts(ownerId: string, deploymentId: string): { queued: number; inProgress: number } {
    let queued = 0;
    let inProgress = 0;
    for (const request of this.requests.values()) {
      if (request.owner.id !== ownerId || request.deploymentId !== deploymentId) continue;
      if (request.status === 'QUEUED') queued += 1;
      if (request.status === 'IN_PROGRESS') inProgress += 1;
    }
    return { queued, inProgress };
  }

  clear(): void {
    this.generation += 1;
    this.running.clear();
  }

  private setStatus(request: AsyncRequestState, status: AsyncStatus, errors: AsyncError[] = request.errors): void {
    request.status = status;
    request.statusAt = Date.now();
    request.errors = errors;
  }

  /** Forgets an ended request after the retention time. */
  private retain(request: AsyncRequestState): void {
    const requests = this.requests;
    this.core.timers.after(this.core.options.statusRetentionMs, () => {
      if (requests.get(request.requestId) === request) requests.delete(request.requestId);
    });
  }

  private resolve(request: AsyncRequestState): Resolved | undefined {
    const state = this.core.state;
    if (request.owner.kind === 'model') {
      const model = findModel(state, request.owner.id);
      const deployment = model?.deployments.find((candidate) => candidate.id === request.deploymentId);
      return model && deployment && { owner: { kind: 'model', model }, ownerId: model.id, deployment };
    }
    const chain = findChain(state, request.owner.id);
    const deployment = chain?.deployments.find((candidate) => candidate.id === request.deploymentId);
    return chain && deployment && { owner: { kind: 'chain', chain }, ownerId: chain.id, deployment };
  }

  private pumpDeployment(deployment: Deployment): void {
    const keys = new Set<string>();
    for (const request of this.requests.values()) {
      if (request.deploymentId === deployment.id && request.status === 'QUEUED') keys.add(keyOf(request));
    }
    keys.forEach((key) => this.pump(key));
  }

  private next(key: string): AsyncRequestState | undefined {
    let best: AsyncRequestState | undefined;
    for (const request of this.requests.values()) {
      if (request.status !== 'QUEUED' || keyOf(request) !== key) continue;
      if (!best || request.priority < best.priority || (request.priority === best.priority && request.seq < best.seq)) best = request;
    }
    return best;
  }

  /** Starts the next request of a deployment if none runs; wakes a sleeping deployment first. */
  private pump(key: string): void {
    if (this.running.has(key)) return;
    const request = this.next(key);
    if (!request) return;
    const resolved = this.resolve(request);
    if (!resolved) {
      this.setStatus(request, 'FAILED', [{ code: 'MODEL_DOES_NOT_EXIST', message: `Deployment ${request.deploymentId} no longer exists.` }]);
      this.retain(request);
      this.pump(key);
      return;
    }
    if (!isServing(resolved.deployment.status)) {
      // Queued requests wait (and may expire); a status change to ACTIVE pumps again.
      this.core.lifecycle.wake(resolved.deployment);
      return;
    }
    this.running.add(key);
    void this.run(request, resolved, key);
  }

  private async run(request: AsyncRequestState, resolved: Resolved, key: string): Promise<void> {
    const generation = this.generation;
    const { timers, options } = this.core;
    const signal = this.core.lifetimeSignal;
    this.setStatus(request, 'IN_PROGRESS');
    this.core.lifecycle.touch(resolved.deployment);
    const log = (message: string, level: LogLevel, replica: string | null): void => this.core.lifecycle.log(resolved.deployment, message, level, request.requestId, replica);
    try {
      for (let attempt = 1; ; attempt++) {
        request.attempts = attempt;
        const replica = this.core.lifecycle.replicaOf(resolved.deployment);
        const started = Date.now();
        log(`Running async request (attempt ${attempt} of ${request.retry.maxAttempts})`, 'INFO', replica);
        if (!(await timers.sleep(options.asyncRunMs + asyncExtraMs(resolved, request.modelInput), signal))) return;
        const result = runAsync(resolved, request.modelInput);
        if (result.ok) {
          log(`Completed async request in ${Date.now() - started} ms`, 'INFO', replica);
          this.finish(request, 'SUCCEEDED', [], { output: result.output }, generation);
          return;
        }
        log(asyncFailureLog(result.code, result.message), 'ERROR', replica);
        if (!result.retryable || attempt >= request.retry.maxAttempts) {
          this.finish(request, 'FAILED', [{ code: result.code, message: result.message }], null, generation);
          return;
        }
        const backoff = Math.min(request.retry.initialDelayMs * 2 ** (attempt - 1), request.retry.maxDelayMs);
        log(`Retrying the async request in ${backoff} ms`, 'WARNING', replica);
        if (!(await timers.sleep((backoff * options.queueSecondsScale) / 1000, signal))) return;
      }
    } finally {
      if (generation === this.generation) {
        this.running.delete(key);
        this.pump(key);
      }
    }
  }

  private finish(request: AsyncRequestState, status: 'SUCCEEDED' | 'FAILED', errors: AsyncError[], data: { output: unknown } | null, generation: number): void {
    this.setStatus(request, status, errors);
    if (!request.webhookEndpoint) {
      this.retain(request);
      return;
    }
    const payload = {
      request_id: request.requestId,
      [request.owner.kind === 'model' ? 'model_id' : 'chain_id']: request.owner.id,
      deployment_id: request.deploymentId,
      type: 'async_request_completed',
      time: iso(Date.now()),
      data,
      errors,
    };
    void this.core.webhooks.deliver(request.webhookEndpoint, request.requestId, payload).then((delivered) => {
      if (generation !== this.generation) return;
      request.webhookStatus = delivered ? 'SUCCEEDED' : 'FAILED';
      if (!delivered && status === 'SUCCEEDED') this.setStatus(request, 'WEBHOOK_FAILED');
      this.retain(request);
    });
  }
}
