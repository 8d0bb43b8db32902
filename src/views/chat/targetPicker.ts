import * as vscode from 'vscode';
import { BasetenError, PRODUCTION, environment } from '../../client';
import type { Invocable, Target } from '../../client';
import type { ChatTargetRef } from '../../chat/protocol';
import { modelApiTarget, sameTarget } from '../../chat/targets';
import { configuredModels, defaultEnvironment } from '../../config/settings';
import { BasetenServices } from '../../services';
import { errorMessage } from '../explorer/treeProvider';
import { pickLoaded } from '../loadingQuickPick';

interface TargetItem extends vscode.QuickPickItem {
  target?: ChatTargetRef;
  /** A deployed model: its served model name is asked of the deployment when picked. */
  deployed?: { on: Invocable; target: Target; name: string };
}

function defaultTarget(): Target {
  const name = defaultEnvironment();
  return name === 'production' ? PRODUCTION : environment(name);
}

/**
 * The model a deployment's OpenAI-compatible server answers to: its `/v1/models` when it has one (vLLM
 * checks `--served-model-name`), otherwise the Baseten model's name.
 */
export async function deployedChatTarget(services: BasetenServices, on: Invocable, target: Target, name: string, label: string): Promise<ChatTargetRef> {
  let model = name;
  try {
    const served = await services.client.modelApis.listModels({ endpoint: { kind: 'deployment', on, target }, signal: AbortSignal.timeout(10_000) });
    if (served[0]?.id) model = served[0].id;
  } catch (error) {
    // Engine-Builder servers accept any name; a sleeping or non-LLM deployment answers later or not at all.
    services.log.info(`Served model name of ${label} not read (${error instanceof BasetenError ? error.message : String(error)}); using "${name}".`);
  }
  return { kind: 'deployment', on, target, model, label, features: [] };
}

/** A quick pick of Model APIs and deployed models (their default environment). */
export async function pickChatTarget(services: BasetenServices, current?: ChatTargetRef): Promise<ChatTargetRef | undefined> {
  const envTarget = defaultTarget();
  const envName = envTarget.kind === 'environment' ? envTarget.name : 'production';
  const chosen = await pickLoaded<TargetItem>(
    { title: 'Chat with…', placeholder: 'Choose a Model API or a deployed model (its OpenAI-compatible route)' },
    async (signal) => {
      const client = services.client;
      const [apis, models] = await Promise.allSettled([client.modelApis.listModels({ signal }), client.management.listModels({ signal })]);
      const items: TargetItem[] = [{ label: 'Model APIs', kind: vscode.QuickPickItemKind.Separator }];
      if (apis.status === 'fulfilled') {
        for (const model of apis.value) {
          const target = modelApiTarget(model);
          items.push({ label: target.label, description: model.id, detail: (model.supported_features ?? []).join(', ') || undefined, target, picked: sameTarget(target, current) });
        }
      } else {
        items.push({ label: '$(error) Could not load the Model APIs', description: errorMessage(apis.reason) });
      }
      items.push({ label: 'Deployed models', kind: vscode.QuickPickItemKind.Separator });
      const deployed = models.status === 'fulfilled' ? models.value.map((m) => ({ id: m.id, name: m.name })) : configuredModels().map((m) => ({ id: m.id, name: m.name ?? m.id }));
      for (const model of deployed) {
        items.push({ label: model.name, description: `${model.id} · ${envName}`, deployed: { on: { kind: 'model', id: model.id }, target: envTarget, name: model.name } });
      }
      if (models.status === 'rejected' && !deployed.length) items.push({ label: '$(info) No deployed models listed', description: errorMessage(models.reason) });
      return items;
    },
  );
  if (chosen?.target) return chosen.target;
  if (chosen?.deployed) {
    const { on, target, name } = chosen.deployed;
    return deployedChatTarget(services, on, target, name, `${name} (${envName})`);
  }
  return undefined;
}
