import * as vscode from 'vscode';
import { classifyKeyRefusal } from './client';
import { DeploymentCatalog } from './catalog/deploymentCatalog';
import { registerAsyncRequests } from './features/async/register';
import { registerChat } from './features/chat/register';
import { registerExplorer } from './features/explorer/register';
import { registerInline } from './features/inline/register';
import { registerKeys } from './features/keys/register';
import { registerLm } from './features/lm/register';
import { registerMetrics } from './features/metrics/register';
import { registerOperate } from './features/operate/register';
import { registerLogs } from './features/logs/register';
import { registerPredict } from './features/predict/register';
import { registerTruss } from './features/truss/register';
import { registerWebSocket } from './features/websocket/register';
import { ApiKeyStore } from './platform/apiKeyStore';
import { FeatureContext, FeatureRegistration } from './platform/feature';
import { BasetenLog } from './platform/log';
import { BasetenServices } from './platform/services';
import { configuredChains, configuredModels, statusPollMs } from './platform/settings';

/**
 * Builds the services and the deployment catalog, then each feature; registers every feature's commands in
 * one place. Sends no request: everything loads when first shown or used.
 */
export function activate(context: vscode.ExtensionContext): BasetenTestApi | undefined {
  const started = performance.now();
  const version = String(context.extension.packageJSON.version ?? '0.0.0');
  const log = new BasetenLog();
  const keys = new ApiKeyStore(context.secrets);
  const services = new BasetenServices(keys, log, `baseten-vscode/${version} (VS Code ${vscode.version}; Node ${process.versions.node}; ${process.platform})`);
  const catalog = new DeploymentCatalog({
    management: () => services.client.management,
    refusal: (error, signal) => classifyKeyRefusal(error, () => services.client.modelApis.listModels({ signal })),
    configured: (kind) => (kind === 'model' ? configuredModels() : configuredChains()),
    pollMs: statusPollMs,
  });
  context.subscriptions.push(log, keys, services, { dispose: () => catalog.dispose() });

  const base: FeatureContext = { context, services, catalog };
  const keysFeature = registerKeys(base);
  const explorer = registerExplorer(base);
  const chat = registerChat(base);
  const inline = registerInline(base, chat.exposed);
  const predict = registerPredict(base);
  const asyncRequests = registerAsyncRequests(base);
  const websocket = registerWebSocket(base);
  const logs = registerLogs(base);
  const truss = registerTruss(base, predict.exposed.controller);
  const lm = registerLm(base, asyncRequests.exposed.store, chat.exposed.routes);
  const metrics = registerMetrics(base, explorer.exposed.models);
  const operate = registerOperate(base);
  const features: Array<FeatureRegistration<string, unknown>> = [keysFeature, explorer, chat, inline, predict, asyncRequests, websocket, logs, lm, metrics, operate, truss];
  for (const feature of features) {
    context.subscriptions.push(...feature.disposables);
    for (const [id, handler] of Object.entries(feature.commands)) context.subscriptions.push(vscode.commands.registerCommand(id, handler as (...args: unknown[]) => unknown));
  }

  // Only the integration suite gets a handle on the extension's parts; users' other extensions get nothing.
  if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  return {
    version,
    services,
    catalog,
    trees: explorer.exposed,
    statusBar: keysFeature.exposed,
    chat: chat.exposed,
    inline: inline.exposed,
    websocket: websocket.exposed,
    logs: logs.exposed,
    predict: predict.exposed,
    asyncRequests: asyncRequests.exposed,
    metrics: metrics.exposed,
    truss: truss.exposed,
    logUri: context.logUri,
    activationMs: performance.now() - started,
  };
}

/** What the integration tests reach through `vscode.extensions.getExtension(...).exports`, in test mode only. */
export interface BasetenTestApi {
  readonly version: string;
  readonly services: BasetenServices;
  readonly catalog: DeploymentCatalog;
  readonly trees: ReturnType<typeof registerExplorer>['exposed'];
  readonly statusBar: ReturnType<typeof registerKeys>['exposed'];
  readonly chat: ReturnType<typeof registerChat>['exposed'];
  readonly inline: ReturnType<typeof registerInline>['exposed'];
  readonly websocket: ReturnType<typeof registerWebSocket>['exposed'];
  readonly logs: ReturnType<typeof registerLogs>['exposed'];
  readonly predict: ReturnType<typeof registerPredict>['exposed'];
  readonly asyncRequests: ReturnType<typeof registerAsyncRequests>['exposed'];
  readonly metrics: ReturnType<typeof registerMetrics>['exposed'];
  readonly truss: ReturnType<typeof registerTruss>['exposed'];
  /** The folder of the extension's log files (the "Baseten" channel writes `Baseten.log` there). */
  readonly logUri: vscode.Uri;
  /** Milliseconds `activate` took, measured inside it. */
  readonly activationMs: number;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
