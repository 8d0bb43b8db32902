/**
 * What the logs tab narrows its lines to, as the page sends it, checked; and the query Baseten takes for it.
 * Plain Node: the page bundles it too.
 */
import type { LogFilter, LogLevel } from '../../../client/logs';
import { LOG_LEVELS, LOG_WINDOW_MS } from '../../../client/logs';

/** The lines from a while ago to now, or from a moment (a failure's time, less a margin) to now. */
export type TimeRange = { kind: 'last'; minutes: number } | { kind: 'since'; atMs: number };

export interface LogViewFilter {
  /** Only lines at this level and above. */
  minLevel?: LogLevel;
  /** Lines whose message holds this text (Baseten matches it case-sensitively). */
  text?: string;
  requestId?: string;
  range: TimeRange;
}

/** The ranges the tab offers, in minutes: Baseten serves 7 days. */
export const RANGE_MINUTES = [15, 60, 6 * 60, 24 * 60, 7 * 24 * 60] as const;
export const DEFAULT_RANGE: TimeRange = { kind: 'last', minutes: 60 };
/** A failure's logs start this long before it: the lines that led to it. */
export const BEFORE_FAILURE_MS = 10 * 60_000;

export const LEVEL_CHOICES: ReadonlyArray<{ value: LogLevel | ''; label: string }> = [
  { value: '', label: 'All levels' },
  { value: 'INFO', label: 'Info and above' },
  { value: 'WARNING', label: 'Warnings and errors' },
  { value: 'ERROR', label: 'Errors only' },
];

export function rangeLabel(range: TimeRange, formatTime: (ms: number) => string = (ms) => new Date(ms).toLocaleTimeString()): string {
  if (range.kind === 'since') return `Since ${formatTime(range.atMs)}`;
  const minutes = range.minutes;
  if (minutes % (24 * 60) === 0) return minutes === 24 * 60 ? 'Last 24 hours' : `Last ${minutes / (24 * 60)} days`;
  if (minutes % 60 === 0) return minutes === 60 ? 'Last hour' : `Last ${minutes / 60} hours`;
  return `Last ${minutes} minutes`;
}

/** Where the window starts: never more than Baseten's 7 days back. */
export function rangeStart(range: TimeRange, now: number): number {
  const start = range.kind === 'last' ? now - range.minutes * 60_000 : range.atMs;
  return Math.max(start, now - LOG_WINDOW_MS + 1);
}

/** The filter as Baseten's query: the text as a substring (`includes`), the request id as is. */
export function filterQuery(filter: LogViewFilter): LogFilter {
  const query: LogFilter = {};
  if (filter.minLevel) query.minLevel = filter.minLevel;
  const text = filter.text?.trim();
  if (text) query.includes = [text];
  const requestId = filter.requestId?.trim();
  if (requestId) query.requestId = requestId;
  return query;
}

/** Narrowed to fewer lines than all of the range. */
export function isFiltered(filter: LogViewFilter): boolean {
  return !!(filter.minLevel || filter.text?.trim() || filter.requestId?.trim());
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function shortText(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() && value.length <= 256 ? value : undefined;
}

export function parseTimeRange(value: unknown): TimeRange | undefined {
  const range = record(value);
  if (range?.kind === 'last' && typeof range.minutes === 'number' && Number.isInteger(range.minutes) && range.minutes > 0 && range.minutes <= LOG_WINDOW_MS / 60_000) {
    return { kind: 'last', minutes: range.minutes };
  }
  if (range?.kind === 'since' && typeof range.atMs === 'number' && Number.isFinite(range.atMs) && range.atMs > 0) return { kind: 'since', atMs: range.atMs };
  return undefined;
}

/** A filter from the page; undefined when it is not one. */
export function parseLogViewFilter(value: unknown): LogViewFilter | undefined {
  const raw = record(value);
  const range = parseTimeRange(raw?.range);
  if (!raw || !range) return undefined;
  const filter: LogViewFilter = { range };
  if (typeof raw.minLevel === 'string' && (LOG_LEVELS as readonly string[]).includes(raw.minLevel)) filter.minLevel = raw.minLevel as LogLevel;
  const text = shortText(raw.text);
  if (text) filter.text = text;
  const requestId = shortText(raw.requestId);
  if (requestId) filter.requestId = requestId.trim();
  return filter;
}
