/**
 * Every timer the emulator starts goes through here, so that reset and close can stop them all and
 * nothing keeps the process alive after `close()`.
 */
/** setTimeout fires at once for longer delays; nothing here waits that long anyway. */
const LONGEST = 2_147_483_647;

interface Pending {
  handle: NodeJS.Timeout;
  /** Sleeps resolve (as interrupted) instead of hanging when they are cleared. */
  interrupt?: () => void;
}

export class Timers {
  private readonly pending = new Set<Pending>();

  /** Runs `fn` after `ms`; the returned function cancels it. */
  after(ms: number, fn: () => void): () => void {
    const entry: Pending = {
      handle: setTimeout(() => {
        this.pending.delete(entry);
        fn();
      }, Math.min(ms, LONGEST)),
    };
    this.pending.add(entry);
    return () => {
      clearTimeout(entry.handle);
      this.pending.delete(entry);
    };
  }

  /** Resolves true after `ms`, or false as soon as `signal` aborts or the timers are cleared. */
  sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return Promise.resolve(false);
    if (ms <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const finish = (elapsed: boolean): void => {
        clearTimeout(entry.handle);
        this.pending.delete(entry);
        signal?.removeEventListener('abort', onAbort);
        resolve(elapsed);
      };
      const onAbort = (): void => finish(false);
      const entry: Pending = { handle: setTimeout(() => finish(true), Math.min(ms, LONGEST)), interrupt: () => finish(false) };
      this.pending.add(entry);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  clear(): void {
    for (const entry of [...this.pending]) {
      clearTimeout(entry.handle);
      this.pending.delete(entry);
      entry.interrupt?.();
    }
  }
}
