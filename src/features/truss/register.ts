import * as vscode from 'vscode';
import { FeatureContext, FeatureRegistration } from '../../platform/feature';
import type { PredictController } from '../predict/predictRun';
import { ConfigDiagnostics } from './configDiagnostics';
import { TrussContext } from './deploy';
import { TRUSS_COMMANDS } from './logic/commandIds';
import { PredictCodeLens } from './predictLens';
import { TrussProjects } from './projectStore';
import { TrussProjectsTree } from './projectsTree';
import { ProjectArgument, deployCommand, predictCommand, resolveProject, startWatchCommand, stopWatchCommand } from './trussCommands';
import { TrussWatcher } from './watch';

export interface TrussFeature {
  readonly context: TrussContext;
  readonly tree: TrussProjectsTree;
  readonly view: vscode.TreeView<unknown>;
  readonly watcher: TrussWatcher;
  readonly codeLens: PredictCodeLens;
}

/**
 * The Truss dev loop: the workspace's Truss projects in the sidebar, config.yaml checked as it is typed, Deploy
 * to Development / Publish / Publish and Promote, Watch (live patches) and a CodeLens that calls the
 * development deployment from model.py.
 */
export function registerTruss(base: FeatureContext, predict: PredictController): FeatureRegistration<(typeof TRUSS_COMMANDS)[number], TrussFeature> {
  const { context: extension, services, catalog } = base;
  const projects = new TrussProjects(extension.workspaceState);
  const diagnostics = new ConfigDiagnostics(projects);
  const context: TrussContext = { services, catalog, projects, diagnostics };
  const tree = new TrussProjectsTree(context);
  const view = vscode.window.createTreeView('baseten.trussProjects', { treeDataProvider: tree, showCollapseAll: true });
  const watcher = new TrussWatcher(context);
  const codeLens = new PredictCodeLens(projects);
  const lensRegistration = vscode.languages.registerCodeLensProvider({ language: 'python', scheme: 'file' }, codeLens);
  return {
    commands: {
      'baseten.truss.deployDevelopment': (argument?: ProjectArgument) => deployCommand(context, argument, 'development'),
      'baseten.truss.publish': (argument?: ProjectArgument) => deployCommand(context, argument, false),
      'baseten.truss.publishAndPromote': (argument?: ProjectArgument) => deployCommand(context, argument, true),
      'baseten.truss.startWatch': (argument?: ProjectArgument) => startWatchCommand(context, watcher, argument),
      'baseten.truss.stopWatch': (argument?: ProjectArgument) => stopWatchCommand(context, watcher, argument),
      'baseten.truss.predict': (argument?: ProjectArgument) => predictCommand(context, predict, extension.workspaceState, argument),
      'baseten.truss.refreshProjects': () => tree.refresh(),
      'baseten.truss.openConfig': async (argument?: ProjectArgument) => {
        const project = await resolveProject(context, argument, 'Open config.yaml');
        if (project) await vscode.window.showTextDocument(vscode.Uri.file(project.configPath));
      },
    },
    disposables: [projects, diagnostics, tree, view, watcher, codeLens, lensRegistration],
    exposed: { context, tree, view: view as vscode.TreeView<unknown>, watcher, codeLens },
  };
}
