/**
 * Deployed models and chains (`model-{id}` / `chain-{id}` hosts): sync predict / run_remote, async
 * requests, queue status and wake (docs/baseten-api.md#predict,
 * #async-inference, #wake-and-scale-to-zero).
 */
import { validateAsyncPredictRequest } from './asyncValidation';
import { BasetenError } from './errors';
import { HttpClient, HttpRequest, HttpResponse, RetryPolicy, Timeouts } from './http';
import { linkSignal } from './modelApis';
import { PredictResponse, toPredictResponse } from './predictResponse';
import { cannotHaveRun } from './retrySafety';
import { BasetenEndpoints, actionUrl, asyncPredictAction, asyncRequestUrl, predictAction } from './urls';
import { Owner, Target } from './target';
import type {
  AsyncCancelResponse,
  AsyncPredictRequest,
  AsyncPredictResponse,
  AsyncQueueStatusResponse,
  AsyncRequestStatus,
  AsyncRequestStatusResponse,
} from './types';

/** The body of a predict: JSON by default, or raw bytes / text with their content type. */
export type PredictInput =
  | { kind: 'json'; value: unknown }
  | { kind: 'bytes'; data: Uint8Array; contentType?: string }
  | { kind: 'text'; text: string; contentType?: string };

export const jsonInput = (value: unknown): PredictInput => ({ kind: 'json', value });
export const bytesInput = (data: Uint8Array, contentType = 'application/octet-stream'): PredictInput => ({ kind: 'bytes', data, contentType });
export const textInput = (text: string, contentType = 'text/plain; charset=utf-8'): PredictInput => ({ kind: 'text', text, contentType });

export interface InferenceCallOptions {
  signal?: AbortSignal;
}

/** Status, cancel and queue status: a caller with its own rate budget sends once (`retry: false`) and handles the 429 itself. */
export interface AsyncStatusCallOptions extends InferenceCallOptions {
  retry?: false | Partial<RetryPolicy>;
}

export interface PredictOptions extends InferenceCallOptions {
  /** `false` sends once; the client's policy otherwise (429/5xx and connection failures are retried). */
  retry?: false | Partial<RetryPolicy>;
  timeouts?: Partial<Pick<Timeouts, 'firstByteMs' | 'idleStreamMs'>>;
  /** Extra request headers, e.g. `x-baseten-customer-request-id`. */
  headers?: Record<string, string>;
  /** `Accept`; `*\/*` by default, since the model decides what it sends. */
  accept?: string;
  /** Ceiling for a JSON answer read into memory (the HTTP layer's default otherwise). */
  maxJsonBytes?: number;
  /**
   * `false` hands a JSON answer back unread, as a `stream` response (its `contentType` still says JSON), so
   * a caller can decide by its size whether to parse it or write it to a file.
   */
  readJson?: boolean;
}

export interface AsyncPredictOptions extends InferenceCallOptions {
  /**
   * Retries only for answers that prove the job was not accepted (429, 503) and for connections that
   * failed before anything was sent; `false` sends once.
   */
  retry?: false | Partial<RetryPolicy>;
  headers?: Record<string, string>;
  /** Baseten's per-organisation async body limit, if yours was raised; 256 KiB by default. */
  maxBodyBytes?: number;
}

export interface AsyncSubmitResult {
  requestId: string;
  status: number;
  /** Baseten's `X-BASETEN-REQUEST-ID` for the submit call itself, when sent. */
  httpRequestId?: string;
}

export interface AsyncCancelResult {
  requestId: string;
  /** False when the request was no longer `QUEUED`; `message` says why. */
  canceled: boolean;
  message: string;
}

export interface WakeResult {
  status: number;
  requestId?: string;
}

const TERMINAL_ASYNC_STATUSES: ReadonlySet<AsyncRequestStatus> = new Set(['SUCCEEDED', 'FAILED', 'EXPIRED', 'CANCELED', 'WEBHOOK_FAILED']);

