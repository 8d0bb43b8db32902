/**
 * Fault suite: error statuses and connection resets against the retry policy of src/client/http.ts.
 * Attempts are counted by the emulator; the delays the client planned (its log) must follow the policy,
 * capped exponential backoff with equal jitter or `Retry-After`, and the emulator must have seen the
 * attempts at least that far apart. Statuses that are not retryable, and streams that started, are sent once.
 * A call that runs a model (chat, predict) is re-sent only when it cannot have run: a 429, a 503, a parking-timeout
 * 500, a connection refused before sending; a model's own 500, a 502, a 504 or a reset are sent once.
 */
import * as assert from 'node:assert/strict';
import type { BasetenError, RequestLogEntry } from '../../src/client';
import { PRODUCTION, jsonInput } from '../../src/client';
import type { Emulator } from './helpers/client';
import {
  expectNoOpenSockets,
  failureOf,
  repeat,
  reportFaultSummaryAtEnd,
  seededRandom,
  settlesWithin,
  useFaultHarness,
} from './helpers/faultHarness';
import { CHAT, CHAT_PATH, SURFACES, modelOf, predictPath } from './helpers/faultSurfaces';

reportFaultSummaryAtEnd();

const POLICY = { maxAttempts: 5, initialDelayMs: 4, maxDelayMs: 12, maxRetryAfterMs: 400 };
const RETRYABLE = [429, 500, 502, 503, 504] as const;
/** Of RETRYABLE, the answers that say the model did not run: re-sent even for calls that run a model. */
const NOTHING_RAN = new Set<number>([429, 503]);
const attemptsFor = (surface: { mayRun: boolean }, status: number): number => (surface.mayRun && !NOTHING_RAN.has(status) ? 1 : POLICY.maxAttempts);
const FINAL = [400, 401, 403, 404, 413, 422] as const;

const SUMMARIES: Record<number, RegExp> = {
  429: /^Rate limited by Baseten/,
  500: /^(The model failed|Baseten had an internal error)/,
  502: /^The model replica crashed or restarted/,
  503: /^No replica is available right now/,
  504: /^The request took longer than Baseten allows/,
  400: /^Baseten rejected the request/,
  401: /^(Baseten rejected the API key|This API key cannot use the management API)/,
  403: /^(Baseten rejected the API key|This API key cannot use the management API)/,
  404: /^(Model not found|Not found)/,
  413: /^The request is too large for Baseten/,
  422: /^Baseten could not process the input/,
};

/** A policy-following client whose jitter draws and planned delays are kept for checking. */
function observedClient(harness: ReturnType<typeof useFaultHarness>, seed: number, policy = POLICY) {
  const source = seededRandom(seed);
  const draws: number[] = [];
  const logs: RequestLogEntry[] = [];
  const client = harness.client({
    retry: policy,
    random: () => {
      const value = source();
      draws.push(value);
      return value;
    },
    onLog: (entry) => logs.push(entry),
  });
  return { client, draws, logs };
}

/** The backoff http.ts specifies for the retry after `attempt`, given the jitter draw. */
function backoff(attempt: number, draw: number, policy = POLICY): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + draw * (ceiling / 2));
}

/** The arrival times of the requests the emulator saw on `path` since `from`. */
function arrivals(emulator: Emulator, path: string, from: number): number[] {
  return emulator.stats.requests.slice(from).filter((request) => request.path === path).map((request) => request.at);
}

function expectSpacing(at: number[], delays: number[], what: string): void {
  for (let i = 1; i < at.length; i++) {
    // Date.now() has millisecond steps: a wait of d ms can show as d - 1 between two stamps.
    assert.ok(at[i] - at[i - 1] >= delays[i - 1] - 1, `${what}: attempt ${i + 1} came ${at[i] - at[i - 1]} ms after the previous one, the policy said ${delays[i - 1]}`);
  }
}

