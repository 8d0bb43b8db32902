/**
 * One budget for every call Baseten counts against the async status limit (status, cancel and queue status
 * share "20 requests per second" per key, docs/baseten-api.md#async-rate-limits), and one pause for everybody
 * after a 429.
 *
 * A call holds one of `perSecond` slots from the moment it is sent until one second after its answer came
 * back. Baseten counts calls as they arrive, which is somewhere in between, so every call arriving within
 * any one second held a slot at a common instant: no second can see more than `perSecond`, however
 * uneven the network's delays. (Counting from the send alone does not hold: a slow call followed by a
 * fast one can land in the same second.)
 */
import { BasetenError } from './errors';

export interface StatusBudgetOptions {
  /** Calls allowed per second; read on every grant so a changed setting applies at once. */
  perSecond: () => number;
  /** Added to the second a slot is held after the answer, for clocks that tick coarsely. */
  marginMs?: number;
  /** Longest pause after repeated 429s. */
  maxPauseMs?: number;
  now?: () => number;
}

export type BudgetPriority = 'user' | 'poll';

interface Waiter {
  priority: BudgetPriority;
  grant: (slot: Slot) => void;
  fail: (error: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

const WINDOW_MS = 1000;

interface Slot {
  /** When the slot is free again; Infinity while the call is in flight. */
  freeAt: number;
}

export class StatusBudget {
  private slots: Slot[] = [];
  private readonly waiting: Waiter[] = [];
  private pausedUntil = 0;
  private rateLimits = 0;
  private timer?: NodeJS.Timeout;
  private timerAt = 0;
  private readonly now: () => number;
  /** Every 429 seen, for the view and for tests. */
  rateLimitedCount = 0;

  constructor(private readonly options: StatusBudgetOptions) {
    this.now = options.now ?? Date.now;
  }

  get perSecond(): number {
    const value = this.options.perSecond();
    return Number.isFinite(value) && value >= 1 ? Math.floor(value) : 1;
  }

  /** Milliseconds left of the pause after a 429; 0 when calls may go. */
  get pausedForMs(): number {
    return Math.max(0, this.pausedUntil - this.now());
  }

  get queued(): number {
    return this.waiting.length;
  }

  /**
   * Runs `call` once the budget allows it. A 429 pauses every caller (for its `Retry-After`, or a delay
   * that doubles with each 429 in a row) and is rethrown; any answer that is not a 429 ends the streak.
   */
  async run<T>(call: () => Promise<T>, options: { signal?: AbortSignal; priority?: BudgetPriority } = {}): Promise<T> {
    const slot = await this.acquire(options.priority ?? 'poll', options.signal);
    try {
      const result = await call();
      this.rateLimits = 0;
      return result;
    } catch (error) {
      if (error instanceof BasetenError && error.status === 429) this.rateLimited(error.retryAfterMs);
      else if (error instanceof BasetenError && error.kind === 'http') this.rateLimits = 0;
      throw error;
    } finally {
      slot.freeAt = this.now() + WINDOW_MS + (this.options.marginMs ?? 10);
      this.pump();
    }
  }

  /** Pauses every caller after a 429. */
  rateLimited(retryAfterMs?: number): void {
    this.rateLimitedCount += 1;
    this.rateLimits += 1;
    const backoff = Math.min(1000 * 2 ** (this.rateLimits - 1), this.options.maxPauseMs ?? 60_000);
    const pause = Math.max(backoff, retryAfterMs ?? 0);
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + pause);
    this.pump();
  }

  private acquire(priority: BudgetPriority, signal?: AbortSignal): Promise<Slot> {
    return new Promise<Slot>((resolve, reject) => {
      if (signal?.aborted) return reject(aborted());
      const waiter: Waiter = { priority, grant: resolve, fail: reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          const index = this.waiting.indexOf(waiter);
          if (index >= 0) this.waiting.splice(index, 1);
          reject(aborted());
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      // A user's cancel goes before the polls already waiting.
      if (priority === 'user') {
        const firstPoll = this.waiting.findIndex((w) => w.priority === 'poll');
        this.waiting.splice(firstPoll < 0 ? this.waiting.length : firstPoll, 0, waiter);
      } else {
        this.waiting.push(waiter);
      }
      this.pump();
    });
  }

  private pump(): void {
    const now = this.now();
    this.slots = this.slots.filter((slot) => slot.freeAt > now);
    while (this.waiting.length && now >= this.pausedUntil && this.slots.length < this.perSecond) {
      const waiter = this.waiting.shift() as Waiter;
      if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
      const slot: Slot = { freeAt: Infinity };
      this.slots.push(slot);
      waiter.grant(slot);
    }
    if (!this.waiting.length) return;
    // Wake up when the pause ends or the first slot frees; a call still in flight pumps when it ends.
    const firstFree = this.slots.length < this.perSecond ? now : Math.min(...this.slots.map((slot) => slot.freeAt));
    if (firstFree !== Infinity) this.wakeAt(Math.max(this.pausedUntil, firstFree));
  }

  private wakeAt(at: number): void {
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, Math.max(1, at - this.now()));
  }

  /** Rejects every waiting caller; the budget can still be used afterwards. */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const waiter of this.waiting.splice(0)) waiter.fail(aborted());
  }
}

function aborted(): BasetenError {
  return new BasetenError({ kind: 'aborted', message: 'The status call was cancelled before it was sent.', area: 'inference' });
}