/** True when an async request will not change status again. */
export function isTerminalAsyncStatus(status: AsyncRequestStatus | string): boolean {
  return TERMINAL_ASYNC_STATUSES.has(status as AsyncRequestStatus);
}

const noop = (): void => undefined;


export class InferenceClient {
  constructor(
    readonly http: HttpClient,
    readonly endpoints: () => BasetenEndpoints,
  ) {}

  /**
   * `predict` on a model, `run_remote` on a chain. Resolves once the response headers arrive (a JSON answer
   * is read whole first); streams are read through the returned response, and `cancel()` or the signal
   * closes the socket.
   */
  async predict(owner: Pick<Owner, 'kind' | 'id'>, target: Target, input: PredictInput, options: PredictOptions = {}): Promise<PredictResponse> {
    const url = actionUrl(this.endpoints(), owner, target, predictAction(owner));
    // A caller's signal is linked through our own controller, unlinked once the body is done; without one
    // nothing can abort, and the controller (and undici's abort listener) would be per-request cost for nothing.
    const controller = options.signal ? new AbortController() : undefined;
    const unlink = controller ? linkSignal(options.signal, controller) : noop;
    try {
      const response = await this.http.send({
        method: 'POST',
        url,
        area: 'inference',
        ...encodeInput(input),
        accept: options.accept ?? '*/*',
        headers: options.headers,
        signal: controller?.signal,
        retry: options.retry,
        // The model may have run: re-sent only when it cannot have (retrySafety.ts).
        retryWhen: cannotHaveRun,
        timeouts: options.timeouts,
      });
      return await toPredictResponse(response, { signal: controller?.signal, unlink, maxJsonBytes: options.maxJsonBytes, readJson: options.readJson });
    } catch (error) {
      unlink();
      throw error;
    }
  }

  /**
   * Queues an async request (`async_predict`, or `async_run_remote` on a chain) after checking every field
   * locally. Any 2xx is success: the spec says 201, the request-lifecycle docs say 202.
   */
  async asyncPredict(owner: Pick<Owner, 'kind' | 'id'>, target: Target, request: AsyncPredictRequest, options: AsyncPredictOptions = {}): Promise<AsyncSubmitResult> {
    const { body } = validateAsyncPredictRequest(request, { maxBodyBytes: options.maxBodyBytes });
    const url = actionUrl(this.endpoints(), owner, target, asyncPredictAction(owner));
    const response = await this.http.send({
      method: 'POST',
      url,
      area: 'inference',
      body,
      contentType: 'application/json',
      headers: options.headers,
      signal: options.signal,
      retry: options.retry,
      retryWhen: cannotHaveRun,
    });
    expectSuccess(response, 'The async submit');
    const answer = await response.json<Partial<AsyncPredictResponse>>(64 * 1024, options.signal);
    if (!answer || typeof answer.request_id !== 'string' || !answer.request_id) {
      throw new BasetenError({
        kind: 'protocol',
        message: 'Baseten accepted the async request but sent no request_id.',
        status: response.status,
        requestId: response.requestId,
        area: 'inference',
        url,
        body: JSON.stringify(answer)?.slice(0, 4096),
      });
    }
    return { requestId: answer.request_id, status: response.status, httpRequestId: response.requestId };
  }

  /** `GET /async_request/{id}`: where an async request is. Baseten keeps it for an hour after it ends. */
  async asyncStatus(owner: Pick<Owner, 'kind' | 'id'>, requestId: string, options: AsyncStatusCallOptions = {}): Promise<AsyncRequestStatusResponse> {
    const response = await this.http.send({
      method: 'GET',
      url: asyncRequestUrl(this.endpoints(), owner, requestId),
      area: 'inference',
      signal: options.signal,
      retry: options.retry,
    });
    return response.json<AsyncRequestStatusResponse>(undefined, options.signal);
  }

