import * as vscode from 'vscode';
import { BasetenError, describeModelFeature, targetLabel } from '../../client';
import type { TargetRef } from '../../client';
import { DeploymentCatalog } from '../../catalog/deploymentCatalog';
import { CatalogTarget, canAnswer } from '../../catalog/targets';
import { defaultEnvironment } from '../../platform/settings';
import { BasetenServices } from '../../platform/services';
import { TargetPickItem, pickTargetItem } from '../../platform/targetPicker';
import { errorMessage } from '../explorer/treeProvider';
import type { ChatModel } from './logic/protocol';
import { deployedChatModel, modelApiChatModel, sameChatModel } from './logic/chatTargets';

/**
 * The model a deployment's OpenAI-compatible server answers to: its `/v1/models` when it has one (vLLM
 * checks `--served-model-name`), otherwise the Baseten model's name.
 */
export async function readServedChatModel(services: BasetenServices, ref: TargetRef): Promise<ChatModel> {
  let served = ref.owner.name;
  try {
    const listed = await services.client.modelApis.listModels({ endpoint: { kind: 'deployment', owner: ref.owner, target: ref.target }, signal: AbortSignal.timeout(10_000) });
    if (listed[0]?.id) served = listed[0].id;
  } catch (error) {
    // Engine-Builder servers accept any name; a sleeping or non-LLM deployment answers later or not at all.
    services.log.info(`Served model name of ${targetLabel(ref)} not read (${error instanceof BasetenError ? error.message : String(error)}); using "${served}".`);
  }
  return deployedChatModel(ref, served);
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

/** Model APIs, then the environments and development deployments of deployed models (their OpenAI-compatible route). */
export async function pickChatModel(services: BasetenServices, catalog: DeploymentCatalog, current?: ChatModel): Promise<ChatModel | undefined> {
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
    placeholder: 'Choose a Model API or a deployed model (its OpenAI-compatible route)',
    kinds: ['model'],
    offers: (target) => target.place !== 'deployment' && canAnswer(target),
    order: chatOrder(defaultEnvironment()),
    leading: modelApis,
    empty: { label: 'No deployed models listed', description: 'add them to the "baseten.models" setting' },
    current: current?.kind === 'deployment' ? current : undefined,
  });
  if (chosen?.value) return chosen.value as ChatModel;
  return chosen?.target && readServedChatModel(services, chosen.target);
}
