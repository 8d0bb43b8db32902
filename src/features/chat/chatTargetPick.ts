import * as vscode from 'vscode';
import { describeModelFeature, targetLabel } from '../../client';
import type { TargetRef } from '../../client';
import { DeploymentCatalog } from '../../catalog/deploymentCatalog';
import { CatalogTarget, canAnswer } from '../../catalog/targets';
import { defaultEnvironment } from '../../platform/settings';
import { BasetenServices } from '../../platform/services';
import { TargetPickItem, pickTargetItem } from '../../platform/targetPicker';
import { errorMessage } from '../explorer/treeProvider';
import type { ChatModel } from './logic/protocol';
import { deployedChatModel, modelApiChatModel, sameChatModel } from './logic/chatTargets';
import { CHAT_ROUTE, noChatRouteMessage } from './logic/chatRoutes';
import type { ChatRoutes } from './chatRoutes';

/**
 * The chat model of a deployed target: the name its OpenAI-compatible server answers to (vLLM checks
 * `--served-model-name`), read from its `/v1/models`, else the Baseten model's name. Undefined, after
 * saying why, when the server has no such route.
 */
export async function readServedChatModel(services: BasetenServices, routes: ChatRoutes, ref: TargetRef): Promise<ChatModel | undefined> {
  const route = await routes.check(ref);
  if (route && !route.serves) {
    void vscode.window.showWarningMessage(`Baseten: ${noChatRouteMessage(targetLabel(ref))}`);
    return undefined;
  }
  if (!route) services.log.info(`Served model name of ${targetLabel(ref)} not read (asleep, changing or unreachable); using "${ref.owner.name}".`);
  return deployedChatModel(ref, route?.servedName ?? ref.owner.name);
}

/** The default environment first, then production, then the others by name, then development. */
function chatOrder(defaultEnv: string): (a: CatalogTarget, b: CatalogTarget) => number {
  const rank = (target: CatalogTarget): number => {
    if (target.place === 'development') return 3;
    const name = target.target.kind === 'environment' ? target.target.name : target.target.kind;
    return name === defaultEnv ? 0 : name === 'production' ? 1 : 2;
  };
  return (a, b) => a.owner.name.localeCompare(b.owner.name) || rank(a) - rank(b) || targetLabel(a).localeCompare(targetLabel(b));
}

/** Environments and development deployments that can answer; other deployments are reached through their environment. */
function chatCandidate(target: CatalogTarget): boolean {
  return target.place !== 'deployment' && canAnswer(target);
}

/** Model APIs, then the environments and development deployments of deployed models (their OpenAI-compatible route). */
export async function pickChatModel(services: BasetenServices, catalog: DeploymentCatalog, routes: ChatRoutes, current?: ChatModel): Promise<ChatModel | undefined> {
  const modelApis = async (signal: AbortSignal): Promise<TargetPickItem[]> => {
    const items: TargetPickItem[] = [{ label: 'Model APIs', kind: vscode.QuickPickItemKind.Separator }];
    try {
      for (const model of await services.client.modelApis.listModels({ signal })) {
        const value = modelApiChatModel(model);
        items.push({ label: value.label, description: model.id, detail: (model.supported_features ?? []).map(describeModelFeature).join(', ') || undefined, value, picked: sameChatModel(value, current) });
      }
    } catch (error) {
      if (signal.aborted) throw error;
      items.push({ label: '$(error) Could not load the Model APIs', description: errorMessage(error) });
    }
    return items;
  };
  const chosen = await pickTargetItem(catalog, {
    title: 'Chat with…',
    placeholder: 'Choose a Model API or a deployed model that serves chat (an OpenAI-compatible route)',
    kinds: ['model'],
    // Only deployments whose server has the chat route; one asleep is offered with its status, unasked.
    offers: (target) => chatCandidate(target) && routes.offered(target),
    settle: (targets, signal) => routes.checkAll(targets.filter(chatCandidate), signal),
    order: chatOrder(defaultEnvironment()),
    leading: modelApis,
    empty: { label: 'No deployed model serves chat', description: `none has an OpenAI-compatible ${CHAT_ROUTE} route` },
    current: current?.kind === 'deployment' ? current : undefined,
  });
  if (chosen?.value) return chosen.value as ChatModel;
  return chosen?.target && readServedChatModel(services, routes, chosen.target);
}
