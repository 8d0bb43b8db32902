/**
 * One HTTP request and its response, as every route sees it, plus the small helpers routes answer with.
 * Writes respect backpressure and stop when the client goes away (or the emulator resets).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RecordedRequest } from '../types';
import type { AuthResult } from './auth';

export interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly method: string;
  /** The path without the query string, e.g. `/model-abcd1234/production/predict`. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: Buffer;
  readonly record: RecordedRequest;
  /** 32 hex characters; sent as `X-Baseten-Request-Id`. */
  readonly requestId: string;
  /** `Date.now()` when the request arrived (`X-Baseten-Accepted-At`). */
  readonly acceptedAt: number;
  readonly auth: AuthResult;
  /** Aborts when the client goes away, or the emulator resets or closes. */
  readonly signal: AbortSignal;
}

export type Headers = Record<string, string | number>;

export function sendText(exchange: Exchange, status: number, text: string | Buffer, contentType: string, headers: Headers = {}): void {
  const { res } = exchange;
  if (res.headersSent || res.destroyed) return;
  const body = typeof text === 'string' ? Buffer.from(text) : text;
  res.writeHead(status, { ...headers, 'Content-Type': contentType, 'Content-Length': body.length });
  res.end(exchange.method === 'HEAD' ? undefined : body);
}

export function sendJson(exchange: Exchange, status: number, body: unknown, headers: Headers = {}): void {
  sendText(exchange, status, JSON.stringify(body), 'application/json', headers);
}

/** A response without a body, e.g. wake's 202. */
export function sendEmpty(exchange: Exchange, status: number, headers: Headers = {}): void {
  const { res } = exchange;
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { ...headers, 'Content-Length': 0 });
  res.end();
}

/** Starts a streamed response and sends its headers at once, before the first chunk. */
export function startStream(exchange: Exchange, status: number, headers: Headers): void {
  const { res } = exchange;
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, headers);
  res.flushHeaders();
}

/** Writes a chunk; waits while the socket is full. False once the client is gone. */
export function writeChunk(exchange: Exchange, chunk: string | Buffer): Promise<boolean> {
  const { res, signal } = exchange;
  if (signal.aborted || res.destroyed || res.writableEnded) return Promise.resolve(false);
  if (res.write(chunk)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean): void => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      signal.removeEventListener('abort', onClose);
      resolve(ok);
    };
    const onDrain = (): void => done(true);
    const onClose = (): void => done(false);
    res.once('drain', onDrain);
    res.once('close', onClose);
    signal.addEventListener('abort', onClose, { once: true });
  });
}

export function endStream(exchange: Exchange, chunk?: string | Buffer): void {
  const { res } = exchange;
  if (res.destroyed || res.writableEnded) return;
  if (chunk === undefined) res.end();
  else res.end(chunk);
}

/** Lets other sockets run during a long tight loop of writes. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export type JsonBody = { ok: true; value: unknown } | { ok: false; message: string };

export function parseJsonBody(exchange: Exchange): JsonBody {
  const text = exchange.body.toString('utf8');
  if (text.trim() === '') return { ok: false, message: 'The request body is empty; send JSON.' };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, message: `The request body is not valid JSON: ${(error as Error).message}` };
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
