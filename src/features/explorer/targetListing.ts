import type { ChainV1, ModelV1 } from '../../client';
import { configuredChains, configuredModels } from '../../platform/settings';
import { BasetenServices } from '../../platform/services';
import { ChainNode } from './chainsTree';
import { ModelNode } from './modelsTree';
import { TargetNode } from './targetNode';
import { BasetenTreeProvider, errorMessage } from './treeProvider';

export type TargetOwner = ModelNode | ChainNode;

export interface OwnerListing {
  /** Models (by name), hand-configured models the API did not list, then chains likewise. */
  owners: TargetOwner[];
  /** Set when the management API could not list models or chains: the owners are only the hand-configured ones. */
  error?: string;
}

export interface OwnerTargets {
  owner: TargetOwner;
  /** Environments (production first), development, then the other deployments, as the explorer shows them. */
  targets: TargetNode[];
  error?: string;
}

/** The targets a tree shows now under its models or chains: what it last loaded, nothing fetched. */
export function shownTargetNodes(tree: BasetenTreeProvider): TargetNode[] {
  const found: TargetNode[] = [];
  for (const owner of tree.shownChildren() ?? []) {
    if (!(owner instanceof ModelNode) && !(owner instanceof ChainNode)) continue;
    for (const node of tree.shownChildren(owner) ?? []) if (node instanceof TargetNode) found.push(node);
  }
  return found;
}

/** Every model and chain the target pickers offer: the management API's, then the hand-configured ones. */
export async function listOwners(services: BasetenServices, signal?: AbortSignal): Promise<OwnerListing> {
  const management = services.client.management;
  const [models, chains] = await Promise.allSettled([management.listModels({ signal }), management.listChains({ signal })]);
  const listedModels: ModelV1[] = models.status === 'fulfilled' ? [...models.value].sort((a, b) => a.name.localeCompare(b.name)) : [];
  const listedChains: ChainV1[] = chains.status === 'fulfilled' ? [...chains.value].sort((a, b) => a.name.localeCompare(b.name)) : [];
  const modelIds = new Set(listedModels.map((m) => m.id));
  const chainIds = new Set(listedChains.map((c) => c.id));
  const failed = [models, chains].find((result): result is PromiseRejectedResult => result.status === 'rejected');
  return {
    owners: [
      ...listedModels.map((model) => new ModelNode(model, services)),
      ...configuredModels().filter((c) => !modelIds.has(c.id)).map((c) => new ModelNode({ id: c.id, name: c.name || c.id }, services, c)),
      ...listedChains.map((chain) => new ChainNode(chain, services)),
      ...configuredChains().filter((c) => !chainIds.has(c.id)).map((c) => new ChainNode({ id: c.id, name: c.name || c.id }, services, c)),
    ],
    error: failed && errorMessage(failed.reason),
  };
}

/** One owner's targets, or why they could not be listed. */
export async function ownerTargets(owner: TargetOwner, signal?: AbortSignal): Promise<OwnerTargets> {
  try {
    const children = await owner.children(signal ?? new AbortController().signal);
    return { owner, targets: children.filter((node): node is TargetNode => node instanceof TargetNode) };
  } catch (error) {
    return { owner, targets: [], error: errorMessage(error) };
  }
}

/** Every target of every model and chain, listed in parallel. */
export async function listTargets(services: BasetenServices, signal?: AbortSignal): Promise<OwnerListing & { listed: OwnerTargets[] }> {
  const listing = await listOwners(services, signal);
  return { ...listing, listed: await Promise.all(listing.owners.map((owner) => ownerTargets(owner, signal))) };
}
