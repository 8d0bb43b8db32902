/**
 * The HTTP server: records each request, reads its body (100 MiB limit, as Baseten's edge), applies a
 * fault if one matches, then hands it to the route for its first path segment. Tracks every socket so
 * `openConnections` is exact and `close()` leaves nothing behind.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { WebSocketServer } from 'ws';
import { serveControl } from '../control/routes';
import { FAULT_HEADER, FaultError, MALFORMED_JSON_BODY, corruptSse, cutResponse, describeFault, parseFaultHeader } from '../faults/faults';
import { serveHost } from '../inference/routes';
import { serveDashboard } from '../management/dashboard';
import { serveManagement } from '../management/routes';
import { serveModelApis } from '../modelApis/routes';
import { serveS3 } from '../upload/s3Routes';
import type { Fault, RecordedRequest } from '../types';
import { WEBSOCKET_MAX_PAYLOAD, handleUpgrade } from '../websocket/upgrade';
import { authenticate } from './auth';
import type { EmulatorCore } from './core';
import type { Exchange } from './exchange';
import { isRecord, sendJson, sendText } from './exchange';
import { newRequestId } from './ids';
import { parseHost } from './targets';

export const BODY_LIMIT = 104_857_600;

type Body = { body: Buffer; size: number; tooLarge: boolean };

/**
 * Reads the whole body. Like Baseten's edge, a body over the limit is refused as soon as it is known to
 * be too large (from Content-Length, or once that many bytes arrived); the connection then closes.
 * Undefined if the client left.
 */
function readBody(req: IncomingMessage, record: RecordedRequest | undefined): Promise<Body | undefined> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > BODY_LIMIT) {
      resolve({ body: Buffer.alloc(0), size: declared, tooLarge: true });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (record) record.bodyBytes = size;
      if (size <= BODY_LIMIT) {
        chunks.push(chunk);
        return;
      }
      done = true;
      req.off('data', onData);
      req.pause();
      resolve({ body: Buffer.alloc(0), size, tooLarge: true });
    };
    req.on('data', onData);
    req.on('end', () => {
      done = true;
      resolve({ body: Buffer.concat(chunks), size, tooLarge: false });
    });
    req.on('error', () => resolve(undefined));
    req.on('close', () => {
      if (!done && !req.complete) resolve(undefined);
    });
  });
}

/** A stand-in record for control calls, which are not listed. */
function unlisted(req: IncomingMessage, path: string, query: string): RecordedRequest {
  return { id: 0, at: Date.now(), method: req.method ?? 'GET', path, query, clientAborted: false, headers: {}, bodyBytes: 0 };
}

function chatModel(path: string, body: Buffer): string | undefined {
  if (!path.endsWith('/chat/completions')) return undefined;
  try {
    const value = JSON.parse(body.toString('utf8')) as unknown;
    return isRecord(value) && typeof value.model === 'string' ? value.model : undefined;
  } catch {
    return undefined;
  }
}

function statusFaultBody(fault: Extract<Fault, { kind: 'status' }>): { text: string; contentType: string } {
  if (fault.body === undefined) return { text: JSON.stringify({ error: `Emulated fault: HTTP ${fault.status}` }), contentType: 'application/json' };
  if (typeof fault.body !== 'string') return { text: JSON.stringify(fault.body), contentType: 'application/json' };
  try {
    JSON.parse(fault.body);
    return { text: fault.body, contentType: 'application/json' };
  } catch {
    return { text: fault.body, contentType: 'text/plain; charset=utf-8' };
  }
}

async function route(core: EmulatorCore, exchange: Exchange, segments: string[]): Promise<void> {
  const [first, ...rest] = segments;
  const host = parseHost(first, core.state);
  if (first === 'inference') return serveModelApis(core, exchange, rest);
  if (first === 'management') return serveManagement(core, exchange, rest);
  if (first === 's3') return serveS3(core, exchange, rest);
  if (host) return serveHost(core, exchange, host, rest);
  if (first === 'dashboard') return serveDashboard(core, exchange, rest);
  if (first === undefined) {
    sendJson(exchange, 200, { emulator: 'Baseten', docs: 'emulator/README.md', control: `${core.baseUrl}/__emulator/info` });
    return;
  }
  sendJson(exchange, 404, { error: `Not found: ${exchange.path}` });
}

