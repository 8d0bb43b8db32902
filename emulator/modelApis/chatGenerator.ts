/**
 * What an emulated LLM answers: a deterministic reply built from the conversation, split into
 * token-sized pieces, with optional reasoning first, a tool call, or JSON for `response_format`. The
 * pieces come from a generator, so a 100,000-token answer is never held in memory while it streams.
 *
 * Knobs: `[[tokens:N]]` in the last user message (or the `x-emulator-tokens` header) asks for exactly N
 * content tokens; `[[code:N]]` for an answer of exactly N tokens that is one fenced TypeScript code block
 * (what "rewrite this file" gets); `[[chunk:K]]` streams K tokens per chunk, as engines with a stream
 * interval (or speculative decoding) do; a last user message starting with `say:` is answered with
 * exactly the rest of it; `[[echo]]` gets "Hello from the Baseten emulator. You said: …". Without a
 * directive the answer is what a model might say (cannedAnswers.ts): short markdown that fits the prompt.
 */
import { isRecord } from '../core/exchange';
import { hintsFrom, pythonJson, sampleJson } from './jsonSample';
import { cannedAnswer } from './cannedAnswers';

export interface ToolDefinition {
  name: string;
  description?: string;
  parameters?: Record<string, unknown>;
}

export interface PlannedToolCall {
  name: string;
  arguments: string;
}

export type ContentSource = { kind: 'text'; text: string } | { kind: 'tokens'; count: number } | { kind: 'code'; count: number };

export interface ChatPlan {
  reasoning: string;
  content: ContentSource;
  toolCall?: PlannedToolCall;
  /** Tokens per streamed chunk (1 unless `[[chunk:K]]`). */
  tokensPerChunk?: number;
}

export interface PlanInput {
  messages: Array<Record<string, unknown>>;
  tools: ToolDefinition[];
  toolChoice: unknown;
  responseFormat: unknown;
  reasoning: boolean;
  /** From the `x-emulator-tokens` header; the directive in the message wins. */
  tokensHeader?: number;
  argumentsStyle: 'python' | 'indented';
}

const TOKENS_DIRECTIVE = /\[\[tokens:(\d+)\]\]/i;
const CODE_DIRECTIVE = /\[\[code:(\d+)\]\]/i;
const CHUNK_DIRECTIVE = /\[\[chunk:(\d+)\]\]/i;
const ECHO_DIRECTIVE = /\[\[echo\]\]/i;

/** The text parts of a message's content, and how many images it carries. */
export function messageText(content: unknown): { text: string; images: number } {
  if (typeof content === 'string') return { text: content, images: 0 };
  if (!Array.isArray(content)) return { text: '', images: 0 };
  let text = '';
  let images = 0;
  for (const part of content) {
    if (!isRecord(part)) continue;
    if (part.type === 'text' && typeof part.text === 'string') text += (text ? '\n' : '') + part.text;
    if (part.type === 'image_url' || part.type === 'input_audio' || part.type === 'video_url') images += 1;
  }
  return { text, images };
}

function lastUserMessage(messages: Array<Record<string, unknown>>): { text: string; images: number } {
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i].role === 'user') return messageText(messages[i].content);
  }
  return { text: '', images: 0 };
}

function mentionsTool(text: string, tool: ToolDefinition): boolean {
  const lower = text.toLowerCase();
  const name = tool.name.toLowerCase();
  return lower.includes(name) || lower.includes(name.replace(/_/g, ' '));
}

function chooseTool(input: PlanInput, userText: string, lastRole: unknown): ToolDefinition | undefined {
  if (input.tools.length === 0 || input.toolChoice === 'none') return undefined;
  const choice = input.toolChoice;
  if (isRecord(choice) && isRecord(choice.function) && typeof choice.function.name === 'string') {
    const named = choice.function.name;
    return input.tools.find((tool) => tool.name === named);
  }
  if (choice === 'required') return input.tools.find((tool) => mentionsTool(userText, tool)) ?? input.tools[0];
  // `auto`: call a tool the user named, unless the last message already is that tool's result.
  if (lastRole === 'tool') return undefined;
  return input.tools.find((tool) => mentionsTool(userText, tool));
}

