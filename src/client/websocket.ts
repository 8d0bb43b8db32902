/**
 * A WebSocket session to a model's or chain's `websocket` action (docs/baseten-api.md#websocket), over `ws`.
 * The key goes in the upgrade's Authorization header, never in the URL. Frames pass through untouched (Baseten
 * adds no envelope); the session turns them into typed events, read as an async iterable or by listeners.
 */
import type WebSocket from 'ws';
import type { IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import { BasetenError, redactSecret } from './errors';
import { HttpClient, formatBytes } from './http';
import { connector } from './proxyTunnel';
import { httpError, readErrorBody } from './responseErrors';
import { safeHost } from './transportErrors';
import { BasetenEndpoints, websocketUrl } from './urls';
import { Owner, Target } from './target';

let loadedWs: typeof WebSocket | undefined;
/** WebSocket.OPEN, without loading `ws` to read a constant. */
const OPEN = 1;

/** `ws` is loaded with the first session, not with the extension. */
function ws(): typeof WebSocket {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loadedWs ??= require('ws') as typeof WebSocket);
}

/** Baseten's limit per message, in each direction. */
export const WEBSOCKET_MAX_MESSAGE_BYTES = 100 * 1024 * 1024;

export interface WebSocketSessionOptions {
  signal?: AbortSignal;
  /** Largest message accepted from the model; Baseten's limit (100 MiB) by default. A larger one closes the session with 1009. */
  maxPayloadBytes?: number;
  /** Largest message sent; Baseten's limit (100 MiB) by default. A larger one is refused before sending. */
  maxSendBytes?: number;
  /**
   * How long the upgrade's answer may take once connected; the HTTP first-byte timeout by default, so Baseten's
   * own 408/504 comes first. Connecting (TCP, proxy tunnel, TLS) has the client's connect timeout.
   */
  handshakeTimeoutMs?: number;
  /** Sends a ping this often and drops the connection when the previous one went unanswered. Off by default. */
  pingIntervalMs?: number;
  /** How long `close()` waits for the server's close frame before dropping the connection. */
  closeTimeoutMs?: number;
}

export type WebSocketEvent =
  | { type: 'message'; data: string | Buffer; binary: boolean; size: number }
  | { type: 'close'; code: number; reason: string; explanation: string }
  | { type: 'error'; error: BasetenError };

export type WebSocketCloseEvent = Extract<WebSocketEvent, { type: 'close' }>;

const CLOSE_CODES: Record<number, string> = {
  1000: 'Closed normally',
  1001: 'The other side went away (server shutting down or client leaving)',
  1002: 'Protocol error',
  1003: 'The other side cannot accept this kind of data (text vs binary)',
  1005: 'Closed without a status code',
  1006: 'Connection lost without a close frame',
  1007: 'A message had invalid data (e.g. text that is not UTF-8)',
  1008: 'Policy violation',
  1009: `A message was larger than allowed (Baseten's limit is ${formatBytes(WEBSOCKET_MAX_MESSAGE_BYTES)} per message)`,
  1010: 'A required extension was not negotiated',
  1011: 'The model or server hit an error',
  1012: 'The replica is restarting; reconnect',
  1013: 'The server is overloaded; try again later',
  1014: 'Bad gateway: the upstream server answered badly',
  1015: 'TLS handshake failed',
};

/** What a close code means, in words a person can act on. */
export function explainCloseCode(code: number): string {
  const known = CLOSE_CODES[code];
  if (known) return known;
  if (code >= 4000 && code <= 4999) return `Closed by the model (application code ${code})`;
  if (code >= 3000 && code <= 3999) return `Closed by a library or framework (code ${code})`;
  return `Closed with code ${code}`;
}

/** Past this many buffered bytes no one has read, the socket is paused until the reader catches up. */
const HIGH_WATER_BYTES = 16 * 1024 * 1024;

