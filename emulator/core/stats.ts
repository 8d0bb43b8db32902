/** What the emulator saw: every request (for retry and leak checks) and the sockets open now. */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { EmulatorStats, RecordedRequest, RequestFilter } from '../types';

const SECRET_HEADERS = new Set(['x-api-key', 'cookie', 'proxy-authorization']);

/** Keeps the scheme of `Authorization` (tests check it), never the key. */
function redact(name: string, value: string): string {
  if (name === 'authorization') {
    const space = value.indexOf(' ');
    return space > 0 ? `${value.slice(0, space)} [REDACTED]` : '[REDACTED]';
  }
  return SECRET_HEADERS.has(name) ? '[REDACTED]' : value;
}

export function redactedHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers[name] = redact(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

export function matchesFilter(request: RecordedRequest, filter: RequestFilter): boolean {
  if (filter.method !== undefined && request.method !== filter.method.toUpperCase()) return false;
  if (filter.status !== undefined && request.status !== filter.status) return false;
  if (filter.path !== undefined) {
    if (typeof filter.path === 'string') return request.path === filter.path;
    filter.path.lastIndex = 0;
    return filter.path.test(request.path);
  }
  return true;
}

export class StatsRecorder implements EmulatorStats {
  readonly sockets = new Set<Socket>();
  private readonly list: RecordedRequest[] = [];
  private nextId = 1;

  get openConnections(): number {
    return this.sockets.size;
  }

  get requests(): readonly RecordedRequest[] {
    return this.list;
  }

  begin(req: IncomingMessage, path: string, query: string): RecordedRequest {
    const record: RecordedRequest = {
      id: this.nextId++,
      at: Date.now(),
      method: (req.method ?? 'GET').toUpperCase(),
      path,
      query,
      clientAborted: false,
      headers: redactedHeaders(req),
      bodyBytes: 0,
    };
    this.list.push(record);
    return record;
  }

  count(filter: RequestFilter = {}): number {
    return this.list.filter((request) => matchesFilter(request, filter)).length;
  }

  /** The most matching requests that arrived within any `windowMs` (a rate limit's view of the traffic). */
  peakPerWindow(filter: RequestFilter = {}, windowMs = 1000): number {
    const times = this.list.filter((request) => matchesFilter(request, filter)).map((request) => request.at);
    let peak = 0;
    for (let first = 0, last = 0; last < times.length; last++) {
      while (times[last] - times[first] >= windowMs) first++;
      peak = Math.max(peak, last - first + 1);
    }
    return peak;
  }

  /** Clears the request list in place, so references to `requests` stay live. */
  reset(): void {
    this.list.length = 0;
  }
}