  /** `DELETE /async_request/{id}`. Only a `QUEUED` request can be cancelled; otherwise `canceled` is false. */
  async cancelAsync(owner: Pick<Owner, 'kind' | 'id'>, requestId: string, options: AsyncStatusCallOptions = {}): Promise<AsyncCancelResult> {
    const response = await this.http.send({
      method: 'DELETE',
      url: asyncRequestUrl(this.endpoints(), owner, requestId),
      area: 'inference',
      signal: options.signal,
      retry: options.retry,
    });
    const answer = await response.json<Partial<AsyncCancelResponse>>(undefined, options.signal);
    if (typeof answer?.canceled !== 'boolean') {
      throw new BasetenError({
        kind: 'protocol',
        message: 'The cancel answer had no "canceled" field.',
        requestId: response.requestId,
        area: 'inference',
        body: JSON.stringify(answer)?.slice(0, 4096),
      });
    }
    return { requestId: answer.request_id ?? requestId, canceled: answer.canceled, message: answer.message ?? '' };
  }

  /** `…/async_queue_status`: queued and in-progress counts for a target's deployment. */
  async asyncQueueStatus(owner: Pick<Owner, 'kind' | 'id'>, target: Target, options: AsyncStatusCallOptions = {}): Promise<AsyncQueueStatusResponse> {
    const url = actionUrl(this.endpoints(), owner, target, 'async_queue_status');
    const response = await this.http.send({ method: 'GET', url, area: 'inference', signal: options.signal, retry: options.retry });
    return response.json<AsyncQueueStatusResponse>(undefined, options.signal);
  }

  /**
   * `…/wake`: asks Baseten to start a scaled-to-zero deployment and returns at once (202, no body). Whether it
   * is ready shows only in the management API: follow with `ManagementClient.waitForDeploymentStatus`.
   */
  async wake(owner: Pick<Owner, 'kind' | 'id'>, target: Target, options: InferenceCallOptions = {}): Promise<WakeResult> {
    const url = actionUrl(this.endpoints(), owner, target, 'wake');
    const response = await this.http.send({ method: 'POST', url, area: 'inference', accept: '*/*', signal: options.signal });
    expectSuccess(response, 'Wake');
    // Drained rather than cancelled, so the pooled connection can be reused.
    await response.bytes(64 * 1024, options.signal).catch(() => undefined);
    return { status: response.status, requestId: response.requestId };
  }
}

function expectSuccess(response: HttpResponse, what: string): void {
  if (response.status >= 200 && response.status < 300) return;
  response.cancel();
  throw new BasetenError({
    kind: 'protocol',
    status: response.status,
    requestId: response.requestId,
    area: 'inference',
    message: `${what} was answered with HTTP ${response.status}${response.header('location') ? ` (redirect to ${response.header('location')})` : ''}, not a 2xx.`,
  });
}

function encodeInput(input: PredictInput): Pick<HttpRequest, 'json' | 'body' | 'contentType'> {
  switch (input.kind) {
    case 'json':
      if (input.value === undefined) {
        throw new BasetenError({ kind: 'validation', message: 'The predict input is empty; send a JSON value.', area: 'inference' });
      }
      let body: string | undefined;
      try {
        body = JSON.stringify(input.value);
      } catch (error) {
        throw new BasetenError({ kind: 'validation', message: `The predict input is not JSON-serialisable: ${(error as Error).message}.`, area: 'inference' });
      }
      if (typeof body !== 'string') {
        throw new BasetenError({ kind: 'validation', message: 'The predict input has no JSON form (a function or a symbol).', area: 'inference' });
      }
      return { body, contentType: 'application/json' };
    case 'bytes':
      return { body: input.data, contentType: input.contentType ?? 'application/octet-stream' };
    case 'text':
      return { body: input.text, contentType: input.contentType ?? 'text/plain; charset=utf-8' };
  }
}

