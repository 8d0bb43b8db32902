/**
 * The async endpoints of model and chain hosts: `async_predict` / `async_run_remote` (validated like
 * Baseten: 400 for a bad field, 413 above 256 KiB, 201 `{request_id}`), `GET|DELETE /async_request/{id}`
 * and `async_queue_status`, the last three limited per API key and second (429 above it).
 */
import type { EmulatorCore } from '../core/core';
import type { Exchange } from '../core/exchange';
import { isRecord, parseJsonBody, sendJson } from '../core/exchange';
import type { HostRef, Resolved } from '../core/targets';
import type { AsyncSubmission } from './queue';
import { statusBody } from './queue';

export const ASYNC_BODY_LIMIT = 262_144;

type Checked = { ok: true; submission: AsyncSubmission } | { ok: false; message: string };

function integerIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** `AsyncPredictRequest` checks, in the order Baseten's docs list the fields. */
export function checkAsyncRequest(body: unknown): Checked {
  const bad = (message: string): Checked => ({ ok: false, message });
  if (!isRecord(body)) return bad('The request body must be a JSON object with a "model_input" field.');
  if (!('model_input' in body) || body.model_input === undefined) return bad('"model_input" is required.');
  const priority = body.priority ?? 0;
  if (!integerIn(priority, 0, 2)) return bad('"priority" must be an integer between 0 and 2 (lower runs first).');
  const maxTime = body.max_time_in_queue_seconds ?? 600;
  if (!integerIn(maxTime, 10, 259_200)) return bad('"max_time_in_queue_seconds" must be an integer between 10 and 259200 (72 hours).');
  const retry = body.inference_retry_config ?? {};
  if (!isRecord(retry)) return bad('"inference_retry_config" must be an object.');
  const maxAttempts = retry.max_attempts ?? 3;
  const initialDelayMs = retry.initial_delay_ms ?? 1000;
  const maxDelayMs = retry.max_delay_ms ?? 5000;
  if (!integerIn(maxAttempts, 1, 10)) return bad('"inference_retry_config.max_attempts" must be an integer between 1 and 10.');
  if (!integerIn(initialDelayMs, 0, 10_000)) return bad('"inference_retry_config.initial_delay_ms" must be an integer between 0 and 10000.');
  if (!integerIn(maxDelayMs, 0, 60_000)) return bad('"inference_retry_config.max_delay_ms" must be an integer between 0 and 60000.');
  let webhookEndpoint: string | null = null;
  if (body.webhook_endpoint !== undefined && body.webhook_endpoint !== null) {
    if (typeof body.webhook_endpoint !== 'string') return bad('"webhook_endpoint" must be a URL.');
    let url: URL;
    try {
      url = new URL(body.webhook_endpoint);
    } catch {
      return bad(`"webhook_endpoint" is not a valid URL: ${body.webhook_endpoint}`);
    }
    const local = LOCAL_HOSTS.has(url.hostname);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
      return bad('"webhook_endpoint" must use https (plain http is allowed only for localhost).');
    }
    webhookEndpoint = url.toString();
  }
  return {
    ok: true,
    submission: { modelInput: body.model_input, priority, maxTimeInQueueSeconds: maxTime, retry: { maxAttempts, initialDelayMs, maxDelayMs }, webhookEndpoint },
  };
}

/** What the async endpoints read from the core: the queue, the status rate limit and async request statuses. */
export type AsyncRoutesCore = Pick<EmulatorCore, 'state' | 'options' | 'asyncQueue' | 'statusRateLimit'>;

export function serveAsyncPredict(core: Pick<AsyncRoutesCore, 'asyncQueue'>, exchange: Exchange, resolved: Resolved): void {
  const size = exchange.body.length;
  if (size > ASYNC_BODY_LIMIT) {
    sendJson(exchange, 413, { error: `payload size of ${size} bytes exceeds maximum size of ${ASYNC_BODY_LIMIT} bytes`, error_code: 'payload_too_large' });
    return;
  }
  const parsed = parseJsonBody(exchange);
  if (!parsed.ok) {
    sendJson(exchange, 400, { error: parsed.message, error_code: 'client_error' });
    return;
  }
  const checked = checkAsyncRequest(parsed.value);
  if (!checked.ok) {
    sendJson(exchange, 400, { error: checked.message, error_code: 'client_error' });
    return;
  }
  const request = core.asyncQueue.submit(resolved, checked.submission);
  sendJson(exchange, 201, { request_id: request.requestId });
}

/** 429 above `asyncStatusRateLimitPerSecond` calls per key and second; true when the call may go on. */
export function withinStatusRateLimit(core: Pick<AsyncRoutesCore, 'statusRateLimit' | 'options'>, exchange: Exchange): boolean {
  const key = exchange.auth.ok ? exchange.auth.key : 'anonymous';
  if (core.statusRateLimit.allow(key)) return true;
  const limit = core.options.asyncStatusRateLimitPerSecond;
  sendJson(
    exchange,
    429,
    { error: `Rate limit exceeded: async status, cancel and queue status allow ${limit} requests per second per API key.`, error_code: 'rate_limited' },
    { 'Retry-After': '1' },
  );
  return false;
}

export function serveQueueStatus(core: Pick<AsyncRoutesCore, 'asyncQueue'>, exchange: Exchange, resolved: Resolved): void {
  const counts = core.asyncQueue.counts(resolved.ownerId, resolved.deployment.id);
  const body: Record<string, unknown> = {
    model_id: resolved.ownerId,
    deployment_id: resolved.deployment.id,
    num_queued_requests: counts.queued,
    num_in_progress_requests: counts.inProgress,
  };
  // The spec names only model_id; a chain's queue also says whose it is.
  if (resolved.owner.kind === 'chain') body.chain_id = resolved.ownerId;
  sendJson(exchange, 200, body);
}

export function serveAsyncRequest(core: AsyncRoutesCore, exchange: Exchange, host: HostRef, requestId: string): void {
  if (exchange.method !== 'GET' && exchange.method !== 'DELETE') {
    sendJson(exchange, 405, { error: `${exchange.method} is not allowed on /async_request/{request_id}; use GET or DELETE.` }, { Allow: 'GET, DELETE' });
    return;
  }
  if (!withinStatusRateLimit(core, exchange)) return;
  const request = core.state.asyncRequests.get(requestId);
  if (!request || request.owner.kind !== host.kind || request.owner.id !== host.id) {
    sendJson(exchange, 404, { error: `Async request ${requestId} was not found (statuses are kept for 1 hour after a request ends).`, error_code: 'model_does_not_exist' });
    return;
  }
  if (exchange.method === 'GET') {
    sendJson(exchange, 200, statusBody(request));
    return;
  }
  const outcome = core.asyncQueue.cancel(request);
  sendJson(exchange, 200, { request_id: request.requestId, canceled: outcome.canceled, message: outcome.message });
}
