/**
 * Fault injection: rules added by tests (`emulator.faults.add`, `POST /__emulator/faults`) or one fault
 * named per request in the `x-emulator-fault` header. Faults that act on a response in flight (drop,
 * stall, malformed-sse) wrap `res.write`/`res.end`, so every route gets them for free.
 */
import type { ServerResponse } from 'node:http';
import type { EmulatorFaults, Fault, FaultMatch, FaultRule } from '../types';

export const FAULT_HEADER = 'x-emulator-fault';

const KINDS = new Set(['status', 'drop', 'reset', 'delay', 'stall', 'malformed-sse', 'malformed-json', 'ws-close', 'ws-terminate']);

export class FaultError extends Error {}

function optionalCount(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new FaultError(`${name} must be an integer >= 0`);
  return value;
}

/** Checks a fault that came from JSON (a header or the control API). */
export function validateFault(value: unknown): Fault {
  if (typeof value !== 'object' || value === null) throw new FaultError('A fault is an object with a "kind".');
  const fault = value as Record<string, unknown>;
  if (typeof fault.kind !== 'string' || !KINDS.has(fault.kind)) {
    throw new FaultError(`Unknown fault kind ${JSON.stringify(fault.kind)}; use one of ${[...KINDS].join(', ')}.`);
  }
  switch (fault.kind) {
    case 'status':
      if (typeof fault.status !== 'number' || !Number.isInteger(fault.status) || fault.status < 100 || fault.status > 599) {
        throw new FaultError('status must be an HTTP status between 100 and 599');
      }
      if (fault.retryAfter !== undefined && typeof fault.retryAfter !== 'string') throw new FaultError('retryAfter must be a string');
      if (fault.headers !== undefined && (typeof fault.headers !== 'object' || fault.headers === null)) throw new FaultError('headers must be an object');
      break;
    case 'delay':
      if (typeof fault.ms !== 'number' || !Number.isFinite(fault.ms) || fault.ms < 0) throw new FaultError('delay needs ms >= 0');
      break;
    case 'drop':
    case 'stall':
      optionalCount(fault.afterBytes, 'afterBytes');
      optionalCount(fault.afterEvents, 'afterEvents');
      break;
    case 'ws-close':
      if (typeof fault.code !== 'number' || !Number.isInteger(fault.code) || fault.code < 1000 || fault.code > 4999) {
        throw new FaultError('ws-close needs a close code between 1000 and 4999');
      }
      optionalCount(fault.afterMessages, 'afterMessages');
      break;
    case 'ws-terminate':
      optionalCount(fault.afterMessages, 'afterMessages');
      break;
  }
  return fault as unknown as Fault;
}

export function parseFaultHeader(header: string): Fault {
  let value: unknown;
  try {
    value = JSON.parse(header);
  } catch {
    throw new FaultError(`${FAULT_HEADER} must be a fault as JSON, e.g. {"kind":"status","status":503}`);
  }
  return validateFault(value);
}

/** `"/predict$/i"` becomes a RegExp; any other string matches the path exactly. */
export function pathMatcher(value: string): string | RegExp {
  const regex = /^\/(.+)\/([dgimsuy]*)$/.exec(value);
  if (!regex) return value;
  try {
    return new RegExp(regex[1], regex[2]);
  } catch (error) {
    throw new FaultError(`Invalid path pattern ${value}: ${(error as Error).message}`);
  }
}

/** A rule as JSON (control API): `match.path` may be a regex written as a string. */
export function ruleFromJson(value: unknown): FaultRule {
  if (typeof value !== 'object' || value === null) throw new FaultError('A fault rule is an object: {"match"?, "times"?, "fault"}.');
  const raw = value as Record<string, unknown>;
  const rule: FaultRule = { fault: validateFault(raw.fault) };
  if (raw.times !== undefined) rule.times = optionalCount(raw.times, 'times');
  if (raw.match !== undefined) {
    if (typeof raw.match !== 'object' || raw.match === null) throw new FaultError('match must be an object');
    const match = raw.match as Record<string, unknown>;
    const out: FaultMatch = {};
    for (const key of ['method', 'modelId', 'model'] as const) {
      if (match[key] !== undefined) {
        if (typeof match[key] !== 'string') throw new FaultError(`match.${key} must be a string`);
        out[key] = match[key] as string;
      }
    }
    if (match.path !== undefined) {
      if (typeof match.path !== 'string') throw new FaultError('match.path must be a string');
      out.path = pathMatcher(match.path);
    }
    rule.match = out;
  }
  return rule;
}

