/**
 * Asks a model for one answer and streams it into an `AssistantTurn`: batched deltas for the UI, the
 * figures a user wants at the end, and a failure that keeps every token already received.
 */
import type { ChatStream } from '../../../client/chatStream';
import { BasetenError } from '../../../client/errors';
import type { ChatEndpoint, ModelApisClient } from '../../../client/modelApis';
import type { ChatCompletionRequest, Usage } from '../../../client/types';
import { AnswerBatcher, DEFAULT_FLUSH_INTERVAL_MS } from './answerBatcher';
import type { AnswerDelta, AnswerStats, AssistantTurn } from './protocol';

export interface AskOptions {
  signal: AbortSignal;
  endpoint?: ChatEndpoint;
  onDelta: (delta: AnswerDelta) => void;
  flushIntervalMs?: number;
  /** Called with the request id once the response headers arrive. */
  onStarted?: (stream: ChatStream) => void;
}

export interface AskOutcome {
  answer: AssistantTurn;
  /** Messages sent to `onDelta`. */
  batches: number;
  error?: BasetenError;
}

export function usageStats(usage: Usage | undefined): Partial<AnswerStats> {
  if (!usage) return {};
  return {
    promptTokens: usage.prompt_tokens,
    completionTokens: usage.completion_tokens,
    cachedTokens: usage.prompt_tokens_details?.cached_tokens ?? undefined,
    reasoningTokens: usage.completion_tokens_details?.reasoning_tokens ?? undefined,
  };
}

function timingStats(stream: ChatStream, completionTokens: number | undefined): Partial<AnswerStats> {
  const { sentAt, firstTokenAt, endedAt } = stream.timings;
  const stats: Partial<AnswerStats> = {};
  if (firstTokenAt !== undefined) stats.timeToFirstTokenMs = Math.round(firstTokenAt - sentAt);
  if (endedAt !== undefined) stats.durationMs = Math.round(endedAt - sentAt);
  if (firstTokenAt !== undefined && endedAt !== undefined && completionTokens && endedAt > firstTokenAt) {
    stats.tokensPerSecond = Math.round((completionTokens / ((endedAt - firstTokenAt) / 1000)) * 10) / 10;
  }
  return stats;
}

function asBasetenError(error: unknown): BasetenError {
  if (error instanceof BasetenError) return error;
  return new BasetenError({ kind: 'protocol', message: error instanceof Error ? error.message : String(error), cause: error });
}

export async function askModel(modelApis: ModelApisClient, request: ChatCompletionRequest, answer: AssistantTurn, options: AskOptions): Promise<AskOutcome> {
  const batcher = new AnswerBatcher((delta) => {
    if (delta.text) answer.text += delta.text;
    if (delta.reasoning) answer.reasoning += delta.reasoning;
    if (delta.toolCalls) answer.toolCalls = delta.toolCalls;
    options.onDelta(delta);
  }, options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS);
  let stream: ChatStream | undefined;
  try {
    stream = await modelApis.chatStream(request, { signal: options.signal, endpoint: options.endpoint });
    answer.stats.requestId = stream.requestId;
    options.onStarted?.(stream);
    for await (const event of stream) batcher.push(event);
    batcher.flush();
    answer.state = 'done';
    return { answer: finish(answer, stream), batches: batcher.flushes };
  } catch (caught) {
    // Whatever arrived before the failure is shown: flush it first, then say what went wrong.
    batcher.flush();
    const error = asBasetenError(caught);
    answer.state = error.kind === 'aborted' ? 'stopped' : 'failed';
    if (answer.state === 'failed') answer.error = error.message;
    answer.stats.requestId ??= error.requestId;
    return { answer: stream ? finish(answer, stream) : answer, batches: batcher.flushes, error };
  } finally {
    batcher.dispose();
  }
}

function finish(answer: AssistantTurn, stream: ChatStream): AssistantTurn {
  const result = stream.result;
  const usage = usageStats(result.usage);
  answer.stats = {
    ...answer.stats,
    ...usage,
    ...timingStats(stream, usage.completionTokens),
    finishReason: result.finishReason,
    requestId: answer.stats.requestId ?? result.requestId,
  };
  return answer;
}
