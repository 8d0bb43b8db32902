/**
 * An OpenAI-style chat completion stream read as typed events, with everything received so far kept in
 * `result`, so a failure mid-stream never loses what was shown.
 */
import { BasetenError } from './errors';
import { HttpResponse } from './http';
import { readSseBatches } from './sse';
import type { ChatCompletionChunk, FinishReason, ToolCall, ToolCallDelta, Usage } from './types';

export type ChatStreamEvent =
  | { type: 'content'; text: string }
  | { type: 'reasoning'; text: string }
  /** `toolCall` is the call merged so far; `argumentsDelta` is what this chunk added. */
  | { type: 'tool_call'; index: number; toolCall: ToolCall; argumentsDelta: string }
  /** Baseten sends running totals in every chunk; the last one is final. */
  | { type: 'usage'; usage: Usage }
  | { type: 'finish'; reason: FinishReason; stopReason?: number | string };

export interface ChatTimings {
  /** performance.now() when the request was sent. */
  sentAt: number;
  headersAt?: number;
  firstTokenAt?: number;
  endedAt?: number;
}

/** The assembled answer: complete after a stream ends, partial while it runs or after it failed. */
export interface ChatResult {
  id?: string;
  model?: string;
  text: string;
  reasoning: string;
  toolCalls: ToolCall[];
  usage?: Usage;
  finishReason?: FinishReason;
  stopReason?: number | string;
  requestId?: string;
  /** True once the stream ended properly (`[DONE]`, or a finish reason followed by a clean close). */
  complete: boolean;
}

export function emptyChatResult(requestId?: string): ChatResult {
  return { text: '', reasoning: '', toolCalls: [], requestId, complete: false };
}

/**
 * Merges a tool-call delta by `index`. Engines differ (docs/baseten-api.md#streaming): some send a whole call
 * at once, some stream arguments with an empty id on continuations, some repeat the id or send another one; the
 * first non-empty id and name win and arguments are appended.
 */
export function mergeToolCallDelta(calls: ToolCall[], delta: ToolCallDelta): { index: number; call: ToolCall; argumentsDelta: string } {
  const index = typeof delta.index === 'number' ? delta.index : Math.max(0, calls.length - 1);
  const call = (calls[index] ??= { id: '', type: 'function', function: { name: '', arguments: '' } });
  if (delta.id && !call.id) call.id = delta.id;
  const name = delta.function?.name;
  if (name && !call.function.name) call.function.name = name;
  const argumentsDelta = delta.function?.arguments ?? '';
  if (argumentsDelta) call.function.arguments += argumentsDelta;
  return { index, call, argumentsDelta };
}

export class ChatStream implements AsyncIterable<ChatStreamEvent> {
  readonly result: ChatResult;
  readonly timings: ChatTimings;
  private consumed = false;

  constructor(
    private readonly response: HttpResponse,
    private readonly controller: AbortController,
    sentAt: number,
    private readonly onEnd: () => void = () => undefined,
  ) {
    this.result = emptyChatResult(response.requestId);
    this.timings = { sentAt, headersAt: performance.now() };
  }

  get requestId(): string | undefined {
    return this.response.requestId;
  }

  /** Stops the stream and closes its socket; the iterator ends with an aborted error. */
  abort(): void {
    this.controller.abort();
  }

  /** Reads the stream to its end and returns the assembled answer. */
  async final(): Promise<ChatResult> {
    for await (const _event of this) {
      // The result is assembled as events pass.
    }
    return this.result;
  }

  /**
   * Events one at a time, handed out from the batch of each network chunk: an async generator yielding
   * every event would cost an extra await per event, which at 200,000 events a second is a fifth of the
   * reader's time (npm run bench chat).
   */
  [Symbol.asyncIterator](): AsyncIterator<ChatStreamEvent> {
    if (this.consumed) throw new Error('A chat stream can be read only once.');
    this.consumed = true;
    const batches = this.eventBatches();
    let batch: ChatStreamEvent[] = [];
    let next = 0;
    return {
      next: async (): Promise<IteratorResult<ChatStreamEvent>> => {
        while (next >= batch.length) {
          const step = await batches.next();
          if (step.done) return { done: true, value: undefined };
          batch = step.value;
          next = 0;
        }
        return { done: false, value: batch[next++] };
      },
      return: async (): Promise<IteratorResult<ChatStreamEvent>> => {
        batch = [];
        await batches.return(undefined);
        return { done: true, value: undefined };
      },
    };
  }

