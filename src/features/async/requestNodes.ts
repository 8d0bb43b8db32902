import * as vscode from 'vscode';
import { describeAsyncError, describeWebhookStatus, formatAge } from '../../client';
import { requestStatusText, webhookFailure } from './logic/requestText';
import type { AsyncRequestStatus } from '../../client';
import { AsyncRequest } from './logic/asyncRequest';
import { targetKey, targetLabel } from '../../client';
import type { TargetRef } from '../../client';
import type { QueueStatus } from './store';
import { ExplorerNode, escapeMarkdown } from '../../platform/treeNodes';
import type { FailureLogs } from '../../platform/failureNotice';

const ICONS: Record<AsyncRequestStatus, { icon: string; color?: string }> = {
  QUEUED: { icon: 'clock', color: 'charts.yellow' },
  IN_PROGRESS: { icon: 'loading~spin', color: 'charts.blue' },
  SUCCEEDED: { icon: 'pass-filled', color: 'testing.iconPassed' },
  FAILED: { icon: 'error', color: 'list.errorForeground' },
  EXPIRED: { icon: 'watch', color: 'list.warningForeground' },
  CANCELED: { icon: 'circle-slash', color: 'disabledForeground' },
  WEBHOOK_FAILED: { icon: 'warning', color: 'list.warningForeground' },
};

/** A target with async requests: its queue (from `async_queue_status`) and its requests, newest first. */
export class AsyncTargetNode implements ExplorerNode {
  readonly id: string;

  constructor(
    readonly target: TargetRef,
    readonly requests: AsyncRequest[],
    private readonly queue: QueueStatus | undefined,
  ) {
    this.id = `async/${targetKey(target)}`;
  }

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(targetLabel(this.target), vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(this.target.owner.kind === 'model' ? 'symbol-class' : 'type-hierarchy');
    item.description = this.queueText();
    const md = new vscode.MarkdownString(`**${escapeMarkdown(targetLabel(this.target))}** \`${this.target.owner.id}\`\n\n`);
    if (this.queue && this.queue.at) md.appendMarkdown(`Queue (Baseten's \`async_queue_status\`, ${formatAge(Date.now() - this.queue.at)} ago): ${this.queue.queued} queued, ${this.queue.inProgress} in progress\n\n`);
    if (this.queue?.error) md.appendMarkdown(`Queue status failed: ${escapeMarkdown(this.queue.error)}\n\n`);
    md.appendMarkdown(`${this.requests.length} ${this.requests.length === 1 ? 'request' : 'requests'} submitted from this workspace`);
    item.tooltip = md;
    item.contextValue = 'baseten.asyncTarget';
    return item;
  }

  async children(): Promise<ExplorerNode[]> {
    return this.requests.map((request) => new AsyncRequestNode(request));
  }

  private queueText(): string {
    if (!this.queue || !this.queue.at) return this.queue?.error ? 'queue status unavailable' : '';
    return `${this.queue.queued} queued · ${this.queue.inProgress} in progress`;
  }
}

export class AsyncRequestNode implements ExplorerNode {
  readonly id: string;

  constructor(readonly request: AsyncRequest) {
    this.id = `async/request/${request.requestId}`;
  }

  /** `baseten.showLogs` takes a node as a failure: the request's lines on its deployment. */
  get logs(): FailureLogs {
    return asyncRequestLogs(this.request);
  }

  get transitional(): boolean {
    return !this.request.ended;
  }

