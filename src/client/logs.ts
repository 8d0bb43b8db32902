/**
 * Baseten's logs (docs/baseten-api.md#logs; reference §7.6): `GET …/logs` of a model deployment, a model
 * environment or a chainlet, with the spec's query (window of at most 7 days, 1–1000 lines, minimum level,
 * request id, substrings), and the paging the logs tab and the agent tool use: the newest page, pages before
 * it, and the lines that came since. Plain Node.
 */
import { BasetenError } from './errors';
import { HttpClient } from './http';
import { BasetenEndpoints, managementResourceUrl } from './urls';

export type LogLevel = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';
export const LOG_LEVELS: readonly LogLevel[] = ['DEBUG', 'INFO', 'WARNING', 'ERROR'];

/** `LogV1`: the timestamp is epoch nanoseconds as a string. */
export interface LogV1 {
  timestamp: string;
  message: string;
  replica: string | null;
  request_id?: string | null;
  level?: LogLevel | null;
}

/** Whose logs: a model deployment (by ID or `development`/`production`), a model environment, or a chainlet. */
export type LogSource =
  | { kind: 'deployment'; modelId: string; deploymentId: string }
  | { kind: 'environment'; modelId: string; environment: string }
  | { kind: 'chainlet'; chainId: string; deploymentId: string; chainletId: string };

/** What to read; every field is optional, as in the spec. */
export interface LogQuery {
  startMs?: number;
  endMs?: number;
  direction?: 'asc' | 'desc';
  limit?: number;
  minLevel?: LogLevel;
  replica?: string;
  requestId?: string;
  searchPattern?: string;
  includes?: string[];
  excludes?: string[];
}

/** What the user narrows the lines to; the window comes from the paging. */
export type LogFilter = Pick<LogQuery, 'minLevel' | 'requestId' | 'includes' | 'excludes' | 'replica' | 'searchPattern'>;

/** One line as the extension keeps it. */
export interface LogEntry {
  /** Epoch milliseconds. */
  timeMs: number;
  /** Baseten's own timestamp (epoch nanoseconds), for ordering lines of the same millisecond and for dedupe. */
  timestamp: string;
  level: LogLevel | null;
  replica: string | null;
  requestId: string | null;
  message: string;
}

/** How far back Baseten serves logs, and the widest window one query may ask for. */
export const LOG_WINDOW_MS = 7 * 24 * 3600_000;
export const LOG_PAGE_MAX = 1000;
const TEXT_MAX = 256;
const SUBSTRINGS_MAX = 8;

function invalid(message: string): BasetenError {
  return new BasetenError({ kind: 'validation', area: 'management', message });
}

/** A level in any case; `WARN` is WARNING, `CRITICAL`/`FATAL` are ERROR; anything else is no level. */
export function parseLogLevel(value: unknown): LogLevel | null {
  if (typeof value !== 'string') return null;
  const upper = value.trim().toUpperCase();
  if (upper === 'WARN') return 'WARNING';
  if (upper === 'CRITICAL' || upper === 'FATAL') return 'ERROR';
  return (LOG_LEVELS as readonly string[]).includes(upper) ? (upper as LogLevel) : null;
}

/** The query string Baseten takes, or a validation error naming the field, before anything is sent. */
export function logQueryParams(query: LogQuery): URLSearchParams {
  const params = new URLSearchParams();
  const { startMs, endMs, limit } = query;
  for (const [name, value] of [['start_epoch_millis', startMs], ['end_epoch_millis', endMs]] as const) {
    if (value === undefined) continue;
    if (!Number.isFinite(value) || value < 0) throw invalid(`${name} must be epoch milliseconds.`);
    params.set(name, String(Math.floor(value)));
  }
  if (startMs !== undefined && endMs !== undefined) {
    if (startMs > endMs) throw invalid('The log window starts after it ends.');
    if (endMs - startMs > LOG_WINDOW_MS) throw invalid('Baseten serves at most 7 days of logs in one query.');
  }
  if (query.direction) params.set('direction', query.direction);
  if (limit !== undefined) {
    if (!Number.isInteger(limit) || limit < 1 || limit > LOG_PAGE_MAX) throw invalid(`limit must be a whole number from 1 to ${LOG_PAGE_MAX}.`);
    params.set('limit', String(limit));
  }
  if (query.minLevel) params.set('min_level', query.minLevel);
  for (const [name, value] of [['replica', query.replica], ['request_id', query.requestId], ['search_pattern', query.searchPattern]] as const) {
    if (!value) continue;
    if (value.length > TEXT_MAX) throw invalid(`${name} may be at most ${TEXT_MAX} characters.`);
    params.set(name, value);
  }
  for (const [name, values] of [['includes', query.includes], ['excludes', query.excludes]] as const) {
    const kept = (values ?? []).filter((value) => value !== '');
    if (kept.length > SUBSTRINGS_MAX) throw invalid(`At most ${SUBSTRINGS_MAX} ${name} substrings.`);
    for (const value of kept) params.append(name, value);
  }
  return params;
}

export function logsPath(source: LogSource): string[] {
  switch (source.kind) {
    case 'deployment':
      return ['models', source.modelId, 'deployments', source.deploymentId, 'logs'];
    case 'environment':
      return ['models', source.modelId, 'environments', source.environment, 'logs'];
    case 'chainlet':
      return ['chains', source.chainId, 'deployments', source.deploymentId, 'chainlets', source.chainletId, 'logs'];
  }
}

