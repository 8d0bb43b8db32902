import * as vscode from 'vscode';
import { PRODUCTION, environment } from '../../client';
import type { Invocable } from '../../client';
import { configuredChains, configuredModels } from '../../config/settings';
import type { SessionTargetRef } from '../../websocket/protocol';
import { BasetenServices } from '../../services';
import { errorMessage } from '../explorer/treeProvider';
import { pickLoaded } from '../loadingQuickPick';

interface TargetItem extends vscode.QuickPickItem {
  target?: SessionTargetRef;
}

export function environmentRef(on: Invocable & { name: string }, name: string): SessionTargetRef {
  return { on, target: name === 'production' ? PRODUCTION : environment(name), label: `${name} of ${on.name}` };
}

/** Environments of every model and chain (WebSockets are served on environments and deployments, not development). */
export async function pickWebSocketTarget(services: BasetenServices): Promise<SessionTargetRef | undefined> {
  const item = await pickLoaded<TargetItem>({ title: 'Open a WebSocket session with…', placeholder: 'Choose an environment of a model or chain' }, (signal) =>
    environmentItems(services, signal),
  );
  return item?.target;
}

async function environmentItems(services: BasetenServices, signal: AbortSignal): Promise<TargetItem[]> {
  const management = services.client.management;
  const [models, chains] = await Promise.allSettled([management.listModels({ signal }), management.listChains({ signal })]);
  const owners: Array<Invocable & { name: string; environments?: string[] }> = [
    ...(models.status === 'fulfilled' ? models.value.map((m) => ({ kind: 'model' as const, id: m.id, name: m.name })) : configuredModels().map((m) => ({ kind: 'model' as const, id: m.id, name: m.name ?? m.id, environments: m.environments }))),
    ...(chains.status === 'fulfilled' ? chains.value.map((c) => ({ kind: 'chain' as const, id: c.id, name: c.name })) : configuredChains().map((c) => ({ kind: 'chain' as const, id: c.id, name: c.name ?? c.id, environments: c.environments }))),
  ];
  const items: TargetItem[] = [];
  const listed = await Promise.all(
    owners.map(async (owner) => {
      if (owner.environments) return { owner, names: owner.environments, error: undefined };
      try {
        const environments = owner.kind === 'model' ? await management.listEnvironments(owner.id, { signal }) : await management.listChainEnvironments(owner.id, { signal });
        return { owner, names: environments.map((e) => e.name), error: undefined };
      } catch (error) {
        return { owner, names: ['production'], error: errorMessage(error) };
      }
    }),
  );
  for (const { owner, names, error } of listed) {
    const on = { kind: owner.kind, id: owner.id, name: owner.name };
    for (const name of [...names].sort((a, b) => (a === 'production' ? -1 : b === 'production' ? 1 : a.localeCompare(b)))) {
      items.push({ label: `${owner.name} · ${name}`, description: `${owner.kind} ${owner.id}`, detail: error, target: environmentRef(on, name) });
    }
  }
  if (!items.length) {
    const reason = models.status === 'rejected' ? errorMessage(models.reason) : 'no models or chains';
    items.push({ label: '$(info) Nothing to connect to', description: reason });
  }
  return items;
}
