import * as vscode from 'vscode';
import { FeatureContext, FeatureRegistration } from '../../platform/feature';
import { ExplorerNode } from '../../platform/treeNodes';
import { DeploymentsTreeProvider } from './deploymentsTree';
import { EXPLORER_COMMANDS } from './logic/commandIds';
import { ModelApisTreeProvider } from './modelApisTree';
import { OwnerNode } from './ownerNode';
import { changeActivation, copyAsCurl, copyEndpointUrl, copyId, openInDashboard } from './targetCommands';
import { TargetNode } from './targetNode';
import { wakeCommand } from './wakeCommand';

export interface ExplorerTrees {
  modelApis: ModelApisTreeProvider;
  models: DeploymentsTreeProvider;
  chains: DeploymentsTreeProvider;
  views: { modelApis: vscode.TreeView<ExplorerNode>; models: vscode.TreeView<ExplorerNode>; chains: vscode.TreeView<ExplorerNode> };
}

/** The three views of the Baseten sidebar and the commands on their nodes. Nothing loads until a view is shown. */
export function registerExplorer({ services, catalog }: FeatureContext): FeatureRegistration<(typeof EXPLORER_COMMANDS)[number], ExplorerTrees> {
  const options = { log: services.log, hasKey: async () => (await services.keys.resolve()).source !== 'none' };
  const endpoints = () => services.client.endpoints;
  const modelApis = new ModelApisTreeProvider(services, options);
  const models = new DeploymentsTreeProvider('model', catalog, endpoints, options);
  const chains = new DeploymentsTreeProvider('chain', catalog, endpoints, options);
  const views = {
    modelApis: vscode.window.createTreeView('baseten.modelApis', { treeDataProvider: modelApis, showCollapseAll: false }),
    models: vscode.window.createTreeView('baseten.models', { treeDataProvider: models, showCollapseAll: true }),
    chains: vscode.window.createTreeView('baseten.chains', { treeDataProvider: chains, showCollapseAll: true }),
  };
  const refreshAll = (): void => {
    modelApis.refresh();
    models.reload();
    chains.reload();
  };
  const treeOf = (node: TargetNode): DeploymentsTreeProvider => (node.owner.kind === 'chain' ? chains : models);
  return {
    commands: {
      'baseten.refresh': refreshAll,
      'baseten.refreshModelApis': () => modelApis.refresh(),
      'baseten.refreshModels': () => models.reload(),
      'baseten.refreshChains': () => chains.reload(),
      'baseten.wake': (node?: TargetNode) => wakeCommand(services, catalog, node),
      'baseten.copyEndpointUrl': (node: Parameters<typeof copyEndpointUrl>[1]) => copyEndpointUrl(services, node),
      'baseten.copyAsCurl': (node: Parameters<typeof copyAsCurl>[1]) => copyAsCurl(services, node),
      'baseten.copyId': (node: Parameters<typeof copyId>[0]) => copyId(node),
      'baseten.openInDashboard': (node: TargetNode | OwnerNode) => openInDashboard(services, node),
      'baseten.activate': (node: TargetNode) => changeActivation(services, node, 'activate', () => treeOf(node).reload()),
      'baseten.deactivate': (node: TargetNode) => changeActivation(services, node, 'deactivate', () => treeOf(node).reload()),
      'baseten.configureModels': (what?: 'models' | 'chains') =>
        vscode.commands.executeCommand('workbench.action.openSettings', what === 'chains' ? 'baseten.chains' : 'baseten.models'),
    },
    disposables: [
      modelApis,
      models,
      chains,
      views.modelApis,
      views.models,
      views.chains,
      // A new key or new hosts: what was shown belongs to someone else.
      services.onDidChangeClient(() => {
        catalog.forget();
        modelApis.refresh(undefined, { forget: true });
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('baseten.models')) models.reload();
        if (event.affectsConfiguration('baseten.chains')) chains.reload();
      }),
    ],
    exposed: { modelApis, models, chains, views },
  };
}
