import * as vscode from 'vscode';
import { AsyncRequestsApi, registerAsyncRequests } from './features/async/register';
import { ChatPanels } from './features/chat/chatPanels';
import { InlineEdits } from './features/inline/inlineEdits';
import { PredictApi, registerPredict } from './features/predict/register';
import { registerCommands } from './features/commands';
import { WebSocketPanels } from './features/websocket/sessionPanels';
import { coldStartCheck } from './platform/coldStart';
import { ApiKeyStore } from './platform/apiKeyStore';
import { registerLanguageModels } from './features/lm/chatProvider';
import { BasetenLog } from './platform/log';
import { BasetenServices } from './platform/services';
import { ExplorerTrees, registerExplorer } from './features/explorer/register';
import { KeyStatusBar } from './features/keys/statusBar';

/** What integration tests reach through `vscode.extensions.getExtension(...).exports`. */
export interface BasetenExtensionApi {
  readonly version: string;
  readonly services: BasetenServices;
  readonly trees: ExplorerTrees;
  readonly statusBar: KeyStatusBar;
  readonly chat: ChatPanels;
  readonly inline: InlineEdits;
  readonly websocket: WebSocketPanels;
  /** Milliseconds `activate` took, measured inside it. */
  readonly activationMs: number;
  /** The folder of the extension's log files (the "Baseten" channel writes `Baseten.log` there). */
  readonly logUri: vscode.Uri;
  /** Predict requests, their response documents and the request history. */
  readonly predict: PredictApi;
  /** The Async Requests view, its store (with the shared status budget) and the webhook receiver. */
  readonly asyncRequests: AsyncRequestsApi;
}

export function activate(context: vscode.ExtensionContext): BasetenExtensionApi {
  const started = performance.now();
  const version = String(context.extension.packageJSON.version ?? '0.0.0');
  const log = new BasetenLog();
  const keys = new ApiKeyStore(context.secrets);
  const services = new BasetenServices(keys, log, `baseten-vscode/${version} (VS Code ${vscode.version}; Node ${process.versions.node}; ${process.platform})`);
  const statusBar = new KeyStatusBar(services);
  context.subscriptions.push(log, keys, services, statusBar);

  const trees = registerExplorer(context, services);
  const chat = new ChatPanels(context, services, trees);
  const inline = new InlineEdits(context, services, chat);
  const coldStart = coldStartCheck(trees);
  const websocket = new WebSocketPanels(context, services, coldStart);
  context.subscriptions.push(chat, inline, websocket);
  registerCommands(context, services, trees, { chat, inline });
  const predict = registerPredict(context, services, trees);
  const asyncRequests = registerAsyncRequests(context, services, coldStart);
  const languageModels = registerLanguageModels(services);
  if (languageModels) context.subscriptions.push(languageModels);

  // The key lookup reads secret storage and maybe ~/.trussrc: done after activation returns, never blocking it.
  const updateKeyContext = (hasKey: boolean): Thenable<unknown> => vscode.commands.executeCommand('setContext', 'baseten.hasApiKey', hasKey);
  context.subscriptions.push(keys.onDidChange((resolved) => void updateKeyContext(resolved.source !== 'none')));
  void keys.resolve().then((resolved) => {
    void updateKeyContext(resolved.source !== 'none');
    void statusBar.initialize();
  });

  return { version, services, trees, statusBar, chat, inline, logUri: context.logUri, predict, websocket, asyncRequests, activationMs: performance.now() - started };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
