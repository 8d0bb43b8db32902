/** How an async request reads to a user: one status text, and why a webhook failed. Plain Node. */
import { WEBHOOK_PATH, describeAsyncError, describeAsyncStatus } from '../../../client';
import type { AsyncRequest } from './asyncRequest';

export interface WebhookFailure {
  /** A few words for the view: "bad signature", "unreachable". */
  short: string;
  /** What happened and what to do, for the tooltip and the notification. */
  sentence: string;
  /** The command that fixes it, when there is one. */
  fix?: 'setSecret' | 'startReceiver';
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function where(url: string): 'receiver' | 'local' | 'remote' {
  try {
    const parsed = new URL(url);
    if (!LOCAL_HOSTS.has(parsed.hostname)) return 'remote';
    return parsed.pathname === WEBHOOK_PATH ? 'receiver' : 'local';
  } catch {
    return 'remote';
  }
}

/** Why the output did not reach the webhook; undefined unless the delivery failed. */
export function webhookFailure(request: AsyncRequest): WebhookFailure | undefined {
  if (request.status !== 'WEBHOOK_FAILED' && request.webhookStatus !== 'FAILED') return undefined;
  const url = request.webhookEndpoint ?? 'the webhook';
  switch (request.webhookRejection) {
    case 'bad_signature':
      return {
        short: 'bad signature',
        sentence: "The local receiver refused the delivery: its signature does not match the webhook secret stored here. Store Baseten's webhook secret with Set Webhook Secret.",
        fix: 'setSecret',
      };
    case 'no_secret':
      return { short: 'no secret here', sentence: 'The local receiver had no webhook secret, so it could not verify the delivery. Start the receiver again to create one.', fix: 'startReceiver' };
    case 'too_large':
      return { short: 'output too large', sentence: 'The output was larger than the local receiver accepts (64 MiB).' };
    case 'busy':
      return { short: 'receiver busy', sentence: 'The local receiver was reading other deliveries and refused this one; Baseten retries a delivery only once.' };
    case 'bad_body':
      return { short: 'unreadable delivery', sentence: 'The delivery was not the JSON Baseten sends, so the local receiver refused it.' };
    case 'not_found':
    case 'method':
      return { short: 'refused', sentence: `The local receiver refused the delivery to ${url}: wrong path or method.` };
    default:
      if (where(url) === 'receiver') {
        return {
          short: 'unreachable',
          sentence: `Nothing answered at ${url}: the local receiver was not running when Baseten delivered, or Baseten cannot reach this machine (it needs a tunnel).`,
          fix: 'startReceiver',
        };
      }
      if (where(url) === 'local') return { short: 'unreachable', sentence: `Nothing answered at ${url}: nothing listens there, or Baseten cannot reach this machine.` };
      return { short: 'not delivered', sentence: `Baseten could not deliver to ${url}: it could not connect, got no answer within 10 s, or got an error status (Baseten does not say which).` };
  }
}

/** The one status text of a request: "Succeeded, output received", "Webhook failed: bad signature". */
export function requestStatusText(request: AsyncRequest): string {
  const webhook = webhookFailure(request);
  if (webhook) return `Webhook failed: ${webhook.short}`;
  switch (request.status) {
    case 'FAILED':
      return request.errors[0] ? `Failed: ${describeAsyncError(request.errors[0].code)}` : 'Failed';
    case 'SUCCEEDED':
      if (request.output) return 'Succeeded, output received';
      if (request.webhookEndpoint && request.webhookStatus === 'PENDING') return 'Succeeded, output on its way';
      return request.webhookEndpoint ? 'Succeeded' : 'Succeeded, no webhook';
    case 'EXPIRED':
      return 'Expired in the queue';
    case 'QUEUED':
    case 'IN_PROGRESS':
      return request.pollError && !request.ended ? `${describeAsyncStatus(request.status)}, status check failing` : describeAsyncStatus(request.status);
    default:
      return describeAsyncStatus(request.status);
  }
}
