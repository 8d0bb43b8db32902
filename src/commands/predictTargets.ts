import * as vscode from 'vscode';
import { isFailedStatus } from '../client';
import type { DeploymentStatus, Target } from '../client';
import { configuredChains, configuredModels } from '../config/settings';
import { PredictTarget, targetTitle } from '../predict/request';
import { ChainNode } from '../views/explorer/chainsTree';
import { ModelNode } from '../views/explorer/modelsTree';
import { ExplorerTrees } from '../views/explorer/register';
import { TargetNode } from '../views/explorer/targetNode';
import { statusLabel } from '../views/explorer/status';

export interface KnownTarget extends PredictTarget {
  status?: DeploymentStatus;
}

export function fromNode(node: TargetNode): KnownTarget {
  return { on: { kind: node.on.kind, id: node.on.id, name: node.on.name }, target: node.target, status: node.statusKnown ? node.state.status : undefined };
}

const sameTarget = (a: Target, b: Target): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Every target the explorer has loaded, then the hand-configured ones it has not. */
export function knownTargets(trees: ExplorerTrees): KnownTarget[] {
  const found: KnownTarget[] = [];
  const add = (target: KnownTarget): void => {
    if (!found.some((t) => t.on.id === target.on.id && sameTarget(t.target, target.target))) found.push(target);
  };
  for (const tree of [trees.models, trees.chains]) {
    for (const parent of tree.shownChildren() ?? []) {
      if (!(parent instanceof ModelNode) && !(parent instanceof ChainNode)) continue;
      for (const node of tree.shownChildren(parent) ?? []) if (node instanceof TargetNode) add(fromNode(node));
    }
  }
  for (const [kind, list] of [['model', configuredModels()], ['chain', configuredChains()]] as const) {
    for (const entry of list) {
      const on = { kind, id: entry.id, name: entry.name || entry.id };
      for (const name of entry.environments?.length ? entry.environments : ['production']) add({ on, target: name === 'production' ? { kind: 'production' } : { kind: 'environment', name } });
      if (entry.development) add({ on, target: { kind: 'development' } });
      for (const id of entry.deployments ?? []) add({ on, target: { kind: 'deployment', id } });
    }
  }
  return found;
}

/** The status the explorer last showed for a target, if it showed one. */
export function knownStatus(trees: ExplorerTrees, target: PredictTarget): DeploymentStatus | undefined {
  const production = (t: Target): Target => (t.kind === 'environment' && t.name === 'production' ? { kind: 'production' } : t);
  return knownTargets(trees).find((t) => t.on.id === target.on.id && sameTarget(production(t.target), production(target.target)))?.status;
}

/** Deployments that answer every request with an error are not offered (the tree still has them). */
const cannotAnswer = (status: DeploymentStatus | undefined): boolean => !!status && (status === 'INACTIVE' || status === 'DEACTIVATING' || isFailedStatus(status));

export async function pickTarget(trees: ExplorerTrees, title: string): Promise<KnownTarget | undefined> {
  const targets = knownTargets(trees).filter((t) => !cannotAnswer(t.status));
  const items: Array<vscode.QuickPickItem & { target?: KnownTarget }> = [];
  for (const kind of ['model', 'chain'] as const) {
    const group = targets.filter((t) => t.on.kind === kind);
    if (!group.length) continue;
    items.push({ label: kind === 'model' ? 'Models' : 'Chains', kind: vscode.QuickPickItemKind.Separator });
    for (const target of group) items.push({ label: targetTitle(target), description: target.status ? statusLabel(target.status) : undefined, detail: target.on.id, target });
  }
  if (!items.length) {
    const choice = await vscode.window.showWarningMessage(
      'No Baseten targets are known yet: open the Baseten view to load your models and chains, or add them to the "baseten.models" setting.',
      'Open Baseten View',
    );
    if (choice) await vscode.commands.executeCommand('workbench.view.extension.baseten');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'Send to which environment or deployment?', matchOnDetail: true });
  return picked?.target;
}
