import * as vscode from 'vscode';
import { BasetenError, pricePerMillionTokens } from '../../client';
import type { ChatCompletionRequest, ModelApi } from '../../client/types';
import { abortSignalOf } from '../../platform/cancellation';
import { BasetenServices } from '../../platform/services';
import { tokenLimits } from './logic/tokenLimits';
import { uniqueToolCallIds } from './logic/toolCallIds';
import { toOpenAiMessages, toOpenAiOptions, toOpenAiTools } from './toOpenAi';

export const LM_VENDOR = 'baseten';

const CATALOGUE_TTL_MS = 60_000;

interface BasetenChatInformation extends vscode.LanguageModelChatInformation {
  readonly modelApi: ModelApi;
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
    modelApi: model,
  };
}

/**
 * Baseten's Model APIs as VS Code language models (vendor `baseten`): they appear in the chat model
 * picker and to other extensions through `vscode.lm.selectChatModels({ vendor: 'baseten' })`.
 */
export class BasetenChatProvider implements vscode.LanguageModelChatProvider<BasetenChatInformation>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeLanguageModelChatInformation = this.changed.event;
  private readonly subscription: vscode.Disposable;
  /** VS Code asks for the models often (every picker, every selectChatModels): the catalogue is kept a minute. */
  private cached?: { at: number; models: BasetenChatInformation[] };

  constructor(private readonly services: BasetenServices) {
    // A new key or new hosts can mean another catalogue.
    this.subscription = services.onDidChangeClient(() => {
      this.cached = undefined;
      this.changed.fire();
    });
  }

  async provideLanguageModelChatInformation(_options: vscode.PrepareLanguageModelChatModelOptions, token: vscode.CancellationToken): Promise<BasetenChatInformation[]> {
    if ((await this.services.keys.resolve()).source === 'none') return [];
    if (this.cached && Date.now() - this.cached.at < CATALOGUE_TTL_MS) return this.cached.models;
    const signal = abortSignalOf(token);
    try {
      const models = (await this.services.client.modelApis.listModels({ signal })).map(chatInformation);
      this.cached = { at: Date.now(), models };
      return models;
    } catch (error) {
      this.services.log.failure('Listing Model APIs for VS Code chat', error);
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
      model: model.id,
      messages: toOpenAiMessages(messages, { model: model.name, imageInput: !!model.capabilities.imageInput }),
      ...toOpenAiOptions(options.modelOptions),
      ...(tools ? { tools, ...(options.toolMode === vscode.LanguageModelChatToolMode.Required ? { tool_choice: 'required' as const } : {}) } : {}),
    };
    const signal = abortSignalOf(token);
    try {
      const stream = await this.services.client.modelApis.chatStream(request, { signal });
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
    this.subscription.dispose();
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
export function registerLanguageModels(services: BasetenServices): vscode.Disposable | undefined {
  const lm = vscode.lm as Partial<typeof vscode.lm> | undefined;
  if (typeof lm?.registerLanguageModelChatProvider !== 'function') {
    services.log.info('This editor has no language-model provider API; Baseten models are not offered to VS Code chat.');
    return undefined;
  }
  const provider = new BasetenChatProvider(services);
  return vscode.Disposable.from(provider, lm.registerLanguageModelChatProvider(LM_VENDOR, provider));
}
