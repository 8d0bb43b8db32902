/**
 * Watches async requests until they end, with one shared `StatusBudget`. Young requests are polled often
 * and older ones less (the wait grows with the request's age), a 429 pauses every poll, and polling
 * stops at a terminal status, when Baseten no longer knows the request (404), or once Baseten's status
 * retention must have ended.
 */
import { BasetenError } from './errors';
import { isTerminalAsyncStatus } from './inference';
import type { StatusBudget } from './statusBudget';
import type { AsyncRequestStatusResponse } from './types';
import type { Owner } from './target';

/**
 * True once nothing about the request can change. A SUCCEEDED request whose webhook is still PENDING is
 * not settled: Baseten turns it into WEBHOOK_FAILED if the delivery fails.
 */
export function isSettledAsyncStatus(status: Pick<AsyncRequestStatusResponse, 'status' | 'webhook_status'>): boolean {
  return isTerminalAsyncStatus(status.status) && !(status.status === 'SUCCEEDED' && status.webhook_status === 'PENDING');
}

export interface WatchedAsyncRequest {
  owner: Pick<Owner, 'kind' | 'id'>;
  requestId: string;
  /** When it was submitted (ms since the epoch). */
  submittedAt: number;
  /** Its `max_time_in_queue_seconds` (Baseten's default 600 when unset). */
  maxTimeInQueueSeconds?: number;
}

export interface PollSchedule {
  /** The first poll, after submitting. */
  firstPollMs: number;
  minIntervalMs: number;
  maxIntervalMs: number;
  /** The wait between polls as a share of the request's age: 0.1 polls a 100 s old request every 10 s. */
  ageFactor: number;
  /** Wait after a failed poll (not a 429), doubled for each failure in a row. */
  errorIntervalMs: number;
}

export const DEFAULT_POLL_SCHEDULE: Readonly<PollSchedule> = Object.freeze({
  firstPollMs: 1000,
  minIntervalMs: 1000,
  maxIntervalMs: 30_000,
  ageFactor: 0.1,
  errorIntervalMs: 2000,
});

/** Baseten: "Status is available for 1 hour after completion"; async runs last up to 1 hour. */
export const ASYNC_STATUS_RETENTION_MS = 3_600_000;
export const ASYNC_MAX_RUN_MS = 3_600_000;
const DEFAULT_QUEUE_SECONDS = 600;

export type WatchEnd =
  | { reason: 'terminal'; status: AsyncRequestStatusResponse }
  /** Baseten answered 404: the status is gone (retention ended) or never existed. */
  | { reason: 'forgotten'; error: BasetenError }
  /** Queue time, run time and retention have all passed: no answer could be new. */
  | { reason: 'retention' };

export interface AsyncWatcherOptions {
  status: (owner: Pick<Owner, 'kind' | 'id'>, requestId: string, signal: AbortSignal) => Promise<AsyncRequestStatusResponse>;
  budget: StatusBudget;
  schedule?: Partial<PollSchedule>;
  retentionMs?: number;
  maxRunMs?: number;
  now?: () => number;
  /** Every status read. */
  onStatus?: (requestId: string, status: AsyncRequestStatusResponse) => void;
  onEnd?: (requestId: string, end: WatchEnd) => void;
  /** A poll that failed (a 429 included); polling goes on. */
  onError?: (requestId: string, error: unknown) => void;
}

interface Entry {
  request: WatchedAsyncRequest;
  dueAt: number;
  polling: boolean;
  polls: number;
  failures: number;
  controller?: AbortController;
}

export class AsyncRequestWatcher {
  private readonly entries = new Map<string, Entry>();
  private readonly schedule: PollSchedule;
  private readonly now: () => number;
  private timer?: NodeJS.Timeout;
  private timerAt = Infinity;
  private disposed = false;