  private async *eventBatches(): AsyncGenerator<ChatStreamEvent[]> {
    const signal = this.controller.signal;
    try {
      for await (const batch of readSseBatches(this.response.chunks(signal))) {
        const out: ChatStreamEvent[] = [];
        try {
          for (const event of batch) {
            const data = event.data;
            if (data === '[DONE]') {
              this.result.complete = true;
              continue;
            }
            if (this.result.complete) continue;
            // No error event is documented for Baseten; an SSE event named `error` must not pass for success.
            if (event.event === 'error') throw this.reportedError(data);
            if (!data) continue;
            this.apply(this.parse(data), out);
          }
        } catch (caught) {
          // The events before the bad one are still handed out, then the error.
          if (out.length) yield out;
          throw caught;
        }
        if (out.length) yield out;
      }
    } catch (caught) {
      throw this.failure(caught);
    } finally {
      this.timings.endedAt = performance.now();
      this.onEnd();
      // Whatever ended the loop (done, error, or a consumer that stopped early), free the socket.
      if (!this.result.complete) this.response.cancel();
    }
    if (!this.result.complete) {
      if (this.result.finishReason !== undefined) {
        this.result.complete = true;
      } else {
        throw this.failure(
          new BasetenError({
            kind: 'stream_truncated',
            message: 'The stream ended before the model finished (no finish reason and no [DONE]); the answer is incomplete.',
            requestId: this.requestId,
          }),
        );
      }
    }
  }

  private parse(data: string): ChatCompletionChunk {
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      throw new BasetenError({
        kind: 'protocol',
        message: this.response.redact(`The model sent a malformed stream event: ${data.length > 200 ? `${data.slice(0, 200)}…` : data}`),
        requestId: this.requestId,
      });
    }
    if (!chunk || typeof chunk !== 'object') {
      throw new BasetenError({ kind: 'protocol', message: 'The model sent a stream event that is not a JSON object.', requestId: this.requestId });
    }
    const maybeError = (chunk as { error?: unknown }).error;
    if (maybeError !== undefined && maybeError !== null) throw this.reportedError(maybeError);
    return chunk as ChatCompletionChunk;
  }

  /** The error for an error the stream itself reported: `data: {"error": …}`, or an `error` event. */
  private reportedError(reported: unknown): BasetenError {
    let value = reported;
    if (typeof value === 'string') {
      try {
        value = JSON.parse(value);
      } catch {
        // Plain text: the message itself.
      }
    }
    if (value && typeof value === 'object' && 'error' in value && (value as { error?: unknown }).error) value = (value as { error: unknown }).error;
    const message =
      typeof value === 'string'
        ? value
        : String((value as { message?: unknown } | null)?.message ?? JSON.stringify(value));
    const shown = message.length > 500 ? `${message.slice(0, 500)}…` : message;
    return new BasetenError({
      kind: 'protocol',
      message: this.response.redact(`The model reported an error mid-stream: ${shown}`),
      requestId: this.requestId,
    });
  }

  /** Folds one chunk into the result and adds the events it carried to `events`. */
  private apply(chunk: ChatCompletionChunk, events: ChatStreamEvent[]): void {
    const result = this.result;
    result.id ??= chunk.id;
    result.model ??= chunk.model;
    const choice = chunk.choices?.find((c) => (c.index ?? 0) === 0);
    if (choice) {
      const delta = choice.delta ?? {};
      const reasoning = delta.reasoning_content ?? delta.reasoning;
      if (reasoning) {
        this.markFirstToken();
        result.reasoning += reasoning;
        events.push({ type: 'reasoning', text: reasoning });
      }
      if (delta.content) {
        this.markFirstToken();
        result.text += delta.content;
        events.push({ type: 'content', text: delta.content });
      }
      if (delta.tool_calls) {
        for (const toolDelta of delta.tool_calls) {
          this.markFirstToken();
          const { index, call, argumentsDelta } = mergeToolCallDelta(result.toolCalls, toolDelta);
          events.push({ type: 'tool_call', index, toolCall: call, argumentsDelta });
        }
      }
      if (choice.finish_reason) {
        result.finishReason = choice.finish_reason;
        if (choice.stop_reason !== undefined && choice.stop_reason !== null) result.stopReason = choice.stop_reason;
        events.push({ type: 'finish', reason: choice.finish_reason, stopReason: result.stopReason });
      }
    }
    if (chunk.usage) {
      result.usage = chunk.usage;
      events.push({ type: 'usage', usage: chunk.usage });
    }
  }

  private markFirstToken(): void {
    this.timings.firstTokenAt ??= performance.now();
  }

  private failure(caught: unknown): BasetenError {
    const error =
      caught instanceof BasetenError
        ? caught
        : new BasetenError({ kind: 'protocol', message: `Reading the stream failed: ${(caught as Error)?.message ?? caught}`, cause: caught });
    error.partial = { ...this.result, toolCalls: this.result.toolCalls.map((c) => ({ ...c, function: { ...c.function } })) };
    return error;
  }
}
