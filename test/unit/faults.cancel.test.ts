/**
 * Fault suite: cancellation at random moments (seeded). 200 requests, mixed across chat streams, JSON
 * predicts and streamed predicts, some first answered with a 503 so the abort can land in the backoff, are
 * aborted before sending, after a random delay or after a random number of chunks. Each must end as
 * success or as kind `aborted`; an aborted one closes its socket by itself (no close() or destroy()),
 * and the emulator sees it leave. Four lanes run side by side, each on its own emulator so every request
 * the emulator records belongs to the one call its lane has in flight.
 */
import * as assert from 'node:assert/strict';
import { BasetenClient, BasetenError, PRODUCTION, jsonInput } from '../../src/client';
import type { Emulator } from './helpers/client';
import { emulatorClient, startTestEmulator } from './helpers/client';
import {
  activeResources,
  countTraffic,
  expectNoOpenSockets,
  expectNoResourcesBeyond,
  expectRequestsSettled,
  reportFaultSummaryAtEnd,
  seededRandom,
  settlesWithin,
  useFaultHarness,
} from './helpers/faultHarness';
import { CHAT_PATH, modelOf, predictPath } from './helpers/faultSurfaces';

reportFaultSummaryAtEnd();

const LANES = 4;
const REQUESTS = 200;
const RETRY = { maxAttempts: 3, initialDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 2_000 };

type Kind = 'chat stream' | 'predict' | 'predict stream';
type AbortMode = 'before sending' | 'after a delay' | 'after some chunks';

interface Plan {
  kind: Kind;
  /** An endless answer can only end by the abort, so the emulator must see the client leave. */
  endless: boolean;
  /** A 503 with a Retry-After of 1 s first, so the abort lands while the client waits to retry. */
  backoffFirst: boolean;
  mode: AbortMode;
  delayMs: number;
  chunks: number;
}

function planOf(random: () => number): Plan {
  const kinds: Kind[] = ['chat stream', 'predict', 'predict stream'];
  const kind = kinds[Math.floor(random() * kinds.length)];
  const endless = random() < 0.5;
  const backoffFirst = random() < 0.2;
  const roll = random();
  const mode: AbortMode = roll < 0.15 ? 'before sending' : roll < 0.6 || kind === 'predict' || backoffFirst ? 'after a delay' : 'after some chunks';
  return { kind, endless, backoffFirst, mode, delayMs: Math.floor(random() * 45), chunks: 1 + Math.floor(random() * 6) };
}

function pathOf(plan: Plan): string {
  if (plan.kind === 'chat stream') return CHAT_PATH;
  if (plan.kind === 'predict') return predictPath(plan.endless ? 'slow' : 'echo');
  return predictPath('chunked');
}

/** Runs one planned call; resolves with how it ended, never with an error other than kind `aborted`. */
async function runPlan(client: BasetenClient, plan: Plan, signal: AbortSignal, onChunk: () => void): Promise<'completed' | 'aborted'> {
  try {
    if (plan.kind === 'chat stream') {
      const tokens = plan.endless ? 1_000_000 : 8;
      const stream = await client.modelApis.chatStream({ model: 'zai-org/GLM-5.2', messages: [{ role: 'user', content: `[[tokens:${tokens}]] go` }] }, { signal });
      for await (const _event of stream) onChunk();
    } else if (plan.kind === 'predict') {
      const input = plan.endless ? { delay_ms: 600_000 } : { hello: 'world' };
      await client.inference.predict(modelOf(plan.endless ? 'slow' : 'echo'), PRODUCTION, jsonInput(input), { signal });
    } else {
      const response = await client.inference.predict(modelOf('chunked'), PRODUCTION, jsonInput({ chunks: plan.endless ? 1_000_000 : 6 }), { signal });
      assert.equal(response.kind, 'stream');
      for await (const _chunk of response.chunks) onChunk();
    }
    return 'completed';
  } catch (error) {
    assert.ok(error instanceof BasetenError, `expected a BasetenError, got ${String(error)}`);
    assert.equal(error.kind, 'aborted', `${plan.kind}: ${error.message}`);
    assert.ok(signal.aborted, `${plan.kind}: aborted without an abort: ${error.message}`);
    return 'aborted';
  }
}

interface LaneFigures {
  completed: number;
  aborted: number;
  seenLeaving: number;
}