interface PendingPing {
  sentAt: number;
  timer: NodeJS.Timeout;
  resolve: (ms: number) => void;
  reject: (error: BasetenError) => void;
}

export class WebSocketSession implements AsyncIterable<WebSocketEvent> {
  /** The URL connected to (no key in it). */
  readonly url: string;
  /** `X-BASETEN-REQUEST-ID` of the upgrade, when Baseten sent one. */
  readonly requestId?: string;
  readonly maxPayloadBytes: number;
  readonly maxSendBytes: number;
  /** Resolves with the close event once the connection is closed, whoever closed it. */
  readonly closed: Promise<WebSocketCloseEvent>;

  private readonly queue: WebSocketEvent[] = [];
  private queuedBytes = 0;
  private notify?: () => void;
  private iterating = false;
  private readonly listeners = new Set<(event: WebSocketEvent) => void>();
  private readonly pings = new Map<string, PendingPing>();
  private closeEvent?: WebSocketCloseEvent;
  private resolveClosed!: (event: WebSocketCloseEvent) => void;
  private keepAlive?: NodeJS.Timeout;
  private closeTimer?: NodeJS.Timeout;
  private keepAlivePing?: Promise<number>;
  private readonly unlinkSignal: () => void;
  private readonly closeTimeoutMs: number;
  /** A close code this side decided on (1009 for an oversized message), reported when the server sends none. */
  private localCloseCode?: number;

  /** Use `openWebSocketSession`; this wraps a socket that is already open. */
  constructor(
    private readonly socket: WebSocket,
    init: {
      url: string;
      requestId?: string;
      maxPayloadBytes: number;
      maxSendBytes?: number;
      signal?: AbortSignal;
      pingIntervalMs?: number;
      closeTimeoutMs?: number;
    },
  ) {
    this.url = init.url;
    this.requestId = init.requestId;
    this.maxPayloadBytes = init.maxPayloadBytes;
    this.maxSendBytes = init.maxSendBytes ?? WEBSOCKET_MAX_MESSAGE_BYTES;
    this.closeTimeoutMs = init.closeTimeoutMs ?? 5_000;
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    socket.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => this.onMessage(data, isBinary));
    socket.on('pong', (data: Buffer) => this.onPong(data));
    socket.on('error', (error: Error) => this.onError(error));
    socket.on('close', (code: number, reason: Buffer) => this.onClose(code, reason.toString('utf8')));

