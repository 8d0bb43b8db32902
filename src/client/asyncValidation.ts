/**
 * Checks an `AsyncPredictRequest` against the ranges Baseten documents (docs/baseten-api.md#async-submit,
 * inference spec `AsyncPredictRequest` / `InferenceRetryConfig`) before anything is sent: a queued job with a
 * typo in it costs the user a wait and a confusing 400, a local message costs nothing.
 */
import { BasetenError } from './errors';
import { formatBytes } from './http';
import type { AsyncPredictRequest } from './types';

/** Baseten's default per-organisation limit on an async request body (raisable by Baseten support). */
export const ASYNC_MAX_BODY_BYTES = 262_144;

export interface AsyncValidationIssue {
  /** Dotted path of the field, e.g. `inference_retry_config.max_attempts`. */
  field: string;
  message: string;
}

export interface AsyncValidationOptions {
  /** The body limit in bytes; Baseten's default is 256 KiB. */
  maxBodyBytes?: number;
}

interface IntegerRange {
  field: string;
  min: number;
  max: number;
  unit?: string;
}

const PRIORITY: IntegerRange = { field: 'priority', min: 0, max: 2 };
const QUEUE_TIME: IntegerRange = { field: 'max_time_in_queue_seconds', min: 10, max: 259_200, unit: 'seconds (72 h)' };
const MAX_ATTEMPTS: IntegerRange = { field: 'inference_retry_config.max_attempts', min: 1, max: 10 };
const INITIAL_DELAY: IntegerRange = { field: 'inference_retry_config.initial_delay_ms', min: 0, max: 10_000, unit: 'ms' };
const MAX_DELAY: IntegerRange = { field: 'inference_retry_config.max_delay_ms', min: 0, max: 60_000, unit: 'ms' };

/** Hosts where Baseten allows a plain-http webhook, for local development. */
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return Array.isArray(value) ? 'an array' : typeof value;
}

function checkInteger(value: unknown, range: IntegerRange, issues: AsyncValidationIssue[]): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max) {
    const unit = range.unit ? ` ${range.unit}` : '';
    issues.push({
      field: range.field,
      message: `${range.field} must be an integer from ${range.min} to ${range.max}${unit} (got ${describeValue(value)}).`,
    });
  }
}

function checkWebhook(value: unknown, issues: AsyncValidationIssue[]): void {
  if (value === undefined) return;
  const field = 'webhook_endpoint';
  if (typeof value !== 'string' || !value.trim()) {
    issues.push({ field, message: `${field} must be an https URL (got ${describeValue(value)}).` });
    return;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    issues.push({ field, message: `${field} is not a valid URL: ${describeValue(value)}.` });
    return;
  }
  if (url.protocol === 'https:' && url.hostname) return;
  if (url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname)) return;
  const why =
    url.protocol === 'http:'
      ? 'Baseten delivers webhooks over https only (http is allowed for localhost and 127.0.0.1 during development)'
      : 'it must be an https URL';
  issues.push({ field, message: `${field} ${describeValue(value)} is not allowed: ${why}.` });
}

/** Serialises the request, or says why it cannot be sent as JSON (a cycle, a BigInt). */
function serialise(request: AsyncPredictRequest, issues: AsyncValidationIssue[]): string | undefined {
  try {
    return JSON.stringify(request);
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0];
    issues.push({ field: 'model_input', message: `model_input is not JSON-serialisable: ${reason}.` });
    return undefined;
  }
}

/** Every problem with a request, in field order; empty when the request may be sent. */
export function findAsyncPredictIssues(request: AsyncPredictRequest, options: AsyncValidationOptions = {}): AsyncValidationIssue[] {
  const issues: AsyncValidationIssue[] = [];
  if (!request || typeof request !== 'object' || Array.isArray(request)) {
    return [{ field: 'request', message: 'The async request must be an object with a model_input field.' }];
  }
  const input = request.model_input;
  if (input === undefined) {
    issues.push({ field: 'model_input', message: 'model_input is required: the JSON object forwarded to the model.' });
  } else if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    issues.push({ field: 'model_input', message: `model_input must be a JSON object (got ${describeValue(input)}).` });
  }
  checkWebhook(request.webhook_endpoint, issues);
  checkInteger(request.priority, PRIORITY, issues);
  checkInteger(request.max_time_in_queue_seconds, QUEUE_TIME, issues);
  const retry = request.inference_retry_config;
  if (retry !== undefined) {
    if (retry === null || typeof retry !== 'object' || Array.isArray(retry)) {
      issues.push({ field: 'inference_retry_config', message: `inference_retry_config must be an object (got ${describeValue(retry)}).` });
    } else {
      checkInteger(retry.max_attempts, MAX_ATTEMPTS, issues);
      checkInteger(retry.initial_delay_ms, INITIAL_DELAY, issues);
      checkInteger(retry.max_delay_ms, MAX_DELAY, issues);
    }
  }
  if (issues.length) return issues;
  const body = serialise(request, issues);
  if (body !== undefined) {
    const size = Buffer.byteLength(body, 'utf8');
    const limit = options.maxBodyBytes ?? ASYNC_MAX_BODY_BYTES;
    if (size > limit) {
      issues.push({
        field: 'model_input',
        message:
          `model_input is too large: the async request body is ${size.toLocaleString('en-US')} bytes; Baseten accepts at most ` +
          `${limit.toLocaleString('en-US')} bytes (${formatBytes(limit)}) for async requests. Send large inputs by URL, or use a sync predict.`,
      });
    }
  }
  return issues;
}

export interface ValidatedAsyncRequest {
  /** The exact JSON sent. */
  body: string;
  bytes: number;
}

/**
 * Validates and serialises a request. Throws a `BasetenError` of kind `validation` naming the first bad
 * field and its allowed range; the other problems follow in the message.
 */
export function validateAsyncPredictRequest(request: AsyncPredictRequest, options: AsyncValidationOptions = {}): ValidatedAsyncRequest {
  const issues = findAsyncPredictIssues(request, options);
  if (issues.length) {
    const [first, ...rest] = issues;
    const more = rest.length ? ` Also: ${rest.map((issue) => issue.message).join(' ')}` : '';
    throw new BasetenError({
      kind: 'validation',
      code: first.field,
      message: `${first.message}${more}`,
      area: 'inference',
    });
  }
  const body = JSON.stringify(request);
  return { body, bytes: Buffer.byteLength(body, 'utf8') };
}
