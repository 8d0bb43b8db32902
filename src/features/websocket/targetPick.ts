import * as vscode from 'vscode';
import { environmentByName } from '../../client';
import type { Owner, TargetRef } from '../../client';
import { BasetenServices } from '../../platform/services';
import { listTargets } from '../explorer/targetListing';
import { pickLoaded } from '../../platform/loadingQuickPick';

interface TargetItem extends vscode.QuickPickItem {
  target?: TargetRef;
}

export function environmentRef(owner: Owner, name: string): TargetRef {
  return { owner, target: environmentByName(name) };
}

/** Environments of every model and chain (WebSockets are served on environments and deployments, not development). */
export async function pickWebSocketTarget(services: BasetenServices): Promise<TargetRef | undefined> {
  const item = await pickLoaded<TargetItem>({ title: 'Open a WebSocket session with…', placeholder: 'Choose an environment of a model or chain' }, (signal) =>
    environmentItems(services, signal),
  );
  return item?.target;
}

async function environmentItems(services: BasetenServices, signal: AbortSignal): Promise<TargetItem[]> {
  const { listed, error: listingError } = await listTargets(services, signal);
  const items: TargetItem[] = [];
  for (const { owner, targets, error } of listed) {
    const names = error ? ['production'] : targets.filter((t) => t.kind === 'environment').map((t) => t.key);
    for (const name of [...names].sort((a, b) => (a === 'production' ? -1 : b === 'production' ? 1 : a.localeCompare(b)))) {
      items.push({ label: `${owner.owner.name} · ${name}`, description: `${owner.owner.kind} ${owner.owner.id}`, detail: error, target: environmentRef(owner.owner, name) });
    }
  }
  if (!items.length) items.push({ label: '$(info) Nothing to connect to', description: listingError ?? 'no models or chains' });
  return items;
}
