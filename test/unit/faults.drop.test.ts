/**
 * Fault suite: connections the emulator drops in the middle of a response. Whatever the emulator sent
 * before the drop must reach the caller (compared with the same stream undamaged), the failure must be a
 * `stream_truncated` BasetenError, the request is never resent, and no socket stays open afterwards.
 */
import * as assert from 'node:assert/strict';
import { ChatResult, PRODUCTION, jsonInput } from '../../src/client';
import type { PredictResponse, WebSocketEvent } from '../../src/client';
import {
  expectKept,
  expectNoOpenSockets,
  failureOf,
  repeat,
  reportFaultSummaryAtEnd,
  seededRandom,
  settlesWithin,
  useFaultHarness,
} from './helpers/faultHarness';
import { CHAT_PATH, modelOf, predictPath } from './helpers/faultSurfaces';
import { chatPrefix, rawBody, sseData } from './helpers/undamaged';

reportFaultSummaryAtEnd();

const CHAT = { model: 'zai-org/GLM-5.2', messages: [{ role: 'user' as const, content: '[[tokens:24]] drop me' }] };
const DROPPED = /^The connection to 127\.0\.0\.1:\d+ dropped before the response was complete\.$/;

function expectKind<K extends PredictResponse['kind']>(response: PredictResponse, kind: K): Extract<PredictResponse, { kind: K }> {
  assert.equal(response.kind, kind);
  return response as Extract<PredictResponse, { kind: K }>;
}

