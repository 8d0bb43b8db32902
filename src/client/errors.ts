/**
 * One error type for everything the client can fail with. Errors built from Baseten's answers are made in
 * responseErrors.ts, those of the connection in transportErrors.ts.
 */

export type BasetenErrorKind =
  /** Baseten answered with an HTTP error status. */
  | 'http'
  /** The connection failed or dropped. */
  | 'network'
  /** A connect, first-byte or idle-stream timeout fired. */
  | 'timeout'
  /** The caller aborted. */
  | 'aborted'
  /** A stream ended before its end marker; what arrived is kept on the error. */
  | 'stream_truncated'
  /** The response could not be read (malformed JSON or SSE). */
  | 'protocol'
  /** The request was refused locally, before anything was sent. */
  | 'validation'
  /** A response exceeded the size the caller allowed. */
  | 'too_large';

/** Where a request went; it decides how a status is explained to the user. */
export type ApiArea = 'model_apis' | 'inference' | 'management' | 'websocket';

export interface BasetenErrorInit {
  kind: BasetenErrorKind;
  message: string;
  status?: number;
  /** Baseten's own code: `error_code` of the inference spec, `error.type`, or an async error code. */
  code?: string;
  requestId?: string;
  retryable?: boolean;
  method?: string;
  url?: string;
  area?: ApiArea;
  /** The body as received, cut to a few KiB; never contains the key. */
  body?: string;
  retryAfterMs?: number;
  /** `X-BASETEN-ERROR-SOURCE`: `04` when the model's own server (Truss) raised it. */
  errorSource?: string;
  attempts?: number;
  /** What a stream delivered before it failed (e.g. a `ChatResult`), so nothing shown is lost. */
  partial?: unknown;
  cause?: unknown;
}

export class BasetenError extends Error {
  override readonly name = 'BasetenError';
  readonly kind: BasetenErrorKind;
  readonly status?: number;
  readonly code?: string;
  readonly requestId?: string;
  readonly retryable: boolean;
  readonly method?: string;
  readonly url?: string;
  readonly area?: ApiArea;
  readonly body?: string;
  readonly retryAfterMs?: number;
  readonly errorSource?: string;
  attempts: number;
  partial?: unknown;

  constructor(init: BasetenErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId;
    this.retryable = init.retryable ?? false;
    this.method = init.method;
    this.url = init.url;
    this.area = init.area;
    this.body = init.body;
    this.retryAfterMs = init.retryAfterMs;
    this.errorSource = init.errorSource;
    this.attempts = init.attempts ?? 1;
    this.partial = init.partial;
  }

  /** A one-line summary for logs: kind, status, request id. */
  describe(): string {
    const parts = [this.message];
    if (this.status !== undefined) parts.push(`status ${this.status}`);
    if (this.requestId) parts.push(`request ${this.requestId}`);
    if (this.attempts > 1) parts.push(`${this.attempts} attempts`);
    return parts.join(' · ');
  }
}

export function isBasetenError(value: unknown): value is BasetenError {
  return value instanceof BasetenError;
}

/** Replaces every occurrence of the key in a text, so nothing we show or log can carry it. */
export function redactSecret(textValue: string, secret: string | undefined): string {
  if (!secret || secret.length < 4) return textValue;
  return textValue.split(secret).join('[REDACTED]');
}
