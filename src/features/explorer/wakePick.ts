import * as vscode from 'vscode';
import { BasetenServices } from '../../platform/services';
import { ModelNode } from './modelsTree';
import { ExplorerTrees } from './register';
import { listTargets, shownTargetNodes } from './targetListing';
import { TargetNode } from './targetNode';
import { statusLabel } from '../../platform/deploymentStatus';
import { pickLoaded } from '../../platform/loadingQuickPick';

type WakeItem = vscode.QuickPickItem & { node?: TargetNode };

/** Scaled-to-zero targets first, then those whose status cannot be read (hand-configured, invoke-only key). */
function wakeItems(nodes: TargetNode[]): WakeItem[] {
  const wakeable = nodes.filter((node) => node.wakeable);
  const ordered = [...wakeable.filter((node) => node.sleeping), ...wakeable.filter((node) => !node.sleeping)];
  return ordered.map((node) => ({
    label: node.title,
    description: node.statusKnown && node.state.status ? statusLabel(node.state.status) : 'status unknown',
    detail: node.owner.id,
    node,
  }));
}

/**
 * Asks which model target to wake: opens with what the tree shows, then offers every target the API lists.
 * A node the tree shows is returned as that node, so the wake's steps show in the tree.
 */
export async function pickWakeTarget(services: BasetenServices, trees: ExplorerTrees): Promise<TargetNode | undefined> {
  const picked = await pickLoaded<WakeItem>(
    {
      title: 'Baseten: Wake',
      placeholder: 'Wake which environment or deployment?',
      initial: wakeItems(shownTargetNodes(trees.models)),
      key: (item) => item.node?.id ?? item.label,
    },
    async (signal) => {
      const { listed } = await listTargets(services, signal);
      const nodes = listed.filter(({ owner }) => owner instanceof ModelNode).flatMap(({ targets }) => targets);
      const items = wakeItems(nodes);
      if (nodes.some((node) => node.sleeping)) return items;
      // Listed last, so Enter still picks a target when there are some of unknown status.
      const note = items.length ? 'the targets above have no status to read' : 'every model deployment is awake or cannot be woken';
      return [...items, { label: '$(info) Nothing is scaled to zero', description: note }];
    },
  );
  const node = picked?.node;
  return node && (shownTargetNodes(trees.models).find((shown) => shown.id === node.id) ?? node);
}
