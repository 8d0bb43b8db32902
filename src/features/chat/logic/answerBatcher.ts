/**
 * Coalesces a chat stream's events into batches, so a webview gets a few messages a second however fast
 * tokens arrive: text and reasoning are appended, tool calls sent whole as they stand at the flush.
 */
import type { ChatStreamEvent } from '../../../client/chatStream';
import type { ToolCall } from '../../../client/types';
import type { AnswerDelta } from './protocol';

/** 50 ms: at most 20 messages a second, still smooth to read. */
export const DEFAULT_FLUSH_INTERVAL_MS = 50;

export class AnswerBatcher {
  private text: string[] = [];
  private reasoning: string[] = [];
  /** Every call of the answer by index; sent whole when one changed (answers have a handful at most). */
  private readonly toolCalls: ToolCall[] = [];
  private toolCallsChanged = false;
  private timer?: NodeJS.Timeout;
  /** Messages flushed so far, for the panel's figures and the benchmark. */
  flushes = 0;

  constructor(
    private readonly send: (delta: AnswerDelta) => void,
    private readonly intervalMs = DEFAULT_FLUSH_INTERVAL_MS,
  ) {}

  push(event: ChatStreamEvent): void {
    switch (event.type) {
      case 'content':
        this.text.push(event.text);
        break;
      case 'reasoning':
        this.reasoning.push(event.text);
        break;
      case 'tool_call':
        this.toolCalls[event.index] = event.toolCall;
        this.toolCallsChanged = true;
        break;
      default:
        return;
    }
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  /** Sends what is waiting now (at the end of a stream, before its end is announced). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.text.length && !this.reasoning.length && !this.toolCallsChanged) return;
    const delta: AnswerDelta = {};
    if (this.text.length) delta.text = this.text.join('');
    if (this.reasoning.length) delta.reasoning = this.reasoning.join('');
    if (this.toolCallsChanged) delta.toolCalls = Array.from(this.toolCalls, (call) => (call ? { ...call, function: { ...call.function } } : { id: '', type: 'function' as const, function: { name: '', arguments: '' } }));
    this.text = [];
    this.reasoning = [];
    this.toolCallsChanged = false;
    this.flushes++;
    this.send(delta);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
