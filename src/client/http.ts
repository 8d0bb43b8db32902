/**
 * The one HTTP layer: one undici dispatcher (proxy-aware), the auth header, User-Agent, timeouts, and the
 * retry policy. Everything above it sends requests through `HttpClient.send`.
 */
import type { Dispatcher } from 'undici';
import { ApiArea, BasetenError, redactSecret } from './errors';
import type { ProxySettings } from './proxyTunnel';
import { httpError, parseRetryAfter, readErrorBody } from './responseErrors';
import { transportError } from './transportErrors';
import { undici } from './undiciLoader';

export interface Timeouts {
  /** TCP + TLS connect. */
  connectMs: number;
  /** From sending the request to the response headers. Cold starts are parked by Baseten for up to 1200 s. */
  firstByteMs: number;
  /** Longest silence between two chunks of a response body. */
  idleStreamMs: number;
}

/**
 * Baseten parks a request to a scaled-to-zero deployment until it is ready and cuts sync requests at 1200 s
 * (docs/baseten-api.md#timeouts-and-limits), so the defaults wait a little longer than Baseten does: Baseten's
 * own answer (a 500 or 504 with a message) is more useful than ours.
 */
export const DEFAULT_TIMEOUTS: Readonly<Timeouts> = Object.freeze({
  connectMs: 10_000,
  firstByteMs: 1_230_000,
  idleStreamMs: 1_230_000,
});

export interface RetryPolicy {
  /** Total attempts, the first included. */
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  /** A `Retry-After` longer than this is not waited for; the 429 is returned to the caller instead. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 4,
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
});

export type AuthScheme = 'Bearer' | 'Api-Key';

/** The key, or a function asked for it before each request (so a key changed in the editor applies at once). */
export type ApiKeySource = string | (() => string | undefined | Promise<string | undefined>);

export interface RequestLogEntry {
  method: string;
  url: string;
  attempt: number;
  durationMs: number;
  status?: number;
  requestId?: string;
  /** Set when the attempt failed without a response, or with an error status. */
  error?: string;
  /** Request headers as sent, with Authorization redacted. */
  headers: Record<string, string>;
  /** Milliseconds until the next attempt, when one follows. */
  retryInMs?: number;
  /** Set when the caller cancelled the request: no failure of Baseten's or the network's. */
  aborted?: true;
  /** The error status came from the model's own server (`X-BASETEN-ERROR-SOURCE: 04`). */
  fromModel?: true;
}

/** Statuses that say the key, the account or Baseten failed, not the request or the model. */
const CONNECTION_STATUSES = new Set([401, 402, 403, 429]);

/**
 * What a log entry says about the connection, for a "last call" indicator: false when the key, the network or
 * Baseten failed; true when Baseten answered, even when it or the model refused this request (a model's own
 * 400 or 500 says nothing about the key or the connection); undefined while a retry follows or when the
 * caller cancelled it (a cancel is neither).
 */
export function callOutcome(entry: RequestLogEntry): boolean | undefined {
  if (entry.retryInMs !== undefined || entry.aborted) return undefined;
  if (entry.status === undefined) return false;
  if (entry.status < 400 || entry.fromModel) return true;
  return !(CONNECTION_STATUSES.has(entry.status) || entry.status >= 500);
}

export interface HttpClientOptions {
  apiKey: ApiKeySource;
  authScheme?: AuthScheme;
  userAgent?: string;
  timeouts?: Partial<Timeouts>;
  retry?: Partial<RetryPolicy>;
  /** An explicit proxy for every request; without it HTTPS_PROXY / HTTP_PROXY / NO_PROXY are honoured. */
  proxy?: string;
  /** Hosts that bypass the proxy, in NO_PROXY syntax; without it NO_PROXY / no_proxy apply, to the explicit proxy too. */
  noProxy?: string;
  /** Replaces the built-in dispatcher (then `proxy` and `timeouts.connectMs` are the caller's business). */
  dispatcher?: Dispatcher;
  onLog?: (entry: RequestLogEntry) => void;
  /** For tests: the jitter source. */
  random?: () => number;
}

export type HttpMethod = 'GET' | 'POST' | 'DELETE' | 'PATCH' | 'PUT';

export interface HttpRequest {
  method: HttpMethod;
  url: string;
  area: ApiArea;
  /** A JSON body; serialised once, so retries resend the same bytes. */
  json?: unknown;
  /** A raw body with its content type. */
  body?: string | Uint8Array;
  contentType?: string;
  accept?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** `false` sends exactly once. */
  retry?: false | Partial<RetryPolicy>;
  /** Narrows which retryable errors are retried for this request (e.g. only those that cannot have run the job). */
  retryWhen?: (error: BasetenError) => boolean;
  timeouts?: Partial<Pick<Timeouts, 'firstByteMs' | 'idleStreamMs'>>;
}

/** Default ceiling for bodies read whole into memory. Larger responses should be streamed. */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024 * 1024;

export class HttpResponse {
  constructor(
    readonly status: number,
    readonly headers: Record<string, string | string[] | undefined>,
    private readonly raw: Dispatcher.ResponseData['body'],
    readonly attempts: number,
    private readonly describe: { method: string; url: string; area: ApiArea; redact?: (text: string) => string },
  ) {}

