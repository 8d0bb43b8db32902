import * as vscode from 'vscode';
import { AsyncRequestWatcher, BasetenError, StatusBudget, WatchEnd, WebhookDelivery, isSettledAsyncStatus } from '../../client';
import type { AsyncCancelResult, AsyncRequestStatusResponse, WebhookRejection } from '../../client';
import { statusRequestsPerSecond } from './settings';
import { BasetenServices } from '../../platform/services';
import { AsyncRequest, applyStatus, readSavedRequest } from './logic/asyncRequest';
import { targetKey } from '../../client';
import type { TargetRef } from '../../client';

const STATE_KEY = 'baseten.asyncRequests.v1';
/** Oldest finished requests are dropped beyond this many. */
const MAX_KEPT = 500;
/** Outputs larger than this are kept in memory only (workspace state is not a blob store). */
const MAX_PERSISTED_OUTPUT_CHARS = 256 * 1024;
const QUEUE_REFRESH_MS = 10_000;
/** Status changes of one target within this long share one queue-status call. */
const QUEUE_COALESCE_MS = 2_000;

export interface QueueStatus {
  queued: number;
  inProgress: number;
  at: number;
  error?: string;
}

/**
 * Every async request submitted from this workspace, persisted in workspace state, watched by one
 * `AsyncRequestWatcher` through one `StatusBudget` shared with cancels and queue-status calls.
 */
export class AsyncRequestStore implements vscode.Disposable {
  private readonly requests = new Map<string, AsyncRequest>();
  private readonly queues = new Map<string, QueueStatus>();
  readonly budget: StatusBudget;
  readonly watcher: AsyncRequestWatcher;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly finished = new vscode.EventEmitter<AsyncRequest>();
  /** A watched request reached its final status. */
  readonly onDidFinish = this.finished.event;
  private queueTimer?: NodeJS.Timeout;
  private readonly queueSoon = new Map<string, NodeJS.Timeout>();
  private saveTimer?: NodeJS.Timeout;

  constructor(
    private readonly services: BasetenServices,
    private readonly memento: vscode.Memento,
  ) {
    this.budget = new StatusBudget({ perSecond: statusRequestsPerSecond });
    this.watcher = new AsyncRequestWatcher({
      budget: this.budget,
      status: (owner, requestId, signal) => this.services.client.inference.asyncStatus(owner, requestId, { signal, retry: false }),
      onStatus: (requestId, status) => this.onStatus(requestId, status),
      onEnd: (requestId, end) => this.onEnd(requestId, end),
      onError: (requestId, error) => this.onPollError(requestId, error),
    });
    this.restore();
    this.queueTimer = setInterval(() => void this.refreshQueues(), QUEUE_REFRESH_MS);
  }

  /** Reads the requests from workspace state and watches again those that had not ended. */
  private restore(): void {
    for (const saved of this.memento.get<unknown[]>(STATE_KEY, [])) {
      const request = readSavedRequest(saved);
      if (request) this.requests.set(request.requestId, request);
    }
    for (const request of this.requests.values()) if (!request.ended) this.watch(request);
  }

  /** What a window reload does: save, forget everything in memory, restore from workspace state. */
  async reload(): Promise<void> {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    await this.save();
    for (const requestId of this.requests.keys()) this.watcher.unwatch(requestId);
    this.requests.clear();
    this.restore();
    this.changed.fire();
  }

  /** Newest first. */
  list(): AsyncRequest[] {
    return [...this.requests.values()].sort((a, b) => b.submittedAt - a.submittedAt);
  }

  get(requestId: string): AsyncRequest | undefined {
    return this.requests.get(requestId);
  }

  queueStatus(target: TargetRef): QueueStatus | undefined {
    return this.queues.get(targetKey(target));
  }

  add(request: AsyncRequest): void {
    this.requests.set(request.requestId, request);
    this.trim();
    this.watch(request);
    this.update();
    void this.refreshQueue(request);
  }

  isWatching(requestId: string): boolean {
    return this.watcher.isWatching(requestId);
  }

  /** DELETE through the shared budget, ahead of waiting polls. Only QUEUED requests are sent. */
  async cancel(request: AsyncRequest): Promise<AsyncCancelResult> {
    const client = this.services.client;
    const result = await this.budget.run(() => client.inference.cancelAsync(request.owner, request.requestId, { retry: false }), { priority: 'user' });
    if (result.canceled) {
      request.status = 'CANCELED';
      if (request.webhookStatus === 'PENDING') request.webhookStatus = 'CANCELED';
      this.update();
    }
    this.watcher.pollSoon(request.requestId);
    return result;
  }

  /** A verified webhook: the output is attached, and the status is confirmed at once. */
  attachDelivery(delivery: WebhookDelivery): AsyncRequest | undefined {
    const request = this.requests.get(delivery.requestId);
    if (!request) return undefined;
    const data = delivery.payload.data;
    const output = data && typeof data === 'object' && 'output' in data ? data.output : data;
    const size = JSON.stringify(output ?? null).length;
    request.output = { receivedAt: delivery.receivedAt, output, errors: delivery.payload.errors ?? [], persisted: size <= MAX_PERSISTED_OUTPUT_CHARS };
    if (request.webhookStatus === 'PENDING') request.webhookStatus = 'SUCCEEDED';
    if (this.watcher.isWatching(request.requestId)) this.watcher.pollSoon(request.requestId);
    this.update();
    return request;
  }

