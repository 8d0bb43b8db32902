/**
 * Model APIs (`inference.baseten.co/v1`): the live catalogue and chat completions. The same chat calls
 * reach a deployed model's own OpenAI-compatible server through `…/sync/v1`.
 */
import { ChatResult, ChatStream } from './chatStream';
import { BasetenError } from './errors';
import { HttpClient } from './http';
import { cannotHaveRun } from './retrySafety';
import { BasetenEndpoints, actionUrl, modelApisUrl } from './urls';
import { Owner, Target } from './target';
import type { ChatCompletionRequest, ChatCompletionResponse, ModelApi, ModelApiList, ToolCall } from './types';

/** Where a chat request goes: the shared Model APIs, or a deployed model's `sync/v1/chat/completions`. */
export type ChatEndpoint = { kind: 'model_apis' } | { kind: 'deployment'; owner: Pick<Owner, 'kind' | 'id'>; target: Target };

export const MODEL_APIS: ChatEndpoint = Object.freeze({ kind: 'model_apis' });

export interface CallOptions {
  signal?: AbortSignal;
}

export interface ChatOptions extends CallOptions {
  endpoint?: ChatEndpoint;
}

export class ModelApisClient {
  constructor(
    private readonly http: HttpClient,
    private readonly endpoints: () => BasetenEndpoints,
  ) {}

  /**
   * `GET /v1/models`: what this workspace can call now, with pricing and features. With a deployment
   * endpoint, the names its own OpenAI-compatible server answers to (`…/sync/v1/models`).
   */
  async listModels(options: ChatOptions = {}): Promise<ModelApi[]> {
    const endpoint = options.endpoint ?? MODEL_APIS;
    const url = endpoint.kind === 'model_apis' ? modelApisUrl(this.endpoints(), 'models') : actionUrl(this.endpoints(), endpoint.owner, endpoint.target, 'sync/v1/models');
    const area = endpoint.kind === 'model_apis' ? 'model_apis' : 'inference';
    const response = await this.http.send({ method: 'GET', url, area, signal: options.signal });
    const body = await response.json<ModelApiList | ModelApi[]>(undefined, options.signal);
    const list = Array.isArray(body) ? body : body?.data;
    if (!Array.isArray(list)) {
      throw new BasetenError({ kind: 'protocol', message: 'The model list had no "data" array.', requestId: response.requestId, url });
    }
    return list;
  }

  /** A non-streaming chat completion, read whole. Non-streaming is the server's default, so no `stream` is added. */
  async chat(request: ChatCompletionRequest, options: ChatOptions = {}): Promise<ChatResult> {
    const { url, area } = this.chatUrl(options.endpoint);
    const response = await this.http.send({
      method: 'POST',
      url,
      area,
      json: request,
      signal: options.signal,
      retryWhen: cannotHaveRun,
    });
    const body = await response.json<ChatCompletionResponse>(undefined, options.signal);
    return chatResultFromResponse(body, response.requestId);
  }

  /**
   * A streaming chat completion. Resolves when the response headers arrive (errors before that, such as
   * a bad key or a 429, reject here after the retry policy); the events follow by iterating the stream.
   */
  async chatStream(request: ChatCompletionRequest, options: ChatOptions = {}): Promise<ChatStream> {
    const { url, area } = this.chatUrl(options.endpoint);
    const controller = new AbortController();
    const unlink = linkSignal(options.signal, controller);
    const sentAt = performance.now();
    try {
      const response = await this.http.send({
        method: 'POST',
        url,
        area,
        json: { ...request, stream: true },
        accept: 'text/event-stream',
        signal: controller.signal,
        retryWhen: cannotHaveRun,
      });
      return new ChatStream(response, controller, sentAt, unlink);
    } catch (error) {
      unlink();
      throw error;
    }
  }

  private chatUrl(endpoint: ChatEndpoint = MODEL_APIS): { url: string; area: 'model_apis' | 'inference' } {
    if (endpoint.kind === 'model_apis') {
      return { url: modelApisUrl(this.endpoints(), 'chat/completions'), area: 'model_apis' };
    }
    return { url: actionUrl(this.endpoints(), endpoint.owner, endpoint.target, 'sync/v1/chat/completions'), area: 'inference' };
  }
}

/** Aborts `controller` when `signal` does; returns a function that undoes the link. */
export function linkSignal(signal: AbortSignal | undefined, controller: AbortController): () => void {
  if (!signal) return () => undefined;
  if (signal.aborted) {
    controller.abort(signal.reason);
    return () => undefined;
  }
  const onAbort = (): void => controller.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}

export function chatResultFromResponse(body: ChatCompletionResponse, requestId?: string): ChatResult {
  const choice = body?.choices?.[0];
  if (!choice || !choice.message) {
    throw new BasetenError({ kind: 'protocol', message: 'The chat completion had no choices.', requestId });
  }
  const message = choice.message;
  const toolCalls: ToolCall[] = (message.tool_calls ?? []).map((call, index) => ({
    id: call.id ?? `call_${index}`,
    type: 'function',
    function: {
      name: call.function?.name ?? '',
      // Baseten's spec allows the arguments as an object; callers always get the JSON text.
      arguments: typeof call.function?.arguments === 'string' ? call.function.arguments : JSON.stringify(call.function?.arguments ?? {}),
    },
  }));
  return {
    id: body.id,
    model: body.model,
    text: message.content ?? '',
    reasoning: message.reasoning_content ?? message.reasoning ?? '',
    toolCalls,
    usage: body.usage ?? undefined,
    finishReason: choice.finish_reason ?? undefined,
    stopReason: choice.stop_reason ?? undefined,
    requestId,
    complete: true,
  };
}

/** Price in USD per million tokens, from the per-token strings of `/v1/models`. */
export function pricePerMillionTokens(price: string | undefined): number | undefined {
  if (price === undefined) return undefined;
  const perToken = Number(price);
  return Number.isFinite(perToken) ? Math.round(perToken * 1e6 * 1e4) / 1e4 : undefined;
}

const FEATURE_LABELS: Record<string, string> = {
  tools: 'Tools',
  reasoning: 'Reasoning',
  reasoning_effort: 'Reasoning effort',
  json_mode: 'JSON mode',
  structured_outputs: 'Structured output',
};

/** A Model API's `supported_features` entry as a person reads it: "JSON mode", not `json_mode`. */
export function describeModelFeature(feature: string): string {
  const known = FEATURE_LABELS[feature];
  if (known) return known;
  const words = feature.replace(/_/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
