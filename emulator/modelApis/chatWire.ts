/**
 * The wire shapes of chat completions, per engine family, copied from recorded traffic:
 *
 * - `vllm` (DeepSeek-V4-Pro, gpt-oss-120b): every delta carries `content`, `function_call`,
 *   `tool_calls`, `role`, `refusal` (null when unused) and `reasoning_content` when reasoning; chunks carry
 *   `service_tier` and `system_fingerprint`; the finish_reason comes in its own chunk with a null delta.
 *   After reasoning, DeepSeek may send a short answer whole after that finish chunk, with `usage: null`.
 * - `glm` (GLM-5.2): minimal deltas; the last content (or tool-argument) chunk carries `finish_reason`
 *   and, on a natural end, `stop_reason` (154827; 154829 after a tool call). Tool-argument pieces repeat
 *   the call's id.
 * - `kimi` (Kimi-K2.6, not recorded): minimal deltas like GLM, without `stop_reason`.
 *
 * All: the first delta has `role: "assistant"`, every chunk carries running `usage`, then a chunk with
 * `"choices": []` and the final usage, then `data: [DONE]`.
 */
import { newToolCallId } from '../core/ids';
import type { ModelApiBehaviour } from '../state/state';
import type { Outcome, PlannedToolCall } from './chatGenerator';
import { argumentPieces } from './chatGenerator';

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { audio_tokens: number; cached_tokens: number };
  completion_tokens_details: { accepted_prediction_tokens: number; audio_tokens: number; reasoning_tokens: number; rejected_prediction_tokens: number };
}

export interface WireContext {
  id: string;
  created: number;
  model: string;
  behaviour: ModelApiBehaviour;
  promptTokens: number;
  /** `stream_options.include_usage` (default true): the final `choices: []` chunk. */
  includeUsage: boolean;
  /** `stream_options.continuous_usage_stats` (default true): usage in every chunk. */
  continuousUsage: boolean;
}

export function usage(context: WireContext, completionTokens: number, reasoningTokens: number): Usage {
  return {
    prompt_tokens: context.promptTokens,
    completion_tokens: completionTokens,
    total_tokens: context.promptTokens + completionTokens,
    prompt_tokens_details: { audio_tokens: 0, cached_tokens: 0 },
    completion_tokens_details: {
      accepted_prediction_tokens: 0,
      audio_tokens: 0,
      reasoning_tokens: context.behaviour.countsReasoningTokens ? reasoningTokens : 0,
      rejected_prediction_tokens: 0,
    },
  };
}

const STOP_REASON_EOS = 154827;
const STOP_REASON_TOOL = 154829;

export interface ToolCallDelta {
  index: number;
  id?: string;
  type?: 'function';
  function: { name?: string | null; arguments: string };
}

interface DeltaParts {
  role?: 'assistant';
  content?: string;
  reasoning?: string;
  toolCalls?: ToolCallDelta[];
}

export type Chunk = Record<string, unknown>;

/** Builds the chunks of one streamed answer; the caller decides when each is sent. */
export class ChunkEncoder {
  private roleSent = false;

  constructor(private readonly context: WireContext) {}

  private get wire(): ModelApiBehaviour['wire'] {
    return this.context.behaviour.wire;
  }

  private delta(parts: DeltaParts): Record<string, unknown> {
    if (this.wire === 'vllm') {
      const delta: Record<string, unknown> = {
        content: parts.content ?? null,
        function_call: null,
        tool_calls: parts.toolCalls ?? null,
        role: parts.role ?? null,
        refusal: null,
      };
      if (parts.reasoning !== undefined) delta.reasoning_content = parts.reasoning;
      return delta;
    }
    const delta: Record<string, unknown> = {};
    if (parts.role) delta.role = parts.role;
    if (parts.reasoning !== undefined) delta.reasoning_content = parts.reasoning;
    if (parts.content !== undefined) delta.content = parts.content;
    if (parts.toolCalls) delta.tool_calls = parts.toolCalls;
    return delta;
  }

  private chunk(choices: unknown[], chunkUsage: Usage | null): Chunk {
    const chunk: Chunk = { id: this.context.id, choices, created: this.context.created, model: this.context.model };
    if (this.wire === 'vllm') {
      chunk.service_tier = null;
      chunk.system_fingerprint = null;
    }
    chunk.object = 'chat.completion.chunk';
    chunk.usage = chunkUsage;
    return chunk;
  }

  private runningUsage(completion: number, reasoning: number): Usage | null {
    return this.context.continuousUsage ? usage(this.context, completion, reasoning) : null;
  }

  private takeRole(): 'assistant' | undefined {
    if (this.roleSent) return undefined;
    this.roleSent = true;
    return 'assistant';
  }

  /** gpt-oss opens with a role-only chunk. */
  opening(): Chunk[] {
    if (!this.context.behaviour.roleOnlyFirstChunk) return [];
    return [this.chunk([{ index: 0, delta: this.delta({ role: this.takeRole() }) }], this.runningUsage(0, 0))];
  }

  /**
   * A reasoning or content piece. For glm and kimi the last piece carries the finish (`outcome`), unless a
   * tool call follows.
   */
  piece(channel: 'reasoning' | 'content', text: string, completion: number, reasoning: number, outcome?: Outcome): Chunk {
    const parts: DeltaParts = { role: this.takeRole() };
    if (channel === 'reasoning') parts.reasoning = text;
    else parts.content = text;
    const choice: Record<string, unknown> = { index: 0, delta: this.delta(parts) };
    if (outcome && this.wire !== 'vllm') Object.assign(choice, this.finishFields(outcome));
    return this.chunk([choice], this.runningUsage(completion, reasoning));
  }