    const signal = init.signal;
    const onAbort = (): void => void this.close(1000, 'Cancelled by the user').catch(() => undefined);
    signal?.addEventListener('abort', onAbort, { once: true });
    this.unlinkSignal = () => signal?.removeEventListener('abort', onAbort);
    if (init.pingIntervalMs && init.pingIntervalMs > 0) this.startKeepAlive(init.pingIntervalMs);
  }

  get state(): 'open' | 'closing' | 'closed' {
    if (this.closeEvent) return 'closed';
    return this.socket.readyState === OPEN ? 'open' : 'closing';
  }

  /**
   * Listens to every event; returns a function that stops listening. While a listener is attached and no
   * one iterates, events are not buffered for a later iterator.
   */
  onEvent(listener: (event: WebSocketEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  sendText(text: string): Promise<void> {
    return this.send(text, Buffer.byteLength(text, 'utf8'), false);
  }

  /** Sends a value as a JSON text frame; a value with no JSON form is refused before sending. */
  sendJson(value: unknown): Promise<void> {
    let text: string | undefined;
    try {
      text = JSON.stringify(value);
    } catch (error) {
      return Promise.reject(validation(`The message is not JSON-serialisable: ${(error as Error).message}.`, this.url));
    }
    if (typeof text !== 'string') return Promise.reject(validation('The message has no JSON form (undefined, a function or a symbol).', this.url));
    return this.sendText(text);
  }

  sendBinary(data: Uint8Array): Promise<void> {
    return this.send(data, data.byteLength, true);
  }

  /** Sends a ping and resolves with the round trip in milliseconds. */
  ping(timeoutMs = 10_000): Promise<number> {
    if (this.state !== 'open') return Promise.reject(validation('The WebSocket is not open.', this.url));
    const payload = randomBytes(8);
    const key = payload.toString('hex');
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pings.delete(key);
        reject(new BasetenError({ kind: 'timeout', code: 'ping_timeout', area: 'websocket', url: this.url, message: `No pong within ${timeoutMs} ms.` }));
      }, timeoutMs);
      this.pings.set(key, { sentAt: performance.now(), timer, resolve, reject });
      this.socket.ping(payload, undefined, (error?: Error) => {
        if (!error) return;
        const pending = this.pings.get(key);
        if (!pending) return;
        clearTimeout(pending.timer);
        this.pings.delete(key);
        reject(socketError(error, this.url, this.maxPayloadBytes));
      });
    });
  }

  /**
   * Starts the close handshake and resolves once the connection is closed; a server that does not answer
   * within `closeTimeoutMs` is cut off. Codes are 1000 or 3000–4999, as the protocol allows a client.
   */
  close(code = 1000, reason = ''): Promise<WebSocketCloseEvent> {
    if (this.closeEvent) return Promise.resolve(this.closeEvent);
    if (code !== 1000 && (code < 3000 || code > 4999)) {
      return Promise.reject(validation(`A client may close with 1000 or 3000–4999, not ${code}.`, this.url));
    }
    if (Buffer.byteLength(reason, 'utf8') > 123) {
      return Promise.reject(validation('A close reason may be at most 123 bytes.', this.url));
    }
    if (this.socket.readyState === OPEN) {
      // A paused socket would never read the server's close frame.
      this.socket.resume();
      this.socket.close(code, reason);
    }
    this.closeTimer ??= setTimeout(() => this.socket.terminate(), this.closeTimeoutMs);
    return this.closed;
  }

  /** Drops the connection at once, without a close handshake (the close event says 1006). */
  terminate(): void {
    this.socket.terminate();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<WebSocketEvent> {
    if (this.iterating) throw new Error('A WebSocket session can be iterated by one reader at a time.');
    this.iterating = true;
    try {
      for (;;) {
        const event = this.queue.shift();
        if (event) {
          this.consumed(event);
          yield event;
          if (event.type === 'close') return;
          continue;
        }
        if (this.closeEvent) return;
        await new Promise<void>((resolve) => (this.notify = resolve));
      }
    } finally {
      this.iterating = false;
    }
  }

  private send(data: string | Uint8Array, size: number, binary: boolean): Promise<void> {
    if (size > this.maxSendBytes) {
      return Promise.reject(
        new BasetenError({
          kind: 'validation',
          code: 'message_too_large',
          area: 'websocket',
          url: this.url,
          message: `The message is ${formatBytes(size)}; Baseten accepts at most ${formatBytes(this.maxSendBytes)} per WebSocket message. It was not sent.`,
        }),
      );
    }
    if (this.state !== 'open') return Promise.reject(validation('The WebSocket is not open; the message was not sent.', this.url));
    return new Promise((resolve, reject) => {
      this.socket.send(data, { binary }, (error?: Error) => (error ? reject(socketError(error, this.url, this.maxPayloadBytes)) : resolve()));
    });
  }

  private onMessage(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void {
    const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    this.emit({ type: 'message', data: isBinary ? buffer : buffer.toString('utf8'), binary: isBinary, size: buffer.length });
  }

  private onPong(data: Buffer): void {
    const key = data.toString('hex');
    const pending = this.pings.get(key);
    if (!pending) return;
    this.pings.delete(key);
    clearTimeout(pending.timer);
    pending.resolve(Math.round((performance.now() - pending.sentAt) * 100) / 100);
  }

  private onError(error: Error): void {
    const failure = socketError(error, this.url, this.maxPayloadBytes);
    // ws closes with 1009 itself; the server rarely echoes it, so the close would otherwise read 1006.
    if (failure.kind === 'too_large') this.localCloseCode = 1009;
    this.emit({ type: 'error', error: failure });
  }

  private onClose(receivedCode: number, reason: string): void {
    if (this.closeEvent) return;
    const code = receivedCode === 1006 && this.localCloseCode !== undefined ? this.localCloseCode : receivedCode;
    clearInterval(this.keepAlive);
    clearTimeout(this.closeTimer);
    this.unlinkSignal();
    for (const pending of this.pings.values()) {
      clearTimeout(pending.timer);
      pending.reject(new BasetenError({ kind: 'network', area: 'websocket', url: this.url, message: 'The WebSocket closed before the pong arrived.' }));
    }
    this.pings.clear();
    const event: WebSocketCloseEvent = { type: 'close', code, reason, explanation: explainCloseCode(code) };
    this.closeEvent = event;
    this.emit(event);
    this.resolveClosed(event);
  }

  private emit(event: WebSocketEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A listener's failure is its own; the session carries on.
      }
    }
    if (this.iterating || this.listeners.size === 0 || event.type === 'close') {
      this.queue.push(event);
      if (event.type === 'message') {
        this.queuedBytes += event.size;
        if (this.queuedBytes > HIGH_WATER_BYTES && this.socket.readyState === OPEN) this.socket.pause();
      }
    }
    const notify = this.notify;
    this.notify = undefined;
    notify?.();
  }

  private consumed(event: WebSocketEvent): void {
    if (event.type !== 'message') return;
    this.queuedBytes -= event.size;
    if (this.socket.isPaused && this.queuedBytes <= HIGH_WATER_BYTES / 2) this.socket.resume();
  }

  private startKeepAlive(intervalMs: number): void {
    this.keepAlive = setInterval(() => {
      // A paused socket reads no pongs; its silence says nothing about the connection.
      if (this.socket.isPaused) return;
      if (this.keepAlivePing) {
        this.emit({
          type: 'error',
          error: new BasetenError({ kind: 'timeout', code: 'ping_timeout', area: 'websocket', url: this.url, message: `No pong within ${intervalMs} ms; the connection is dropped.` }),
        });
        this.socket.terminate();
        return;
      }
      this.keepAlivePing = this.ping(intervalMs * 2);
      this.keepAlivePing.then(
        () => (this.keepAlivePing = undefined),
        () => (this.keepAlivePing = undefined),
      );
    }, intervalMs);
  }
}

