/**
 * Server-sent events from a byte stream. Parsing is eventsource-parser's; this file only turns its
 * callbacks into an async iterable and decodes UTF-8 across chunk boundaries.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { BasetenError } from './errors';
import { Utf8Decoder } from './utf8Decoder';

export type SseEvent = EventSourceMessage;

/** The longest line, or event, a stream may send before it is stopped: no real event comes near it. */
export const DEFAULT_MAX_SSE_EVENT_CHARS = 16 * 1024 * 1024;

export interface SseLimits {
  /** Characters one line, or one event's lines together, may hold (16 Mi by default). */
  maxEventChars?: number;
}

export async function* readSse(chunks: AsyncIterable<Uint8Array>, limits: SseLimits = {}): AsyncGenerator<SseEvent> {
  for await (const batch of readSseBatches(chunks, limits)) yield* batch;
}

function tooLarge(limit: number, what: string): BasetenError {
  const MiB = 1024 * 1024;
  const size = limit % MiB === 0 ? `${limit / MiB} MiB` : `${limit.toLocaleString('en-US')} characters`;
  return new BasetenError({ kind: 'too_large', message: `The stream sent ${what} longer than ${size}, so it was stopped; what arrived before it is kept.` });
}

/**
 * The events of each network chunk together: a hot reader (a chat stream) handles them in one step
 * instead of paying an async hop per event.
 */
export async function* readSseBatches(chunks: AsyncIterable<Uint8Array>, limits: SseLimits = {}): AsyncGenerator<SseEvent[]> {
  const limit = limits.maxEventChars ?? DEFAULT_MAX_SSE_EVENT_CHARS;
  let pending: SseEvent[] = [];
  // Characters fed since the last event ended: an event of many lines grows in the parser until it ends.
  let sinceEvent = 0;
  const parser = createParser({
    onEvent: (event) => {
      pending.push(event);
      sinceEvent = 0;
    },
  });
  const decoder = new Utf8Decoder();
  // The parser is fed whole lines only; the text after the last line break waits here. A line still
  // incomplete when the stream ends was cut off and is dropped, so the caller sees the stream as
  // truncated, while every complete line before it still counts (a lone CR at the end of a chunk would
  // otherwise keep the parser waiting for a possible LF, and the event it ends would be lost).
  let carry = '';
  for await (const chunk of chunks) {
    const text = decoder.write(chunk);
    const lastBreak = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
    if (lastBreak < 0) {
      carry += text;
      if (carry.length > limit) throw tooLarge(limit, 'a line');
      continue;
    }
    const lines = carry + text.slice(0, lastBreak + 1);
    sinceEvent += lines.length;
    parser.feed(lines);
    if (sinceEvent > limit) throw tooLarge(limit, 'an event');
    carry = text.slice(lastBreak + 1);
    if (carry.length > limit) throw tooLarge(limit, 'a line');
    if (pending.length) {
      const batch = pending;
      pending = [];
      yield batch;
    }
  }
  // A server that closes right after a complete line has ended its last event, even without the blank line.
  parser.feed('\n\n');
  if (pending.length) yield pending;
}
