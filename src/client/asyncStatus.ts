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
