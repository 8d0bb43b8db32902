/**
 * What a deployed model's `predict` (or a chain's `run_remote`) answered, by the kind of body Baseten sends.
 * The switch mirrors the baseten CLI (docs/baseten-api.md#predict-responses): SSE for `text/event-stream`, JSON
 * for a JSON content type, raw bytes for binary types, and a chunk stream for everything else (a Truss
 * generator streams chunked text with no encoding set). Nothing but JSON is read into memory unless asked.
 */
import { BasetenError } from './errors';
import { DEFAULT_MAX_BODY_BYTES, HttpResponse } from './http';
import { truncateBody } from './responseErrors';
import { readSse, type SseEvent } from './sse';

export type PredictResponseKind = 'json' | 'sse' | 'stream' | 'binary';

interface PredictResponseBase {
  readonly status: number;
  readonly requestId?: string;
  /** The `Content-Type` header, lower-cased; empty when the model set none. */
  readonly contentType: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Attempts this client made, 1 when the first one answered. */
  readonly attempts: number;
  /** `X-BASETEN-MODEL-PREDICTION-ATTEMPTS`: attempts Baseten's router made; above 1 it retried a replica. */
  readonly predictionAttempts?: number;
  /** Stops reading and closes the socket; safe to call at any time, also after the body was read. */
  cancel(): void;
}

/** `application/json` (or `…+json`): read whole, within the size limit, and parsed. */
export interface JsonPredictResponse extends PredictResponseBase {
  readonly kind: 'json';
  readonly value: unknown;
  /** Size of the JSON body in bytes. */
  readonly size: number;
}

/** `text/event-stream`: events as they arrive. */
export interface SsePredictResponse extends PredictResponseBase {
  readonly kind: 'sse';
  readonly events: AsyncIterable<SseEvent>;
}

/** Chunked or plain text without a JSON type (a streaming Truss generator): chunks as they arrive. */
export interface StreamPredictResponse extends PredictResponseBase {
  readonly kind: 'stream';
  /** True when the body came with `Transfer-Encoding: chunked`. */
  readonly chunked: boolean;
  readonly chunks: AsyncIterable<Buffer>;
  /**
   * Reads the rest as UTF-8, failing with kind `too_large` beyond `maxBytes`. A body that fails part-way
   * (dropped, timed out, aborted) keeps what arrived in the error's `partial`, as text.
   */
  text(maxBytes?: number): Promise<string>;
  /** Reads the rest; a failure part-way keeps the bytes that arrived in the error's `partial` (a Buffer). */
  bytes(maxBytes?: number): Promise<Buffer>;
}

/** `application/octet-stream` and other binary types (images, audio, …). */
export interface BinaryPredictResponse extends PredictResponseBase {
  readonly kind: 'binary';
  /** From `Content-Length`, when the model sent one. */
  readonly contentLength?: number;
  readonly chunks: AsyncIterable<Buffer>;
  /** Reads the rest; a failure part-way keeps the bytes that arrived in the error's `partial` (a Buffer). */
  bytes(maxBytes?: number): Promise<Buffer>;
}

export type PredictResponse = JsonPredictResponse | SsePredictResponse | StreamPredictResponse | BinaryPredictResponse;

/** Which kind of response a content type makes. */
export function predictResponseKind(contentType: string): PredictResponseKind {
  if (contentType === 'application/json') return 'json';
  const mediaType = contentType.split(';')[0].trim().toLowerCase();
  if (mediaType === 'text/event-stream') return 'sse';
  if (mediaType === 'application/json' || mediaType.endsWith('+json')) return 'json';
  if (
    mediaType === 'application/octet-stream' ||
    mediaType.startsWith('image/') ||
    mediaType.startsWith('audio/') ||
    mediaType.startsWith('video/') ||
    ['application/pdf', 'application/zip', 'application/gzip', 'application/msgpack', 'application/x-msgpack'].includes(mediaType)
  ) {
    return 'binary';
  }
  return 'stream';
}

/**
 * One reader for one body: the first of `chunks`, `text()`, `bytes()` or `events` to start owns it.
 * When reading ends — completely, with an error, or because the consumer stopped — `done` runs once, and an
 * unfinished body is cancelled so its socket is freed.
 */
class BodyReader {
  private claimed = false;
  private finished = false;

