/**
 * Plain HTTP and WebSocket calls to the emulator for its own tests: undici on a private Agent (so tests
 * can close every socket and watch `openConnections` reach 0) and `ws` directly, never the project client.
 */
import { Agent, request } from 'undici';
import WebSocket from 'ws';
import type { Emulator } from '../../../emulator';

export interface CallOptions {
  method?: string;
  /** The emulator's full-access key unless given; `null` sends no Authorization header. */
  key?: string | null;
  scheme?: 'Bearer' | 'Api-Key';
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface CallResult {
  status: number;
  headers: Record<string, string>;
  text: string;
  json<T = Record<string, unknown>>(): T;
}

export class EmulatorHttp {
  readonly agent = new Agent({ keepAliveTimeout: 1_000 });

  constructor(private readonly emulator: Emulator) {}

  headersFor(options: CallOptions): Record<string, string> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    const key = options.key === undefined ? this.emulator.apiKey : options.key;
    if (key !== null) headers.authorization = `${options.scheme ?? 'Bearer'} ${key}`;
    if (options.body !== undefined && typeof options.body !== 'string' && !Buffer.isBuffer(options.body)) headers['content-type'] ??= 'application/json';
    return headers;
  }

  async call(path: string, options: CallOptions = {}): Promise<CallResult> {
    const body = options.body === undefined ? undefined : typeof options.body === 'string' || Buffer.isBuffer(options.body) ? options.body : JSON.stringify(options.body);
    const response = await request(`${this.emulator.baseUrl}${path}`, {
      method: (options.method ?? (body === undefined ? 'GET' : 'POST')) as 'GET',
      headers: this.headersFor(options),
      body,
      dispatcher: this.agent,
      signal: options.signal,
    });
    const text = await response.body.text();
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    return { status: response.statusCode, headers, text, json: <T>() => JSON.parse(text) as T };
  }

  /** A streamed response whose body is read by the caller. */
  async stream(path: string, options: CallOptions = {}): Promise<Awaited<ReturnType<typeof request>>> {
    return request(`${this.emulator.baseUrl}${path}`, {
      method: (options.method ?? 'POST') as 'POST',
      headers: this.headersFor(options),
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      dispatcher: this.agent,
      signal: options.signal,
    });
  }

  close(): Promise<void> {
    return this.agent.destroy();
  }
}

export type WsOutcome = { kind: 'open'; ws: WebSocket } | { kind: 'refused'; status: number; body: string } | { kind: 'error'; message: string };

/** Opens a WebSocket; a refused upgrade resolves with its HTTP status and body. */
export function openWebSocket(url: string, headers: Record<string, string> = {}, maxPayload = 200 * 1024 * 1024): Promise<WsOutcome> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers, maxPayload });
    ws.once('open', () => resolve({ kind: 'open', ws }));
    ws.once('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => {
        resolve({ kind: 'refused', status: response.statusCode ?? 0, body });
        ws.terminate();
      });
    });
    ws.once('error', (error) => resolve({ kind: 'error', message: error.message }));
  });
}

export function nextMessage(ws: WebSocket): Promise<{ data: Buffer; binary: boolean }> {
  return new Promise((resolve) => ws.once('message', (data: Buffer, binary: boolean) => resolve({ data, binary })));
}

export function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() })));
}

export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 3_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