function validation(message: string, url: string): BasetenError {
  return new BasetenError({ kind: 'validation', area: 'websocket', url, message });
}

/** A `ws` error as a `BasetenError`. */
function socketError(error: Error, url: string, maxPayloadBytes: number): BasetenError {
  if (error instanceof BasetenError) return error;
  const code = (error as { code?: string }).code;
  if (code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
    return new BasetenError({
      kind: 'too_large',
      code,
      area: 'websocket',
      url,
      cause: error,
      message: `The model sent a message larger than ${formatBytes(maxPayloadBytes)}; the connection was closed (1009).`,
    });
  }
  if (code === 'connect_timeout') {
    return new BasetenError({ kind: 'timeout', code, retryable: true, area: 'websocket', url, cause: error, message: `Could not connect to ${safeHost(url)} in time.` });
  }
  if (code === 'proxy_refused') {
    return new BasetenError({ kind: 'network', code, area: 'websocket', url, cause: error, message: `The proxy refused the connection to ${safeHost(url)} (${error.message}).` });
  }
  if (/handshake has timed out/i.test(error.message)) {
    return new BasetenError({ kind: 'timeout', code: 'handshake_timeout', area: 'websocket', url, cause: error, message: 'The WebSocket upgrade timed out.' });
  }
  const retryable = code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
  return new BasetenError({ kind: 'network', code, retryable, area: 'websocket', url, cause: error, message: `WebSocket failure: ${error.message}` });
}

