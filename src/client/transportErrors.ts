/**
 * Errors of the connection rather than of Baseten's answer: a refused or dropped socket, a connect,
 * first-byte or idle-stream timeout, a cancel, a proxy that refuses the tunnel.
 */
import { ApiArea, BasetenError } from './errors';
import { undici } from './undiciLoader';

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

export interface TransportContext {
  method: string;
  url: string;
  area?: ApiArea;
  signal?: AbortSignal;
  requestId?: string;
  midStream: boolean;
}

/** Turns an undici or socket error into a `BasetenError`. Errors after the stream started are never retryable. */
export function transportError(caught: unknown, context: TransportContext): BasetenError {
  if (caught instanceof BasetenError) return caught;
  const base = { method: context.method, url: context.url, area: context.area, requestId: context.requestId, cause: caught };
  const host = safeHost(context.url);
  const error = caught as { code?: string; name?: string; message?: string };
  // undici reports a proxy that refuses the tunnel as a RequestAbortedError; the user cancelled nothing.
  if (/^Proxy response \(\d+\)/.test(error?.message ?? '') && !context.signal?.aborted) {
    return new BasetenError({
      ...base,
      kind: 'network',
      code: 'proxy_refused',
      message: `The proxy refused the connection to ${host} (${error.message}).`,
    });
  }
  if (context.signal?.aborted || error?.name === 'AbortError' || error instanceof undici().errors.RequestAbortedError) {
    return new BasetenError({ ...base, kind: 'aborted', message: 'The request was cancelled.' });
  }
  if (error instanceof undici().errors.ConnectTimeoutError) {
    return new BasetenError({ ...base, kind: 'timeout', code: 'connect_timeout', retryable: true, message: `Could not connect to ${host} in time.` });
  }
  if (error instanceof undici().errors.HeadersTimeoutError) {
    return new BasetenError({
      ...base,
      kind: 'timeout',
      code: 'first_byte_timeout',
      retryable: false,
      message: `${host} sent no response within the first-byte timeout.`,
    });
  }
  if (error instanceof undici().errors.BodyTimeoutError) {
    return new BasetenError({
      ...base,
      kind: 'timeout',
      code: 'idle_stream_timeout',
      message: `${host} stopped sending data for longer than the idle-stream timeout.`,
    });
  }
  const code = error?.code ?? (caught as { cause?: { code?: string } })?.cause?.code;
  if (context.midStream) {
    return new BasetenError({
      ...base,
      kind: 'stream_truncated',
      code,
      message: `The connection to ${host} dropped before the response was complete.`,
    });
  }
  if (code && NETWORK_CODES.has(code)) {
    const what = code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? `Could not resolve ${host}` : `Could not reach ${host} (${code})`;
    return new BasetenError({ ...base, kind: 'network', code, retryable: true, message: `${what}.` });
  }
  return new BasetenError({
    ...base,
    kind: 'network',
    code,
    retryable: false,
    message: `Request to ${host} failed: ${error?.message ?? String(caught)}`,
  });
}

/** The host of a URL, for messages; "Baseten" when the URL cannot be read. */
export function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'Baseten';
  }
}