  constructor(private readonly options: AsyncWatcherOptions) {
    this.schedule = { ...DEFAULT_POLL_SCHEDULE, ...options.schedule };
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  isWatching(requestId: string): boolean {
    return this.entries.has(requestId);
  }

  /** Status calls made for a request while it was watched. */
  pollsOf(requestId: string): number | undefined {
    return this.entries.get(requestId)?.polls;
  }

  watch(request: WatchedAsyncRequest): void {
    if (this.disposed || this.entries.has(request.requestId)) return;
    const entry: Entry = { request, dueAt: 0, polling: false, polls: 0, failures: 0 };
    entry.dueAt = Math.max(this.now(), request.submittedAt + this.schedule.firstPollMs);
    this.entries.set(request.requestId, entry);
    this.arm();
  }

  unwatch(requestId: string): void {
    const entry = this.entries.get(requestId);
    if (!entry) return;
    entry.controller?.abort();
    this.entries.delete(requestId);
  }

  /** Polls a request as soon as the budget allows (after a cancel, or when the user asks). */
  pollSoon(requestId: string): void {
    const entry = this.entries.get(requestId);
    if (!entry || entry.polling) return;
    entry.dueAt = this.now();
    this.arm();
  }

  /** The wait before the next poll of a request of this age. */
  intervalFor(ageMs: number): number {
    const { minIntervalMs, maxIntervalMs, ageFactor } = this.schedule;
    return Math.round(Math.min(maxIntervalMs, Math.max(minIntervalMs, ageMs * ageFactor)));
  }

  private giveUpAt(request: WatchedAsyncRequest): number {
    const queueMs = (request.maxTimeInQueueSeconds ?? DEFAULT_QUEUE_SECONDS) * 1000;
    return request.submittedAt + queueMs + (this.options.maxRunMs ?? ASYNC_MAX_RUN_MS) + (this.options.retentionMs ?? ASYNC_STATUS_RETENTION_MS);
  }

  /** One timer, set for the earliest request due. */
  private arm(): void {
    if (this.disposed) return;
    let earliest = Infinity;
    for (const entry of this.entries.values()) if (!entry.polling && entry.dueAt < earliest) earliest = entry.dueAt;
    if (earliest === Infinity) return;
    if (this.timer && this.timerAt <= earliest) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = earliest;
    this.timer = setTimeout(() => this.fire(), Math.max(0, earliest - this.now()));
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = this.now();
    const due = [...this.entries.values()].filter((entry) => !entry.polling && entry.dueAt <= now).sort((a, b) => a.dueAt - b.dueAt);
    for (const entry of due) void this.poll(entry);
    this.arm();
  }

  private async poll(entry: Entry): Promise<void> {
    const { request } = entry;
    if (this.now() >= this.giveUpAt(request)) {
      this.end(entry, { reason: 'retention' });
      return;
    }
    entry.polling = true;
    const controller = new AbortController();
    entry.controller = controller;
    try {
      const status = await this.options.budget.run(
        () => {
          entry.polls += 1;
          return this.options.status(request.owner, request.requestId, controller.signal);
        },
        { signal: controller.signal },
      );
      if (!this.entries.has(request.requestId)) return;
      entry.failures = 0;
      this.options.onStatus?.(request.requestId, status);
      if (isSettledAsyncStatus(status)) {
        this.end(entry, { reason: 'terminal', status });
        return;
      }
      entry.dueAt = this.now() + this.intervalFor(this.now() - request.submittedAt);
    } catch (error) {
      if (!this.entries.has(request.requestId) || (error instanceof BasetenError && error.kind === 'aborted')) return;
      if (error instanceof BasetenError && error.kind === 'http' && error.status === 404) {
        this.end(entry, { reason: 'forgotten', error });
        return;
      }
      this.options.onError?.(request.requestId, error);
      if (error instanceof BasetenError && error.status === 429) {
        // The budget holds every poll until its pause ends; this one goes first after it.
        entry.dueAt = this.now();
      } else {
        entry.failures += 1;
        entry.dueAt = this.now() + Math.min(this.schedule.maxIntervalMs, this.schedule.errorIntervalMs * 2 ** (entry.failures - 1));
      }
    } finally {
      entry.polling = false;
      entry.controller = undefined;
      this.arm();
    }
  }

  private end(entry: Entry, end: WatchEnd): void {
    this.entries.delete(entry.request.requestId);
    this.options.onEnd?.(entry.request.requestId, end);
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const entry of this.entries.values()) entry.controller?.abort();
    this.entries.clear();
  }
}
