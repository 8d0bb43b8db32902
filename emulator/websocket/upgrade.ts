/**
 * WebSockets on model and chain hosts (docs/baseten-api.md#websocket): `environments/{env}/websocket`,
 * `deployment/{id}/websocket` and the regional `/websocket`. The upgrade is refused over plain HTTP
 * before it happens (401 bad key, 404 unknown target, 503/504 not ready); a sleeping deployment is woken
 * and the upgrade parked meanwhile. Messages over 100 MiB close the socket with 1009 (ws's maxPayload).
 * The echo models echo text and binary frames; the LLM streams a reply as text frames, then `[DONE]`.
 */
import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { RawData, WebSocket, WebSocketServer } from 'ws';
import { hostAuthError, authenticate } from '../core/auth';
import type { EmulatorCore } from '../core/core';
import { isRecord } from '../core/exchange';
import { newRequestId } from '../core/ids';
import type { Resolved } from '../core/targets';
import { parseHost, parseHostPath, resolveTarget } from '../core/targets';
import { FAULT_HEADER, FaultError, describeFault, parseFaultHeader } from '../faults/faults';
import { fillerTokens, plan, tokenize } from '../modelApis/chatGenerator';
import type { Fault } from '../types';

export const WEBSOCKET_MAX_PAYLOAD = 100 * 1024 * 1024;

const GONE = new Set(['INACTIVE', 'DEACTIVATING', 'BUILD_FAILED', 'BUILD_STOPPED', 'DEPLOY_FAILED', 'FAILED']);

function refuse(socket: Socket, status: number, body: unknown, requestId: string, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    'Connection: close',
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(text)}`,
    `X-Baseten-Request-Id: ${requestId}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  if (socket.writable) socket.end(`${head.join('\r\n')}\r\n\r\n${text}`, () => socket.destroy());
  else socket.destroy();
}

/** An upgrade is recorded and faulted like a request, resolved in the state and parked while its deployment wakes. */
type WebSocketCore = Pick<EmulatorCore, 'state' | 'options' | 'stats' | 'faults' | 'timers' | 'lifecycle' | 'linkedSignal'>;

export function handleUpgrade(core: WebSocketCore, wss: WebSocketServer, req: IncomingMessage, duplex: Duplex, head: Buffer): void {
  const socket = duplex as Socket;
  socket.on('error', () => socket.destroy());
  // The HTTP server allows half-open sockets and stops reading this one for HTTP: a client that gives up
  // before the upgrade (its handshake timeout) would otherwise leave it open, and a stall waiting, for ever.
  // ws takes over the end of the stream once the upgrade is handed to it.
  socket.once('end', closeHalfOpen);
  upgrade(core, wss, req, socket, head).catch(() => socket.destroy());
}

function closeHalfOpen(this: Socket): void {
  this.destroy();
}