/** The function an assistant message called with this id: OpenAI's tool messages carry the id, not the name. */
function calledToolName(messages: Array<Record<string, unknown>>, callId: unknown): string | undefined {
  for (const message of messages) {
    if (message.role !== 'assistant' || !Array.isArray(message.tool_calls)) continue;
    for (const call of message.tool_calls as unknown[]) {
      if (isRecord(call) && call.id === callId && isRecord(call.function) && typeof call.function.name === 'string') return call.function.name;
    }
  }
  return undefined;
}

function formatJson(value: unknown, style: 'python' | 'indented'): string {
  return style === 'indented' ? JSON.stringify(value, null, 2) : pythonJson(value);
}

function quote(text: string, max = 160): string {
  const single = text.replace(/\s+/g, ' ').trim();
  return single.length > max ? `${single.slice(0, max)}…` : single;
}

export function plan(input: PlanInput): ChatPlan {
  const user = lastUserMessage(input.messages);
  const chunk = CHUNK_DIRECTIVE.exec(user.text);
  const chatPlan = planAnswer(input, user.text.replace(CHUNK_DIRECTIVE, '').trim());
  return chunk && Number(chunk[1]) > 1 ? { ...chatPlan, tokensPerChunk: Number(chunk[1]) } : chatPlan;
}

function planAnswer(input: PlanInput, userTextWithDirectives: string): ChatPlan {
  const last = input.messages[input.messages.length - 1] ?? {};
  const user = { ...lastUserMessage(input.messages), text: userTextWithDirectives };
  const directive = TOKENS_DIRECTIVE.exec(user.text);
  const code = CODE_DIRECTIVE.exec(user.text);
  const userText = user.text.replace(TOKENS_DIRECTIVE, '').replace(CODE_DIRECTIVE, '').trim();
  const requestedTokens = directive ? Number(directive[1]) : input.tokensHeader;
  const think = (text: string): string => (input.reasoning ? text : '');

  const tool = chooseTool(input, userText, last.role);
  if (tool) {
    const args = sampleJson(tool.parameters ?? { type: 'object', properties: {} }, hintsFrom(userText));
    const argumentsText = formatJson(args, input.argumentsStyle);
    return {
      reasoning: think(`The user wants me to use the ${tool.name} tool. I will call it with ${JSON.stringify(args)}.`),
      content: { kind: 'text', text: '' },
      toolCall: { name: tool.name, arguments: argumentsText },
    };
  }

  if (code) {
    const count = Number(code[1]);
    return { reasoning: think(`The user asked for a code block of ${count} tokens. I will write it.`), content: { kind: 'code', count } };
  }

  if (requestedTokens !== undefined) {
    return { reasoning: think(`The user asked for ${requestedTokens} tokens of text. I will write them.`), content: { kind: 'tokens', count: requestedTokens } };
  }

  if (last.role === 'tool') {
    const result = messageText(last.content).text;
    const name = typeof last.name === 'string' ? last.name : (calledToolName(input.messages, last.tool_call_id) ?? 'tool');
    return {
      reasoning: think(`The ${name} tool returned ${quote(result, 80)}. I will report it.`),
      content: { kind: 'text', text: `The ${name} tool returned: ${result}` },
    };
  }

  const format = isRecord(input.responseFormat) ? input.responseFormat : undefined;
  if (format?.type === 'json_schema' && isRecord(format.json_schema)) {
    const value = sampleJson(format.json_schema.schema, hintsFrom(userText));
    return {
      reasoning: think('The user wants JSON that matches the given schema. I will answer with exactly that.'),
      content: { kind: 'text', text: JSON.stringify(value) },
    };
  }
  if (format?.type === 'json_object') {
    return {
      reasoning: think('The user wants a JSON object. I will answer with one.'),
      content: { kind: 'text', text: formatJson({ reply: 'Hello from the Baseten emulator.', you_said: userText }, input.argumentsStyle) },
    };
  }

  const trimmed = user.text.trimStart();
  if (trimmed.startsWith('say:')) {
    const rest = trimmed.slice(4);
    return { reasoning: think('The user told me exactly what to say. I will repeat it verbatim.'), content: { kind: 'text', text: rest.startsWith(' ') ? rest.slice(1) : rest } };
  }

  if (!ECHO_DIRECTIVE.test(userText)) {
    return {
      reasoning: think(`The user said: "${quote(userText)}". I will answer briefly and to the point.`),
      content: { kind: 'text', text: cannedAnswer(userText, user.images) },
    };
  }
  const echoed = userText.replace(ECHO_DIRECTIVE, '').trim();
  const images = user.images > 0 ? ` (with ${user.images} image${user.images === 1 ? '' : 's'})` : '';
  const text = echoed ? `Hello from the Baseten emulator. You said: ${echoed}${images}` : `Hello from the Baseten emulator. You sent no text${images}.`;
  return {
    reasoning: think(`The user said: "${quote(echoed)}". I will greet them and repeat what they said.`),
    content: { kind: 'text', text },
  };
}