  /** Removes the API key from a text taken from this response (a server may echo it back). */
  redact(text: string): string {
    return this.describe.redact ? this.describe.redact(text) : text;
  }

  header(name: string): string | undefined {
    const value = this.headers[name.toLowerCase()];
    return Array.isArray(value) ? value.join(', ') : value;
  }

  get requestId(): string | undefined {
    return this.header('x-baseten-request-id');
  }

  get contentType(): string {
    return (this.header('content-type') ?? '').toLowerCase();
  }

  /**
   * The body as it arrives, in the chunks it came in (small ones that waited together joined). Transport
   * failures become `BasetenError`s (kind network, timeout or aborted). Read in flowing mode, not with the
   * stream's own async iterator: that one calls `read()`, which joins every chunk waiting in the stream into
   * one new buffer, so a reader that falls behind (an editor's busy event loop) copies the whole body again,
   * into fresh memory that the garbage collector then has to reclaim.
   */
  async *chunks(signal?: AbortSignal): AsyncGenerator<Buffer> {
    const raw = this.raw;
    const queue: Buffer[] = [];
    let head = 0;
    let queued = 0;
    let ended = raw.readableEnded;
    let failure: unknown = raw.errored ?? (raw.destroyed && !ended ? prematureClose() : undefined);
    let wake: (() => void) | undefined;
    const notify = (): void => {
      const resolve = wake;
      wake = undefined;
      resolve?.();
    };
    const onData = (chunk: Buffer): void => {
      queue.push(chunk);
      queued += chunk.length;
      if (queued >= CHUNK_QUEUE_BYTES) raw.pause();
      notify();
    };
    const onEnd = (): void => {
      ended = true;
      notify();
    };
    const onError = (error: unknown): void => {
      failure ??= error;
      notify();
    };
    const onClose = (): void => {
      if (!ended) failure ??= prematureClose();
      notify();
    };
    if (!ended && failure === undefined) {
      raw.on('data', onData);
      raw.once('end', onEnd);
      raw.on('error', onError);
      raw.once('close', onClose);
    }
    try {
      for (;;) {
        if (head < queue.length) {
          let chunk = queue[head];
          let end = head + 1;
          // Small pieces waiting together (an event per HTTP chunk) go out as one: a reader's cost is per
          // chunk. Big chunks are never copied.
          if (chunk.length < SMALL_CHUNK_BYTES) {
            let total = chunk.length;
            while (end < queue.length && queue[end].length < SMALL_CHUNK_BYTES && total + queue[end].length <= JOINED_CHUNK_BYTES) total += queue[end++].length;
            if (end - head > 1) chunk = Buffer.concat(queue.slice(head, end), total);
          }
          queue.fill(EMPTY, head, end);
          head = end;
          queued -= chunk.length;
          if (head === queue.length) {
            queue.length = head = 0;
            if (raw.isPaused() && !ended) raw.resume();
          }
          yield chunk;
          continue;
        }
        if (failure !== undefined) throw transportError(failure, { ...this.describe, signal, requestId: this.requestId, midStream: true });
        if (ended) return;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    } finally {
      raw.off('data', onData);
      raw.off('end', onEnd);
      raw.off('error', onError);
      raw.off('close', onClose);
      // A reader that stopped early (or a failure) leaves nothing to read: the socket is freed, as the
      // stream's own iterator would.
      if (!ended) this.cancel();
    }
  }

  /**
   * The whole body. When it fails part-way (dropped, timed out, aborted), the error's `partial` is the Buffer
   * that arrived. Read with listeners, not an async iterator: for the small answers most calls get, the
   * iterator's promises cost more than the read itself.
   */
  bytes(maxBytes = DEFAULT_MAX_BODY_BYTES, signal?: AbortSignal): Promise<Buffer> {
    const raw = this.raw;
    return new Promise<Buffer>((resolve, reject) => {
      const parts: Buffer[] = [];
      let size = 0;
      const stop = (): void => {
        raw.off('data', onData);
        raw.off('end', onEnd);
        raw.off('error', onError);
        raw.off('close', onClose);
      };
      const onData = (chunk: Buffer): void => {
        if (size + chunk.length <= maxBytes) {
          size += chunk.length;
          parts.push(chunk);
          return;
        }
        stop();
        this.cancel();
        reject(
          new BasetenError({
            kind: 'too_large',
            message: `The response is larger than ${formatBytes(maxBytes)}; it was not read into memory.`,
            requestId: this.requestId,
            method: this.describe.method,
            url: this.describe.url,
            area: this.describe.area,
          }),
        );
      };
      const onEnd = (): void => {
        stop();
        resolve(Buffer.concat(parts, size));
      };
      const onError = (error: unknown): void => {
        stop();
        // Whatever comes after this failure is not ours to hear, but must not go unheard either.
        raw.on('error', () => undefined);
        const failure = transportError(error, { ...this.describe, signal, requestId: this.requestId, midStream: true });
        if (failure.partial === undefined) failure.partial = Buffer.concat(parts, size);
        reject(failure);
      };
      const onClose = (): void => onError(prematureClose());
      if (raw.errored) return onError(raw.errored);
      if (raw.readableEnded) return resolve(Buffer.alloc(0));
      if (raw.destroyed) return onClose();
      raw.on('data', onData);
      raw.once('end', onEnd);
      raw.once('error', onError);
      raw.once('close', onClose);
    });
  }

  async text(maxBytes?: number, signal?: AbortSignal): Promise<string> {
    return (await this.bytes(maxBytes, signal)).toString('utf8');
  }

  async json<T>(maxBytes?: number, signal?: AbortSignal): Promise<T> {
    const body = await this.text(maxBytes, signal);
    try {
      return JSON.parse(body) as T;
    } catch (error) {
      throw new BasetenError({
        kind: 'protocol',
        // V8 quotes the start of the text in its message; the key may be in it.
        message: this.redact(`Baseten answered with invalid JSON (${(error as Error).message}).`),
        status: this.status,
        requestId: this.requestId,
        method: this.describe.method,
        url: this.describe.url,
        area: this.describe.area,
        body: this.redact(body.slice(0, 4096)),
      });
    }
  }

  /** Drops the body and its socket; nothing more is read. */
  cancel(): void {
    // undici errors a body destroyed before its end with "Request aborted"; nobody may be listening
    // (a body never read), and an unheard 'error' would crash the extension host.
    this.raw.on('error', () => undefined);
    this.raw.destroy();
  }
}

/** Bytes `chunks()` takes from the socket ahead of its reader before it pauses the body. */
const CHUNK_QUEUE_BYTES = 1024 * 1024;
/** Chunks under this size that wait together are joined, up to `JOINED_CHUNK_BYTES`. */
const SMALL_CHUNK_BYTES = 16 * 1024;
const JOINED_CHUNK_BYTES = 64 * 1024;
const EMPTY = Buffer.alloc(0);

/** What Node reports for a body closed before its end; transportErrors.ts maps it. */
function prematureClose(): Error {
  return Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) ? 1 : 0)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(bytes % 1024 ? 1 : 0)} KiB`;
  return `${bytes} bytes`;
}

export function defaultUserAgent(product = 'baseten-vscode-client/0.1.0'): string {
  return `${product} (Node ${process.versions.node}; ${process.platform})`;
}

export class HttpClient {
  readonly timeouts: Timeouts;
  readonly retryPolicy: RetryPolicy;
  readonly authScheme: AuthScheme;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly userAgent: string;
  private readonly random: () => number;

  constructor(private readonly options: HttpClientOptions) {
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...definedOnly(options.timeouts) };
    this.retryPolicy = { ...DEFAULT_RETRY, ...definedOnly(options.retry) };
    this.authScheme = options.authScheme ?? 'Bearer';
    this.userAgent = options.userAgent ?? defaultUserAgent();
    this.random = options.random ?? Math.random;
    this.ownsDispatcher = !options.dispatcher;
    this.dispatcher = options.dispatcher ?? createDispatcher(this.timeouts.connectMs, options.proxy, options.noProxy);
  }

  /** The key from its source, or a validation error saying how to set one. */
  async apiKey(): Promise<string> {
    const source = this.options.apiKey;
    const key = (typeof source === 'function' ? await source() : source)?.trim();
    if (!key) {
      throw new BasetenError({
        kind: 'validation',
        message: 'No Baseten API key is set. Run "Baseten: Set API Key", or set BASETEN_API_KEY.',
      });
    }
    return key;
  }

  /** The proxy rules, for connections made outside undici (WebSocket upgrades). */
  get proxySettings(): ProxySettings {
    return { proxy: this.options.proxy, noProxy: this.options.noProxy };
  }

  /** Headers for a request, the key included; used by the WebSocket upgrade too. */
  async authHeaders(): Promise<Record<string, string>> {
    return { authorization: `${this.authScheme} ${await this.apiKey()}`, 'user-agent': this.userAgent };
  }

  /**
   * Sends a request and returns once the response headers say it succeeded; the body is left to the
   * caller. Error statuses become `BasetenError`s. Retries happen only before a response is handed out,
   * so a stream that has started is never sent twice.
   */
  async send(request: HttpRequest): Promise<HttpResponse> {
    const key = await this.apiKey();
    const policy: RetryPolicy =
      request.retry === false
        ? { ...this.retryPolicy, maxAttempts: 1 }
        : request.retry
          ? { ...this.retryPolicy, ...definedOnly(request.retry) }
          : this.retryPolicy;
    const { body, contentType } = encodeBody(request);
    const headers: Record<string, string> = {
      authorization: `${this.authScheme} ${key}`,
      'user-agent': this.userAgent,
      accept: request.accept ?? 'application/json',
    };
    if (contentType) headers['content-type'] = contentType;
    if (request.headers) Object.assign(headers, request.headers);
    const firstByteMs = request.timeouts?.firstByteMs ?? this.timeouts.firstByteMs;
    const idleStreamMs = request.timeouts?.idleStreamMs ?? this.timeouts.idleStreamMs;
    const onLog = this.options.onLog;
    let redactedHeaders: Record<string, string> | undefined;

    for (let attempt = 1; ; attempt++) {
      throwIfAborted(request);
      const started = performance.now();
      // Log entries (and their redacted headers) are built only when someone listens.
      const log = (entry: Partial<RequestLogEntry>): void => {
        if (!onLog) return;
        redactedHeaders ??= { ...headers, authorization: `${this.authScheme} [REDACTED]` };
        onLog({
          method: request.method,
          url: request.url,
          attempt,
          durationMs: Math.round(performance.now() - started),
          headers: redactedHeaders,
          ...entry,
        });
      };

      let response: Dispatcher.ResponseData;
      try {
        response = await undici().request(request.url, {
          dispatcher: this.dispatcher,
          method: request.method,
          headers,
          body,
          signal: request.signal,
          headersTimeout: firstByteMs,
          bodyTimeout: idleStreamMs,
        });
      } catch (caught) {
        const error = transportError(caught, { ...request, midStream: false });
        error.attempts = attempt;
        const delay = this.retryDelay(error, attempt, policy, request.retryWhen);
        log({ error: redactSecret(error.message, key), retryInMs: delay, ...(error.kind === 'aborted' ? { aborted: true as const } : {}) });
        if (delay === undefined) throw error;
        await sleep(delay, request.signal);
        continue;
      }

      const requestId = headerValue(response.headers, 'x-baseten-request-id');
      if (response.statusCode >= 300 && response.statusCode < 400) {
        // Redirects are not followed (the key must not travel to another host), and one is no answer either.
        await readErrorBody(response.body);
        response.body.destroy();
        const location = headerValue(response.headers, 'location');
        const error = new BasetenError({
          kind: 'protocol',
          status: response.statusCode,
          requestId,
          method: request.method,
          url: request.url,
          area: request.area,
          message: `Baseten answered with a redirect (HTTP ${response.statusCode}${location ? ` to ${redactSecret(location, key)}` : ''}) instead of a result. Check the endpoint settings (baseten.endpoints.*).`,
        });
        log({ status: response.statusCode, requestId, error: error.message });
        throw error;
      }
      if (response.statusCode < 300) {
        log({ status: response.statusCode, requestId });
        return new HttpResponse(response.statusCode, response.headers, response.body, attempt, {
          method: request.method,
          url: request.url,
          area: request.area,
          redact: (text) => redactSecret(text, key),
        });
      }

      const errorBody = await readErrorBody(response.body);
      // The rest of a long error body is not wanted; its socket is freed now.
      response.body.destroy();
      const error = httpError({
        status: response.statusCode,
        body: redactSecret(errorBody, key),
        method: request.method,
        url: request.url,
        requestId,
        area: request.area,
        retryAfterMs: parseRetryAfter(headerValue(response.headers, 'retry-after')),
        errorSource: headerValue(response.headers, 'x-baseten-error-source'),
      });
      error.attempts = attempt;
      const delay = this.retryDelay(error, attempt, policy, request.retryWhen);
      log({ status: response.statusCode, requestId, error: error.message, retryInMs: delay, ...(error.fromModel ? { fromModel: true as const } : {}) });
      if (delay === undefined) throw error;
      await sleep(delay, request.signal);
    }
  }

  /** Milliseconds to wait before the next attempt, or undefined when the error is final. */
  private retryDelay(error: BasetenError, attempt: number, policy: RetryPolicy, retryWhen?: (error: BasetenError) => boolean): number | undefined {
    if (!error.retryable || attempt >= policy.maxAttempts) return undefined;
    if (retryWhen && !retryWhen(error)) return undefined;
    if (error.retryAfterMs !== undefined) {
      return error.retryAfterMs <= policy.maxRetryAfterMs ? error.retryAfterMs : undefined;
    }
    const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
    // Equal jitter: never less than half the step, so a storm of clients spreads out without retrying at once.
    return Math.round(ceiling / 2 + this.random() * (ceiling / 2));
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  /** Closes every socket at once, in-flight requests included. */
  async destroy(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.destroy();
  }
}

function createDispatcher(connectMs: number, proxy: string | undefined, noProxy: string | undefined): Dispatcher {
  // Baseten keeps idle connections 60-120 s; closing ours at 30 s avoids reusing a socket it just dropped.
  const agentOptions = { connect: { timeout: connectMs }, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 30_000 };
  // EnvHttpProxyAgent reads the proxy variables once, here; with none set it would only parse each request's
  // URL and read NO_PROXY to pick the plain agent it holds anyway.
  const env = process.env;
  if (!proxy && !env.http_proxy && !env.HTTP_PROXY && !env.https_proxy && !env.HTTPS_PROXY) return new (undici().Agent)(agentOptions);
  return new (undici().EnvHttpProxyAgent)(
    // An undefined noProxy makes undici read NO_PROXY / no_proxy, as it does without an explicit proxy.
    proxy ? { ...agentOptions, httpProxy: proxy, httpsProxy: proxy, noProxy } : { ...agentOptions, noProxy },
  );
}

function encodeBody(request: HttpRequest): { body?: string | Uint8Array; contentType?: string } {
  if (request.json !== undefined) {
    return { body: JSON.stringify(request.json), contentType: request.contentType ?? 'application/json' };
  }
  if (request.body !== undefined) return { body: request.body, contentType: request.contentType };
  return {};
}

function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function throwIfAborted(request: { signal?: AbortSignal; method: string; url: string; area?: ApiArea }): void {
  if (request.signal?.aborted) {
    throw new BasetenError({ kind: 'aborted', message: 'The request was cancelled.', method: request.method, url: request.url, area: request.area });
  }
}

/** Waits, but stops at once (rejecting with an aborted error) when the signal fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const aborted = (): BasetenError => new BasetenError({ kind: 'aborted', message: 'The request was cancelled.' });
    if (signal?.aborted) return reject(aborted());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(aborted());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  if (!value) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
