import * as vscode from 'vscode';
import { targetLabel } from '../../client';
import { AsyncRequest } from './logic/asyncRequest';
import { LocalWebhookReceiver } from './receiver';
import { AsyncRequestStore } from './store';
import { BasetenServices } from '../../platform/services';
import { DeploymentCatalog } from '../../catalog/deploymentCatalog';
import { AsyncRequestNode } from './requestNodes';
import { AsyncOutputDocuments } from './outputDocuments';
import { showFailure } from '../../platform/failureNotice';

export interface AsyncDeps {
  services: BasetenServices;
  store: AsyncRequestStore;
  receiver: LocalWebhookReceiver;
  catalog: DeploymentCatalog;
}

export type CancelOutcome = 'canceled' | 'not_queued' | 'refused' | 'failed';

/** Baseten cancels only QUEUED requests; for any other status the user is told why nothing is sent. */
export async function cancelAsyncRequest(deps: AsyncDeps, node: AsyncRequestNode | AsyncRequest): Promise<CancelOutcome> {
  const request = node instanceof AsyncRequestNode ? node.request : node;
  const short = request.requestId.slice(0, 12);
  if (request.status !== 'QUEUED') {
    void vscode.window.showInformationMessage(
      `Async request ${short} is ${request.status}: Baseten can only cancel requests that are still QUEUED. Once a request is IN_PROGRESS it runs to its end.`,
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
  const document = await vscode.workspace.openTextDocument(AsyncOutputDocuments.uriFor(request.requestId));
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
  return notice('warning', `Async request ${short} on ${where} ended ${request.status}${request.errors[0] ? `: ${request.errors[0].code}: ${request.errors[0].message}` : ''}.`);
}

/** Shows the notice of a request that ended; returns what it showed. */
export function notifyFinished(request: AsyncRequest): FinishedNotice {
  const notice = finishedNotice(request);
  const show = notice.level === 'info' ? vscode.window.showInformationMessage(notice.message, ...notice.actions) : vscode.window.showWarningMessage(notice.message, ...notice.actions);
  void Promise.resolve(show).then((choice) => {
    if (choice === 'Open Output') void openAsyncOutput(request);
  });
  return notice;
}