describe('fault suite: retry policy under error storms', function () {
  this.timeout(20_000);
  const harness = useFaultHarness();

  it('429/500/502/503/504 on every surface: maxAttempts attempts (once for a model that may have run), backoff as specified, the last answer reported', async () => {
    const { emulator } = harness;
    let seed = 1;
    for (const surface of SURFACES) {
      for (const status of RETRYABLE) {
        const what = `${surface.name}, ${status}`;
        const { client, draws, logs } = observedClient(harness, seed++);
        const from = emulator.stats.requests.length;
        const remove = emulator.faults.add({ match: { path: surface.path }, fault: { kind: 'status', status, body: { error: `storm ${status} on ${surface.name}` } } });
        const error = await settlesWithin(failureOf(() => surface.run(client), what), 5_000, what);
        remove();
        assert.equal(error.kind, 'http', what);
        assert.equal(error.status, status, what);
        assert.equal(error.retryable, true, what);
        const attempts = attemptsFor(surface, status);
        assert.equal(error.attempts, attempts, what);
        assert.match(error.message, SUMMARIES[status], what);
        assert.ok(error.message.endsWith(`: storm ${status} on ${surface.name}`), `${what}: ${error.message}`);
        assert.ok(error.detail().startsWith(`HTTP ${status}`), `${what}: the status is on the detail line: ${error.detail()}`);
        const at = arrivals(emulator, surface.path, from);
        assert.equal(at.length, attempts, `${what}: attempts the emulator saw`);
        const planned = logs.map((entry) => entry.retryInMs);
        const expected = draws.map((draw, i) => backoff(i + 1, draw));
        assert.equal(draws.length, attempts - 1, `${what}: one jitter draw per retry`);
        assert.deepEqual(planned, [...expected, undefined], what);
        for (const delay of expected) assert.ok(delay <= POLICY.maxDelayMs, `${what}: ${delay} ms is above the cap`);
        expectSpacing(at, expected, what);
      }
    }
  });

  it('a storm that ends before maxAttempts is ridden out: the answer comes on attempt k + 1', async () => {
    const { emulator } = harness;
    const random = seededRandom(2202);
    await repeat(25, 5_000, 10, async (run) => {
      const surface = SURFACES[Math.floor(random() * SURFACES.length)];
      const statuses = RETRYABLE.filter((status) => attemptsFor(surface, status) > 1);
      const status = statuses[Math.floor(random() * statuses.length)];
      const failures = 1 + Math.floor(random() * (POLICY.maxAttempts - 1));
      const what = `run ${run}: ${surface.name}, ${failures} × ${status}`;
      const { client } = observedClient(harness, 7000 + run);
      const from = emulator.stats.requests.length;
      emulator.faults.add({ match: { path: surface.path }, times: failures, fault: { kind: 'status', status } });
      await settlesWithin(surface.run(client), 5_000, what);
      assert.equal(arrivals(emulator, surface.path, from).length, failures + 1, what);
    });
  });

  it('Retry-After in seconds is waited exactly (not capped by maxDelayMs), on 429 and 503 alike', async () => {
    const { emulator } = harness;
    for (const [status, header, ms] of [
      [429, '0.03', 30],
      [503, '0.02', 20],
      [429, '0', 0],
      [429, new Date(Date.now() - 60_000).toUTCString(), 0],
    ] as const) {
      const what = `${status} with Retry-After ${header}`;
      const { client, draws, logs } = observedClient(harness, status);
      const path = predictPath('echo');
      const from = emulator.stats.requests.length;
      const remove = emulator.faults.add({ match: { path }, fault: { kind: 'status', status, retryAfter: header } });
      const error = await failureOf(() => client.inference.predict(modelOf('echo'), PRODUCTION, jsonInput({})), what);
      remove();
      assert.equal(error.status, status, what);
      assert.equal(error.attempts, POLICY.maxAttempts, what);
      assert.equal(error.retryAfterMs, ms, what);
      assert.deepEqual(draws, [], `${what}: no jitter when the server says when`);
      const delays = Array.from({ length: POLICY.maxAttempts - 1 }, () => ms);
      assert.deepEqual(logs.map((entry) => entry.retryInMs), [...delays, undefined], what);
      expectSpacing(arrivals(emulator, path, from), delays, what);
      if (status === 429 && ms > 0) assert.match(error.message, /retry after 1 s/, what);
    }
  });

  it('a Retry-After longer than maxRetryAfterMs is not waited for: the 429 comes back at once, after one attempt', async () => {
    const { emulator } = harness;
    for (const surface of SURFACES) {
      const { client, logs } = observedClient(harness, 31);
      const from = emulator.stats.requests.length;
      const remove = emulator.faults.add({ match: { path: surface.path }, fault: { kind: 'status', status: 429, retryAfter: '30' } });
      const error = await failureOf(() => surface.run(client), surface.name);
      remove();
      assert.equal(error.status, 429, surface.name);
      assert.equal(error.attempts, 1, surface.name);
      assert.equal(error.retryAfterMs, 30_000, surface.name);
      assert.match(error.message, /^Rate limited by Baseten; retry after 30 s/, surface.name);
      assert.equal(arrivals(emulator, surface.path, from).length, 1, surface.name);
      assert.equal(logs[0].retryInMs, undefined, surface.name);
    }
  });

  it('a Retry-After that is no number and no date falls back to the backoff', async () => {
    const { emulator } = harness;
    for (const header of ['soon', '-1', '1 2', '']) {
      const { client, draws, logs } = observedClient(harness, 41);
      const path = predictPath('echo');
      const remove = emulator.faults.add({ match: { path }, fault: { kind: 'status', status: 429, retryAfter: header } });
      const error = await failureOf(() => client.inference.predict(modelOf('echo'), PRODUCTION, jsonInput({})), header);
      remove();
      assert.equal(error.retryAfterMs, undefined, header);
      assert.deepEqual(logs.map((entry) => entry.retryInMs), [...draws.map((draw, i) => backoff(i + 1, draw)), undefined], header);
    }
  });

  for (const retryAfter of [undefined, '0.005']) {
    it(`a concurrent 429 storm ${retryAfter ? 'with' : 'without'} Retry-After: every 429 is accounted for, each caller succeeds or fails after maxAttempts`, async () => {
      const { emulator } = harness;
      const path = predictPath('echo');
      const callers = 25;
      const storm = 45;
      const { client } = observedClient(harness, 51);
      emulator.faults.add({ match: { path }, times: storm, fault: { kind: 'status', status: 429, ...(retryAfter ? { retryAfter } : {}) } });
      const outcomes = await settlesWithin(
        Promise.allSettled(Array.from({ length: callers }, (_, i) => client.inference.predict(modelOf('echo'), PRODUCTION, jsonInput({ caller: i })))),
        10_000,
        'the storm',
      );
      let attempts = 0;
      let succeeded = 0;
      for (const outcome of outcomes) {
        if (outcome.status === 'fulfilled') {
          succeeded += 1;
          attempts += outcome.value.attempts;
          assert.ok(outcome.value.attempts <= POLICY.maxAttempts);
          outcome.value.cancel();
        } else {
          const error = outcome.reason as BasetenError;
          assert.equal(error.status, 429);
          assert.equal(error.attempts, POLICY.maxAttempts);
          attempts += error.attempts;
        }
      }
      assert.equal(emulator.stats.count({ path }), attempts, 'the emulator saw every attempt the callers report');
      assert.equal(emulator.stats.count({ path, status: 429 }), storm, 'the whole storm was served');
      assert.equal(emulator.stats.count({ path, status: 200 }), succeeded);
      assert.ok(succeeded > 0, 'the storm ends, so some callers get through');
    });
  }

  it('connection resets after the request was sent are retried like 5xx where nothing runs, sent once where a model may have run', async () => {
    const { emulator } = harness;
    for (const surface of SURFACES) {
      const { client, draws, logs } = observedClient(harness, 61);
      const from = emulator.stats.requests.length;
      const remove = emulator.faults.add({ match: { path: surface.path }, fault: { kind: 'reset' } });
      const error = await failureOf(() => surface.run(client), surface.name);
      remove();
      const attempts = surface.mayRun ? 1 : POLICY.maxAttempts;
      assert.equal(error.kind, 'network', `${surface.name}: ${error.message}`);
      assert.equal(error.retryable, true, surface.name);
      assert.equal(error.attempts, attempts, surface.name);
      assert.equal(arrivals(emulator, surface.path, from).length, attempts, surface.name);
      assert.deepEqual(logs.map((entry) => entry.retryInMs), [...draws.map((draw, i) => backoff(i + 1, draw)), undefined], surface.name);
    }
  });

  it('400/401/403/404/413/422 are never retried, on any surface', async () => {
    const { emulator } = harness;
    for (const surface of SURFACES) {
      for (const status of FINAL) {
        const what = `${surface.name}, ${status}`;
        const { client, draws, logs } = observedClient(harness, status);
        const from = emulator.stats.requests.length;
        const remove = emulator.faults.add({ match: { path: surface.path }, fault: { kind: 'status', status, body: { error: `final ${status}` } } });
        const error = await failureOf(() => surface.run(client), what);
        remove();
        assert.equal(error.kind, 'http', what);
        assert.equal(error.status, status, what);
        assert.equal(error.retryable, false, what);
        assert.equal(error.attempts, 1, what);
        assert.match(error.message, SUMMARIES[status], what);
        assert.ok(error.message.endsWith(`: final ${status}`), `${what}: ${error.message}`);
        assert.ok(error.detail().startsWith(`HTTP ${status}`), `${what}: ${error.detail()}`);
        assert.equal(arrivals(emulator, surface.path, from).length, 1, what);
        assert.deepEqual(draws, [], what);
        assert.equal(logs.length, 1, what);
      }
    }
  });

  // Stalls are sent once too; the timeout suite checks that, where the idle timeouts run side by side.
  it('an answer whose headers arrived is never resent, whether its body then drops or breaks', async () => {
    const { emulator } = harness;
    for (const surface of SURFACES) {
      for (const fault of [
        { kind: 'drop' },
        { kind: 'drop', afterBytes: 5 },
        { kind: 'malformed-sse' },
      ] as const) {
        if (fault.kind === 'malformed-sse' && surface.name !== 'chat stream') continue;
        const what = `${surface.name}, ${JSON.stringify(fault)}`;
        const from = emulator.stats.requests.length;
        const remove = emulator.faults.add({ match: { path: surface.path }, fault });
        const error = await settlesWithin(
          failureOf(() => surface.run(harness.client({ retry: POLICY })), what),
          5_000,
          what,
        );
        remove();
        assert.equal(error.attempts, 1, `${what}: ${error.message}`);
        assert.equal(error.kind, fault.kind === 'drop' ? 'stream_truncated' : 'protocol', `${what}: ${error.message}`);
        assert.equal(arrivals(emulator, surface.path, from).length, 1, what);
      }
    }
    await expectNoOpenSockets(emulator, 'after the broken streams');
  });

  it('after a storm the client keeps at most its pooled connections, and none after close()', async () => {
    const { emulator } = harness;
    const { client } = observedClient(harness, 81);
    emulator.faults.add({ match: { path: CHAT_PATH }, times: 8, fault: { kind: 'status', status: 503 } });
    await Promise.all(Array.from({ length: 4 }, () => client.modelApis.chat(CHAT)));
    await client.close();
    await expectNoOpenSockets(emulator, 'after close()');
  });

  it("a 500 the model raised is sent once, even with 10 attempts allowed; Baseten's parking-timeout 500 is re-sent", async () => {
    const { emulator } = harness;
    const policy = { ...POLICY, maxAttempts: 10 };
    const { client } = observedClient(harness, 71, policy);
    const failing = predictPath('failing');
    let from = emulator.stats.requests.length;
    const raised = await failureOf(() => client.inference.predict(modelOf('failing'), PRODUCTION, jsonInput({ fail: true })), 'the failing model');
    assert.equal(raised.status, 500);
    assert.equal(raised.fromModel, true, 'Truss marked it as the model server\'s');
    assert.equal(raised.attempts, 1);
    assert.equal(arrivals(emulator, failing, from).length, 1, 'the model ran once');

    const echo = predictPath('echo');
    from = emulator.stats.requests.length;
    emulator.faults.add({ match: { path: echo }, times: 2, fault: { kind: 'status', status: 500, body: { error: 'The deployment did not become ready before the parking timeout (cold start).', error_code: 'timeout' } } });
    const response = await client.inference.predict(modelOf('echo'), PRODUCTION, jsonInput({ parked: true }));
    assert.equal(response.status, 200);
    assert.equal(response.attempts, 3, 'sent again after each parking timeout');
    response.cancel();
    assert.equal(arrivals(emulator, echo, from).length, 3);

    from = emulator.stats.requests.length;
    emulator.faults.add({ match: { path: echo }, times: 1, fault: { kind: 'status', status: 500, body: { error: 'boom', error_code: 'timeout' }, headers: { 'X-BASETEN-ERROR-SOURCE': '04' } } });
    const fromModel = await failureOf(() => client.inference.predict(modelOf('echo'), PRODUCTION, jsonInput({})), 'a timeout the model server reported');
    assert.equal(fromModel.attempts, 1, "the model server's own timeout came after it ran");
    assert.equal(arrivals(emulator, echo, from).length, 1);
  });

  it('a redirect is an error that names it, on every surface, never a result and never followed', async () => {
    const { emulator } = harness;
    for (const surface of SURFACES) {
      const { client } = observedClient(harness, 81);
      const from = emulator.stats.requests.length;
      const remove = emulator.faults.add({ match: { path: surface.path }, fault: { kind: 'status', status: 307, headers: { location: 'https://elsewhere.example/predict' } } });
      const error = await failureOf(() => surface.run(client), surface.name);
      remove();
      assert.equal(error.kind, 'protocol', surface.name);
      assert.equal(error.status, 307, surface.name);
      assert.match(error.message, /^Baseten answered with a redirect \(HTTP 307 to https:\/\/elsewhere\.example\/predict\) instead of a result/, surface.name);
      assert.equal(arrivals(emulator, surface.path, from).length, 1, `${surface.name}: sent once, not followed`);
    }
  });
});