  constructor(
    private readonly response: HttpResponse,
    private readonly signal: AbortSignal | undefined,
    private readonly done: () => void,
  ) {}

  async *chunks(): AsyncGenerator<Buffer> {
    this.claim();
    let complete = false;
    try {
      for await (const chunk of this.response.chunks(this.signal)) {
        yield chunk;
      }
      complete = true;
    } finally {
      this.finish(complete);
    }
  }

  async bytes(maxBytes = DEFAULT_MAX_BODY_BYTES): Promise<Buffer> {
    this.claim();
    let complete = false;
    try {
      const body = await this.response.bytes(maxBytes, this.signal);
      complete = true;
      return body;
    } finally {
      this.finish(complete);
    }
  }

  cancel(): void {
    this.finish(false);
  }

  private claim(): void {
    if (this.claimed) {
      throw new BasetenError({ kind: 'validation', message: 'A predict response body can be read only once.', requestId: this.response.requestId });
    }
    this.claimed = true;
  }

  private finish(complete: boolean): void {
    if (!complete) this.response.cancel();
    if (this.finished) return;
    this.finished = true;
    this.done();
  }
}

export interface PredictResponseContext {
  /** The request's signal (linked to the caller's), when it has one. */
  signal?: AbortSignal;
  /** Undoes the link to the caller's signal; called once the body is finished with. */
  unlink: () => void;
  maxJsonBytes?: number;
  /** `false`: a JSON answer is returned as a `stream` response, unread. */
  readJson?: boolean;
}

/** Turns an HTTP response into the predict response kind its content type says. */
export async function toPredictResponse(response: HttpResponse, context: PredictResponseContext): Promise<PredictResponse> {
  const reader = new BodyReader(response, context.signal, context.unlink);
  const attemptsHeader = Number(response.header('x-baseten-model-prediction-attempts'));
  const contentType = response.contentType;
  const base = {
    status: response.status,
    requestId: response.requestId,
    contentType,
    headers: response.headers,
    attempts: response.attempts,
    predictionAttempts: Number.isFinite(attemptsHeader) && attemptsHeader > 0 ? attemptsHeader : undefined,
    cancel: () => reader.cancel(),
  };
  const typed = predictResponseKind(contentType);
  const kind = typed === 'json' && context.readJson === false ? 'stream' : typed;
  switch (kind) {
    case 'json': {
      const body = await reader.bytes(context.maxJsonBytes ?? DEFAULT_MAX_BODY_BYTES);
      return { ...base, kind, value: parseModelJson(body, response), size: body.length };
    }
    case 'sse':
      return { ...base, kind, events: readSse(reader.chunks()) };
    case 'stream':
      return {
        ...base,
        kind,
        chunked: (response.header('transfer-encoding') ?? '').toLowerCase().includes('chunked'),
        chunks: reader.chunks(),
        text: (maxBytes?: number) => asText(reader.bytes(maxBytes)),
        bytes: (maxBytes?: number) => reader.bytes(maxBytes),
      };
    case 'binary': {
      const length = Number(response.header('content-length'));
      return {
        ...base,
        kind,
        contentLength: Number.isFinite(length) && length >= 0 ? length : undefined,
        chunks: reader.chunks(),
        bytes: (maxBytes?: number) => reader.bytes(maxBytes),
      };
    }
  }
}

/** The body as UTF-8; a failure part-way keeps what arrived as text on the error too. */
async function asText(body: Promise<Buffer>): Promise<string> {
  try {
    return (await body).toString('utf8');
  } catch (error) {
    if (error instanceof BasetenError && Buffer.isBuffer(error.partial)) error.partial = error.partial.toString('utf8');
    throw error;
  }
}

function parseModelJson(body: Buffer, response: HttpResponse): unknown {
  // The model may echo the request, headers included; nothing kept on an error may carry the key.
  const text = response.redact(body.toString('utf8'));
  try {
    if (!text.trim()) throw new SyntaxError('the body is empty');
    return JSON.parse(text);
  } catch (error) {
    throw new BasetenError({
      kind: 'protocol',
      message: `The model answered with Content-Type ${response.contentType || 'application/json'} but its body is not valid JSON (${(error as Error).message}).`,
      status: response.status,
      requestId: response.requestId,
      area: 'inference',
      body: truncateBody(text),
    });
  }
}
