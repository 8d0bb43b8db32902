import * as vscode from 'vscode';
import { BasetenError, MODEL_APIS, pricePerMillionTokens, targetKey, targetLabel } from '../../client';
import type { ChatEndpoint, TargetRef } from '../../client';
import type { ChatCompletionRequest, ModelApi } from '../../client/types';
import type { DeploymentCatalog } from '../../catalog/deploymentCatalog';
import type { ChatRoutes } from '../chat/chatRoutes';
import { abortSignalOf } from '../../platform/cancellation';
import { BasetenServices } from '../../platform/services';
import { tokenLimits } from './logic/tokenLimits';
import { uniqueToolCallIds } from './logic/toolCallIds';
import { toOpenAiMessages, toOpenAiOptions, toOpenAiTools } from './toOpenAi';

export const LM_VENDOR = 'baseten';

const CATALOGUE_TTL_MS = 60_000;

interface BasetenChatInformation extends vscode.LanguageModelChatInformation {
  /** What a request goes to, and the model name it asks for there. */
  readonly endpoint: ChatEndpoint;
  readonly model: string;
}

export function chatInformation(model: ModelApi): BasetenChatInformation {
  const features = model.supported_features ?? [];
  const input = pricePerMillionTokens(model.pricing?.prompt);
  const output = pricePerMillionTokens(model.pricing?.completion);
  return {
    id: model.id,
    name: model.name || model.id,
    family: model.id.split('/').pop() || model.id,
    version: model.quantization ?? '',
    ...tokenLimits(model.context_length, model.max_completion_tokens),
    tooltip: model.description,
    detail: input !== undefined && output !== undefined ? `$${input}/$${output} per M tokens` : 'Baseten Model API',
    capabilities: { toolCalling: features.includes('tools'), imageInput: (model.input_modalities ?? []).includes('image') },
    endpoint: MODEL_APIS,
    model: model.id,
  };
}

/**
 * A deployment of the user's whose server speaks the OpenAI-compatible route, named as the tree names it.
 * Its limits are not published, so the defaults apply; tools are offered, as vLLM, SGLang and Baseten's
 * engines take them (a server set up without them answers the request with its own error).
 */
export function deployedChatInformation(ref: TargetRef, servedName: string): BasetenChatInformation {
  return {
    id: `deployed:${targetKey(ref)}`,
    name: targetLabel(ref),
    family: servedName,
    version: '',
    ...tokenLimits(undefined, undefined),
    tooltip: `${servedName}, served by your deployment ${targetLabel(ref)} on Baseten`,
    detail: 'your deployment',
    capabilities: { toolCalling: true, imageInput: false },
    endpoint: { kind: 'deployment', owner: ref.owner, target: ref.target },
    model: servedName,
  };
}

/**
 * Baseten's Model APIs, and the user's deployed models that serve chat, as VS Code language models (vendor
 * `baseten`): they appear in the chat model picker and to other extensions through
 * `vscode.lm.selectChatModels({ vendor: 'baseten' })`. Deployments come from the catalog and the chat feature's
 * route checks (each deployment's `/v1/models` asked once; sleeping ones are not asked, so not listed).
 */