/** Token-sized pieces whose concatenation is exactly `text`: words with their leading space. */
export function* tokenize(text: string): Generator<string> {
  for (const match of text.matchAll(/\s*\S+|\s+/g)) {
    const token = match[0];
    if (token.length <= 16) {
      yield token;
      continue;
    }
    for (let i = 0; i < token.length; i += 8) yield token.slice(i, i + 8);
  }
}

const FILLER = (
  'The Baseten emulator streams this text so that clients can be measured under load. ' +
  'Each word arrives as one token, with running usage in every chunk. ' +
  'Models scale to zero, wake up, load, and answer again; requests park while they wait.'
).split(' ');

/** Exactly `count` tokens of filler text, with a paragraph break every 60 tokens. */
export function* fillerTokens(count: number): Generator<string> {
  for (let i = 0; i < count; i++) {
    const word = FILLER[i % FILLER.length];
    if (i === 0) yield word;
    else yield (i % 60 === 0 ? '\n\n' : ' ') + word;
  }
}

const CODE_LINES = [
  'export function handler{i}(request: Request, limit = {i}): Promise<Response> {',
  '  const started = performance.now(); // {i}: measured for the log',
  "  if (request.method !== 'POST') return Promise.resolve(new Response('no', { status: 405 }));",
  '  return fetch(`https://example.com/items/${limit}`).then((response) => response.json() as Promise<Item[]>)',
  '    .then((items) => new Response(JSON.stringify(items.filter((item) => item.size < limit))));',
  '}',
  '',
];

/**
 * Exactly `count` tokens (at least the two fence lines) of one fenced TypeScript block: the opening
 * fence, code lines (with blank lines between functions, inside the fence), the closing fence.
 */
export function* codeTokens(count: number): Generator<string> {
  if (count <= 0) return;
  yield '```typescript';
  let left = count - 2;
  let line = 0;
  let blank = false;
  while (left > 0) {
    const template = CODE_LINES[line % CODE_LINES.length];
    const text = template.replace(/\{i\}/g, String(Math.floor(line / CODE_LINES.length)));
    line += 1;
    if (!text) {
      blank = true;
      continue;
    }
    let first = true;
    for (const token of tokenize(text)) {
      if (left <= 0) break;
      yield first ? `${blank ? '\n\n' : '\n'}${token}` : token;
      first = false;
      blank = false;
      left -= 1;
    }
  }
  if (count >= 2) yield '\n```';
}

export type Channel = 'reasoning' | 'content';

export interface Piece {
  channel: Channel;
  text: string;
  /** Tokens consumed since the previous piece. */
  tokens: number;
}

export interface Outcome {
  finishReason: 'stop' | 'length' | 'tool_calls';
  /** True when a `stop` string ended the answer (engines then send no `stop_reason`). */
  stoppedByString: boolean;
  toolCall?: PlannedToolCall;
  completionTokens: number;
  reasoningTokens: number;
}

export interface DecodeLimits {
  maxTokens: number;
  stops: string[];
  stopScope: 'all' | 'content';
  includeStopString: boolean;
}

/** Holds back text that could be the start of a stop string; cuts the answer when one appears. */
class StopFilter {
  private buffer = '';
  private readonly longest: number;

  constructor(
    private readonly stops: string[],
    private readonly includeStop: boolean,
  ) {
    this.longest = Math.max(0, ...stops.map((stop) => stop.length));
  }

  push(text: string): { emit: string; stopped: boolean } {
    if (this.stops.length === 0) return { emit: text, stopped: false };
    this.buffer += text;
    let at = -1;
    let length = 0;
    for (const stop of this.stops) {
      const index = this.buffer.indexOf(stop);
      if (index >= 0 && (at < 0 || index < at)) {
        at = index;
        length = stop.length;
      }
    }
    if (at >= 0) {
      const emit = this.buffer.slice(0, this.includeStop ? at + length : at);
      this.buffer = '';
      return { emit, stopped: true };
    }
    const safe = this.buffer.length - (this.longest - 1);
    if (safe <= 0) return { emit: '', stopped: false };
    const emit = this.buffer.slice(0, safe);
    this.buffer = this.buffer.slice(safe);
    return { emit, stopped: false };
  }