async function runLane(emulator: Emulator, seed: number, count: number): Promise<LaneFigures> {
  const random = seededRandom(seed);
  const figures: LaneFigures = { completed: 0, aborted: 0, seenLeaving: 0 };
  const newClient = (): BasetenClient => emulatorClient(emulator, { retry: RETRY });
  let client = newClient();
  for (let i = 0; i < count; i++) {
    const plan = planOf(random);
    const what = `lane ${seed}, request ${i}: ${JSON.stringify(plan)}`;
    const from = emulator.stats.requests.length;
    const removeFault = plan.backoffFirst
      ? emulator.faults.add({ match: { path: pathOf(plan) }, times: 1, fault: { kind: 'status', status: 503, retryAfter: '1' } })
      : undefined;
    const controller = new AbortController();
    if (plan.mode === 'before sending') controller.abort();
    const timer = plan.mode === 'after a delay' ? setTimeout(() => controller.abort(), plan.delayMs) : undefined;
    let chunks = 0;
    const onChunk = (): void => {
      chunks += 1;
      if (plan.mode === 'after some chunks' && chunks === plan.chunks) controller.abort();
    };
    let outcome: 'completed' | 'aborted';
    try {
      outcome = await settlesWithin(runPlan(client, plan, controller.signal, onChunk), 5_000, what);
    } finally {
      clearTimeout(timer);
      removeFault?.();
    }
    if (plan.endless) assert.equal(outcome, 'aborted', `${what}: an endless answer completed`);
    await expectRequestsSettled(emulator);
    const records = emulator.stats.requests.slice(from);
    // When the emulator finished its last answer (the result, or the 503 the call was waiting to retry),
    // the connection may stay pooled for the next call, even if the caller then aborted before reading it
    // all; close() frees it, and must not wait for anything. When the emulator saw the client leave, the
    // aborted call must have closed its socket by itself.
    const last = records.at(-1);
    const pooled = outcome === 'completed' || (last !== undefined && !last.clientAborted);
    if (outcome === 'completed') figures.completed += 1;
    else figures.aborted += 1;
    if (pooled) {
      await settlesWithin(client.close(), 3_000, `${what}: close()`);
      client = newClient();
    }
    await expectNoOpenSockets(emulator, what);
    for (const record of records) {
      if (record.fault) continue;
      if (record.clientAborted) figures.seenLeaving += 1;
      else if (outcome === 'aborted') assert.ok(!plan.endless, `${what}: the emulator did not see the client leave ${record.path}`);
    }
  }
  await client.close();
  return figures;
}

describe('fault suite: cancellation at random moments', function () {
  this.timeout(30_000);
  const harness = useFaultHarness();

  it(`${REQUESTS} requests aborted at seeded random moments: each ends completed or aborted, closes its socket, leaves no timer`, async () => {
    const extra = await Promise.all(Array.from({ length: LANES - 1 }, () => startTestEmulator({ tokenDelayMs: 1, wakeDelayMs: 0 })));
    const emulators = [harness.emulator, ...extra];
    try {
      const resourcesBefore = activeResources();
      const lanes = await settlesWithin(
        Promise.all(emulators.map((emulator, lane) => runLane(emulator, 9001 + lane, REQUESTS / LANES))),
        25_000,
        'the cancellation lanes',
      );
      const total = lanes.reduce((sum, lane) => ({ completed: sum.completed + lane.completed, aborted: sum.aborted + lane.aborted, seenLeaving: sum.seenLeaving + lane.seenLeaving }));
      assert.equal(total.completed + total.aborted, REQUESTS);
      assert.ok(total.aborted >= REQUESTS / 3, `aborted ${total.aborted} of ${REQUESTS}`);
      assert.ok(total.seenLeaving >= REQUESTS / 4, `the emulator saw ${total.seenLeaving} clients leave`);
      for (const emulator of emulators) await expectNoOpenSockets(emulator, 'after every lane');
      // Every backoff, timeout and token timer of an aborted call, client's or emulator's, is gone.
      // Briefly: a backoff timer left behind would still have most of its second to run.
      await expectNoResourcesBeyond(resourcesBefore, 'after 200 cancellations', 300);
    } finally {
      for (const emulator of extra) countTraffic(emulator);
      await Promise.all(extra.map((emulator) => emulator.close()));
    }
  });
});
