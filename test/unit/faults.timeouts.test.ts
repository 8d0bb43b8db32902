/**
 * Fault suite: a first byte that does not come and streams that go silent. The configured timeouts must
 * fire as kind `timeout` with their own code, nothing may hang, what a stalled stream delivered is kept,
 * a timed-out request is not resent, and the socket is closed (the emulator sees the client leave).
 * Repetitions run side by side: undici checks its timers about once a second, so one after another would
 * cost a second each.
 */
import * as assert from 'node:assert/strict';
import { SEED } from '../../emulator';
import { BasetenError, ChatResult, PRODUCTION, jsonInput } from '../../src/client';
import {
  expectKept,
  expectNoOpenSockets,
  failureOf,
  reportFaultSummaryAtEnd,
  seededRandom,
  settlesWithin,
  useFaultHarness,
} from './helpers/faultHarness';
import { CHAT, CHAT_PATH, SURFACES, modelOf, predictPath } from './helpers/faultSurfaces';
import { chatPrefix, rawBody, sseData } from './helpers/undamaged';

reportFaultSummaryAtEnd();

const FAST_TIMEOUTS = { firstByteMs: 120, idleStreamMs: 120 };
const HANG_GUARD_MS = 8_000;

describe('fault suite: slow first byte and stalled streams', function () {
  this.timeout(20_000);
  const harness = useFaultHarness();

  it('a first byte later than firstByteMs, on every surface, 4 at a time: timeout first_byte_timeout, one attempt, the emulator sees the client leave', async () => {
    const { emulator } = harness;
    const client = harness.client({ timeouts: FAST_TIMEOUTS });
    const runs = SURFACES.flatMap((surface) => Array.from({ length: 4 }, () => surface));
    for (const surface of SURFACES) emulator.faults.add({ match: { path: surface.path }, fault: { kind: 'delay', ms: 10_000 } });
    const errors = await settlesWithin(Promise.all(runs.map((surface) => failureOf(() => surface.run(client), surface.name))), HANG_GUARD_MS, 'the delayed calls');
    errors.forEach((error, i) => {
      const what = runs[i].name;
      assert.equal(error.kind, 'timeout', `${what}: ${error.message}`);
      assert.equal(error.code, 'first_byte_timeout', what);
      assert.equal(error.retryable, false, what);
      assert.equal(error.attempts, 1, what);
    });
    assert.equal(emulator.stats.requests.length, runs.length, 'a timed-out request is not resent');
    await expectNoOpenSockets(emulator, 'after the first-byte timeouts');
    assert.ok(emulator.stats.requests.every((request) => request.clientAborted), 'the emulator saw every client leave');
  });

  it('a slow model (its own delay) trips a per-request first-byte timeout; a later call with time to spare answers', async () => {
    const { emulator } = harness;
    const client = harness.client();
    const slow = modelOf('slow');
    const errors = await settlesWithin(
      Promise.all(
        Array.from({ length: 10 }, () =>
          failureOf(() => client.inference.predict(slow, PRODUCTION, jsonInput({ delay_ms: 5_000 }), { timeouts: { firstByteMs: 100 } })),
        ),
      ),
      HANG_GUARD_MS,
      'the slow predicts',
    );
    for (const error of errors) assert.equal(error.code, 'first_byte_timeout', error.message);
    await expectNoOpenSockets(emulator, 'after the slow predicts');
    const answer = await client.inference.predict(slow, PRODUCTION, jsonInput({ delay_ms: 20 }), { timeouts: { firstByteMs: 5_000 } });
    assert.equal(answer.kind, 'json');
  });

  it('chat streams stalling after a random number of events, 12 at a time: timeout idle_stream_timeout, the text sent is kept', async () => {
    const { emulator } = harness;
    const undamaged = sseData(await rawBody(emulator, CHAT_PATH, { ...CHAT, stream: true }));
    const finishAt = undamaged.findIndex((data) => data.includes('"finish_reason":"'));
    const random = seededRandom(3303);
    const stalls = Array.from({ length: 12 }, () => 1 + Math.floor(random() * (finishAt - 1)));
    const client = harness.client({ timeouts: FAST_TIMEOUTS });
    // Started one by one, so each rule meets its own request; the stalls then run side by side.
    const pending: Array<Promise<{ events: number; error: BasetenError }>> = [];
    for (const events of stalls) {
      emulator.faults.add({ match: { path: CHAT_PATH }, times: 1, fault: { kind: 'stall', afterEvents: events } });
      const stream = await client.modelApis.chatStream(CHAT);
      pending.push(failureOf(() => stream.final()).then((error) => ({ events, error })));
    }
    const outcomes = await settlesWithin(Promise.all(pending), HANG_GUARD_MS, 'the stalled chat streams');
    for (const { events, error } of outcomes) {
      const what = `stall after ${events} events`;
      assert.equal(error.kind, 'timeout', `${what}: ${error.message}`);
      assert.equal(error.code, 'idle_stream_timeout', what);
      const partial = error.partial as ChatResult;
      const expected = chatPrefix(undamaged, events);
      expectKept(expected.text, partial.text, `${what}: text`);
      expectKept(expected.reasoning, partial.reasoning, `${what}: reasoning`);
    }
    assert.equal(emulator.stats.count({ path: CHAT_PATH }), stalls.length + 1, 'no stalled stream was resent');
    await expectNoOpenSockets(emulator, 'after the stalled chat streams');
  });

  it('predict SSE and chunked streams stalling at random points, 8 of each at a time: idle_stream_timeout, every byte sent kept', async () => {
    const { emulator } = harness;
    const sseInput = { events: 10 };
    const chunkedInput = { chunks: 20 };
    const sseUndamaged = sseData(await rawBody(emulator, predictPath('sse'), sseInput));
    const chunkedUndamaged = await rawBody(emulator, predictPath('chunked'), chunkedInput);
    const random = seededRandom(3404);
    const client = harness.client({ timeouts: FAST_TIMEOUTS });
    // Started one by one, so each rule meets its own request; the stalls then run side by side.
    const pending: Array<Promise<void>> = [];
    for (let run = 0; run < 8; run++) {
      const events = Math.floor(random() * sseUndamaged.length);
      emulator.faults.add({ match: { path: predictPath('sse') }, times: 1, fault: { kind: 'stall', afterEvents: events } });
      const sse = await client.inference.predict(modelOf('sse'), PRODUCTION, jsonInput(sseInput));
      assert.equal(sse.kind, 'sse');
      const received: string[] = [];
      pending.push(
        failureOf(async () => {
          for await (const event of sse.events) received.push(event.data);
        }).then((error) => {
          assert.equal(error.code, 'idle_stream_timeout', error.message);
          expectKept(sseUndamaged.slice(0, events).join('\n'), received.join('\n'), `SSE stalled after ${events} events`);
        }),
      );
      const bytes = Math.floor(random() * chunkedUndamaged.length);
      emulator.faults.add({ match: { path: predictPath('chunked') }, times: 1, fault: { kind: 'stall', afterBytes: bytes } });
      const chunked = await client.inference.predict(modelOf('chunked'), PRODUCTION, jsonInput(chunkedInput));
      assert.equal(chunked.kind, 'stream');
      const parts: Buffer[] = [];
      pending.push(
        failureOf(async () => {
          for await (const chunk of chunked.chunks) parts.push(chunk);
        }).then((error) => {
          assert.equal(error.code, 'idle_stream_timeout', error.message);
          expectKept(chunkedUndamaged.subarray(0, bytes), Buffer.concat(parts), `chunked stalled after ${bytes} bytes`);
        }),
      );
    }
    await settlesWithin(Promise.all(pending), HANG_GUARD_MS, 'the stalled predicts');
    assert.equal(emulator.stats.count({ path: predictPath('sse') }), 9, 'no stalled SSE stream was resent');
    assert.equal(emulator.stats.count({ path: predictPath('chunked') }), 9, 'no stalled chunked stream was resent');
    await expectNoOpenSockets(emulator, 'after the stalled predicts');
  });

  it('a JSON answer whose body stalls after the headers times out too, instead of waiting for ever', async () => {
    const { emulator } = harness;
    const client = harness.client({ timeouts: FAST_TIMEOUTS });
    const whole = SURFACES.filter((surface) => !surface.streamed);
    for (const surface of whole) emulator.faults.add({ match: { path: surface.path }, fault: { kind: 'stall', afterBytes: 5 } });
    const errors = await settlesWithin(Promise.all(whole.map((surface) => failureOf(() => surface.run(client), surface.name))), HANG_GUARD_MS, 'the stalled bodies');
    errors.forEach((error, i) => {
      assert.equal(error.kind, 'timeout', `${whole[i].name}: ${error.message}`);
      assert.equal(error.code, 'idle_stream_timeout', whole[i].name);
    });
    assert.equal(emulator.stats.requests.length, whole.length, 'no stalled answer was resent');
    await expectNoOpenSockets(emulator, 'after the stalled bodies');
  });

  it('a WebSocket upgrade that stalls or is delayed past handshakeTimeoutMs: timeout handshake_timeout, no socket left', async () => {
    const { emulator } = harness;
    const client = harness.client();
    const faults = [{ kind: 'stall' }, { kind: 'delay', ms: 10_000 }] as const;
    const attempts = faults.flatMap((fault) => Array.from({ length: 5 }, () => fault));
    const errors = await settlesWithin(
      Promise.all(
        attempts.map((fault) => {
          emulator.faults.add({ match: { path: /\/websocket$/ }, times: 1, fault });
          return failureOf(() => client.openWebSocket({ kind: 'model', id: SEED.models.echo.id }, PRODUCTION, { handshakeTimeoutMs: 150 }), fault.kind);
        }),
      ),
      HANG_GUARD_MS,
      'the stalled upgrades',
    );
    errors.forEach((error, i) => {
      assert.equal(error.kind, 'timeout', `${attempts[i].kind}: ${error.message}`);
      assert.equal(error.code, 'handshake_timeout', attempts[i].kind);
    });
    await expectNoOpenSockets(emulator, 'after the stalled upgrades');
  });
});
