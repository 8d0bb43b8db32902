import * as vscode from 'vscode';
import { statusPollMs } from '../../platform/settings';
import { BasetenServices } from '../../platform/services';
import { ChainsTreeProvider } from './chainsTree';
import { ModelApisTreeProvider } from './modelApisTree';
import { ModelsTreeProvider } from './modelsTree';
import { ExplorerNode } from '../../platform/treeNodes';

export interface ExplorerTrees {
  modelApis: ModelApisTreeProvider;
  models: ModelsTreeProvider;
  chains: ChainsTreeProvider;
  views: { modelApis: vscode.TreeView<ExplorerNode>; models: vscode.TreeView<ExplorerNode>; chains: vscode.TreeView<ExplorerNode> };
  refreshAll(options?: { forget?: boolean }): void;
}

/** The three views of the Baseten sidebar. Nothing loads until a view is shown. */
export function registerExplorer(context: vscode.ExtensionContext, services: BasetenServices): ExplorerTrees {
  const options = {
    log: services.log,
    pollMs: statusPollMs,
    hasKey: async () => (await services.keys.resolve()).source !== 'none',
  };
  const modelApis = new ModelApisTreeProvider(services, options);
  const models = new ModelsTreeProvider(services, options);
  const chains = new ChainsTreeProvider(services, options);
  const refreshAll = (options?: { forget?: boolean }): void => {
    modelApis.refresh(undefined, options);
    models.refresh(undefined, options);
    chains.refresh(undefined, options);
  };
  const views = {
    modelApis: vscode.window.createTreeView('baseten.modelApis', { treeDataProvider: modelApis, showCollapseAll: false }),
    models: vscode.window.createTreeView('baseten.models', { treeDataProvider: models, showCollapseAll: true }),
    chains: vscode.window.createTreeView('baseten.chains', { treeDataProvider: chains, showCollapseAll: true }),
  };
  context.subscriptions.push(
    modelApis,
    models,
    chains,
    views.modelApis,
    views.models,
    views.chains,
    services.onDidChangeClient(() => refreshAll({ forget: true })),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('baseten.models')) models.refresh();
      if (event.affectsConfiguration('baseten.chains')) chains.refresh();
    }),
  );
  return { modelApis, models, chains, views, refreshAll };
}