async function handle(core: EmulatorCore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const path = url.pathname;
  const segments = path.split('/').filter(Boolean);
  const control = segments[0] === '__emulator';
  const record = control ? unlisted(req, path, url.search) : core.stats.begin(req, path, url.search);
  const endManagementRequest = segments[0] === 'management' ? core.stats.management.begin() : undefined;
  const link = core.linkedSignal();
  let closedByEmulator = false;

  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  res.writeHead = ((...args: unknown[]) => {
    record.status = args[0] as number;
    return writeHead(...args);
  }) as typeof res.writeHead;
  res.on('close', () => {
    record.durationMs = Date.now() - record.at;
    if (!res.writableFinished && !closedByEmulator) record.clientAborted = true;
    endManagementRequest?.();
    link.abort();
    link.release();
    if (!control) {
      const notes = [record.fault && `[${record.fault}]`, record.clientAborted && '(client aborted)'].filter(Boolean).join(' ');
      core.options.log(`${record.method} ${path}${url.search} → ${record.status ?? '-'} in ${record.durationMs} ms${notes ? ` ${notes}` : ''}`);
    }
  });
  const dropConnection = (): void => {
    closedByEmulator = true;
    res.socket?.destroySoon();
  };

  const read = await readBody(req, control ? undefined : record);
  if (!read) return;
  const exchange: Exchange = {
    req,
    res,
    method: record.method.toUpperCase(),
    path,
    query: url.searchParams,
    body: read.body,
    record,
    requestId: newRequestId(),
    acceptedAt: record.at,
    auth: authenticate(req.headers, core.options),
    signal: link.signal,
  };
  if (read.tooLarge) {
    res.setHeader('Connection', 'close');
    sendJson(exchange, 413, { error: `payload size of ${read.size} bytes exceeds maximum size of ${BODY_LIMIT} bytes`, error_code: 'payload_too_large' });
    return;
  }
  if (control) return serveControl(core, exchange, segments.slice(1));

  let fault: Fault | undefined;
  try {
    const header = req.headers[FAULT_HEADER];
    fault =
      typeof header === 'string'
        ? parseFaultHeader(header)
        : core.faults.take({ method: exchange.method, path, modelId: parseHost(segments[0], core.state)?.id, model: chatModel(path, read.body) });
  } catch (error) {
    if (!(error instanceof FaultError)) throw error;
    sendJson(exchange, 400, { error: error.message });
    return;
  }
  if (fault) record.fault = describeFault(fault);
  switch (fault?.kind) {
    case 'reset':
      closedByEmulator = true;
      req.socket.destroy();
      return;
    case 'delay':
      if (!(await core.timers.sleep(fault.ms, exchange.signal))) {
        closedByEmulator = !res.destroyed;
        res.destroy();
        return;
      }
      break;
    case 'status': {
      const { text, contentType } = statusFaultBody(fault);
      const headers: Record<string, string> = { 'X-Baseten-Request-Id': exchange.requestId, ...(fault.headers ?? {}) };
      if (fault.retryAfter !== undefined) headers['Retry-After'] = fault.retryAfter;
      sendText(exchange, fault.status, text, contentType, headers);
      return;
    }
    case 'malformed-json':
      sendText(exchange, 200, MALFORMED_JSON_BODY, 'application/json', { 'X-Baseten-Request-Id': exchange.requestId });
      return;
    case 'drop':
    case 'stall':
      cutResponse(res, fault, dropConnection);
      break;
    case 'malformed-sse':
      corruptSse(res);
      break;
  }
  await route(core, exchange, segments);
  // A handler that stopped early (client gone, reset) leaves a response open; close it.
  if (!res.writableEnded && fault?.kind !== 'stall' && fault?.kind !== 'drop' && !res.destroyed) {
    closedByEmulator = true;
    res.destroy();
  }
}

export interface EmulatorServer {
  server: Server;
  webSockets: WebSocketServer;
}

export function createEmulatorServer(core: EmulatorCore): EmulatorServer {
  const webSockets = new WebSocketServer({ noServer: true, maxPayload: WEBSOCKET_MAX_PAYLOAD });
  const server = createServer((req, res) => {
    handle(core, req, res).catch((error: unknown) => {
      core.options.log(`Emulator error on ${req.method} ${req.url}: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: `Emulator error: ${(error as Error).message}` }));
      } else {
        res.destroy();
      }
    });
  });
  server.on('connection', (socket) => {
    core.stats.sockets.add(socket);
    socket.once('close', () => core.stats.sockets.delete(socket));
  });
  server.on('upgrade', (req, socket, head: Buffer) => handleUpgrade(core, webSockets, req, socket, head));
  return { server, webSockets };
}
