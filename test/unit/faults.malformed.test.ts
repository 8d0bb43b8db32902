/**
 * Fault suite: answers that cannot be read as promised. Broken SSE lines, invalid JSON from a model, a
 * body above the caller's limit and error bodies that are not JSON must each end in one clear
 * BasetenError (never an unhandled rejection: the harness fails the suite on one), sent once where the
 * answer had started, with no socket left behind.
 */
import * as assert from 'node:assert/strict';
import { SEED } from '../../emulator';
import { ChatResult, PRODUCTION, jsonInput } from '../../src/client';
import type { ChatEndpoint, WebSocketEvent } from '../../src/client';
import { MALFORMED_JSON_BODY } from '../../emulator/faults/faults';
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
import { CHAT_PATH, SURFACES, modelOf } from './helpers/faultSurfaces';
import { chatPrefix, rawBody, sseData } from './helpers/undamaged';

reportFaultSummaryAtEnd();

const LLM_CHAT_PATH = `/model-${SEED.models.llm.id}/production/sync/v1/chat/completions`;
const LLM: ChatEndpoint = { kind: 'deployment', owner: modelOf('llm'), target: PRODUCTION };
const NGINX_502 = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

describe('fault suite: malformed answers', function () {
  this.timeout(20_000);
  const harness = useFaultHarness();

  for (const [label, path, endpoint, model] of [
    ['Model APIs', CHAT_PATH, undefined, 'zai-org/GLM-5.2'],
    ['a deployed LLM', LLM_CHAT_PATH, LLM, 'my-llm'],
  ] as const) {
    it(`chat streams from ${label} with cut SSE lines: protocol error naming the bad event, the events before it kept, sent once`, async () => {
      const { emulator } = harness;
      const client = harness.client();
      const random = seededRandom(4401);
      await repeat(12, 3_000, 5, async (run) => {
        const request = { model, messages: [{ role: 'user' as const, content: `[[tokens:${2 + Math.floor(random() * 30)}]] run ${run}` }] };
        const undamaged = sseData(await rawBody(emulator, path, { ...request, stream: true }));
        const from = emulator.stats.requests.length;
        emulator.faults.add({ match: { path }, times: 1, fault: { kind: 'malformed-sse' } });
        const stream = await client.modelApis.chatStream(request, { endpoint });
        const error = await settlesWithin(failureOf(() => stream.final()), 5_000, 'the malformed stream');
        const what = `run ${run}`;
        assert.equal(error.kind, 'protocol', `${what}: ${error.message}`);
        assert.match(error.message, /^The model sent a malformed stream event: \{/, what);
        // The emulator cuts the second event; only the first arrived whole.
        const expected = chatPrefix(undamaged, 1);
        const partial = error.partial as ChatResult;
        expectKept(expected.text, partial.text, `${what}: text`);
        expectKept(expected.reasoning, partial.reasoning, `${what}: reasoning`);
        assert.equal(emulator.stats.requests.slice(from).filter((request) => request.path === path).length, 1, `${what}: sent once`);
        await expectNoOpenSockets(emulator, what);
      });
    });
  }

  it('invalid JSON on every JSON surface: protocol error with the body kept, not resent, socket reusable or closed', async () => {
    const { emulator } = harness;
    const client = harness.client();
    const whole = SURFACES.filter((surface) => !surface.streamed);
    for (let run = 0; run < 5; run++) {
      for (const surface of whole) {
        const from = emulator.stats.requests.length;
        emulator.faults.add({ match: { path: surface.path }, times: 1, fault: { kind: 'malformed-json' } });
        const error = await failureOf(() => surface.run(client), surface.name);
        assert.equal(error.kind, 'protocol', `${surface.name}: ${error.message}`);
        assert.match(error.message, /invalid JSON|not valid JSON/, surface.name);
        assert.ok(error.body?.includes(MALFORMED_JSON_BODY), `${surface.name}: body ${error.body}`);
        assert.equal(emulator.stats.requests.length - from, 1, `${surface.name}: sent once`);
      }
    }
    await client.close();
    await expectNoOpenSockets(emulator, 'after close()');
  });

  it('answers above the caller\'s limit: too_large; a cut stream frees its socket at once, a whole JSON body leaves it pooled', async () => {
    const { emulator } = harness;
    const random = seededRandom(4603);
    await repeat(30, 4_000, 10, async (run) => {
      const client = harness.client();
      const limit = 1 + Math.floor(random() * 50_000);
      const what = `run ${run}, limit ${limit}`;
      const stream = await client.inference.predict(modelOf('chunked'), PRODUCTION, jsonInput({ bytes: limit + 70_000 }));
      assert.equal(stream.kind, 'stream');
      const streamError = await failureOf(() => stream.text(limit), `${what}: stream`);
      assert.equal(streamError.kind, 'too_large', `${what}: ${streamError.message}`);
      const binary = await client.inference.predict(modelOf('binary'), PRODUCTION, jsonInput({ bytes: limit + 70_000 }));
      assert.equal(binary.kind, 'binary');
      const binaryError = await failureOf(() => binary.bytes(limit), `${what}: binary`);
      assert.equal(binaryError.kind, 'too_large', `${what}: ${binaryError.message}`);
      await expectNoOpenSockets(emulator, `${what}: after the cut streams`);
      const jsonError = await failureOf(
        () => client.inference.predict(modelOf('echo'), PRODUCTION, jsonInput({ pad: 'x'.repeat(limit + 10) }), { maxJsonBytes: limit }),
        `${what}: JSON`,
      );
      assert.equal(jsonError.kind, 'too_large', `${what}: ${jsonError.message}`);
      // A body that had arrived whole leaves a reusable connection; close() must not wait on anything else.
      await settlesWithin(client.close(), 3_000, `${what}: close()`);
      await expectNoOpenSockets(emulator, `${what}: after close()`);
    });
  });

  it('a WebSocket message above maxPayloadBytes: one too_large error event, then the session closes', async () => {
    const { emulator } = harness;
    const client = harness.client();
    for (let run = 0; run < 10; run++) {
      const session = await client.openWebSocket(modelOf('echo'), PRODUCTION, { maxPayloadBytes: 512 + run });
      const events: WebSocketEvent[] = [];
      const reading = (async () => {
        for await (const event of session) events.push(event);
      })();
      await session.sendText('small');
      await session.sendText('x'.repeat(4096));
      await settlesWithin(reading, 5_000, 'the oversized WebSocket');
      const errors = events.filter((event) => event.type === 'error');
      assert.equal(errors.length, 1, `run ${run}: ${JSON.stringify(events.map((event) => event.type))}`);
      assert.equal(errors[0].type === 'error' && errors[0].error.kind, 'too_large');
      assert.deepEqual(events.filter((event) => event.type === 'message').map((event) => event.type === 'message' && event.data), ['small']);
      const close = events.at(-1);
      assert.ok(close?.type === 'close' && [1009, 1006].includes(close.code), `run ${run}: ${JSON.stringify(close)}`);
      await expectNoOpenSockets(emulator, `run ${run}`);
    }
  });

  const BODIES: Array<[string, string, RegExp]> = [
    ['nginx HTML', NGINX_502, /: 502 Bad Gateway 502 Bad Gateway nginx$/],
    ['plain text', 'upstream connect error or disconnect/reset before headers', /: upstream connect error or disconnect\/reset before headers$/],
    ['empty', '', /[a-z)]$/],
    ['a JSON string', '"model crashed"', /: model crashed$/],
    ['a JSON array', '[1, 2]', /: \[1, 2\]$/],
    ['200 KiB of text', 'overflow '.repeat(22_000), /: (overflow ){60,}.*…$/],
  ];

  it('error bodies that are not a JSON object, on every surface, 5xx and 4xx: a readable message, the status, retried only when retryable', async () => {
    const { emulator } = harness;
    const client = harness.client();
    for (const surface of SURFACES) {
      for (const [label, body, message] of BODIES) {
        for (const status of [502, 422]) {
          const what = `${surface.name}, ${label}, ${status}`;
          const from = emulator.stats.requests.length;
          const remove = emulator.faults.add({ match: { path: surface.path }, fault: { kind: 'status', status, body } });
          const error = await failureOf(() => surface.run(client), what);
          remove();
          assert.equal(error.kind, 'http', what);
          assert.equal(error.status, status, what);
          assert.match(error.message, message, `${what}: ${error.message}`);
          assert.ok(error.message.length < 800, `${what}: a message of ${error.message.length} characters`);
          assert.ok((error.body ?? '').length <= 4096 + 64, `${what}: the body is kept only in part`);
          // A 502 is retried, except where the model may have run before the replica failed.
          assert.equal(emulator.stats.requests.length - from, status === 502 && !surface.mayRun ? 3 : 1, what);
        }
      }
    }
    await client.close();
    await expectNoOpenSockets(emulator, 'after close()');
  });
});