function header(response: IncomingMessage, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Opens a session and resolves once the upgrade succeeded. A refused upgrade rejects with a `BasetenError`
 * of kind `http` and area `websocket` (401 bad key, 404 unknown model, 408/504 no replica in time), its
 * message read from the body; the signal aborts the upgrade, and after it, closes the session.
 */
export async function openWebSocketSession(
  http: HttpClient,
  endpoints: BasetenEndpoints,
  owner: Pick<Owner, 'kind' | 'id'>,
  target: Target,
  options: WebSocketSessionOptions = {},
): Promise<WebSocketSession> {
  let url: string;
  try {
    url = websocketUrl(endpoints, owner, target);
  } catch (error) {
    throw new BasetenError({ kind: 'validation', area: 'websocket', message: (error as Error).message, cause: error });
  }
  const key = await http.apiKey();
  const headers = await http.authHeaders();
  const maxPayloadBytes = options.maxPayloadBytes ?? WEBSOCKET_MAX_MESSAGE_BYTES;
  const signal = options.signal;
  const aborted = (): BasetenError => new BasetenError({ kind: 'aborted', area: 'websocket', url, message: 'The WebSocket connection was cancelled.' });
  if (signal?.aborted) throw aborted();

  const socket = new (ws())(url, {
    headers,
    maxPayload: maxPayloadBytes,
    handshakeTimeout: options.handshakeTimeoutMs ?? http.timeouts.firstByteMs,
    perMessageDeflate: false,
    followRedirects: false,
    // Node's http.request accepts a createConnection that answers through its callback (the tunnel is async).
    createConnection: connector(new URL(url), http.proxySettings, http.timeouts.connectMs) as unknown as WebSocket.ClientOptions['createConnection'],
  });

  return new Promise<WebSocketSession>((resolve, reject) => {
    let settled = false;
    let requestId: string | undefined;
    const fail = (error: BasetenError): void => {
      if (settled) return;
      settled = true;
      cleanup();
      reject(error);
    };
    const onAbort = (): void => {
      fail(aborted());
      socket.terminate();
    };
    const onError = (error: Error): void => fail(socketError(error, url, maxPayloadBytes));
    const onClose = (code: number): void => fail(new BasetenError({ kind: 'network', area: 'websocket', url, message: `The WebSocket closed during the upgrade (${code}).` }));
    const onUpgrade = (response: IncomingMessage): void => {
      requestId = header(response, 'x-baseten-request-id');
    };
    const onUnexpected = (_request: unknown, response: IncomingMessage): void => {
      void readErrorBody(response).then((body) => {
        fail(
          httpError({
            status: response.statusCode ?? 0,
            body: redactSecret(body, key),
            method: 'GET',
            url,
            requestId: header(response, 'x-baseten-request-id'),
            area: 'websocket',
          }),
        );
        response.destroy();
        socket.terminate();
      });
    };
    const onOpen = (): void => {
      if (settled) return;
      settled = true;
      cleanup();
      resolve(
        new WebSocketSession(socket, {
          url,
          requestId,
          maxPayloadBytes,
          maxSendBytes: options.maxSendBytes,
          signal,
          pingIntervalMs: options.pingIntervalMs,
          closeTimeoutMs: options.closeTimeoutMs,
        }),
      );
    };
    function cleanup(): void {
      signal?.removeEventListener('abort', onAbort);
      socket.off('open', onOpen);
      socket.off('upgrade', onUpgrade);
      socket.off('unexpected-response', onUnexpected);
      socket.off('close', onClose);
      // One error listener stays until the session's own is attached, so a late error never goes unhandled.
      socket.off('error', onError);
      socket.on('error', () => undefined);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('open', onOpen);
    socket.on('upgrade', onUpgrade);
    socket.on('unexpected-response', onUnexpected);
    socket.on('error', onError);
    socket.on('close', onClose);
  });
}