  private finishFields(outcome: Outcome): Record<string, unknown> {
    const fields: Record<string, unknown> = { finish_reason: outcome.finishReason };
    if (this.wire === 'glm' && !outcome.stoppedByString && outcome.finishReason !== 'length') {
      fields.stop_reason = outcome.finishReason === 'tool_calls' ? STOP_REASON_TOOL : STOP_REASON_EOS;
    }
    return fields;
  }

  /** A held answer sent after the finish chunk (DeepSeek), with `usage: null` as recorded. */
  lateContent(text: string): Chunk {
    return this.chunk([{ index: 0, delta: this.delta({ role: this.takeRole(), content: text }) }], null);
  }

  toolCallId(call: PlannedToolCall): string {
    return this.context.behaviour.toolCallIdStyle === 'kimi' ? `functions.${call.name}:0` : newToolCallId();
  }

  /** The tool call, whole or in argument pieces, in this engine's style. */
  toolCall(call: PlannedToolCall, outcome: Outcome, reasoning: number): Chunk[] {
    const id = this.toolCallId(call);
    const style = this.context.behaviour.toolStreaming;
    const finalUsage = this.runningUsage(outcome.completionTokens, reasoning);
    if (style === 'whole') {
      const delta = this.delta({ role: this.takeRole(), toolCalls: [{ index: 0, id, type: 'function', function: { name: call.name, arguments: call.arguments } }] });
      return [this.chunk([{ index: 0, delta }], finalUsage)];
    }
    const pieces = argumentPieces(call.arguments);
    const chunks: Chunk[] = [];
    if (style === 'pieces-null-name') {
      // gpt-oss: the name with empty arguments first, then every piece with `name: null`.
      chunks.push(this.chunk([{ index: 0, delta: this.delta({ role: this.takeRole(), toolCalls: [{ index: 0, id, type: 'function', function: { name: call.name, arguments: '' } }] }) }], finalUsage));
      for (const piece of pieces) {
        chunks.push(this.chunk([{ index: 0, delta: this.delta({ toolCalls: [{ index: 0, id, type: 'function', function: { name: null, arguments: piece } }] }) }], finalUsage));
      }
      return chunks;
    }
    pieces.forEach((piece, i) => {
      const first = i === 0;
      const toolCall: ToolCallDelta = first
        ? { index: 0, id, type: 'function', function: { name: call.name, arguments: piece } }
        : { index: 0, id: style === 'pieces-empty-id' ? '' : id, type: 'function', function: { arguments: piece } };
      const choice: Record<string, unknown> = { index: 0, delta: this.delta({ role: this.takeRole(), toolCalls: [toolCall] }) };
      if (i === pieces.length - 1 && this.finishOnLastPiece) Object.assign(choice, this.finishFields(outcome));
      chunks.push(this.chunk([choice], finalUsage));
    });
    return chunks;
  }

  /**
   * What closes the answer: vllm's separate finish chunk (or, for glm/kimi, a finish chunk when nothing
   * carried it), then the usage chunk when asked for.
   */
  closing(outcome: Outcome, reasoning: number, finishSent: boolean): Chunk[] {
    const chunks: Chunk[] = [];
    if (!finishSent) {
      const echoReasoning = this.context.behaviour.finishDeltaReasoning && reasoning > 0 ? '' : undefined;
      const delta = this.wire === 'vllm' ? this.delta({ role: this.takeRole(), reasoning: echoReasoning }) : this.delta({ role: this.takeRole(), content: '' });
      chunks.push(this.chunk([{ index: 0, delta, ...this.finishFields(outcome) }], this.runningUsage(outcome.completionTokens, reasoning)));
    }
    if (this.context.includeUsage) chunks.push(this.chunk([], usage(this.context, outcome.completionTokens, reasoning)));
    return chunks;
  }

  /** True when this engine puts the finish on the last piece instead of a separate chunk. */
  get finishOnLastPiece(): boolean {
    return this.wire !== 'vllm';
  }
}

export function sseEvent(value: unknown): string {
  return `data: ${JSON.stringify(value)}\n\n`;
}

export const SSE_DONE = 'data: [DONE]\n\n';

/** A whole (non-streamed) `chat.completion`, shaped like the recorded ones. */
export function completionBody(
  context: WireContext,
  reasoningText: string,
  contentText: string,
  outcome: Outcome,
  toolCallId: string | undefined,
): Record<string, unknown> {
  const behaviour = context.behaviour;
  const message: Record<string, unknown> = {};
  if (outcome.toolCall && toolCallId) {
    message.tool_calls = [{ id: toolCallId, type: 'function', function: { name: outcome.toolCall.name, arguments: outcome.toolCall.arguments } }];
  } else if (contentText !== '') {
    message.content = contentText;
  }
  message.role = 'assistant';
  if (reasoningText !== '') {
    message.reasoning_content = reasoningText;
    if (behaviour.duplicateReasoningField) message.reasoning = reasoningText;
  }
  const choice: Record<string, unknown> = { index: 0, message, finish_reason: outcome.finishReason };
  if (behaviour.wire === 'glm' && !outcome.stoppedByString && outcome.finishReason !== 'length') {
    choice.stop_reason = outcome.finishReason === 'tool_calls' ? STOP_REASON_TOOL : STOP_REASON_EOS;
  }
  return {
    id: context.id,
    choices: [choice],
    created: context.created,
    model: context.model,
    object: 'chat.completion',
    usage: usage(context, outcome.completionTokens, outcome.reasoningTokens),
  };
}