describe('fault suite: connections dropped mid-stream', function () {
  this.timeout(20_000);
  const harness = useFaultHarness();

  it('chat stream dropped after a random number of events: the text and reasoning sent are kept, stream_truncated, sent once', async () => {
    const { emulator } = harness;
    const undamaged = sseData(await rawBody(emulator, CHAT_PATH, { ...CHAT, stream: true }));
    const finishAt = undamaged.findIndex((data) => data.includes('"finish_reason":"'));
    assert.ok(finishAt > 4, 'the undamaged stream has events before its finish');
    const random = seededRandom(1101);
    const client = harness.client();
    await repeat(40, 6_000, 10, async (run) => {
      const events = 1 + Math.floor(random() * (finishAt - 1));
      const before = emulator.stats.count({ path: CHAT_PATH });
      emulator.faults.add({ match: { path: CHAT_PATH }, times: 1, fault: { kind: 'drop', afterEvents: events } });
      const stream = await client.modelApis.chatStream(CHAT);
      const error = await settlesWithin(failureOf(() => stream.final()), 5_000, 'the dropped chat stream');
      const what = `run ${run}, drop after ${events} events`;
      assert.equal(error.kind, 'stream_truncated', `${what}: ${error.message}`);
      assert.match(error.message, DROPPED, what);
      const partial = error.partial as ChatResult;
      const expected = chatPrefix(undamaged, events);
      expectKept(expected.text, partial.text, `${what}: text`);
      expectKept(expected.reasoning, partial.reasoning, `${what}: reasoning`);
      assert.equal(emulator.stats.count({ path: CHAT_PATH }) - before, 1, `${what}: a started stream is not resent`);
      await expectNoOpenSockets(emulator, what);
    });
  });

  it('predict SSE dropped after a random number of events: every event sent arrives, then stream_truncated', async () => {
    const { emulator } = harness;
    const input = { events: 12 };
    const undamaged = sseData(await rawBody(emulator, predictPath('sse'), input));
    assert.equal(undamaged.length, 12);
    const random = seededRandom(1202);
    const client = harness.client();
    await repeat(40, 5_000, 10, async (run) => {
      const events = Math.floor(random() * undamaged.length);
      emulator.faults.add({ match: { path: predictPath('sse') }, times: 1, fault: { kind: 'drop', afterEvents: events } });
      const response = expectKind(await client.inference.predict(modelOf('sse'), PRODUCTION, jsonInput(input)), 'sse');
      const received: string[] = [];
      const error = await settlesWithin(
        failureOf(async () => {
          for await (const event of response.events) received.push(event.data);
        }),
        5_000,
        'the dropped SSE predict',
      );
      const what = `run ${run}, drop after ${events} events`;
      assert.equal(error.kind, 'stream_truncated', `${what}: ${error.message}`);
      assert.match(error.message, DROPPED, what);
      expectKept(undamaged.slice(0, events).join('\n'), received.join('\n'), what);
      await expectNoOpenSockets(emulator, what);
    });
    assert.equal(emulator.stats.count({ path: predictPath('sse') }), emulator.stats.requests.length, 'one request per stream');
  });

  for (const [label, name, input] of [
    ['chunked text lines', 'chunked', { chunks: 30 }],
    ['chunked 64 KiB blocks', 'chunked', { bytes: 300_000 }],
    ['binary with Content-Length', 'binary', { bytes: 200_000 }],
  ] as const) {
    it(`predict ${label} dropped after a random number of bytes: every byte sent arrives, then stream_truncated`, async () => {
      const { emulator } = harness;
      const undamaged = await rawBody(emulator, predictPath(name), input);
      const random = seededRandom(1303 + undamaged.length);
      const client = harness.client();
      await repeat(20, 4_000, 8, async (run) => {
        const bytes = Math.floor(random() * undamaged.length);
        emulator.faults.add({ match: { path: predictPath(name) }, times: 1, fault: { kind: 'drop', afterBytes: bytes } });
        const response = await client.inference.predict(modelOf(name), PRODUCTION, jsonInput(input));
        assert.ok(response.kind === 'stream' || response.kind === 'binary', `a ${response.kind} response`);
        const parts: Buffer[] = [];
        const error = await settlesWithin(
          failureOf(async () => {
            for await (const chunk of response.chunks) parts.push(chunk);
          }),
          5_000,
          `the dropped ${label} predict`,
        );
        const what = `run ${run}, drop after ${bytes} bytes`;
        assert.equal(error.kind, 'stream_truncated', `${what}: ${error.message}`);
        assert.match(error.message, DROPPED, what);
        expectKept(undamaged.subarray(0, bytes), Buffer.concat(parts), what);
        await expectNoOpenSockets(emulator, what);
      });
      assert.equal(emulator.stats.count({ path: predictPath(name) }), emulator.stats.requests.length, 'one request per stream');
    });
  }

  for (const [label, name, input] of [
    ['text() of a chunked stream', 'chunked', { chunks: 30 }],
    ['bytes() of a binary answer', 'binary', { bytes: 200_000 }],
  ] as const) {
    it(`predict read whole with ${label}, dropped at a random byte: the error's partial holds every byte sent`, async () => {
      const { emulator } = harness;
      const undamaged = await rawBody(emulator, predictPath(name), input);
      const random = seededRandom(1606 + undamaged.length);
      const client = harness.client();
      await repeat(20, 4_000, 8, async (run) => {
        const bytes = Math.floor(random() * undamaged.length);
        emulator.faults.add({ match: { path: predictPath(name) }, times: 1, fault: { kind: 'drop', afterBytes: bytes } });
        const response = await client.inference.predict(modelOf(name), PRODUCTION, jsonInput(input));
        const what = `run ${run}, drop after ${bytes} bytes`;
        const error = await settlesWithin(
          failureOf(() => (response.kind === 'stream' ? response.text() : response.kind === 'binary' ? response.bytes() : Promise.resolve())),
          5_000,
          what,
        );
        assert.equal(error.kind, 'stream_truncated', `${what}: ${error.message}`);
        assert.match(error.message, DROPPED, what);
        const partial = error.partial;
        assert.ok(response.kind === 'stream' ? typeof partial === 'string' : Buffer.isBuffer(partial), `${what}: partial is ${typeof partial}`);
        expectKept(undamaged.subarray(0, bytes), Buffer.from(partial as string | Buffer), what);
        await expectNoOpenSockets(emulator, what);
      });
    });
  }

  it('WebSocket terminated after a random number of messages: every echo sent arrives, the close says 1006, sends then fail', async () => {
    const { emulator } = harness;
    const random = seededRandom(1404);
    const client = harness.client();
    await repeat(30, 5_000, 8, async (run) => {
      const trip = 1 + Math.floor(random() * 8);
      emulator.faults.add({ match: { path: /\/websocket$/ }, times: 1, fault: { kind: 'ws-terminate', afterMessages: trip } });
      const session = await client.openWebSocket(modelOf('echo'), PRODUCTION);
      const events: WebSocketEvent[] = [];
      const reading = (async () => {
        for await (const event of session) events.push(event);
      })();
      const sent = Array.from({ length: trip + 3 }, (_, i) => `run ${run} message ${i + 1} ${'é'.repeat(i * 7)}`);
      // Sent back to back, so some are still in flight when the emulator drops the connection.
      const sends = await Promise.allSettled(sent.map((text) => session.sendText(text)));
      const close = await settlesWithin(session.closed, 5_000, 'the terminated WebSocket');
      await reading;
      const what = `run ${run}, terminate on message ${trip}`;
      assert.equal(close.code, 1006, what);
      assert.match(close.explanation, /without a close frame/);
      const echoes = events.filter((event) => event.type === 'message').map((event) => String(event.data));
      expectKept(sent.slice(0, trip - 1).join('\n'), echoes.join('\n'), what);
      for (const send of sends) if (send.status === 'rejected') assert.equal(send.reason?.name, 'BasetenError', what);
      const late = await failureOf(() => session.sendText('after the drop'), 'a send after the drop');
      assert.equal(late.kind, 'validation');
      await expectNoOpenSockets(emulator, what);
    });
  });

  it('WebSocket stream from the LLM terminated mid-reply: the tokens received are a prefix of the undamaged reply', async () => {
    const { emulator } = harness;
    const client = harness.client();
    const prompt = '[[tokens:60]] stream to me';
    const readReply = async (interruptAfter?: number): Promise<{ tokens: string[]; code: number }> => {
      const session = await client.openWebSocket(modelOf('llm'), PRODUCTION);
      const tokens: string[] = [];
      await session.sendText(prompt);
      for await (const event of session) {
        if (event.type !== 'message') continue;
        if (event.data === '[DONE]') break;
        tokens.push(String(event.data));
        if (tokens.length === interruptAfter) await session.sendText('interrupt');
      }
      const close = await settlesWithin(session.close(), 5_000, 'the LLM WebSocket');
      return { tokens, code: close.code };
    };
    const undamaged = await readReply();
    assert.equal(undamaged.tokens.length, 60);
    const random = seededRandom(1505);
    await repeat(15, 4_000, 5, async (run) => {
      const interruptAfter = 1 + Math.floor(random() * 40);
      emulator.faults.add({ match: { path: /\/websocket$/ }, times: 1, fault: { kind: 'ws-terminate', afterMessages: 2 } });
      const { tokens, code } = await readReply(interruptAfter);
      const what = `run ${run}, interrupted after ${interruptAfter} tokens`;
      assert.equal(code, 1006, what);
      assert.ok(tokens.length >= interruptAfter, `${what}: got ${tokens.length}`);
      assert.deepEqual(tokens, undamaged.tokens.slice(0, tokens.length), what);
      await expectNoOpenSockets(emulator, what);
    });
  });
});
