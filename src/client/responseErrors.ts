/**
 * Errors built from Baseten's answers: the one place that reads Baseten's error bodies, explains a status
 * and decides whether it is worth another try (docs/baseten-api.md#errors-and-retries).
 */
import { ApiArea, BasetenError } from './errors';

/** Statuses worth another try (docs/baseten-api.md#status-codes). 400/401/403/404/413/422 never are. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

export interface ParsedErrorBody {
  message?: string;
  code?: string;
  type?: string;
}

const MAX_MESSAGE_CHARS = 600;

function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim()) return value.trim();
  if (typeof value === 'number') return String(value);
  return undefined;
}

/** FastAPI-style `detail: [{loc, msg}]` validation lists. */
function detailList(value: unknown): string | undefined {
  if (!Array.isArray(value)) return undefined;
  const parts = value
    .map((item) => {
      if (typeof item === 'string') return item;
      if (item && typeof item === 'object') {
        const { msg, loc } = item as { msg?: unknown; loc?: unknown };
        const where = Array.isArray(loc) ? loc.join('.') : undefined;
        const what = text(msg);
        return what && where ? `${where}: ${what}` : what;
      }
      return undefined;
    })
    .filter((part): part is string => Boolean(part));
  return parts.length ? parts.join('; ') : undefined;
}

/**
 * Reads every error body shape Baseten is known to send:
 * `{"error": "…"}`, `{"error": {"message", "code", "type"}}`, `{"message", "type", "code"}`,
 * `{"detail": "…" | [...]}`, `{"error", "error_code", "detail"}`, and plain text or HTML.
 */
export function parseErrorBody(body: string): ParsedErrorBody {
  const trimmed = body.trim();
  if (!trimmed) return {};
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    return { message: plainText(trimmed) };
  }
  if (typeof json === 'string') return { message: plainText(json) };
  if (!json || typeof json !== 'object') return { message: plainText(trimmed) };
  const record = json as Record<string, unknown>;
  const error = record.error;
  if (error && typeof error === 'object' && !Array.isArray(error)) {
    const nested = error as Record<string, unknown>;
    return {
      message: clip(text(nested.message) ?? text(nested.detail) ?? text(record.message)),
      code: text(nested.code) ?? text(record.error_code),
      type: text(nested.type),
    };
  }
  const message =
    text(error) ?? text(record.message) ?? text(record.detail) ?? detailList(record.detail) ?? text(record.msg);
  const detail = text(record.detail);
  const combined = message && detail && detail !== message ? `${message} (${detail})` : message;
  return {
    message: combined !== undefined ? clip(combined) : plainText(trimmed),
    code: text(record.error_code) ?? text(record.code),
    type: text(record.type),
  };
}

/** A model's error may be its whole raw output; a message a person reads stays short. */
function clip(value: string | undefined): string | undefined {
  return value !== undefined && value.length > MAX_MESSAGE_CHARS ? `${value.slice(0, MAX_MESSAGE_CHARS)}…` : value;
}

function plainText(value: string): string {
  const withoutTags = /<[a-z!/][^>]*>/i.test(value) ? value.replace(/<[^>]*>/g, ' ') : value;
  const collapsed = withoutTags.replace(/\s+/g, ' ').trim();
  return collapsed.length > MAX_MESSAGE_CHARS ? `${collapsed.slice(0, MAX_MESSAGE_CHARS)}…` : collapsed;
}

export function truncateBody(body: string, max = 4096): string {
  return body.length > max ? `${body.slice(0, max)}… (${body.length - max} more characters)` : body;
}

/** `Retry-After` as seconds or an HTTP date, in milliseconds. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  // An HTTP date always names its day or month; without letters, `Date.parse` would accept junk such
  // as "-1" or "1 2" and the retry would follow at once.
  if (!/[a-z]{3}/i.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

function statusSummary(status: number, area: ApiArea | undefined, retryAfterMs: number | undefined): string {
  switch (status) {
    case 400:
      return 'Baseten rejected the request';
    case 401:
    case 403:
      return area === 'management'
        ? 'This API key cannot use the management API (it may be an invoke-only workspace key, or invalid)'
        : 'Baseten rejected the API key; check the key you set';
    case 402:
      return 'Baseten needs a billing update for this workspace (payment required)';
    case 404:
      return area === 'model_apis'
        ? 'Model not found or not enabled in this workspace'
        : 'Not found: the model, chain, environment or deployment does not exist or is deactivated';
    case 408:
      return 'The WebSocket upgrade timed out before a replica accepted it';
    case 413:
      return 'The request is too large for Baseten';
    case 422:
      return 'Baseten could not process the input';
    case 429: {
      const wait = retryAfterMs !== undefined ? `; retry after ${Math.ceil(retryAfterMs / 1000)} s` : '';
      return `Rate limited by Baseten${wait}`;
    }
    case 500:
      return area === 'inference'
        ? 'The model failed, or its cold start took longer than the request could wait'
        : 'Baseten had an internal error';
    case 502:
      return 'The model replica crashed or restarted while answering';
    case 503:
      return 'No replica is available right now (deploying, draining or scaling)';
    case 504:
      return 'The request took longer than Baseten allows';
    default:
      return status >= 500 ? 'Baseten had a server error' : 'Baseten refused the request';
  }
}

export interface HttpErrorContext {
  status: number;
  body: string;
  method?: string;
  url?: string;
  requestId?: string;
  area?: ApiArea;
  retryAfterMs?: number;
  /** Headers Truss adds: where the error came from (`04` = the model's server). */
  errorSource?: string;
}

/** Builds the error for an HTTP error status, with a message a person can act on. */
export function httpError(context: HttpErrorContext): BasetenError {
  const parsed = parseErrorBody(context.body);
  const summary = statusSummary(context.status, context.area, context.retryAfterMs);
  const detail = parsed.message && parsed.message !== summary ? `: ${parsed.message}` : '';
  const fromModel = context.errorSource === '04' ? ' (error raised by the model)' : '';
  return new BasetenError({
    kind: 'http',
    message: `${summary}${detail}${fromModel} (HTTP ${context.status})`,
    status: context.status,
    code: parsed.code ?? parsed.type,
    requestId: context.requestId,
    retryable: RETRYABLE_STATUSES.has(context.status),
    method: context.method,
    url: context.url,
    area: context.area,
    body: truncateBody(context.body),
    retryAfterMs: context.retryAfterMs,
    errorSource: context.errorSource,
  });
}

const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** The start of an error answer's body: enough for any message, without reading a huge body whole. */
export async function readErrorBody(body: AsyncIterable<Buffer>): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      parts.push(chunk);
      size += chunk.length;
      if (size >= MAX_ERROR_BODY_BYTES) break;
    }
  } catch {
    // A body cut short still tells us something; use what arrived.
  }
  return Buffer.concat(parts).toString('utf8');
}
