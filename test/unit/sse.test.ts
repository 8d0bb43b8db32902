/**
 * SSE and chat-stream robustness: the same stream cut at every byte, in random pieces, with LF, CRLF or
 * CR line ends and with comments interleaved must give the same events and the same answer; streams that
 * end early, carry broken JSON or report an error fail with a `BasetenError` that keeps what arrived.
 */
import * as assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { BasetenError, ChatResult, ChatStreamEvent } from '../../src/client';
import { ChatStream, mergeToolCallDelta } from '../../src/client/chatStream';
import { HttpResponse } from '../../src/client/http';
import { readSse } from '../../src/client/sse';
import type { ToolCall, ToolCallDelta } from '../../src/client/types';
import { expectedFromStream, loadRecording } from './helpers/recordings';
import { seededRandom } from './helpers/replayServer';

// ---------------------------------------------------------------- building streams

type Json = Record<string, unknown>;

const ID = 'chatcmpl-test';
const MODEL = 'zai-org/GLM-5.2';

function chunk(delta: Json, extra: Json = {}, usage?: Json): Json {
  return { id: ID, object: 'chat.completion.chunk', created: 1, model: MODEL, choices: [{ index: 0, delta, ...extra }], ...(usage ? { usage } : {}) };
}

const usage = (completion: number): Json => ({ prompt_tokens: 10, completion_tokens: completion, total_tokens: 10 + completion });

/** An SSE body from JSON chunks, one `data:` line per event, LF line ends. */
function sse(chunks: Array<Json | string>, { done = true } = {}): string {
  const lines = chunks.map((c) => `data: ${typeof c === 'string' ? c : JSON.stringify(c)}\n\n`);
  return lines.join('') + (done ? 'data: [DONE]\n\n' : '');
}