function nanosToMs(timestamp: string): number {
  // Nanoseconds overflow a double's exact range; the millisecond part does not.
  return /^\d+$/.test(timestamp) ? Number(timestamp.length > 6 ? timestamp.slice(0, -6) : '0') : Number.NaN;
}

/** One `LogV1` as an entry; undefined for what is not one (kept out rather than shown broken). */
export function toLogEntry(raw: unknown): LogEntry | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const line = raw as Partial<Record<keyof LogV1, unknown>>;
  if (typeof line.message !== 'string') return undefined;
  const timestamp = typeof line.timestamp === 'string' ? line.timestamp : typeof line.timestamp === 'number' ? String(Math.trunc(line.timestamp)) : '';
  const timeMs = nanosToMs(timestamp);
  if (!Number.isFinite(timeMs)) return undefined;
  return {
    timeMs,
    timestamp,
    level: parseLogLevel(line.level),
    replica: typeof line.replica === 'string' && line.replica ? line.replica : null,
    requestId: typeof line.request_id === 'string' && line.request_id ? line.request_id : null,
    message: line.message,
  };
}

/** Lines are the same when Baseten's timestamp, replica and message are (the CLI's dedupe key). */
export function logEntryKey(entry: Pick<LogEntry, 'timestamp' | 'replica' | 'message'>): string {
  return `${entry.timestamp}\u0000${entry.replica ?? ''}\u0000${entry.message}`;
}

/** Oldest first; lines of one nanosecond keep their order. */
export function compareLogEntries(a: LogEntry, b: LogEntry): number {
  if (a.timestamp.length !== b.timestamp.length) return a.timestamp.length - b.timestamp.length;
  return a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0;
}

export interface LogPage {
  /** Oldest first. */
  entries: LogEntry[];
  /** Nothing older in the window: the page held fewer lines than it could. */
  complete: boolean;
}

export interface LogCallOptions {
  signal?: AbortSignal;
  /** The clock, for tests. */
  now?: number;
}

export class LogsClient {
  constructor(
    readonly http: HttpClient,
    readonly endpoints: () => BasetenEndpoints,
  ) {}

  /** `GET …/logs` as asked; the entries oldest first whatever the direction. */
  async query(source: LogSource, query: LogQuery, options: LogCallOptions = {}): Promise<LogEntry[]> {
    const params = logQueryParams(query);
    const url = `${managementResourceUrl(this.endpoints(), ...logsPath(source))}${params.toString() ? `?${params}` : ''}`;
    const response = await this.http.send({ method: 'GET', url, area: 'management', signal: options.signal });
    const body = await response.json<Record<string, unknown>>(undefined, options.signal);
    const logs = body?.logs;
    if (!Array.isArray(logs)) {
      throw new BasetenError({ kind: 'protocol', area: 'management', message: 'The logs answer had no "logs" list.', body: JSON.stringify(body)?.slice(0, 4096) });
    }
    const entries = logs.map(toLogEntry).filter((entry): entry is LogEntry => !!entry);
    return entries.sort(compareLogEntries);
  }

  /**
   * The newest `limit` lines from `startMs` (at most 7 days back) to now, or the page before `beforeMs`
   * (inclusive: a line of that millisecond may repeat, the caller dedupes).
   */
  async page(source: LogSource, filter: LogFilter, window: { startMs: number; beforeMs?: number; limit?: number }, options: LogCallOptions = {}): Promise<LogPage> {
    const now = options.now ?? Date.now();
    const endMs = Math.min(window.beforeMs ?? now, now);
    const startMs = Math.max(window.startMs, endMs - LOG_WINDOW_MS + 1, now - LOG_WINDOW_MS);
    const limit = window.limit ?? LOG_PAGE_MAX;
    if (startMs > endMs) return { entries: [], complete: true };
    const entries = await this.query(source, { ...filter, startMs, endMs, direction: 'desc', limit }, options);
    return { entries, complete: entries.length < limit };
  }

  /**
   * Every line of one millisecond (up to 1,000): where a full page ends inside a millisecond holding more
   * lines than a page, the page before it would repeat; this reads that millisecond whole, and paging goes on
   * before it.
   */
  millisecond(source: LogSource, filter: LogFilter, ms: number, options: LogCallOptions = {}): Promise<LogEntry[]> {
    return this.query(source, { ...filter, startMs: ms, endMs: ms, direction: 'asc', limit: LOG_PAGE_MAX }, options);
  }

  /**
   * Lines since `sinceMs`, for following: Baseten's CLI asks from a minute before the last poll (lines arrive
   * late) to a minute past now (clocks differ); the caller dedupes.
   */
  since(source: LogSource, filter: LogFilter, sinceMs: number, options: LogCallOptions = {}): Promise<LogEntry[]> {
    const now = options.now ?? Date.now();
    const startMs = Math.max(sinceMs - 60_000, now - LOG_WINDOW_MS + 60_000);
    return this.query(source, { ...filter, startMs, endMs: now + 60_000, direction: 'desc', limit: LOG_PAGE_MAX }, options);
  }
}
