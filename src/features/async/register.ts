import * as vscode from 'vscode';
import { FeatureContext, FeatureRegistration } from '../../platform/feature';
import type { TargetRef } from '../../client';
import { LocalWebhookReceiver } from './receiver';
import { AsyncRequestStore } from './store';
import { AsyncDeps, FinishedNotice, cancelAsyncRequest, notifyFinished, openAsyncOutput } from './requestCommands';
import { AsyncSubmitPreset, submitAsyncRequest } from './submit';
import { setWebhookSecret, startWebhookReceiver, stopWebhookReceiver } from './receiverCommands';
import { notifyWhenFinished } from './settings';
import { AsyncRequestNode, AsyncTargetNode } from './requestNodes';
import { AsyncOutputDocuments, OUTPUT_SCHEME } from './outputDocuments';
import { AsyncRequestsTreeProvider } from './requestsTree';
import { ExplorerNode } from '../../platform/treeNodes';
import { TargetNode } from '../explorer/targetNode';
import { ASYNC_COMMANDS } from './logic/commandIds';

/** What integration tests reach of the async feature through the extension's API. */
export interface AsyncRequestsApi {
  readonly store: AsyncRequestStore;
  readonly receiver: LocalWebhookReceiver;
  readonly tree: AsyncRequestsTreeProvider;
  readonly view: vscode.TreeView<ExplorerNode>;
  /** Fires with each "request finished" notification as it is shown. */
  readonly onDidNotifyFinished: vscode.Event<FinishedNotice>;
}

/** The Async Requests view, its commands, the output documents and the webhook receiver. */
export function registerAsyncRequests({ context, services, catalog }: FeatureContext): FeatureRegistration<(typeof ASYNC_COMMANDS)[number], AsyncRequestsApi> {
  const store = new AsyncRequestStore(services, context.workspaceState);
  const receiver = new LocalWebhookReceiver(context.secrets, store, services.log, context.workspaceState);
  const tree = new AsyncRequestsTreeProvider(store);
  const outputs = new AsyncOutputDocuments(store);
  const notified = new vscode.EventEmitter<FinishedNotice>();
  const view = vscode.window.createTreeView('baseten.asyncRequests', { treeDataProvider: tree, showCollapseAll: true });
  const deps: AsyncDeps = { services, store, receiver, catalog, memento: context.workspaceState };
  // Binding a port waits until activation has returned; requests sent before a reload still get their webhooks.
  const restoring = setTimeout(() => void receiver.restore(), 0);
  return {
    commands: {
      'baseten.submitAsyncRequest': (node?: TargetNode | AsyncTargetNode | TargetRef, preset?: AsyncSubmitPreset) =>
        submitAsyncRequest(deps, node instanceof AsyncTargetNode ? node.target : node && typeof node === 'object' && 'owner' in node ? node : undefined, preset),
      'baseten.cancelAsyncRequest': (node: AsyncRequestNode) => cancelAsyncRequest(deps, node),
      'baseten.openAsyncOutput': (node: AsyncRequestNode) => openAsyncOutput(node),
      'baseten.startWebhookReceiver': () => startWebhookReceiver(deps),
      'baseten.stopWebhookReceiver': () => stopWebhookReceiver(deps),
      'baseten.setWebhookSecret': () => setWebhookSecret(deps),
      'baseten.refreshAsyncRequests': async () => {
        await store.refreshQueues();
        tree.refresh();
      },
      'baseten.clearFinishedAsyncRequests': () => store.clearFinished(),
    },
    disposables: [
      store,
      receiver,
      tree,
      view,
      outputs,
      vscode.workspace.registerTextDocumentContentProvider(OUTPUT_SCHEME, outputs),
      notified,
      store.onDidFinish((request) => {
        if (notifyWhenFinished()) notified.fire(notifyFinished(request));
      }),
      { dispose: () => clearTimeout(restoring) },
    ],
    exposed: { store, receiver, tree, view, onDidNotifyFinished: notified.event },
  };
}
