/** How async request and webhook statuses read to a user; views take their wording from here. */
import type { AsyncRequestStatus, WebhookStatus } from './types';

const ASYNC_STATUS_LABELS: Record<AsyncRequestStatus, string> = {
  QUEUED: 'Queued',
  IN_PROGRESS: 'In progress',
  SUCCEEDED: 'Succeeded',
  FAILED: 'Failed',
  EXPIRED: 'Expired',
  CANCELED: 'Canceled',
  WEBHOOK_FAILED: 'Webhook failed',
};

const WEBHOOK_STATUS_LABELS: Record<WebhookStatus, string> = {
  PENDING: 'webhook pending',
  SUCCEEDED: 'webhook delivered',
  FAILED: 'webhook failed',
  CANCELED: 'webhook not sent',
  NO_WEBHOOK_PROVIDED: 'no webhook',
};

const ASYNC_ERROR_LABELS: Record<string, string> = {
  MODEL_PREDICT_ERROR: 'the model raised an error',
  MODEL_PREDICT_TIMEOUT: 'the model took too long',
  MODEL_NOT_READY: 'the model was not ready',
  MODEL_DOES_NOT_EXIST: 'the model or deployment does not exist',
  MODEL_UNAVAILABLE: 'the model was unavailable (crashed or scaling)',
  MODEL_INVALID_INPUT: 'the model refused the input',
  ASYNC_REQUEST_NOT_SUPPORTED: 'this deployment does not take async requests',
  INTERNAL_SERVER_ERROR: 'Baseten had an internal error',
};

/** An async error code (`MODEL_PREDICT_ERROR`…) in words: "the model raised an error". */
export function describeAsyncError(code: string): string {
  return ASYNC_ERROR_LABELS[code] ?? code.toLowerCase().replace(/_/g, ' ');
}

export function describeAsyncStatus(status: AsyncRequestStatus | string): string {
  return ASYNC_STATUS_LABELS[status as AsyncRequestStatus] ?? status;
}

export function describeWebhookStatus(status: WebhookStatus | string): string {
  return WEBHOOK_STATUS_LABELS[status as WebhookStatus] ?? `webhook ${status}`;
}

/** "12 s", "4 min", "3 h", "2 d": the age of a request at a glance. */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86_400)} d`;
}
