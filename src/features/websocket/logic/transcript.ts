/**
 * The session's transcript as the extension side keeps it (for export and restore), and the batcher that
 * sends new entries to the page a few times a second however fast a model streams.
 */
import { hexPreview } from './format';
import type { Direction, TranscriptEntry } from './protocol';

/** Text kept per message: whole up to 1 MiB (export has it), cut beyond. */
export const KEPT_TEXT_CHARS = 1024 * 1024;
/** Text sent to the page per message; the rest stays in the export. */
export const SHOWN_TEXT_CHARS = 64 * 1024;
/** Binary messages up to this size are kept whole (base64 in the export). */
export const KEPT_BINARY_BYTES = 64 * 1024;

interface KeptEntry extends TranscriptEntry {
  /** A small binary message's bytes, for the export only. */
  base64?: string;
}

export class Transcript {
  private list: KeptEntry[] = [];
  private nextId = 1;
  /** Characters of text and base64 held, kept under `maxChars`. */
  private keptChars = 0;
  /** Entries dropped from the front because the transcript reached `maxEntries` or `maxChars`. */
  dropped = 0;

  constructor(
    private readonly maxEntries = 20_000,
    private readonly now: () => number = Date.now,
    /** 64 Mi characters: a long session of large messages cannot exhaust the extension host. */
    private readonly maxChars = 64 * 1024 * 1024,
  ) {}

  /** Carries on from entries restored after a reload. */
  restore(entries: TranscriptEntry[], hidden = 0): void {
    this.list = entries.map((entry) => ({ ...entry }));
    this.keptChars = this.list.reduce((sum, entry) => sum + charsOf(entry), 0);
    this.dropped = hidden;
    this.nextId = entries.reduce((max, entry) => Math.max(max, entry.id), 0) + 1;
  }

  get entries(): readonly TranscriptEntry[] {
    return this.list;
  }

  get length(): number {
    return this.list.length;
  }

  text(direction: Exclude<Direction, 'event'>, text: string, size = Buffer.byteLength(text, 'utf8')): TranscriptEntry {
    const truncated = text.length > KEPT_TEXT_CHARS;
    return this.add({ direction, kind: 'text', size, text: truncated ? text.slice(0, KEPT_TEXT_CHARS) : text, ...(truncated ? { truncated } : {}) });
  }

  binary(direction: Exclude<Direction, 'event'>, bytes: Uint8Array, file?: string): TranscriptEntry {
    const entry: Omit<KeptEntry, 'id' | 'at'> = { direction, kind: 'binary', size: bytes.byteLength, hex: hexPreview(bytes) };
    if (file) entry.file = file;
    if (bytes.byteLength <= KEPT_BINARY_BYTES) entry.base64 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
    return this.add(entry);
  }

  event(text: string, level: 'info' | 'error' = 'info', code?: number): TranscriptEntry {
    return this.add({ direction: 'event', kind: 'event', size: 0, text, level, ...(code === undefined ? {} : { code }) });
  }

  clear(): void {
    this.list = [];
    this.keptChars = 0;
    this.dropped = 0;
  }

  /** One JSON object per line, oldest first: time (ISO), direction, type, size and the content. */
  toJsonLines(): string {
    return this.list.map((entry) => JSON.stringify(exportLine(entry))).join('\n') + (this.list.length ? '\n' : '');
  }

  private add(fields: Omit<KeptEntry, 'id' | 'at'>): TranscriptEntry {
    const kept: KeptEntry = { id: this.nextId++, at: this.now(), ...fields };
    this.list.push(kept);
    this.keptChars += charsOf(kept);
    let excess = Math.max(0, this.list.length - this.maxEntries);
    let chars = this.keptChars;
    while (excess < this.list.length - 1 && chars > this.maxChars) chars -= charsOf(this.list[excess++]);
    if (excess > 0) {
      for (const gone of this.list.splice(0, excess)) this.keptChars -= charsOf(gone);
      this.dropped += excess;
    }
    return forPage(kept);
  }
}

function charsOf(entry: KeptEntry): number {
  return (entry.text?.length ?? 0) + (entry.base64?.length ?? 0);
}

/** An entry as the page gets it: no bytes, text cut to what is worth rendering. */
export function forPage(entry: KeptEntry): TranscriptEntry {
  const { base64: _base64, ...shown } = entry;
  if (shown.text !== undefined && shown.kind === 'text' && shown.text.length > SHOWN_TEXT_CHARS) {
    return { ...shown, text: shown.text.slice(0, SHOWN_TEXT_CHARS), truncated: true };
  }
  return shown;
}

export interface ExportLine {
  time: string;
  direction: Direction;
  type: TranscriptEntry['kind'];
  size: number;
  text?: string;
  truncated?: boolean;
  base64?: string;
  hex?: string;
  file?: string;
  level?: 'info' | 'error';
  code?: number;
}

export function exportLine(entry: KeptEntry): ExportLine {
  const line: ExportLine = { time: new Date(entry.at).toISOString(), direction: entry.direction, type: entry.kind, size: entry.size };
  if (entry.text !== undefined) line.text = entry.text;
  if (entry.truncated) line.truncated = true;
  if (entry.kind === 'binary') {
    if (entry.base64 !== undefined) line.base64 = entry.base64;
    else {
      line.hex = entry.hex;
      line.truncated = true;
    }
  }
  if (entry.file) line.file = entry.file;
  if (entry.level) line.level = entry.level;
  if (entry.code !== undefined) line.code = entry.code;
  return line;
}

/** 50 ms: at most 20 messages a second to the page. */
export const DEFAULT_BATCH_INTERVAL_MS = 50;

/**
 * Collects entries and sends them together. A batch holds at most `limit` entries (what the page shows
 * at most); older ones in the same batch are only counted, as the page would drop them at once anyway.
 */
export class EntryBatcher {
  private pending: TranscriptEntry[] = [];
  private skipped = 0;
  private timer?: ReturnType<typeof setTimeout>;
  flushes = 0;

  constructor(
    private readonly send: (entries: TranscriptEntry[], skipped: number) => void,
    public limit: number,
    private readonly intervalMs = DEFAULT_BATCH_INTERVAL_MS,
  ) {}

  push(entry: TranscriptEntry): void {
    this.pending.push(entry);
    if (this.pending.length > this.limit * 2) this.trim();
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.trim();
    if (!this.pending.length && !this.skipped) return;
    const entries = this.pending;
    const skipped = this.skipped;
    this.pending = [];
    this.skipped = 0;
    this.flushes++;
    this.send(entries, skipped);
  }

  /** Forgets what waits (the transcript was cleared or replaced). */
  reset(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
    this.skipped = 0;
  }

  private trim(): void {
    const excess = this.pending.length - this.limit;
    if (excess <= 0) return;
    this.pending.splice(0, excess);
    this.skipped += excess;
  }

  dispose(): void {
    this.reset();
  }
}