  treeItem(): vscode.TreeItem {
    const request = this.request;
    const item = new vscode.TreeItem(request.requestId.slice(0, 12), vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    const icon = ICONS[request.status] ?? { icon: 'question' };
    item.iconPath = new vscode.ThemeIcon(icon.icon, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
    item.description = `${requestStatusText(request)} · ${formatAge(Date.now() - request.submittedAt)}`;
    item.tooltip = this.tooltip();
    item.contextValue = this.contextTokens().join(' ');
    if (request.output) item.command = { command: 'baseten.openAsyncOutput', title: 'Open Output', arguments: [this] };
    return item;
  }

  private tooltip(): vscode.MarkdownString {
    const request = this.request;
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**Async request** \`${request.requestId}\`\n\n| | |\n|---|---|\n`);
    md.appendMarkdown(`| Status | ${escapeMarkdown(requestStatusText(request))}${request.ended ? '' : ' (watching)'} |\n`);
    md.appendMarkdown(`| Webhook | ${describeWebhookStatus(request.webhookStatus)}${request.webhookEndpoint ? ` \`${request.webhookEndpoint}\`` : ''} |\n`);
    md.appendMarkdown(`| Target | ${escapeMarkdown(targetLabel(request))} |\n`);
    if (request.deploymentId) md.appendMarkdown(`| Deployment | \`${request.deploymentId}\` |\n`);
    md.appendMarkdown(`| Submitted | ${new Date(request.submittedAt).toLocaleString()} (${formatAge(Date.now() - request.submittedAt)} ago) |\n`);
    if (request.statusAt) md.appendMarkdown(`| Status since | ${new Date(request.statusAt).toLocaleString()} |\n`);
    if (request.priority !== undefined) md.appendMarkdown(`| Priority | ${request.priority} |\n`);
    if (request.maxTimeInQueueSeconds !== undefined) md.appendMarkdown(`| Max time in queue | ${request.maxTimeInQueueSeconds} s |\n`);
    const why = explanation(request);
    if (why) md.appendMarkdown(`\n\n${why}`);
    for (const error of request.errors) md.appendMarkdown(`\n\n$(error) **${escapeMarkdown(describeAsyncError(error.code))}** (\`${error.code}\`): ${escapeMarkdown(error.message)}`);
    if (request.pollError) md.appendMarkdown(`\n\n$(warning) ${escapeMarkdown(request.pollError)}`);
    if (request.output) {
      md.appendMarkdown(
        request.output.persisted || request.output.output !== undefined
          ? `\n\nOutput received ${new Date(request.output.receivedAt).toLocaleString()} (signature verified). Click to open it.`
          : '\n\nAn output was received, but it was too large to keep across a reload.',
      );
    } else if (request.status === 'SUCCEEDED' && request.webhookStatus === 'NO_WEBHOOK_PROVIDED') {
      md.appendMarkdown("\n\nBaseten does not store outputs: without a webhook, only the model's own storage has the result.");
    }
    return md;
  }

  private contextTokens(): string[] {
    const tokens = ['baseten.asyncRequest', `status-${this.request.status}`];
    if (this.request.status === 'QUEUED') tokens.push('cancelable');
    if (this.request.output) tokens.push('hasOutput');
    if (!this.request.ended) tokens.push('watching');
    return tokens;
  }
}

/** What a final status means, where Baseten sends no error of its own. */
function explanation(request: AsyncRequest): string | undefined {
  switch (request.status) {
    case 'EXPIRED':
      return `$(watch) Still queued after its max time in queue (${request.maxTimeInQueueSeconds ?? 600} s), so Baseten dropped it without running it.`;
    case 'CANCELED':
      return 'Canceled while it was queued; it never ran.';
    case 'WEBHOOK_FAILED':
      return `$(warning) The model ran, but its output did not reach the webhook, and Baseten keeps no copy. ${escapeMarkdown(webhookFailure(request)?.sentence ?? '')}`;
    case 'FAILED':
      return request.errors.length ? undefined : '$(error) The model failed after its retries.';
    default:
      return undefined;
  }
}

/** Where *Show Logs* leads for an async request: its deployment's logs from before it ran, only its lines. */
export function asyncRequestLogs(request: AsyncRequest): FailureLogs {
  const at = request.statusAt ? Date.parse(request.statusAt) : NaN;
  return { owner: request.owner, target: request.target, atMs: Number.isFinite(at) ? at : request.submittedAt, requestId: request.requestId, ...(request.deploymentId ? { deploymentId: request.deploymentId } : {}) };
}
