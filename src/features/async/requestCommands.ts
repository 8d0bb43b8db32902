import * as vscode from 'vscode';
import { targetLabel } from '../../client';
import { AsyncRequest } from './logic/asyncRequest';
import { LocalWebhookReceiver } from './receiver';
import { AsyncRequestStore } from './store';
import { BasetenServices } from '../../platform/services';
import { DeploymentCatalog } from '../../catalog/deploymentCatalog';
import { AsyncRequestNode, asyncRequestLogs } from './requestNodes';
import { AsyncOutputDocuments } from './outputDocuments';
import { requestStatusText, webhookFailure } from './logic/requestText';
import { showFailure } from '../../platform/failureNotice';
export interface AsyncDeps {
  services: BasetenServices;
  store: AsyncRequestStore;
  receiver: LocalWebhookReceiver;
  catalog: DeploymentCatalog;
  /** Workspace state: what the submit form remembers. */
  memento: vscode.Memento;
}

export type CancelOutcome = 'canceled' | 'not_queued' | 'refused' | 'failed';

/** Baseten cancels only QUEUED requests; for any other status the user is told why nothing is sent. */
export async function cancelAsyncRequest(deps: AsyncDeps, node: AsyncRequestNode | AsyncRequest): Promise<CancelOutcome> {
  const request = node instanceof AsyncRequestNode ? node.request : node;
  const short = request.requestId.slice(0, 12);
  if (request.status !== 'QUEUED') {
    void vscode.window.showInformationMessage(
      `Async request ${short} is ${requestStatusText(request).toLowerCase()}: Baseten cancels only requests still in the queue; once one runs, it runs to its end.`,
    );
    return 'not_queued';
  }
  try {
    const result = await deps.store.cancel(request);
    if (result.canceled) {
      void vscode.window.setStatusBarMessage(`Canceled async request ${short}`, 3000);
      return 'canceled';
    }
    void vscode.window.showInformationMessage(`Baseten did not cancel ${short}: ${result.message || 'it is no longer queued'}`);
    return 'refused';
  } catch (error) {
    showFailure(deps.services.log, `Canceling the async request ${short}`, error);
    return 'failed';
  }
}

export async function openAsyncOutput(node: AsyncRequestNode | AsyncRequest): Promise<vscode.TextEditor | undefined> {
  const request = node instanceof AsyncRequestNode ? node.request : node;
  if (!request.output) {
    void vscode.window.showInformationMessage(
      `No output has arrived for ${request.requestId.slice(0, 12)}. Baseten delivers outputs only to a webhook: submit with the local webhook receiver running to see them here.`,
    );
    return undefined;
  }
  const document = await vscode.workspace.openTextDocument(AsyncOutputDocuments.uriFor(request));
  await vscode.languages.setTextDocumentLanguage(document, 'json');
  return vscode.window.showTextDocument(document, { preview: true });
}

export interface FinishedNotice {
  requestId: string;
  level: 'info' | 'warning';
  message: string;
  actions: string[];
}

/** What to say when a watched request ends: its first error, and its output when there is one. */
export function finishedNotice(request: AsyncRequest): FinishedNotice {
  const short = request.requestId.slice(0, 12);
  const where = targetLabel(request);
  const actions = request.output ? ['Open Output'] : [];
  const notice = (level: FinishedNotice['level'], message: string, offered = actions): FinishedNotice => ({ requestId: request.requestId, level, message, actions: offered });
  if (request.status === 'SUCCEEDED') {
    return notice('info', `Async request ${short} on ${where} succeeded${request.output || request.webhookEndpoint ? '' : ' (no webhook: Baseten keeps no output)'}.`);
  }
  if (request.status === 'CANCELED') return notice('info', `Async request ${short} on ${where} was canceled.`, []);
  const webhook = webhookFailure(request);
  if (webhook) {
    const fix = webhook.fix === 'setSecret' ? ['Set Webhook Secret'] : webhook.fix === 'startReceiver' ? ['Start Webhook Receiver'] : [];
    return notice('warning', `Async request ${short} on ${where} ran, but its webhook failed: ${webhook.short}. ${webhook.sentence}`, fix);
  }
  const error = request.errors[0];
  const status = requestStatusText(request);
  const logs = request.status === 'FAILED' ? ['Show Logs'] : [];
  return notice('warning', `Async request ${short} on ${where} ${status[0].toLowerCase()}${status.slice(1)}${error ? ` (${error.message.replace(/\.$/, '')})` : ''}.`, [...actions, ...logs]);
}

/** Shows the notice of a request that ended; returns what it showed. */
export function notifyFinished(request: AsyncRequest): FinishedNotice {
  const notice = finishedNotice(request);
  const show = notice.level === 'info' ? vscode.window.showInformationMessage(notice.message, ...notice.actions) : vscode.window.showWarningMessage(notice.message, ...notice.actions);
  void Promise.resolve(show).then((choice) => {
    if (choice === 'Open Output') void openAsyncOutput(request);
    if (choice === 'Set Webhook Secret') void vscode.commands.executeCommand('baseten.setWebhookSecret');
    if (choice === 'Start Webhook Receiver') void vscode.commands.executeCommand('baseten.startWebhookReceiver');
    if (choice === 'Show Logs') void vscode.commands.executeCommand('baseten.showLogs', asyncRequestLogs(request));
  });
  return notice;
}
