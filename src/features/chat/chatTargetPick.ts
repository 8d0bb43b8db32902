import * as vscode from 'vscode';
import { BasetenError, environmentByName, targetLabel } from '../../client';
import type { TargetRef } from '../../client';
import { DeployedChoice, deployedChoices } from './logic/deployedTargets';
import type { ChatModel } from './logic/protocol';
import { deployedChatModel as chatModelOf, modelApiChatModel, sameChatModel } from './logic/chatTargets';
import { configuredModels, defaultEnvironment } from '../../platform/settings';
import { BasetenServices } from '../../platform/services';
import { errorMessage } from '../explorer/treeProvider';
import { pickLoaded } from '../../platform/loadingQuickPick';

interface TargetItem extends vscode.QuickPickItem {
  target?: ChatModel;
  /** A deployed model: its served model name is asked of the deployment when picked. */
  deployed?: DeployedChoice;
}

function deployedItem(choice: DeployedChoice, current: ChatModel | undefined): TargetItem {
  const development = choice.kind === 'development';
  const isCurrent = current?.kind === 'deployment' && current.owner.id === choice.owner.id && JSON.stringify(current.target) === JSON.stringify(choice.target);
  return {
    label: `${development ? '$(beaker)' : '$(server-environment)'} ${choice.where}`,
    description: `${choice.name} · ${development ? 'development deployment' : 'environment'}`,
    deployed: choice,
    picked: isCurrent,
  };
}

/**
 * The model a deployment's OpenAI-compatible server answers to: its `/v1/models` when it has one (vLLM
 * checks `--served-model-name`), otherwise the Baseten model's name.
 */
export async function deployedChatModel(services: BasetenServices, ref: TargetRef): Promise<ChatModel> {
  let served = ref.owner.name;
  try {
    const listed = await services.client.modelApis.listModels({ endpoint: { kind: 'deployment', owner: ref.owner, target: ref.target }, signal: AbortSignal.timeout(10_000) });
    if (listed[0]?.id) served = listed[0].id;
  } catch (error) {
    // Engine-Builder servers accept any name; a sleeping or non-LLM deployment answers later or not at all.
    services.log.info(`Served model name of ${targetLabel(ref)} not read (${error instanceof BasetenError ? error.message : String(error)}); using "${served}".`);
  }
  return chatModelOf(ref, served);
}

/** A quick pick of Model APIs and deployed models: each model's environments and development deployment, under the model's name. */
export async function pickChatTarget(services: BasetenServices, current?: ChatModel): Promise<ChatModel | undefined> {
  const envName = defaultEnvironment();
  const chosen = await pickLoaded<TargetItem>(
    { title: 'Chat with…', placeholder: 'Choose a Model API or a deployed model (its OpenAI-compatible route)' },
    async (signal) => {
      const client = services.client;
      const [apis, models] = await Promise.allSettled([client.modelApis.listModels({ signal }), client.management.listModels({ signal })]);
      const items: TargetItem[] = [{ label: 'Model APIs', kind: vscode.QuickPickItemKind.Separator }];
      if (apis.status === 'fulfilled') {
        for (const model of apis.value) {
          const target = modelApiChatModel(model);
          items.push({ label: target.label, description: model.id, detail: (model.supported_features ?? []).join(', ') || undefined, target, picked: sameChatModel(target, current) });
        }
      } else {
        items.push({ label: '$(error) Could not load the Model APIs', description: errorMessage(apis.reason) });
      }
      if (models.status === 'fulfilled') {
        const choices = await Promise.all(models.value.map((model) => deployedChoices(client.management, model, envName, signal)));
        models.value.forEach((model, index) => {
          items.push({ label: `${model.name} (${model.id})`, kind: vscode.QuickPickItemKind.Separator });
          items.push(...choices[index].map((choice) => deployedItem(choice, current)));
        });
        return items;
      }
      // A key that cannot list models (invoke-only): the configured ones, at the default environment.
      items.push({ label: 'Deployed models', kind: vscode.QuickPickItemKind.Separator });
      const configured = configuredModels();
      for (const model of configured) {
        const choice: DeployedChoice = { owner: { kind: 'model', id: model.id, name: model.name ?? model.id }, target: environmentByName(envName), name: model.name ?? model.id, where: envName, kind: 'environment' };
        items.push({ ...deployedItem(choice, current), label: choice.name, description: `${model.id} · ${envName}` });
      }
      if (!configured.length) items.push({ label: '$(info) No deployed models listed', description: errorMessage(models.reason) });
      return items;
    },
  );
  if (chosen?.target) return chosen.target;
  if (chosen?.deployed) {
    const { owner, target } = chosen.deployed;
    return deployedChatModel(services, { owner, target });
  }
  return undefined;
}
