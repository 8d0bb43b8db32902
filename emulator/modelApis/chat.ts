/**
 * `POST …/chat/completions`, for the Model APIs and for a deployed OpenAI-compatible model
 * (`…/sync/v1/chat/completions`): validates like Baseten, then answers whole or as an SSE stream with
 * backpressure, stopping as soon as the client goes away.
 */
import type { Exchange, Headers } from '../core/exchange';
import { endStream, isRecord, sendText, startStream, writeChunk, yieldToEventLoop } from '../core/exchange';
import { newChatCompletionId } from '../core/ids';
import type { ModelApiBehaviour, ModelApiState } from '../state/state';
import type { Outcome, Piece, ToolDefinition } from './chatGenerator';
import { decode, messageText, plan } from './chatGenerator';
import { ChunkEncoder, SSE_DONE, completionBody, sseEvent } from './chatWire';
import type { WireContext } from './chatWire';
import type { ResolvedOptions } from '../core/options';
import type { Timers } from '../core/timers';

export const TOKENS_HEADER = 'x-emulator-tokens';

const ROLES = new Set(['system', 'user', 'assistant', 'tool', 'developer']);
const RESPONSE_FORMATS = new Set(['text', 'json_object', 'json_schema', 'grammar', 'structural_tag']);
const MAX_TOKENS_LIMIT = 262144;

const STATUS_TYPES: Record<number, string> = { 400: 'Bad Request', 404: 'Not Found', 405: 'Method Not Allowed', 413: 'Payload Too Large', 500: 'Internal Server Error' };

/** Model APIs error bodies, in the engine's recorded style (pretty-printed with tabs, or flat). */
export function chatErrorBody(style: ModelApiBehaviour['errorStyle'], status: number, message: string): string {
  const type = STATUS_TYPES[status] ?? 'Error';
  if (style === 'flat') return JSON.stringify({ message, type, code: status });
  return `${JSON.stringify({ error: { code: status, message, type } }, null, '\t')}\n`;
}

export function sendChatError(exchange: Exchange, style: ModelApiBehaviour['errorStyle'], status: number, message: string, headers: Headers = {}): void {
  sendText(exchange, status, chatErrorBody(style, status, message), 'application/json', headers);
}

/** Headers Baseten's Model APIs send (recorded), on answers and errors alike. */
export function modelApiHeaders(exchange: Exchange, behaviour: ModelApiBehaviour): Headers {
  const acceptedAt = { 'X-Baseten-Accepted-At': String(exchange.acceptedAt) };
  if (!behaviour.sendsServingHeaders) return acceptedAt;
  return {
    ...acceptedAt,
    'X-Baseten-Model-Id': behaviour.servingModelId,
    'X-Baseten-Model-Prediction-Attempts': '1',
    'X-Baseten-Model-Version-Id': behaviour.servingDeploymentId,
    'X-Baseten-Request-Id': exchange.requestId,
    'X-Baseten-Session-Id': exchange.requestId,
  };
}

type Validated = { ok: true; messages: Array<Record<string, unknown>>; tools: ToolDefinition[] } | { ok: false; status: number; message: string };

