/**
 * Server-sent events from a byte stream. Parsing is eventsource-parser's; this file only turns its
 * callbacks into an async iterable and decodes UTF-8 across chunk boundaries.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';

export type SseEvent = EventSourceMessage;

export async function* readSse(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  for await (const batch of readSseBatches(chunks)) yield* batch;
}

/**
 * The events of each network chunk together: a hot reader (a chat stream) handles them in one step
 * instead of paying an async hop per event.
 */
export async function* readSseBatches(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent[]> {
  let pending: SseEvent[] = [];
  const parser = createParser({ onEvent: (event) => pending.push(event) });
  // `stream: true` keeps a multi-byte character split across two chunks intact.
  const decoder = new TextDecoder('utf-8');
  // The parser is fed whole lines only; the text after the last line break waits here. A line still
  // incomplete when the stream ends was cut off and is dropped, so the caller sees the stream as
  // truncated, while every complete line before it still counts (a lone CR at the end of a chunk would
  // otherwise keep the parser waiting for a possible LF, and the event it ends would be lost).
  let carry = '';
  for await (const chunk of chunks) {
    const text = decoder.decode(chunk, { stream: true });
    const lastBreak = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
    if (lastBreak < 0) {
      carry += text;
      continue;
    }
    parser.feed(carry + text.slice(0, lastBreak + 1));
    carry = text.slice(lastBreak + 1);
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
