/** What the extension remembers of an async request it submitted; persisted, so it never holds the key. */
import { parseTargetRef } from '../../../client';
import type { AsyncRequestStatus, AsyncRequestStatusResponse, TargetRef, WebhookRejection, WebhookStatus } from '../../../client';

export type AsyncError = { code: string; message: string };

export interface AsyncRequestOutput {
  receivedAt: number;
  /** `data.output` of the webhook (the whole `data` when it has no `output`). */
  output: unknown;
  errors: AsyncError[];
  /** False when the output was too large to keep across reloads. */
  persisted: boolean;
}

export interface AsyncRequest extends TargetRef {
  requestId: string;
  submittedAt: number;
  priority?: number;
  maxTimeInQueueSeconds?: number;
  webhookEndpoint?: string;
  status: AsyncRequestStatus;
  webhookStatus: WebhookStatus;
  deploymentId?: string;
  statusAt?: string;
  errors: AsyncError[];
  /** Set once polling stopped: the status is final, Baseten forgot the request, or its retention ended. */
  ended?: 'terminal' | 'forgotten' | 'retention';
  /** Why the local receiver refused this request's delivery (Baseten then reports the webhook FAILED). */
  webhookRejection?: WebhookRejection;
  /** The last failed poll, shown until the next one succeeds. */
  pollError?: string;
  output?: AsyncRequestOutput;
}

/**
 * A request as saved in workspace state, its target in today's form; undefined when it is not one. Requests
 * saved before `TargetRef` named the owner `on` and kept a `label`: they load too.
 */
export function readSavedRequest(value: unknown): AsyncRequest | undefined {
  const ref = parseTargetRef(value);
  const saved = value as Partial<AsyncRequest> & { on?: unknown; label?: unknown };
  if (!ref || typeof saved.requestId !== 'string' || typeof saved.submittedAt !== 'number') return undefined;
  const { on: _on, label: _label, ...request } = saved;
  return { ...request, ...ref, errors: saved.errors ?? [] } as AsyncRequest;
}

export function applyStatus(request: AsyncRequest, status: AsyncRequestStatusResponse): void {
  request.status = status.status;
  request.webhookStatus = status.webhook_status;
  request.deploymentId = status.deployment_id;
  request.statusAt = status.status_at;
  request.errors = status.errors ?? [];
  request.pollError = undefined;
}