function integerIn(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

const DATA_URL = /^data:image\/[a-z0-9.+-]+;base64,[A-Za-z0-9+/]+={0,2}$/i;

/** Like OpenAI-compatible servers: an `image_url` part needs an http(s) URL or a base64 `data:image/…` URL. */
function invalidImageUrl(messages: unknown[]): string | undefined {
  for (const [index, message] of messages.entries()) {
    const content = (message as Record<string, unknown>).content;
    if (!Array.isArray(content)) continue;
    for (const [partIndex, part] of content.entries()) {
      if (!isRecord(part) || part.type !== 'image_url') continue;
      const url = isRecord(part.image_url) ? part.image_url.url : undefined;
      if (typeof url !== 'string' || !(/^https?:\/\//i.test(url) || DATA_URL.test(url))) {
        return `Validation: \`messages[${index}].content[${partIndex}].image_url.url\` must be an http(s) URL or a base64 data:image URL.`;
      }
    }
  }
  return undefined;
}

function validate(body: Record<string, unknown>, api: ModelApiState): Validated {
  const behaviour = api.behaviour;
  const bad = (message: string): Validated => ({ ok: false, status: 400, message });
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) return bad('Validation: `messages` must be a non-empty list.');
  for (const [index, message] of messages.entries()) {
    if (!isRecord(message) || typeof message.role !== 'string' || !ROLES.has(message.role)) {
      return bad(`Validation: \`messages[${index}].role\` must be one of system, user, assistant, tool, developer.`);
    }
  }
  for (const field of ['n', 'best_of'] as const) {
    if (body[field] !== undefined && body[field] !== 1) return bad(`Validation: \`${field}\` must be 1; only one choice per request is supported.`);
  }
  if (body.stream !== undefined && typeof body.stream !== 'boolean') return bad('Validation: `stream` must be a boolean.');
  const format = body.response_format;
  if (format !== undefined) {
    if (!isRecord(format) || typeof format.type !== 'string' || !RESPONSE_FORMATS.has(format.type)) {
      return bad('Validation: `response_format.type` must be one of text, json_object, json_schema, grammar, structural_tag.');
    }
    if (format.type === 'json_schema') {
      const schema = format.json_schema;
      if (!isRecord(schema)) return bad('Validation: `response_format.json_schema` is required.');
      if (typeof schema.name !== 'string' || schema.name.trim() === '') return bad('Validation: `response_format.json_schema.name` cannot be empty');
      if (!isRecord(schema.schema)) return bad('Validation: `response_format.json_schema.schema` is required.');
    }
  }
  const images = messages.reduce((sum: number, message) => sum + messageText((message as Record<string, unknown>).content).images, 0);
  if (images > 0 && !behaviour.vision) return bad(behaviour.imageRejection);
  const badImage = invalidImageUrl(messages);
  if (badImage) return bad(badImage);
  if (body.top_logprobs !== undefined) {
    if (!integerIn(body.top_logprobs, 0, 20)) return bad('Validation: `top_logprobs` must be an integer between 0 and 20.');
    if ((body.top_logprobs as number) > behaviour.maxTopLogprobs) return bad('This model does not support logprobs > 1 due to advanced speculative decoding.');
  }
  if (body.reasoning_effort !== undefined && behaviour.reasoningEfforts.length > 0 && !behaviour.reasoningEfforts.includes(String(body.reasoning_effort))) {
    return bad(`Validation: \`reasoning_effort\` must be one of ${behaviour.reasoningEfforts.join(', ')}.`);
  }
  for (const field of ['max_tokens', 'max_completion_tokens'] as const) {
    if (body[field] !== undefined && body[field] !== null && !integerIn(body[field], 1, MAX_TOKENS_LIMIT)) {
      return bad(`Validation: \`${field}\` must be an integer between 1 and ${MAX_TOKENS_LIMIT}.`);
    }
  }
  if (body.temperature !== undefined && (typeof body.temperature !== 'number' || body.temperature < 0 || body.temperature > 4)) {
    return bad('Validation: `temperature` must be a number between 0 and 4.');
  }
  const stop = body.stop;
  if (stop !== undefined && stop !== null) {
    const list = typeof stop === 'string' ? [stop] : stop;
    if (!Array.isArray(list) || list.length > 32 || list.some((item) => typeof item !== 'string' || item.length < 1 || item.length > 1000)) {
      return bad('Validation: `stop` must be a string or a list of at most 32 strings of 1 to 1000 characters.');
    }
  }
  const tools: ToolDefinition[] = [];
  if (body.tools !== undefined && body.tools !== null) {
    if (!Array.isArray(body.tools)) return bad('Validation: `tools` must be a list.');
    for (const [index, tool] of body.tools.entries()) {
      if (!isRecord(tool) || tool.type !== 'function' || !isRecord(tool.function) || typeof tool.function.name !== 'string' || !tool.function.name) {
        return bad(`Validation: \`tools[${index}]\` must be {"type": "function", "function": {"name": …}}.`);
      }
      tools.push({
        name: tool.function.name,
        description: typeof tool.function.description === 'string' ? tool.function.description : undefined,
        parameters: isRecord(tool.function.parameters) ? tool.function.parameters : undefined,
      });
    }
  }
  const choice = body.tool_choice;
  if (choice !== undefined && choice !== null) {
    if (typeof choice === 'string') {
      if (!['none', 'auto', 'required'].includes(choice)) return bad('Validation: `tool_choice` must be none, auto, required or a named function.');
      if (choice === 'required' && tools.length === 0) return bad('Validation: `tool_choice` is "required" but no `tools` were given.');
    } else if (isRecord(choice) && isRecord(choice.function) && typeof choice.function.name === 'string') {
      const name = choice.function.name;
      if (!tools.some((tool) => tool.name === name)) return bad(`Validation: \`tool_choice\` names the function \`${name}\`, which is not in \`tools\`.`);
    } else {
      return bad('Validation: `tool_choice` must be none, auto, required or {"type": "function", "function": {"name": …}}.');
    }
  }
  return { ok: true, messages: messages as Array<Record<string, unknown>>, tools };
}

function promptTokens(messages: Array<Record<string, unknown>>, tools: ToolDefinition[], behaviour: ModelApiBehaviour): number {
  let tokens = behaviour.promptOverheadTokens;
  for (const message of messages) {
    const { text, images } = messageText(message.content);
    tokens += 4 + Math.ceil(text.length / 4) + images * 85;
    if (Array.isArray(message.tool_calls)) tokens += Math.ceil(JSON.stringify(message.tool_calls).length / 4);
  }
  if (tools.length > 0) tokens += Math.ceil(JSON.stringify(tools).length / 4);
  return Math.max(1, tokens);
}

function forcesToolCall(body: Record<string, unknown>, tools: ToolDefinition[]): boolean {
  return tools.length > 0 && (body.tool_choice === 'required' || isRecord(body.tool_choice));
}

function reasoningEnabled(body: Record<string, unknown>, behaviour: ModelApiBehaviour): boolean {
  if (body.reasoning_effort === 'none') return false;
  const args = isRecord(body.chat_template_args) ? body.chat_template_args : {};
  if (args.enable_thinking === true) return true;
  if (args.enable_thinking === false) return false;
  return behaviour.reasoningByDefault;
}

export function tokensHeader(exchange: Exchange): number | undefined {
  const raw = exchange.req.headers[TOKENS_HEADER];
  const value = Number(Array.isArray(raw) ? raw[0] : raw);
  return raw !== undefined && Number.isInteger(value) && value >= 0 ? value : undefined;
}

function streamedUsage(options: Record<string, unknown>, behaviour: ModelApiBehaviour): { includeUsage: boolean; continuousUsage: boolean } {
  if (behaviour.usageOnlyWhenAsked) {
    const includeUsage = options.include_usage === true;
    return { includeUsage, continuousUsage: includeUsage && options.continuous_usage_stats === true };
  }
  return { includeUsage: options.include_usage !== false, continuousUsage: options.continuous_usage_stats !== false };
}

export type PreparedChat =
  | { ok: false; status: number; message: string }
  | { ok: true; context: WireContext; pieces: Generator<Piece, Outcome>; stream: boolean };

/** Validates a request and plans its answer; nothing is generated until `pieces` is read. */
export function prepareChat(api: ModelApiState, body: Record<string, unknown>, modelName: string, tokens?: number): PreparedChat {
  const behaviour = api.behaviour;
  const checked = validate(body, api);
  if (!checked.ok) return checked;
  const chatPlan = plan({
    messages: checked.messages,
    tools: checked.tools,
    toolChoice: body.tool_choice,
    responseFormat: body.response_format,
    reasoning: reasoningEnabled(body, behaviour) && (behaviour.reasonsBeforeForcedToolCall || !forcesToolCall(body, checked.tools)),
    tokensHeader: tokens,
    argumentsStyle: behaviour.toolArgumentsStyle,
  });
  const stop = body.stop === undefined || body.stop === null ? [] : typeof body.stop === 'string' ? [body.stop] : (body.stop as string[]);
  const maxTokens = (body.max_completion_tokens ?? body.max_tokens ?? Number.POSITIVE_INFINITY) as number;
  const streamOptions = isRecord(body.stream_options) ? body.stream_options : {};
  return {
    ok: true,
    stream: body.stream === true,
    pieces: decode(chatPlan, { maxTokens, stops: stop, stopScope: behaviour.stopScope, includeStopString: body.include_stop_str_in_output === true }),
    context: {
      id: newChatCompletionId(),
      created: Math.floor(Date.now() / 1000),
      model: modelName,
      behaviour,
      promptTokens: promptTokens(checked.messages, checked.tools, behaviour),
      ...streamedUsage(streamOptions, behaviour),
    },
  };
}

/** The whole `chat.completion` object of a prepared request. */
export function completeChat(prepared: Extract<PreparedChat, { ok: true }>): Record<string, unknown> {
  let reasoning = '';
  let content = '';
  let step = prepared.pieces.next();
  while (!step.done) {
    if (step.value.channel === 'reasoning') reasoning += step.value.text;
    else content += step.value.text;
    step = prepared.pieces.next();
  }
  const outcome = step.value;
  const toolCallId = outcome.toolCall ? new ChunkEncoder(prepared.context).toolCallId(outcome.toolCall) : undefined;
  return completionBody(prepared.context, reasoning, content, outcome, toolCallId);
}

/**
 * Answers a chat completion for `api`; `modelName` is the `model` field of the answer (the Model API's id,
 * or whatever a deployed model was called with).
 */
/** What answering a chat reads from the core: the token delay and the timers that pace it. */
export interface ChatCore {
  readonly options: ResolvedOptions;
  readonly timers: Timers;
}

export async function serveChat(core: ChatCore, exchange: Exchange, api: ModelApiState, body: Record<string, unknown>, modelName: string): Promise<void> {
  const headers = modelApiHeaders(exchange, api.behaviour);
  const prepared = prepareChat(api, body, modelName, tokensHeader(exchange));
  if (!prepared.ok) {
    sendChatError(exchange, api.behaviour.errorStyle, prepared.status, prepared.message, headers);
    return;
  }
  if (!prepared.stream) {
    sendText(exchange, 200, JSON.stringify(completeChat(prepared)), 'application/json', headers);
    return;
  }
  await streamChat(core, exchange, prepared, headers);
}

async function streamChat(core: ChatCore, exchange: Exchange, prepared: Extract<PreparedChat, { ok: true }>, headers: Headers): Promise<void> {
  const { pieces } = prepared;
  startStream(exchange, 200, { ...headers, 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
  const encoder = new ChunkEncoder(prepared.context);
  const delay = core.options.tokenDelayMs;
  let sent = 0;
  const send = async (chunk: unknown): Promise<boolean> => {
    if (sent > 0 && delay > 0 && !(await core.timers.sleep(delay, exchange.signal))) return false;
    sent += 1;
    if (delay === 0 && sent % 64 === 0) await yieldToEventLoop();
    return writeChunk(exchange, sseEvent(chunk));
  };

  for (const chunk of encoder.opening()) if (!(await send(chunk))) return;
  let completion = 0;
  let reasoningTokens = 0;
  let finishSent = false;
  const held = new HeldShortAnswer(prepared.context.behaviour.shortAnswerAfterFinish);
  let current = pieces.next();
  while (!current.done) {
    const piece = current.value;
    const next = pieces.next();
    completion += piece.tokens;
    if (piece.channel === 'reasoning') reasoningTokens += piece.tokens;
    if (piece.channel === 'content' && reasoningTokens > 0 && held.take(piece.text, piece.tokens)) {
      current = next;
      continue;
    }
    for (const text of held.release()) if (!(await send(encoder.piece('content', text, completion, reasoningTokens)))) return;
    const ending = next.done && !next.value.toolCall && encoder.finishOnLastPiece ? next.value : undefined;
    if (ending) {
      // The finish chunk reports the final count, leftover tokens held by a stop filter included.
      completion = ending.completionTokens;
      reasoningTokens = ending.reasoningTokens;
      finishSent = true;
    }
    if (!(await send(encoder.piece(piece.channel, piece.text, completion, reasoningTokens, ending)))) return;
    current = next;
  }
  const outcome = current.value;
  if (finishSent && outcome.stoppedByString && prepared.context.behaviour.endsAbruptlyOnStopString) {
    endStream(exchange);
    return;
  }
  if (outcome.toolCall) {
    for (const chunk of encoder.toolCall(outcome.toolCall, outcome, outcome.reasoningTokens)) if (!(await send(chunk))) return;
    finishSent = encoder.finishOnLastPiece;
  }
  const closing = encoder.closing(outcome, outcome.reasoningTokens, finishSent);
  const late = held.release().join('');
  if (late !== '') closing.splice(finishSent ? 0 : 1, 0, encoder.lateContent(late));
  for (const chunk of closing) if (!(await send(chunk))) return;
  if (await writeChunk(exchange, SSE_DONE)) endStream(exchange);
}

/**
 * DeepSeek's habit: after reasoning, an answer of a few tokens is held and sent whole after the finish chunk.
 * A longer answer releases what was held and streams as usual.
 */
class HeldShortAnswer {
  private static readonly MAX_TOKENS = 4;
  private texts: string[] = [];
  private tokens = 0;
  private streaming = false;

  constructor(private readonly enabled: boolean) {}

  /** True when the piece was held back. */
  take(text: string, tokens: number): boolean {
    if (!this.enabled || this.streaming || this.tokens + tokens > HeldShortAnswer.MAX_TOKENS) {
      this.streaming = this.enabled;
      return false;
    }
    this.texts.push(text);
    this.tokens += tokens;
    return true;
  }

  release(): string[] {
    const texts = this.texts;
    this.texts = [];
    return texts;
  }
}