/** A stream with multi-byte UTF-8 everywhere: accents, CJK, emoji (astral, ZWJ sequences, flags). */
const MULTIBYTE_STREAM = sse([
  chunk({ role: 'assistant', content: '' }, {}, usage(0)),
  chunk({ reasoning_content: 'Je réfléchis… ' }, {}, usage(3)),
  chunk({ reasoning_content: '思考中 🤔 naïve café' }, {}, usage(7)),
  chunk({ reasoning: 'ignored when reasoning_content is set', reasoning_content: ' — ok' }, {}, usage(9)),
  chunk({ content: 'Héllo ' }, {}, usage(10)),
  chunk({ content: 'wörld 🎉🇨🇦 ' }, {}, usage(12)),
  chunk({ content: '你好，世界。' }, {}, usage(15)),
  chunk({ content: ' ĉu vi? 👩‍👩‍👧 Ωμέγα' }, {}, usage(19)),
  chunk({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city": "Zü' } }] }, {}, usage(22)),
  chunk({ tool_calls: [{ index: 0, id: '', function: { arguments: 'rich 🏔"}' } }] }, {}, usage(24)),
  chunk({}, { finish_reason: 'tool_calls', stop_reason: 154829 }, usage(25)),
  { id: ID, object: 'chat.completion.chunk', created: 1, model: MODEL, choices: [], usage: usage(25) },
]);

const MULTIBYTE_EXPECTED = {
  text: 'Héllo wörld 🎉🇨🇦 你好，世界。 ĉu vi? 👩‍👩‍👧 Ωμέγα',
  reasoning: 'Je réfléchis… 思考中 🤔 naïve café — ok',
  toolCalls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city": "Zürich 🏔"}' } }],
};

/** The same stream with other line ends, comments and keep-alives; the events it carries do not change. */
const VARIANTS: Record<string, (body: string) => string> = {
  LF: (body) => body,
  CRLF: (body) => body.replace(/\n/g, '\r\n'),
  CR: (body) => body.replace(/\n/g, '\r'),
  'comments and keep-alives': (body) =>
    ': stream opened\n\n' + body.replace(/data: /g, ': a comment line\ndata: ').replace(/\n\n/g, '\n\n: keep-alive\n\n'),
  'CRLF with comments, no space after data:': (body) =>
    body.replace(/data: /g, ':\r\ndata:').replace(/\n/g, '\r\n').replace(/\r\n\r\n/g, '\r\n\r\n:ping\r\n\r\n'),
};

function recordedStream(name: string): string {
  return loadRecording(name).interactions[0].response.body;
}

// ---------------------------------------------------------------- reading streams

function bodyOf(chunks: Uint8Array[]): Dispatcher.ResponseData['body'] {
  return Readable.from(chunks.map((c) => Buffer.from(c))) as unknown as Dispatcher.ResponseData['body'];
}

function chatStreamOf(chunks: Uint8Array[]): ChatStream {
  const response = new HttpResponse(200, { 'content-type': 'text/event-stream' }, bodyOf(chunks), 1, {
    method: 'POST',
    url: 'http://127.0.0.1/v1/chat/completions',
    area: 'model_apis',
  });
  return new ChatStream(response, new AbortController(), performance.now());
}

async function* asAsync(chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const c of chunks) yield c;
}

async function sseData(chunks: Uint8Array[]): Promise<string[]> {
  const out: string[] = [];
  for await (const event of readSse(asAsync(chunks))) out.push(event.data);
  return out;
}

/** Events as plain data, taken when they arrive (a tool call's object keeps growing afterwards). */
function snapshot(event: ChatStreamEvent): string {
  return JSON.stringify(event);
}

interface Outcome {
  events: string[];
  result: ChatResult;
  error?: BasetenError;
}

async function readChat(chunks: Uint8Array[]): Promise<Outcome> {
  const stream = chatStreamOf(chunks);
  const events: string[] = [];
  try {
    for await (const event of stream) events.push(snapshot(event));
  } catch (error) {
    if (!(error instanceof BasetenError)) throw error;
    return { events, result: stream.result, error };
  }
  return { events, result: stream.result };
}

function splitAt(bytes: Buffer, ...cuts: number[]): Buffer[] {
  const out: Buffer[] = [];
  let from = 0;
  for (const cut of cuts) {
    out.push(bytes.subarray(from, cut));
    from = cut;
  }
  out.push(bytes.subarray(from));
  return out;
}

function randomSplit(bytes: Buffer, random: () => number, maxSize: number): Buffer[] {
  const out: Buffer[] = [];
  for (let from = 0; from < bytes.length; ) {
    const size = 1 + Math.floor(random() * maxSize);
    out.push(bytes.subarray(from, from + size));
    from += size;
  }
  return out;
}

function resultShape(result: ChatResult): unknown {
  return { text: result.text, reasoning: result.reasoning, toolCalls: result.toolCalls, usage: result.usage, finishReason: result.finishReason, complete: result.complete };
}

const enc = (text: string): Buffer => Buffer.from(text, 'utf8');

// ---------------------------------------------------------------- tests

describe('SSE reading (readSse)', () => {
  it('yields each data payload once, whatever the line ends and comments', async () => {
    const base = await sseData([enc(MULTIBYTE_STREAM)]);
    assert.equal(base.length, 13);
    assert.equal(base.at(-1), '[DONE]');
    for (const [name, variant] of Object.entries(VARIANTS)) {
      assert.deepEqual(await sseData([enc(variant(MULTIBYTE_STREAM))]), base, name);
    }
  });

  it('a cut at every byte boundary (two chunks) gives the same events, for every line-end variant', async () => {
    for (const body of [MULTIBYTE_STREAM, recordedStream('TestClient/Scoreboard/zai-org/GLM-5.2_thinking/GenStream-Tools-SquareRoot-1.json')]) {
      const base = await sseData([enc(body)]);
      for (const [name, variant] of Object.entries(VARIANTS)) {
        const bytes = enc(variant(body));
        for (let cut = 0; cut <= bytes.length; cut++) {
          const got = await sseData(splitAt(bytes, cut));
          if (JSON.stringify(got) !== JSON.stringify(base)) {
            assert.deepEqual(got, base, `${name}, cut at byte ${cut} of ${bytes.length}`);
          }
        }
      }
    }
  });

  it('a multi-byte character split across chunks arrives whole', async () => {
    const bytes = enc('data: 🎉你\n\n');
    // Every byte in its own chunk: the decoder must carry partial characters over.
    const single = [...bytes].map((b) => Uint8Array.of(b));
    assert.deepEqual(await sseData(single), ['🎉你']);
  });

  it('ends the last event when the server closes right after a complete line, and drops a cut line', async () => {
    assert.deepEqual(await sseData([enc('data: one\n\ndata: two\n')]), ['one', 'two']);
    assert.deepEqual(await sseData([enc('data: one\n\ndata: two\r')]), ['one', 'two']);
    assert.deepEqual(await sseData([enc('data: one\n\ndata: tw')]), ['one']);
  });

  it('ignores a UTF-8 byte-order mark, comments, unknown fields and events without data', async () => {
    const body = '\uFEFF: hello\nevent: ping\n\nfoo: bar\nretry: x\nid: 7\ndata: {"a":1}\n\n:\n\n';
    assert.deepEqual(await sseData([enc(body)]), ['{"a":1}']);
  });
});

describe('chat streams (ChatStream)', () => {
  it('assembles a multi-byte stream into the exact text, reasoning, tool call, usage and finish reason', async () => {
    const { result, error } = await readChat([enc(MULTIBYTE_STREAM)]);
    assert.equal(error, undefined);
    assert.equal(result.text, MULTIBYTE_EXPECTED.text);
    assert.equal(result.reasoning, MULTIBYTE_EXPECTED.reasoning);
    assert.deepEqual(result.toolCalls, MULTIBYTE_EXPECTED.toolCalls);
    assert.deepEqual(result.usage, usage(25));
    assert.equal(result.finishReason, 'tool_calls');
    assert.equal(result.stopReason, 154829);
    assert.equal(result.complete, true);
  });

  const recordedNames = [
    'TestClient/Scoreboard/zai-org/GLM-5.2_thinking/GenStream-Tools-SquareRoot-1.json',
    'TestClient/Scoreboard/deepseek-ai/DeepSeek-V4-Pro_thinking/GenStream-MaxTokens.json',
  ];

  for (const [label, load] of [
    ['the multi-byte stream', () => MULTIBYTE_STREAM],
    ...recordedNames.map((name) => [`recorded ${name.split('/').slice(-2).join('/')}`, () => recordedStream(name)] as const),
  ] as const) {
    it(`${label}: every two-chunk cut gives the same events and answer`, async function () {
      this.timeout(30_000);
      const body = load();
      const base = await readChat([enc(body)]);
      assert.equal(base.error, undefined);
      if (body !== MULTIBYTE_STREAM) {
        // The single-chunk read agrees with an independent parse of the recording.
        const expected = expectedFromStream(body);
        assert.equal(base.result.text, expected.text);
        assert.equal(base.result.reasoning, expected.reasoning);
        assert.deepEqual(base.result.usage, expected.usage);
        assert.equal(base.result.finishReason, expected.finishReason);
      }
      // readSse is cut at every byte in every variant above; here the whole chat stream is, in LF, and in
      // CRLF with comments for the multi-byte stream.
      const variants = body === MULTIBYTE_STREAM ? ['LF', 'CRLF with comments, no space after data:'] : ['LF'];
      for (const name of variants) {
        const bytes = enc(VARIANTS[name](body));
        for (let cut = 0; cut <= bytes.length; cut++) {
          const got = await readChat(splitAt(bytes, cut));
          if (got.error || JSON.stringify(got.events) !== JSON.stringify(base.events)) {
            assert.equal(got.error, undefined, `${name}, cut at ${cut}: ${got.error?.message}`);
            assert.deepEqual(got.events, base.events, `${name}, cut at ${cut}`);
          }
          assert.deepEqual(resultShape(got.result), resultShape(base.result), `${name}, cut at ${cut}`);
        }
      }
    });

    it(`${label}: 300 random many-chunk splits (seeded) over every variant give the same events and answer`, async () => {
      const body = load();
      const base = await readChat([enc(body)]);
      const variants = Object.entries(VARIANTS);
      for (let seed = 1; seed <= 300; seed++) {
        const random = seededRandom(seed);
        const [name, variant] = variants[seed % variants.length];
        const got = await readChat(randomSplit(enc(variant(body)), random, 1 + (seed % 97)));
        assert.equal(got.error, undefined, `seed ${seed} (${name}): ${got.error?.message}`);
        assert.deepEqual(got.events, base.events, `seed ${seed} (${name})`);
        assert.deepEqual(resultShape(got.result), resultShape(base.result), `seed ${seed} (${name})`);
      }
    });
  }

  it('a stream that ends without finish_reason and without [DONE] throws stream_truncated, keeping the text', async () => {
    const body = sse([chunk({ role: 'assistant', content: 'Hel' }), chunk({ content: 'lo 🎉' }), chunk({ reasoning_content: 'hm' })], { done: false });
    const { error, result } = await readChat([enc(body)]);
    assert.ok(error, 'the stream must fail');
    assert.equal(error.kind, 'stream_truncated');
    const partial = error.partial as ChatResult;
    assert.equal(partial.text, 'Hello 🎉');
    assert.equal(partial.reasoning, 'hm');
    assert.equal(partial.complete, false);
    assert.equal(result.complete, false);
  });

  it('a stream cut at any byte either completes or throws stream_truncated whose partial text is a prefix', async () => {
    const bytes = enc(MULTIBYTE_STREAM);
    // The finish chunk counts once its line has ended: readSse ends a last event at a complete line.
    const finishLineEnd = bytes.indexOf(0x0a, bytes.indexOf(enc('"finish_reason"')));
    for (let cut = 0; cut < bytes.length; cut++) {
      const { error, result } = await readChat([bytes.subarray(0, cut)]);
      if (error) {
        assert.equal(error.kind, 'stream_truncated', `cut at ${cut}: ${error.message}`);
        const partial = error.partial as ChatResult;
        assert.ok(MULTIBYTE_EXPECTED.text.startsWith(partial.text), `cut at ${cut}: partial text is a prefix`);
        assert.ok(MULTIBYTE_EXPECTED.reasoning.startsWith(partial.reasoning), `cut at ${cut}: partial reasoning is a prefix`);
        assert.ok(cut <= finishLineEnd, `cut at ${cut}: the finish reason had arrived, the stream is complete`);
      } else {
        assert.ok(cut > finishLineEnd, `cut at ${cut}: completed before the finish reason arrived`);
        assert.equal(result.text, MULTIBYTE_EXPECTED.text);
        assert.equal(result.finishReason, 'tool_calls');
      }
    }
  });

  it('finish_reason followed by a clean close without [DONE] is complete (as GLM-5.2 was recorded)', async () => {
    const body = sse([chunk({ content: 'Canada' }), chunk({ content: ' is' }, { finish_reason: 'stop' }, usage(2))], { done: false });
    const { error, result } = await readChat([enc(body)]);
    assert.equal(error, undefined);
    assert.equal(result.complete, true);
    assert.equal(result.text, 'Canada is');
    assert.equal(result.finishReason, 'stop');

    const recorded = recordedStream('TestClient/Scoreboard/zai-org/GLM-5.2_thinking/GenStream-Stop.json');
    assert.ok(!recorded.includes('[DONE]'), 'the recording has no [DONE]');
    const replay = await readChat([enc(recorded)]);
    assert.equal(replay.error, undefined);
    assert.equal(replay.result.complete, true);
    assert.equal(replay.result.finishReason, 'stop');
  });

  it('a malformed data: JSON line fails with kind protocol and keeps what arrived before it', async () => {
    const body = sse([chunk({ content: 'kept ' }), chunk({ content: 'too' }), '{"id":"x","choices":[{"index":0,"delta":{"content":"bro', chunk({ content: 'never' })]);
    const { error, events } = await readChat([enc(body)]);
    assert.ok(error);
    assert.equal(error.kind, 'protocol');
    assert.match(error.message, /malformed/);
    assert.equal((error.partial as ChatResult).text, 'kept too');
    // The good events of the same network chunk are handed out before the error.
    assert.deepEqual(events.map((e) => JSON.parse(e).text), ['kept ', 'too']);
  });

  it('a reader that stops after one event of a network chunk ends the stream and frees it; a second read is refused', async () => {
    const body = sse([chunk({ content: 'one ' }), chunk({ content: 'two ' }), chunk({ content: 'three' }, { finish_reason: 'stop' })]);
    const stream = chatStreamOf([enc(body)]);
    const seen: string[] = [];
    for await (const event of stream) {
      if (event.type === 'content') seen.push(event.text);
      break;
    }
    assert.deepEqual(seen, ['one ']);
    assert.ok(stream.timings.endedAt !== undefined, 'the stream ended when the reader stopped');
    // The result holds what was received: the whole network chunk was read before its first event was handed out.
    assert.equal(stream.result.text, 'one two three');
    await assert.rejects(async () => {
      for await (const _event of stream) {
        // never reached
      }
    }, /read only once/);
  });

  it('a data: line that is JSON but not an object fails with kind protocol', async () => {
    for (const data of ['null', '42', '"text"']) {
      const { error } = await readChat([enc(sse([chunk({ content: 'a' }), data]))]);
      assert.equal(error?.kind, 'protocol', data);
      assert.equal((error?.partial as ChatResult).text, 'a');
    }
  });

  it('a data: {"error": …} mid-stream fails with the error message and keeps the partial answer', async () => {
    const shapes: Array<[string, string]> = [
      ['{"error":{"message":"Engine overloaded, try again","type":"ServiceUnavailable","code":503}}', 'Engine overloaded, try again'],
      ['{"error":"upstream closed"}', 'upstream closed'],
      ['{"error":{"object":"error","message":"CUDA out of memory","type":"InternalServerError","param":null,"code":500}}', 'CUDA out of memory'],
    ];
    for (const [data, message] of shapes) {
      const body = sse([chunk({ reasoning_content: 'think' }), chunk({ content: 'partial' }), data]);
      const { error } = await readChat([enc(body)]);
      assert.ok(error, data);
      assert.ok(error.message.includes(message), `${error.message} mentions ${message}`);
      assert.match(error.message, /mid-stream/);
      const partial = error.partial as ChatResult;
      assert.equal(partial.text, 'partial');
      assert.equal(partial.reasoning, 'think');
    }
  });

  it('an SSE event named "error" fails the stream instead of passing for success', async () => {
    const body = `${sse([chunk({ content: 'so far' })], { done: false })}event: error\ndata: {"message":"Overloaded"}\n\ndata: [DONE]\n\n`;
    const { error } = await readChat([enc(body)]);
    assert.ok(error, 'an error event must not end the stream as complete');
    assert.ok(error.message.includes('Overloaded'), error.message);
    assert.equal((error.partial as ChatResult).text, 'so far');
  });

  it('reads reasoning from delta.reasoning when an engine sends no reasoning_content (older gpt-oss)', async () => {
    const body = sse([chunk({ role: 'assistant', reasoning: 'Let me ' }), chunk({ reasoning: 'think.' }), chunk({ content: 'Done.' }, { finish_reason: 'stop' })]);
    const { result, events, error } = await readChat([enc(body)]);
    assert.equal(error, undefined);
    assert.equal(result.reasoning, 'Let me think.');
    assert.equal(result.text, 'Done.');
    assert.deepEqual(
      events.map((e) => JSON.parse(e) as ChatStreamEvent).filter((e) => e.type === 'reasoning').map((e) => (e as { text: string }).text),
      ['Let me ', 'think.'],
    );
  });

  it('ignores whatever follows [DONE]', async () => {
    const body = `${sse([chunk({ content: 'end' }, { finish_reason: 'stop' })])}data: {not json\n\n`;
    const { error, result } = await readChat([enc(body)]);
    assert.equal(error, undefined);
    assert.equal(result.text, 'end');
  });

  it('a chunk with "choices": [] carries the final usage', async () => {
    const body = sse([chunk({ content: 'x' }, { finish_reason: 'stop' }, usage(1)), { id: ID, choices: [], usage: usage(99) }]);
    const { result } = await readChat([enc(body)]);
    assert.deepEqual(result.usage, usage(99));
  });
});

describe('tool-call deltas merge to one call per index', () => {
  const styles: Record<string, ToolCallDelta[]> = {
    'whole call at once (DeepSeek)': [
      { index: 0, id: 'chatcmpl-tool-d78a', type: 'function', function: { name: 'square_root', arguments: '{"number": 132413}' } },
    ],
    'incremental, empty id on continuations (OpenAI)': [
      { index: 0, id: 'chatcmpl-tool-d78a', type: 'function', function: { name: 'square_root', arguments: '' } },
      { index: 0, id: '', function: { arguments: '{"num' } },
      { index: 0, function: { arguments: 'ber": 13' } },
      { index: 0, id: null, type: null, function: { name: null, arguments: '2413}' } },
    ],
    'incremental, id and name repeated (Kimi)': [
      { index: 0, id: 'chatcmpl-tool-d78a', type: 'function', function: { name: 'square_root', arguments: '{"number"' } },
      { index: 0, id: 'chatcmpl-tool-d78a', type: 'function', function: { name: 'square_root', arguments: ': 132413' } },
      { index: 0, id: 'chatcmpl-tool-d78a', type: 'function', function: { name: 'square_root', arguments: '}' } },
    ],
    'continuations with another id and an empty name (MiniMax)': [
      { index: 0, id: 'chatcmpl-tool-d78a', type: 'function', function: { name: 'square_root', arguments: '{"number": ' } },
      { index: 0, id: 'call_function_9x2', type: 'function', function: { name: '', arguments: '132413}' } },
    ],
  };
  const expected: ToolCall = { id: 'chatcmpl-tool-d78a', type: 'function', function: { name: 'square_root', arguments: '{"number": 132413}' } };

  for (const [style, deltas] of Object.entries(styles)) {
    it(`${style}: mergeToolCallDelta`, () => {
      const calls: ToolCall[] = [];
      for (const delta of deltas) mergeToolCallDelta(calls, delta);
      assert.deepEqual(calls, [expected]);
    });

    it(`${style}: through a chat stream, with tool_call events adding up to the arguments`, async () => {
      const body = sse([
        chunk({ role: 'assistant', content: null }),
        ...deltas.map((d) => chunk({ tool_calls: [d] })),
        chunk({}, { finish_reason: 'tool_calls' }),
      ]);
      const stream = chatStreamOf([enc(body)]);
      let args = '';
      for await (const event of stream) if (event.type === 'tool_call') args += event.argumentsDelta;
      assert.deepEqual(stream.result.toolCalls, [expected]);
      assert.equal(args, expected.function.arguments);
      assert.equal(stream.result.finishReason, 'tool_calls');
    });
  }

  it('two parallel calls streamed interleaved stay apart by index (GLM-5.2 ToolBias style)', () => {
    const calls: ToolCall[] = [];
    const deltas: ToolCallDelta[] = [
      { index: 0, id: 'a', type: 'function', function: { name: 'best_country', arguments: '{"country": ' } },
      { index: 1, id: 'b', type: 'function', function: { name: 'best_country', arguments: '{"country": ' } },
      { index: 0, id: 'a', function: { arguments: '"USA"}' } },
      { index: 1, id: '', function: { arguments: '"Canada"}' } },
    ];
    for (const delta of deltas) mergeToolCallDelta(calls, delta);
    assert.deepEqual(calls.map((c) => [c.id, c.function.name, JSON.parse(c.function.arguments).country]), [
      ['a', 'best_country', 'USA'],
      ['b', 'best_country', 'Canada'],
    ]);
  });
});

describe('chat stream fuzz: random lines × random chunk boundaries', () => {
  type Line =
    | { kind: 'content' | 'reasoning'; text: string }
    | { kind: 'finish' }
    | { kind: 'done' }
    | { kind: 'noise'; raw: string }
    | { kind: 'bad'; raw: string };

  const TEXTS = ['a', 'Hé', '🎉', '你好', ' — ', 'x\ny', '"quoted"', '\\', '👩‍👩‍👧', 'Ωμέγα', ''];
  const NOISE = [': comment', ':', 'event: message', 'id: 42', 'retry: 1000', 'retry: soon', 'foo: bar', 'data', 'event: ping\n'];
  const BAD = ['data: {oops', 'data: null', 'data: {"error":{"message":"boom"}}', 'data: [1', 'data: {"error":"nope"}'];

  function generate(random: () => number): { lines: Line[]; tail: 'done' | 'finish' | 'none' | 'cut' } {
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
    const lines: Line[] = [];
    const count = 1 + Math.floor(random() * 25);
    for (let i = 0; i < count; i++) {
      const roll = random();
      if (roll < 0.45) lines.push({ kind: 'content', text: pick(TEXTS) });
      else if (roll < 0.6) lines.push({ kind: 'reasoning', text: pick(TEXTS) });
      else if (roll < 0.85) lines.push({ kind: 'noise', raw: pick(NOISE) });
      else if (roll < 0.92) lines.push({ kind: 'bad', raw: pick(BAD) });
      else if (roll < 0.96) lines.push({ kind: 'finish' });
      else lines.push({ kind: 'done' });
    }
    return { lines, tail: pick(['done', 'finish', 'none', 'cut'] as const) };
  }

  function render(lines: Line[], tail: string, random: () => number): string {
    const eol = (): string => ['\n', '\r\n', '\r'][Math.floor(random() * 3)];
    let body = '';
    for (const line of lines) {
      const end = eol();
      switch (line.kind) {
        case 'content':
          body += `data: ${JSON.stringify(chunk({ content: line.text }))}${end}${end}`;
          break;
        case 'reasoning':
          body += `data:${JSON.stringify(chunk({ reasoning_content: line.text }))}${end}${end}`;
          break;
        case 'finish':
          body += `data: ${JSON.stringify(chunk({}, { finish_reason: 'stop' }))}${end}${end}`;
          break;
        case 'done':
          body += `data: [DONE]${end}${end}`;
          break;
        default:
          body += `${line.raw}${end}${end}`;
      }
    }
    if (tail === 'done') body += 'data: [DONE]\n\n';
    if (tail === 'finish') body += `data: ${JSON.stringify(chunk({}, { finish_reason: 'length' }))}\n\n`;
    if (tail === 'cut') body += `data: ${JSON.stringify(chunk({ content: 'lost' })).slice(0, 20)}`;
    return body;
  }

  /** What the client must do with these lines: the text it keeps, and how it ends. */
  function predict(lines: Line[], tail: string): { text: string; reasoning: string; end: 'complete' | 'protocol' | 'stream_truncated' } {
    let text = '';
    let reasoning = '';
    let finished = false;
    const all: Line[] = [...lines];
    if (tail === 'done') all.push({ kind: 'done' });
    if (tail === 'finish') all.push({ kind: 'finish' });
    for (const line of all) {
      if (line.kind === 'done') return { text, reasoning, end: 'complete' };
      if (line.kind === 'bad') return { text, reasoning, end: 'protocol' };
      if (line.kind === 'content') text += line.text;
      if (line.kind === 'reasoning') reasoning += line.text;
      if (line.kind === 'finish') finished = true;
    }
    return { text, reasoning, end: finished ? 'complete' : 'stream_truncated' };
  }

  it('2,000 random streams: each completes with the right text or throws the predicted BasetenError; no unhandled rejection', async function () {
    this.timeout(30_000);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const deadline = Date.now() + 15_000;
    let runs = 0;
    try {
      for (let seed = 1; seed <= 2000 && Date.now() < deadline; seed++, runs++) {
        const random = seededRandom(seed * 7919);
        const { lines, tail } = generate(random);
        const body = enc(render(lines, tail, random));
        const expected = predict(lines, tail);
        const { error, result } = await readChat(randomSplit(body, random, 1 + Math.floor(random() * 40)));
        const what = `seed ${seed}: ${JSON.stringify(body.toString("utf8")).slice(0, 3000)}`;
        if (expected.end === 'complete') {
          assert.equal(error, undefined, `${what}: ${error?.message}`);
          assert.equal(result.text, expected.text, what);
          assert.equal(result.reasoning, expected.reasoning, what);
          assert.equal(result.complete, true, what);
        } else {
          assert.ok(error instanceof BasetenError, `${what}: expected ${expected.end}`);
          assert.equal(error.kind, expected.end, `${what}: ${error.message}`);
          const partial = error.partial as ChatResult;
          assert.equal(partial.text, expected.text, what);
          assert.equal(partial.reasoning, expected.reasoning, what);
        }
      }
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    assert.deepEqual(unhandled, []);
    assert.ok(runs >= 500, `only ${runs} runs fitted in the time box`);
  });
});