  flush(): string {
    const rest = this.buffer;
    this.buffer = '';
    return rest;
  }
}

export function toolCallTokens(call: PlannedToolCall): number {
  return Math.ceil(call.arguments.length / 3) + 3;
}

/**
 * Runs a plan against max_tokens and stop strings, yielding pieces in order: one token a piece, or
 * `tokensPerChunk` of the same channel joined (the last of a channel may hold fewer).
 */
export function* decode(chatPlan: ChatPlan, limits: DecodeLimits): Generator<Piece, Outcome> {
  const pieces = decodeTokens(chatPlan, limits);
  const perChunk = chatPlan.tokensPerChunk ?? 1;
  if (perChunk <= 1) return yield* pieces;
  let held: Piece | undefined;
  let heldCount = 0;
  for (;;) {
    const step = pieces.next();
    if (step.done) {
      if (held) yield held;
      return step.value;
    }
    const piece = step.value;
    if (held && held.channel !== piece.channel) {
      yield held;
      held = undefined;
      heldCount = 0;
    }
    held = held ? { channel: held.channel, text: held.text + piece.text, tokens: held.tokens + piece.tokens } : { ...piece };
    heldCount += 1;
    if (heldCount >= perChunk) {
      yield held;
      held = undefined;
      heldCount = 0;
    }
  }
}

function* decodeTokens(chatPlan: ChatPlan, limits: DecodeLimits): Generator<Piece, Outcome> {
  let used = 0;
  let reasoningTokens = 0;
  let pending = 0;
  const outcome = (finishReason: Outcome['finishReason'], stoppedByString = false, toolCall?: PlannedToolCall): Outcome => ({
    finishReason,
    stoppedByString,
    toolCall,
    completionTokens: used,
    reasoningTokens,
  });

  const phases: Array<[Channel, Iterable<string>]> = [['reasoning', tokenize(chatPlan.reasoning)]];
  if (!chatPlan.toolCall) {
    const content = chatPlan.content;
    phases.push(['content', content.kind === 'text' ? tokenize(content.text) : content.kind === 'code' ? codeTokens(content.count) : fillerTokens(content.count)]);
  }

  for (const [channel, tokens] of phases) {
    const filtered = limits.stopScope === 'all' || channel === 'content';
    const filter = new StopFilter(filtered ? limits.stops : [], limits.includeStopString);
    for (const token of tokens) {
      if (used >= limits.maxTokens) {
        const rest = filter.flush();
        if (rest) yield { channel, text: rest, tokens: pending };
        return outcome('length');
      }
      used += 1;
      pending += 1;
      if (channel === 'reasoning') reasoningTokens += 1;
      const { emit, stopped } = filter.push(token);
      if (emit) {
        yield { channel, text: emit, tokens: pending };
        pending = 0;
      }
      if (stopped) return outcome('stop', true);
    }
    const rest = filter.flush();
    if (rest) {
      yield { channel, text: rest, tokens: pending };
      pending = 0;
    }
  }

  if (chatPlan.toolCall) {
    const cost = toolCallTokens(chatPlan.toolCall);
    if (used + cost > limits.maxTokens) {
      used = limits.maxTokens;
      return outcome('length');
    }
    used += cost;
    return outcome('tool_calls', false, chatPlan.toolCall);
  }
  return outcome('stop');
}

/** Splits tool-call arguments the way engines stream them: one JSON token at a time. */
export function argumentPieces(argumentsText: string): string[] {
  const pieces = argumentsText.match(/"(?:[^"\\]|\\.)*"|[{}[\],:]|[^{}[\],:"\s]+|\s+/g) ?? [argumentsText];
  // Pair each key with its colon and the following space, as engines tend to.
  const out: string[] = [];
  for (const piece of pieces) {
    const previous = out[out.length - 1];
    if (previous !== undefined && (/^[:\s]+$/.test(piece) || previous === '{')) out[out.length - 1] = previous + piece;
    else out.push(piece);
  }
  return out;
}
