/**
 * What the emulator saw: every request (for retry and leak checks), the sockets open now, and how many
 * management requests were in flight at once.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { EmulatorStats, RecordedRequest, RequestFilter, RequestLoad } from '../types';

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

/** Requests of one kind as they arrive and end, and the most in flight at once. */
export class LoadCounter implements RequestLoad {
  received = 0;
  inFlight = 0;
  peakInFlight = 0;

  /** Counts a request that arrived; call the returned function when it ends (later calls do nothing). */
  begin(): () => void {
    this.received += 1;
    this.inFlight += 1;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.inFlight -= 1;
    };
  }

  /** Requests still in flight stay counted in `inFlight`, and so in the new peak. */
  reset(): void {
    this.received = 0;
    this.peakInFlight = this.inFlight;
  }

  snapshot(): RequestLoad {
    return { received: this.received, inFlight: this.inFlight, peakInFlight: this.peakInFlight };
  }
}

export class StatsRecorder implements EmulatorStats {
  readonly sockets = new Set<Socket>();
  readonly management = new LoadCounter();
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
    this.management.reset();
  }
}