export function describeFault(fault: Fault): string {
  switch (fault.kind) {
    case 'status':
      return `status ${fault.status}`;
    case 'delay':
      return `delay ${fault.ms}ms`;
    case 'ws-close':
      return `ws-close ${fault.code}`;
    default:
      return fault.kind;
  }
}

/** What a request offers to rule matching. */
export interface FaultTarget {
  method: string;
  path: string;
  modelId?: string;
  model?: string;
}

interface ActiveRule {
  id: number;
  rule: FaultRule;
  remaining: number;
}

function matches(match: FaultMatch | undefined, target: FaultTarget): boolean {
  if (!match) return true;
  if (match.method !== undefined && match.method.toUpperCase() !== target.method) return false;
  if (match.modelId !== undefined && match.modelId !== target.modelId) return false;
  if (match.model !== undefined && match.model !== target.model) return false;
  if (match.path !== undefined) {
    if (typeof match.path === 'string') return match.path === target.path;
    match.path.lastIndex = 0;
    return match.path.test(target.path);
  }
  return true;
}

export class FaultRegistry implements EmulatorFaults {
  private rules: ActiveRule[] = [];
  private nextId = 1;

  add(rule: FaultRule): () => void {
    return this.addRule(rule).remove;
  }

  addRule(rule: FaultRule): { id: number; remove: () => void } {
    validateFault(rule.fault);
    const active: ActiveRule = { id: this.nextId++, rule, remaining: rule.times ?? Number.POSITIVE_INFINITY };
    this.rules.push(active);
    return { id: active.id, remove: () => this.remove(active.id) };
  }

  remove(id: number): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((active) => active.id !== id);
    return this.rules.length !== before;
  }

  clear(): void {
    this.rules = [];
  }

  /** For `GET /__emulator/faults`. */
  list(): Array<{ id: number; remaining: number | null; match?: Record<string, string>; fault: Fault }> {
    return this.rules.map(({ id, rule, remaining }) => ({
      id,
      remaining: Number.isFinite(remaining) ? remaining : null,
      match: rule.match
        ? Object.fromEntries(Object.entries(rule.match).map(([key, value]) => [key, String(value)]))
        : undefined,
      fault: rule.fault,
    }));
  }

  /** The fault of the first rule matching this request, counting it against the rule's `times`. */
  take(target: FaultTarget): Fault | undefined {
    const active = this.rules.find((candidate) => matches(candidate.rule.match, target));
    if (!active) return undefined;
    active.remaining -= 1;
    if (active.remaining <= 0) this.remove(active.id);
    return active.rule.fault;
  }
}

type WriteCallback = (error?: Error | null) => void;

/** Byte positions just after each `\n\n` (SSE event end) in `chunk`, given the byte before it. */
function eventEnds(chunk: Buffer, previousByte: number | undefined): number[] {
  const ends: number[] = [];
  for (let i = 0; i < chunk.length; i++) {
    if (chunk[i] !== 0x0a) continue;
    const before = i === 0 ? previousByte : chunk[i - 1];
    if (before === 0x0a) ends.push(i + 1);
  }
  return ends;
}

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk);
  return Buffer.from(String(chunk));
}

/**
 * Wraps a response so that after `afterBytes` bytes or `afterEvents` events (SSE events, or writes when
 * the body is not SSE) it is dropped (socket closed) or stalls (nothing more is sent, the socket stays
 * open and `write` never drains). With neither set, it happens right after the headers. A body that ends
 * within the limits ends normally.
 */
