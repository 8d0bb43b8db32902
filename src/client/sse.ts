/**
 * Server-sent events from a byte stream. Parsing is eventsource-parser's; this file only turns its
 * callbacks into an async iterable and decodes UTF-8 across chunk boundaries.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';

export type SseEvent = EventSourceMessage;

export async function* readSse(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  let pending: SseEvent[] = [];
  const parser = createParser({ onEvent: (event) => pending.push(event) });
  // `stream: true` keeps a multi-byte character split across two chunks intact.
  const decoder = new TextDecoder('utf-8');
  let endsWithLineBreak = true;
  for await (const chunk of chunks) {
    const text = decoder.decode(chunk, { stream: true });
    if (!text) continue;
    endsWithLineBreak = text.endsWith('\n') || text.endsWith('\r');
    parser.feed(text);
    if (pending.length) {
      const batch = pending;
      pending = [];
      yield* batch;
    }
  }
  const rest = decoder.decode();
  if (rest) {
    parser.feed(rest);
    endsWithLineBreak = rest.endsWith('\n') || rest.endsWith('\r');
  }
  // A server that closes right after a complete line has ended its last event, even without the blank
  // line; a line cut in the middle is dropped, so the caller sees the stream as truncated.
  if (endsWithLineBreak) parser.feed('\n\n');
  yield* pending;
}
