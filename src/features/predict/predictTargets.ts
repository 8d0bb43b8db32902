import * as vscode from 'vscode';
import { environmentByName, isFailedStatus } from '../../client';
import type { DeploymentStatus, Target } from '../../client';
import { configuredChains, configuredModels } from '../../platform/settings';
import { targetLabel } from '../../client';
import type { TargetRef } from '../../client';
import { BasetenServices } from '../../platform/services';
import { ExplorerTrees } from '../explorer/register';
import { listTargets, shownTargetNodes } from '../explorer/targetListing';
import { TargetNode } from '../explorer/targetNode';
import { statusLabel } from '../../platform/deploymentStatus';
import { pickLoaded } from '../../platform/loadingQuickPick';

export interface KnownTarget extends TargetRef {
  status?: DeploymentStatus;
}

export function fromNode(node: TargetNode): KnownTarget {
  return { owner: { kind: node.owner.kind, id: node.owner.id, name: node.owner.name }, target: node.target, status: node.statusKnown ? node.state.status : undefined };
}

const sameTarget = (a: Target, b: Target): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Every target the explorer has loaded, then the hand-configured ones it has not. */
export function knownTargets(trees: ExplorerTrees): KnownTarget[] {
  const found: KnownTarget[] = [];
  const add = (target: KnownTarget): void => {
    if (!found.some((t) => t.owner.id === target.owner.id && sameTarget(t.target, target.target))) found.push(target);
  };
  for (const tree of [trees.models, trees.chains]) for (const node of shownTargetNodes(tree)) add(fromNode(node));
  for (const [kind, list] of [['model', configuredModels()], ['chain', configuredChains()]] as const) {
    for (const entry of list) {
      const owner = { kind, id: entry.id, name: entry.name || entry.id };
      for (const name of entry.environments?.length ? entry.environments : ['production']) add({ owner, target: environmentByName(name) });
      if (entry.development) add({ owner, target: { kind: 'development' } });
      for (const id of entry.deployments ?? []) add({ owner, target: { kind: 'deployment', id } });
    }
  }
  return found;
}

/** The status the explorer last showed for a target, if it showed one. */
export function knownStatus(trees: ExplorerTrees, target: { owner: { id: string }; target: Target }): DeploymentStatus | undefined {
  const production = (t: Target): Target => (t.kind === 'environment' && t.name === 'production' ? { kind: 'production' } : t);
  return knownTargets(trees).find((t) => t.owner.id === target.owner.id && sameTarget(production(t.target), production(target.target)))?.status;
}

/** Deployments that answer every request with an error are not offered (the tree still has them). */
const cannotAnswer = (status: DeploymentStatus | undefined): boolean => !!status && (status === 'INACTIVE' || status === 'DEACTIVATING' || isFailedStatus(status));

const targetKey = (t: TargetRef): string => `${t.owner.kind}/${t.owner.id}/${JSON.stringify(t.target)}`;

/**
 * Every target of every model and chain from the management API (and the hand-configured ones), minus those
 * that cannot answer. Targets the explorer showed stay offered for owners whose listing failed.
 */
export async function loadTargets(services: BasetenServices, trees: ExplorerTrees, signal?: AbortSignal): Promise<KnownTarget[]> {
  const { listed, error } = await listTargets(services, signal);
  const found = new Map<string, KnownTarget>();
  for (const { targets } of listed) for (const node of targets) found.set(targetKey(fromNode(node)), fromNode(node));
  const failed = new Set(listed.filter((l) => l.error).map((l) => l.owner.owner.id));
  const answered = new Set(listed.filter((l) => !l.error).map((l) => l.owner.owner.id));
  for (const target of knownTargets(trees)) {
    const unlisted = failed.has(target.owner.id) || (error !== undefined && !answered.has(target.owner.id));
    if (unlisted && !found.has(targetKey(target))) found.set(targetKey(target), target);
  }
  return [...found.values()].filter((t) => !cannotAnswer(t.status));
}

type TargetItem = vscode.QuickPickItem & { target?: KnownTarget };

function targetItems(targets: KnownTarget[]): TargetItem[] {
  const items: TargetItem[] = [];
  for (const kind of ['model', 'chain'] as const) {
    const group = targets.filter((t) => t.owner.kind === kind);
    if (!group.length) continue;
    items.push({ label: kind === 'model' ? 'Models' : 'Chains', kind: vscode.QuickPickItemKind.Separator });
    for (const target of group) items.push({ label: targetLabel(target), description: target.status ? statusLabel(target.status) : undefined, detail: target.owner.id, target });
  }
  return items;
}

/** Opens at once with the targets the explorer already shows, then offers every target the API lists. */
export async function pickTarget(services: BasetenServices, trees: ExplorerTrees, title: string): Promise<KnownTarget | undefined> {
  const picked = await pickLoaded<TargetItem>(
    {
      title,
      placeholder: 'Send to which environment or deployment?',
      initial: targetItems(knownTargets(trees).filter((t) => !cannotAnswer(t.status))),
      key: (item) => (item.target ? targetKey(item.target) : item.label),
    },
    async (signal) => {
      const items = targetItems(await loadTargets(services, trees, signal));
      return items.length ? items : [{ label: '$(info) No models or chains to send to', description: 'add them to the "baseten.models" or "baseten.chains" setting' }];
    },
  );
  return picked?.target;
}