export function cutResponse(
  res: ServerResponse,
  fault: { kind: 'drop' | 'stall'; afterBytes?: number; afterEvents?: number },
  onDrop: () => void,
): void {
  const write = res.write.bind(res) as (chunk: unknown, callback?: WriteCallback) => boolean;
  const end = res.end.bind(res) as (chunk?: unknown) => ServerResponse;
  const byteLimit = fault.afterBytes ?? (fault.afterEvents === undefined ? 0 : Number.POSITIVE_INFINITY);
  const eventLimit = fault.afterEvents ?? Number.POSITIVE_INFINITY;
  let bytes = 0;
  let events = 0;
  let lastByte: number | undefined;
  let halted = false;
  const isSse = (): boolean => String(res.getHeader('content-type') ?? '').includes('text/event-stream');
  const limitReached = (): boolean => bytes >= byteLimit || events >= eventLimit;

  /** How many bytes of `chunk` may still go out; counts the events among them. */
  const allowance = (chunk: Buffer): number => {
    let allowed = Math.min(chunk.length, Math.max(0, byteLimit - bytes));
    if (!Number.isFinite(eventLimit)) return allowed;
    if (!isSse()) {
      if (events >= eventLimit) return 0;
      events += 1;
      return allowed;
    }
    if (events >= eventLimit) return 0;
    for (const endAt of eventEnds(chunk, lastByte)) {
      if (endAt > allowed) break;
      events += 1;
      if (events >= eventLimit) {
        allowed = endAt;
        break;
      }
    }
    return allowed;
  };

  const halt = (): void => {
    halted = true;
    // After writeHead the headers wait for the first body byte; send them now.
    res.flushHeaders();
    if (fault.kind === 'drop') onDrop();
  };

  const pass = (chunk: unknown, callback?: WriteCallback): boolean => {
    if (halted) return false;
    const buffer = toBuffer(chunk);
    const allowed = allowance(buffer);
    const part = allowed >= buffer.length ? buffer : buffer.subarray(0, allowed);
    bytes += part.length;
    let ok = true;
    if (part.length > 0) {
      lastByte = part[part.length - 1];
      ok = write(part, part === buffer ? callback : undefined);
    }
    if (limitReached()) {
      halt();
      return false;
    }
    return ok;
  };

  res.write = ((chunk: unknown, encodingOrCallback?: unknown, callback?: unknown) => {
    const done = (typeof encodingOrCallback === 'function' ? encodingOrCallback : callback) as WriteCallback | undefined;
    return pass(chunk, done);
  }) as typeof res.write;

  res.end = ((chunk?: unknown) => {
    if (typeof chunk !== 'function' && chunk !== undefined && chunk !== null) pass(chunk);
    if (halted) return res;
    if (limitReached()) halt();
    else end();
    return res;
  }) as typeof res.end;
}

/**
 * Makes some `data:` lines of an SSE body invalid JSON: the second event and every third after it
 * (events 2, 5, 8, …), cut in half. Other bodies pass unchanged.
 */
export function corruptSse(res: ServerResponse): void {
  const write = res.write.bind(res) as (chunk: unknown, callback?: WriteCallback) => boolean;
  const end = res.end.bind(res) as (chunk?: unknown, callback?: () => void) => ServerResponse;
  let pending = '';
  let index = 0;
  const isSse = (): boolean => String(res.getHeader('content-type') ?? '').includes('text/event-stream');

  const corrupt = (event: string): string => {
    const position = index++;
    if (position % 3 !== 1 || !event.startsWith('data:') || event.startsWith('data: [DONE]')) return event;
    const line = event.replace(/\n+$/, '');
    return `${line.slice(0, Math.max(7, Math.floor(line.length / 2)))}\n\n`;
  };

  const transform = (chunk: unknown, final: boolean): string => {
    pending += toBuffer(chunk).toString('utf8');
    let out = '';
    let cut = pending.indexOf('\n\n');
    while (cut >= 0) {
      out += corrupt(pending.slice(0, cut + 2));
      pending = pending.slice(cut + 2);
      cut = pending.indexOf('\n\n');
    }
    if (final) {
      out += pending;
      pending = '';
    }
    return out;
  };

  res.write = ((chunk: unknown, encodingOrCallback?: unknown, callback?: unknown) => {
    const done = (typeof encodingOrCallback === 'function' ? encodingOrCallback : callback) as WriteCallback | undefined;
    if (!isSse()) return write(chunk, done);
    return write(transform(chunk, false), done);
  }) as typeof res.write;

  res.end = ((chunk?: unknown) => {
    if (!isSse()) return typeof chunk === 'function' || chunk === undefined ? end() : end(chunk);
    const rest = transform(typeof chunk === 'function' || chunk === undefined || chunk === null ? '' : chunk, true);
    return rest ? end(rest) : end();
  }) as typeof res.end;
}

/** The invalid body `malformed-json` answers 200 with. */
export const MALFORMED_JSON_BODY = '{"output": {"emulated": "truncated JSON", "values": [1, 2, 3';