  /** The local receiver refused this request's delivery: the reason explains the failed webhook. */
  noteRejection(requestId: string, reason: WebhookRejection): void {
    const request = this.requests.get(requestId);
    if (!request || request.output) return;
    request.webhookRejection = reason;
    if (this.watcher.isWatching(requestId)) this.watcher.pollSoon(requestId);
    this.update();
  }

  /** Stops watching a request and forgets it. */
  remove(requestId: string): void {
    this.watcher.unwatch(requestId);
    if (this.requests.delete(requestId)) this.update();
  }

  /** Forgets finished requests; the ones still watched stay. */
  clearFinished(): number {
    let removed = 0;
    for (const request of [...this.requests.values()]) {
      if (!request.ended) continue;
      this.requests.delete(request.requestId);
      removed++;
    }
    this.update();
    return removed;
  }

  /** Queue status of every target with requests still watched, through the budget. */
  async refreshQueues(): Promise<void> {
    const targets = new Map<string, AsyncRequest>();
    for (const request of this.requests.values()) if (!request.ended) targets.set(targetKey(request), request);
    await Promise.all([...targets.values()].map((request) => this.refreshQueue(request)));
  }

  private async refreshQueue(target: TargetRef): Promise<void> {
    const key = targetKey(target);
    try {
      const client = this.services.client;
      const answer = await this.budget.run(() => client.inference.asyncQueueStatus(target.owner, target.target, { retry: false }));
      this.queues.set(key, { queued: answer.num_queued_requests, inProgress: answer.num_in_progress_requests, at: Date.now() });
    } catch (error) {
      if (error instanceof BasetenError && error.kind === 'aborted') return;
      const previous = this.queues.get(key);
      this.queues.set(key, { queued: previous?.queued ?? 0, inProgress: previous?.inProgress ?? 0, at: previous?.at ?? 0, error: messageOf(error) });
    }
    this.changed.fire();
  }

  /** A queue that is draining changes many statuses at once: one queue-status call covers them. */
  private refreshQueueSoon(target: TargetRef): void {
    const key = targetKey(target);
    if (this.queueSoon.has(key)) return;
    this.queueSoon.set(
      key,
      setTimeout(() => {
        this.queueSoon.delete(key);
        void this.refreshQueue(target);
      }, QUEUE_COALESCE_MS),
    );
  }

  private watch(request: AsyncRequest): void {
    this.watcher.watch({ owner: request.owner, requestId: request.requestId, submittedAt: request.submittedAt, maxTimeInQueueSeconds: request.maxTimeInQueueSeconds });
  }

  private onStatus(requestId: string, status: AsyncRequestStatusResponse): void {
    const request = this.requests.get(requestId);
    if (!request) return;
    const before = request.status;
    // A delivery we received is proof of its own; Baseten may not have recorded it yet.
    const delivered = request.output !== undefined && status.webhook_status === 'PENDING';
    applyStatus(request, status);
    if (delivered) request.webhookStatus = 'SUCCEEDED';
    if (before !== request.status) this.refreshQueueSoon(request);
    this.update();
  }

  private onEnd(requestId: string, end: WatchEnd): void {
    const request = this.requests.get(requestId);
    if (!request) return;
    request.ended = end.reason;
    if (end.reason === 'forgotten') request.pollError = 'Baseten no longer has a status for this request (it keeps one for 1 hour after the end).';
    if (end.reason === 'retention') request.pollError = "Baseten's status retention for this request has ended; it is no longer polled.";
    this.update();
    if (end.reason === 'terminal' && isSettledAsyncStatus(end.status)) this.finished.fire(request);
  }

  private onPollError(requestId: string, error: unknown): void {
    const request = this.requests.get(requestId);
    if (!request) return;
    request.pollError = messageOf(error);
    this.services.log.info(`Async request ${requestId}: status poll failed: ${request.pollError}`);
    this.update();
  }

  private trim(): void {
    const ended = this.list().filter((request) => request.ended);
    for (const request of ended.slice(Math.max(0, MAX_KEPT - (this.requests.size - ended.length)))) this.requests.delete(request.requestId);
  }

  private update(): void {
    this.changed.fire();
    // Many statuses arrive together while a queue drains: one write for all of them.
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      void this.save();
    }, 250);
  }

  /** Writes the requests to workspace state; large outputs stay in memory only. */
  save(): Thenable<void> {
    const records = this.list().map((request) =>
      request.output && !request.output.persisted ? { ...request, output: { ...request.output, output: undefined } } : request,
    );
    return this.memento.update(STATE_KEY, records);
  }

  dispose(): void {
    if (this.queueTimer) clearInterval(this.queueTimer);
    for (const timer of this.queueSoon.values()) clearTimeout(timer);
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      void this.save();
    }
    this.watcher.dispose();
    this.budget.dispose();
    this.changed.dispose();
    this.finished.dispose();
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
