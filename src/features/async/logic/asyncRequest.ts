/** What the extension remembers of an async request it submitted; persisted, so it never holds the key. */
import type { AsyncRequestStatus, AsyncRequestStatusResponse, Invocable, Target, WebhookStatus } from '../../../client';

export interface AsyncTarget {
  on: Invocable & { name: string };
  target: Target;
  /** "production", "development", a deployment's name. */
  label: string;
}

export type AsyncError = { code: string; message: string };

export interface AsyncRequestOutput {
  receivedAt: number;
  /** `data.output` of the webhook (the whole `data` when it has no `output`). */
  output: unknown;
  errors: AsyncError[];
  /** False when the output was too large to keep across reloads. */
  persisted: boolean;
}

export interface AsyncRequest extends AsyncTarget {
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
  /** The last failed poll, shown until the next one succeeds. */
  pollError?: string;
  output?: AsyncRequestOutput;
}

export function targetKey(target: AsyncTarget): string {
  return `${target.on.kind}/${target.on.id}/${JSON.stringify(target.target)}`;
}

export function targetTitle(target: AsyncTarget): string {
  return `${target.label} of ${target.on.name}`;
}

export function applyStatus(request: AsyncRequest, status: AsyncRequestStatusResponse): void {
  request.status = status.status;
  request.webhookStatus = status.webhook_status;
  request.deploymentId = status.deployment_id;
  request.statusAt = status.status_at;
  request.errors = status.errors ?? [];
  request.pollError = undefined;
}
