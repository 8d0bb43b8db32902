/**
 * The lines a logs tab holds, oldest first, each once: pages before the first line go in front, lines that
 * arrived since go at the end, and repeats (the windows overlap on purpose) are dropped. Plain Node.
 */
import type { LogEntry } from '../../../client/logs';
import { compareLogEntries, logEntryKey } from '../../../client/logs';

/** Where new lines went: in front, at the end, or (lines arrived out of order) the whole list changed. */
export type MergePlace = 'start' | 'end' | 'all';

export interface Merged {
  place: MergePlace;
  /** The new lines, oldest first; for `all`, every line. */
  lines: LogEntry[];
  /** Lines dropped from the front to stay within the cap. */
  dropped: number;
}

/** Enough for a day of a busy deployment; the oldest go first. */
export const MAX_LINES = 200_000;

export class LogBuffer {
  private entries: LogEntry[] = [];
  private readonly keys = new Set<string>();

  constructor(private readonly max = MAX_LINES) {}

  get lines(): readonly LogEntry[] {
    return this.entries;
  }

  get size(): number {
    return this.entries.length;
  }

  get oldest(): LogEntry | undefined {
    return this.entries[0];
  }

  get newest(): LogEntry | undefined {
    return this.entries[this.entries.length - 1];
  }

  clear(): void {
    this.entries = [];
    this.keys.clear();
  }

  /** Adds what is new of `incoming` (any order); says where it went. */
  merge(incoming: readonly LogEntry[]): Merged {
    const fresh: LogEntry[] = [];
    for (const entry of incoming) {
      const key = logEntryKey(entry);
      if (this.keys.has(key)) continue;
      this.keys.add(key);
      fresh.push(entry);
    }
    fresh.sort(compareLogEntries);
    if (!fresh.length) return { place: 'end', lines: [], dropped: 0 };
    const first = this.oldest;
    const last = this.newest;
    let place: MergePlace;
    if (!last || compareLogEntries(fresh[0], last) >= 0) {
      this.entries.push(...fresh);
      place = 'end';
    } else if (first && compareLogEntries(fresh[fresh.length - 1], first) <= 0) {
      this.entries = [...fresh, ...this.entries];
      place = 'start';
    } else {
      this.entries = [...this.entries, ...fresh].sort(compareLogEntries);
      place = 'all';
    }
    const dropped = Math.max(0, this.entries.length - this.max);
    if (dropped) {
      for (const entry of this.entries.slice(0, dropped)) this.keys.delete(logEntryKey(entry));
      this.entries = this.entries.slice(dropped);
    }
    return { place, lines: place === 'all' ? this.entries : fresh, dropped };
  }
}