export class BasetenChatProvider implements vscode.LanguageModelChatProvider<BasetenChatInformation>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeLanguageModelChatInformation = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  /** VS Code asks for the models often (every picker, every selectChatModels): the catalogue is kept a minute. */
  private cached?: { at: number; models: BasetenChatInformation[] };

  constructor(
    private readonly services: BasetenServices,
    private readonly catalog: DeploymentCatalog,
    private readonly routes: ChatRoutes,
  ) {
    const changed = (): void => {
      this.cached = undefined;
      this.changed.fire();
    };
    // A new key or new hosts can mean another catalogue; a deployment promoted, woken or added, other targets.
    this.subscriptions = [services.onDidChangeClient(changed), catalog.onDidChange((change) => change.owners !== 'chain' && change.owner?.kind !== 'chain' && changed())];
  }

  async provideLanguageModelChatInformation(_options: vscode.PrepareLanguageModelChatModelOptions, token: vscode.CancellationToken): Promise<BasetenChatInformation[]> {
    if ((await this.services.keys.resolve()).source === 'none') return [];
    if (this.cached && Date.now() - this.cached.at < CATALOGUE_TTL_MS) return this.cached.models;
    const signal = abortSignalOf(token);
    const [modelApis, deployed] = await Promise.all([this.modelApis(signal), this.deployedChatModels(signal)]);
    const models = [...modelApis, ...deployed];
    this.cached = { at: Date.now(), models };
    return models;
  }

  private async modelApis(signal: AbortSignal): Promise<BasetenChatInformation[]> {
    try {
      return (await this.services.client.modelApis.listModels({ signal })).map(chatInformation);
    } catch (error) {
      this.services.log.failure('Listing Model APIs for VS Code chat', error);
      return [];
    }
  }

  /** Environments and development deployments of the user's models whose server serves chat. */
  private async deployedChatModels(signal: AbortSignal): Promise<BasetenChatInformation[]> {
    try {
      const every = await this.catalog.everyTarget(signal, ['model']);
      const targets = every.listed.flatMap((listed) => listed.targets).filter((target) => target.place !== 'deployment');
      await this.routes.checkAll(targets, signal);
      return targets.flatMap((target) => {
        const route = this.routes.cached(target);
        return route?.serves ? [deployedChatInformation(target, route.servedName)] : [];
      });
    } catch (error) {
      // An invoke-only key cannot list deployments: the Model APIs are still offered.
      this.services.log.failure('Listing deployed chat models for VS Code chat', error);
      return [];
    }
  }

  async provideLanguageModelChatResponse(
    model: BasetenChatInformation,
    messages: readonly vscode.LanguageModelChatRequestMessage[],
    options: vscode.ProvideLanguageModelChatResponseOptions,
    progress: vscode.Progress<vscode.LanguageModelResponsePart>,
    token: vscode.CancellationToken,
  ): Promise<void> {
    const tools = toOpenAiTools(options.tools);
    const request: ChatCompletionRequest = {
      model: model.model,
      messages: toOpenAiMessages(messages, { model: model.name, imageInput: !!model.capabilities.imageInput }),
      ...toOpenAiOptions(options.modelOptions),
      ...(tools ? { tools, ...(options.toolMode === vscode.LanguageModelChatToolMode.Required ? { tool_choice: 'required' as const } : {}) } : {}),
    };
    const signal = abortSignalOf(token);
    try {
      const stream = await this.services.client.modelApis.chatStream(request, { signal, endpoint: model.endpoint });
      for await (const event of stream) {
        if (event.type === 'content') progress.report(new vscode.LanguageModelTextPart(event.text));
      }
      // Tool calls are reported whole, once their arguments have all arrived.
      const calls = stream.result.toolCalls;
      const ids = uniqueToolCallIds(calls);
      calls.forEach((call, index) => progress.report(new vscode.LanguageModelToolCallPart(ids[index], call.function.name, parseArguments(call.function.arguments))));
    } catch (error) {
      if (error instanceof BasetenError && error.kind === 'aborted') throw new vscode.CancellationError();
      this.services.log.failure(`VS Code chat with ${model.id}`, error);
      throw error instanceof BasetenError ? new Error(error.message) : error;
    }
  }

  /** An estimate (about four characters a token): Baseten exposes no tokenizer endpoint. */
  async provideTokenCount(_model: BasetenChatInformation, text: string | vscode.LanguageModelChatRequestMessage): Promise<number> {
    const value = typeof text === 'string' ? text : text.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : JSON.stringify(part))).join('');
    return Math.ceil(value.length / 4);
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
  }
}

function parseArguments(text: string): object {
  try {
    const value: unknown = JSON.parse(text || '{}');
    return value && typeof value === 'object' ? value : { value };
  } catch {
    return { arguments: text };
  }
}

/** Registers the provider where the editor has the API (VS Code 1.104+); elsewhere the extension runs without it. */
export function registerLanguageModels(services: BasetenServices, catalog: DeploymentCatalog, routes: ChatRoutes): vscode.Disposable | undefined {
  const lm = vscode.lm as Partial<typeof vscode.lm> | undefined;
  if (typeof lm?.registerLanguageModelChatProvider !== 'function') {
    services.log.info('This editor has no language-model provider API; Baseten models are not offered to VS Code chat.');
    return undefined;
  }
  const provider = new BasetenChatProvider(services, catalog, routes);
  return vscode.Disposable.from(provider, lm.registerLanguageModelChatProvider(LM_VENDOR, provider));
}
