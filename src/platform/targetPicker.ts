import * as vscode from 'vscode';
import { sameTarget, targetKey, targetLabel } from '../client';
import type { TargetRef } from '../client';
import { DeploymentCatalog, OwnerKind } from '../catalog/deploymentCatalog';
import { CatalogTarget } from '../catalog/targets';
import { statusLabel } from './deploymentStatus';
import { pickLoaded } from './loadingQuickPick';

export interface TargetPickItem extends vscode.QuickPickItem {
  target?: CatalogTarget;
  /** What a leading item stands for (chat: a Model API). */
  value?: unknown;
}

export interface TargetPickOptions {
  title: string;
  placeholder: string;
  /** The targets this use can take ("can be woken", "accepts async"…). */
  offers: (target: CatalogTarget) => boolean;
  /** Models, chains or both. */
  kinds?: readonly OwnerKind[];
  /** The order within models and within chains; the catalog's own order when not given. */
  order?: (a: CatalogTarget, b: CatalogTarget) => number;
  /** The item shown when no target is offered. */
  empty: { label: string; description: string };
  /** A note below the targets that are offered, with its own description (wake: none of them is asleep). */
  noteBelow?: (offered: CatalogTarget[]) => string | undefined;
  /** Items above the targets, loaded beside them (chat: the Model APIs). */
  leading?: (signal: AbortSignal) => Promise<TargetPickItem[]>;
  /** Starts active. */
  current?: TargetRef;
  /** Runs on the loaded targets before `offers` picks among them (chat: asks which serve chat). */
  settle?: (targets: CatalogTarget[], signal: AbortSignal) => Promise<unknown>;
}

/**
 * The one target picker: opens at once with the targets the catalog already holds, then offers every target
 * of every model and chain. Each is "echo · production", its status, its owner's ID, under Models or Chains.
 */
export async function pickTargetItem(catalog: DeploymentCatalog, options: TargetPickOptions): Promise<TargetPickItem | undefined> {
  return pickLoaded<TargetPickItem>(
    {
      title: options.title,
      placeholder: options.placeholder,
      initial: targetItems(offeredAmong(catalog.knownTargets(), options), options.current),
      key: (item) => (item.target ? targetKey(item.target) : item.label),
    },
    async (signal) => {
      const [leading, { targets, error }] = await Promise.all([options.leading?.(signal) ?? [], offeredTargets(catalog, options, signal)]);
      const items = [...leading, ...targetItems(targets, options.current)];
      if (error && !targets.length) return [...items, { label: '$(error) Could not list models and chains', description: error }];
      const note = targets.length ? options.noteBelow?.(targets) : options.empty.description;
      if (note) items.push({ label: `$(info) ${options.empty.label}`, description: note });
      return items;
    },
  );
}

/** What a pick with these options offers once loaded: every target of every model and chain that it takes. */
export async function offeredTargets(
  catalog: DeploymentCatalog,
  options: Pick<TargetPickOptions, 'offers' | 'kinds' | 'order' | 'settle'>,
  signal?: AbortSignal,
): Promise<{ targets: CatalogTarget[]; error?: string }> {
  const kinds = options.kinds ?? ['model', 'chain'];
  // A pick offers what Baseten says now: settled statuses are not polled and may have moved (scaled to zero).
  for (const kind of kinds) catalog.refresh({ owners: kind });
  const every = await catalog.everyTarget(signal, kinds);
  if (options.settle) await options.settle(every.listed.flatMap((listed) => listed.targets).filter((target) => kinds.includes(target.owner.kind)), signal ?? new AbortController().signal);
  return { targets: offeredAmong(every.listed.flatMap((listed) => listed.targets), options), error: every.error };
}

/** The targets among these that a pick with these options takes, in its order. */
function offeredAmong(targets: CatalogTarget[], options: Pick<TargetPickOptions, 'offers' | 'kinds' | 'order'>): CatalogTarget[] {
  const kinds = options.kinds ?? ['model', 'chain'];
  const chosen = targets.filter((target) => kinds.includes(target.owner.kind) && options.offers(target));
  return options.order ? groupedSort(chosen, options.order) : chosen;
}

export async function pickTarget(catalog: DeploymentCatalog, options: TargetPickOptions): Promise<CatalogTarget | undefined> {
  return (await pickTargetItem(catalog, options))?.target;
}

/** Models before chains (as the views list them), each group in the given order. */
function groupedSort(targets: CatalogTarget[], order: (a: CatalogTarget, b: CatalogTarget) => number): CatalogTarget[] {
  return (['model', 'chain'] as const).flatMap((kind) => targets.filter((target) => target.owner.kind === kind).sort(order));
}

function targetItems(targets: CatalogTarget[], current: TargetRef | undefined): TargetPickItem[] {
  const items: TargetPickItem[] = [];
  for (const kind of ['model', 'chain'] as const) {
    const group = targets.filter((target) => target.owner.kind === kind);
    if (!group.length) continue;
    items.push({ label: kind === 'model' ? 'Models' : 'Chains', kind: vscode.QuickPickItemKind.Separator });
    for (const target of group) {
      items.push({ label: targetLabel(target), description: describeStatus(target), detail: target.owner.id, target, picked: sameTarget(target, current) });
    }
  }
  return items;
}

function describeStatus(target: CatalogTarget): string {
  if (!target.statusKnown) return 'status unknown';
  return target.state.status ? statusLabel(target.state.status) : 'no deployment';
}
