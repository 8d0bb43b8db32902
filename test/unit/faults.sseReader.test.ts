/**
 * Fault suite: the SSE reader (src/client/sse.ts) on seeded random streams of valid and invalid lines
 * (every field, unknown fields, bad retry values, NUL in ids, invalid UTF-8, a BOM, mixed line ends, a
 * cut last line) split at random byte boundaries, compared event by event with a reference parse of the
 * whole text. test/unit/sse.test.ts covers chat streams built from such lines; this covers the reader's
 * own events (data, event name, id).
 */
import * as assert from 'node:assert/strict';
import { readSse, readSseBatches } from '../../src/client/sse';
import type { SseEvent } from '../../src/client/sse';
import { failOnUnhandled, repeat, reportFaultSummaryAtEnd, seededRandom } from './helpers/faultHarness';

reportFaultSummaryAtEnd();

interface Parsed {
  data: string;
  event?: string;
  id?: string;
}

/**
 * The event-stream interpretation of the HTML standard, over the whole decoded text, with the reader's
 * documented choices: a last line without a line end was cut off and is dropped; a stream that ends after
 * a complete line ends its last event; event name and id belong to one event (as eventsource-parser
 * reports them: no name is undefined, not "message", and the id does not carry over).
 */
function referenceParse(text: string): Parsed[] {
  const lines: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char !== '\n' && char !== '\r') continue;
    lines.push(text.slice(start, i));
    if (char === '\r' && text[i + 1] === '\n') i++;
    start = i + 1;
  }
  const events: Parsed[] = [];
  let data: string[] = [];
  let event: string | undefined;
  let id: string | undefined;
  const dispatch = (): void => {
    if (data.length) events.push({ data: data.join('\n'), event, id });
    data = [];
    event = undefined;
    id = undefined;
  };
  for (const line of lines) {
    if (line === '') {
      dispatch();
      continue;
    }
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value || undefined;
    else if (field === 'id' && !value.includes('\0')) id = value;
  }
  dispatch();
  return events;
}

const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)];

const VALUES = ['', 'x', ' leading space', 'two  spaces', 'has: a colon', 'Hé 🎉 你好 👩‍👩‍👧', '{"json": [1, 2]}', '[DONE]', 'tab\there', 'nul\0inside', '\uFEFFbom inside'];
const NAMES = ['message', 'error', 'ping', '', 'naïve'];
const IDS = ['42', '', 'abc-1', 'bad\0id'];
const JUNK = [': comment', ':', ':no space', 'retry: 1000', 'retry: soon', 'retry', 'foo: bar', 'Data: upper case', ' data: leading space', 'data', 'event', 'id', 'dat', 'DATA:x', 'id:\0'];
const EOLS = ['\n', '\r\n', '\r'];

/** A random stream as bytes: lines of every kind, random line ends, sometimes invalid UTF-8 or a cut tail. */
function randomStream(random: () => number): Buffer {
  const parts: Buffer[] = [];
  if (random() < 0.1) parts.push(Buffer.from([0xef, 0xbb, 0xbf]));
  const lines = Math.floor(random() * 30);
  for (let i = 0; i < lines; i++) {
    const roll = random();
    let line: string | Buffer;
    if (roll < 0.35) line = `data:${random() < 0.7 ? ' ' : ''}${pick(random, VALUES)}`;
    else if (roll < 0.45) line = `event:${random() < 0.5 ? ' ' : ''}${pick(random, NAMES)}`;
    else if (roll < 0.52) line = `id: ${pick(random, IDS)}`;
    else if (roll < 0.72) line = '';
    else if (roll < 0.8) line = Buffer.concat([Buffer.from('data: bad '), Buffer.from(pick(random, [[0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80]]))]);
    else line = pick(random, JUNK);
    parts.push(Buffer.isBuffer(line) ? line : Buffer.from(line, 'utf8'), Buffer.from(pick(random, EOLS)));
  }
  if (random() < 0.3) parts.push(Buffer.from(`data: cut ${pick(random, VALUES)}`.slice(0, 1 + Math.floor(random() * 12))));
  return Buffer.concat(parts);
}

function randomChunks(bytes: Buffer, random: () => number): Buffer[] {
  const maxSize = 1 + Math.floor(random() * 24);
  const chunks: Buffer[] = [];
  for (let from = 0; from < bytes.length; ) {
    const size = random() < 0.1 ? 0 : 1 + Math.floor(random() * maxSize);
    chunks.push(bytes.subarray(from, from + size));
    from += size;
  }
  return chunks;
}

async function* source(chunks: Buffer[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}

const plain = (events: SseEvent[]): Parsed[] => events.map(({ data, event, id }) => ({ data, event, id }));

describe('fault suite: SSE reader fuzz against a reference parse', function () {
  this.timeout(20_000);
  failOnUnhandled();

  it('3,000 seeded random streams × random chunk boundaries: the same events, in order, as the reference', async () => {
    let events = 0;
    await repeat(3_000, 6_000, 500, async (run) => {
      const random = seededRandom(50_000 + run);
      const bytes = randomStream(random);
      const expected = referenceParse(new TextDecoder('utf-8').decode(bytes));
      const got: SseEvent[] = [];
      for await (const event of readSse(source(randomChunks(bytes, random)))) got.push(event);
      assert.deepEqual(plain(got), expected, `run ${run}: ${JSON.stringify(bytes.toString('latin1'))}`);
      events += expected.length;
    });
    assert.ok(events > 1_000, `only ${events} events were compared`);
  });

  it('batches carry the same events as single reads, and each batch is non-empty', async () => {
    await repeat(500, 3_000, 100, async (run) => {
      const random = seededRandom(90_000 + run);
      const bytes = randomStream(random);
      const chunks = randomChunks(bytes, random);
      const batched: SseEvent[] = [];
      for await (const batch of readSseBatches(source(chunks))) {
        assert.ok(batch.length > 0, `run ${run}: an empty batch`);
        batched.push(...batch);
      }
      assert.deepEqual(plain(batched), referenceParse(new TextDecoder('utf-8').decode(bytes)), `run ${run}`);
    });
  });

  it('a source that fails mid-stream rejects the reader with that error, after the events before it', async () => {
    await repeat(200, 2_000, 50, async (run) => {
      const random = seededRandom(120_000 + run);
      const bytes = randomStream(random);
      const chunks = randomChunks(bytes, random);
      const failAt = Math.floor(random() * (chunks.length + 1));
      const failure = new Error(`source failed at chunk ${failAt}`);
      async function* failing(): AsyncGenerator<Uint8Array> {
        for (let i = 0; i < failAt; i++) yield chunks[i];
        throw failure;
      }
      const got: SseEvent[] = [];
      await assert.rejects(async () => {
        for await (const event of readSse(failing())) got.push(event);
      }, failure);
      // What arrived before the failure is a prefix of the whole stream's events, never an invented one.
      const whole = referenceParse(new TextDecoder('utf-8').decode(bytes));
      assert.deepEqual(plain(got), whole.slice(0, got.length), `run ${run}`);
    });
  });
});