async function upgrade(core: WebSocketCore, wss: WebSocketServer, req: IncomingMessage, socket: Socket, head: Buffer): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const record = core.stats.begin(req, url.pathname, url.search);
  const requestId = newRequestId();
  const settle = (status: number | undefined): void => {
    record.status = status;
    record.durationMs = Date.now() - record.at;
    core.options.log(`WS ${record.path} → ${status ?? 'closed'} in ${record.durationMs} ms${record.fault ? ` [${record.fault}]` : ''}`);
  };
  const reject = (status: number, body: unknown, headers?: Record<string, string>): void => {
    refuse(socket, status, body, requestId, headers);
    settle(status);
  };
  const link = core.linkedSignal();
  socket.once('close', () => {
    link.abort();
    link.release();
  });
  const signal = link.signal;

  const segments = url.pathname.split('/').filter(Boolean);
  const host = parseHost(segments[0], core.state);
  if (!host) return reject(404, { error: `No WebSocket endpoint at ${url.pathname}.` });

  let fault: Fault | undefined;
  const header = req.headers[FAULT_HEADER];
  try {
    fault = typeof header === 'string' ? parseFaultHeader(header) : core.faults.take({ method: 'GET', path: url.pathname, modelId: host.id });
  } catch (error) {
    if (error instanceof FaultError) return reject(400, { error: error.message });
    throw error;
  }
  if (fault) record.fault = describeFault(fault);
  switch (fault?.kind) {
    case 'reset':
    case 'drop':
      socket.destroy();
      return settle(undefined);
    case 'stall':
      return; // never answered; closes when the client gives up
    case 'delay':
      if (!(await core.timers.sleep(fault.ms, signal))) {
        socket.destroy();
        return settle(undefined);
      }
      break;
    case 'status': {
      const headers: Record<string, string> = { ...(fault.headers ?? {}) };
      if (fault.retryAfter) headers['Retry-After'] = fault.retryAfter;
      return reject(fault.status, fault.body ?? { error: `Emulated fault: HTTP ${fault.status}` }, headers);
    }
  }

  const auth = authenticate(req.headers, core.options);
  if (!auth.ok) return reject(401, hostAuthError(auth.reason));
  const parsed = parseHostPath(host, segments.slice(1));
  if (parsed.kind !== 'action' || parsed.action !== 'websocket') return reject(404, { error: `No WebSocket endpoint at ${url.pathname}.` });
  // Like Baseten: only the documented forms, so /production/websocket and /development/websocket are 404s.
  if (parsed.target.kind === 'development' || parsed.target.kind === 'production') {
    return reject(404, { error: `WebSockets are served on environments (/environments/{env}/websocket), deployments (/deployment/{id}/websocket) and regional hosts, not on /${parsed.target.kind}.` });
  }
  const resolution = resolveTarget(core.state, host, parsed.target);
  if (!resolution.ok) return reject(404, { error: resolution.message, error_code: 'model_does_not_exist' });
  const deployment = resolution.resolved.deployment;
  if (GONE.has(deployment.status)) return reject(404, { error: `Deployment ${deployment.id} is not active (${deployment.status}).`, error_code: 'model_does_not_exist' });
  const outcome = await core.lifecycle.whenServing(deployment, signal);
  if (outcome === 'aborted') {
    socket.destroy();
    return settle(undefined);
  }
  if (outcome === 'timeout') return reject(504, { error: 'No replica became ready in time for the WebSocket upgrade.', error_code: 'timeout' });
  if (outcome === 'unavailable') return reject(503, { error: `Deployment ${deployment.id} is not ready (${deployment.status}).`, error_code: 'model_not_ready' });
  core.lifecycle.touch(deployment);

  req.headers['x-baseten-request-id'] = requestId;
  socket.off('end', closeHalfOpen);
  wss.handleUpgrade(req, socket, head, (ws) => {
    settle(101);
    serveSession(core, ws, resolution.resolved, fault);
  });
}

/** `ws-close` / `ws-terminate` trip after `afterMessages` received messages (0: at once). */
function serveSession(core: WebSocketCore, ws: WebSocket, resolved: Resolved, fault: Fault | undefined): void {
  const link = core.linkedSignal();
  ws.on('close', () => {
    link.abort();
    link.release();
  });
  ws.on('error', () => ws.terminate());
  const signal = link.signal;
  const trip = fault?.kind === 'ws-close' || fault?.kind === 'ws-terminate' ? fault : undefined;
  const tripNow = (): void => {
    if (trip?.kind === 'ws-close') ws.close(trip.code, trip.reason);
    else ws.terminate();
  };
  if (trip && (trip.afterMessages ?? 0) === 0) return tripNow();
  let received = 0;
  const streams = resolved.owner.kind === 'model' && resolved.owner.model.behaviour === 'llm';
  ws.on('message', (data: RawData, isBinary: boolean) => {
    received += 1;
    if (trip && received >= (trip.afterMessages ?? 0)) return tripNow();
    if (streams && !isBinary) void streamReply(core, ws, String(data), signal);
    else ws.send(data, { binary: isBinary });
  });
}

/** The reply to a prompt (plain text, or JSON with `prompt` or `messages`), one token per text frame. */
async function streamReply(core: Pick<WebSocketCore, 'options' | 'timers'>, ws: WebSocket, text: string, signal: AbortSignal): Promise<void> {
  let messages: Array<Record<string, unknown>> = [{ role: 'user', content: text }];
  try {
    const value = JSON.parse(text) as unknown;
    if (isRecord(value) && Array.isArray(value.messages)) messages = value.messages.filter(isRecord);
    else if (isRecord(value) && typeof value.prompt === 'string') messages = [{ role: 'user', content: value.prompt }];
  } catch {
    // Plain text is the prompt itself.
  }
  const reply = plan({ messages, tools: [], toolChoice: undefined, responseFormat: undefined, reasoning: false, argumentsStyle: 'python' }).content;
  const tokens = reply.kind === 'text' ? tokenize(reply.text) : fillerTokens(reply.count);
  let first = true;
  for (const token of tokens) {
    if (!first && !(await core.timers.sleep(core.options.tokenDelayMs, signal))) return;
    first = false;
    if (signal.aborted || ws.readyState !== ws.OPEN) return;
    ws.send(token);
  }
  if (ws.readyState === ws.OPEN) ws.send('[DONE]');
}
