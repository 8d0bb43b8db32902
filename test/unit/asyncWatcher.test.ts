import * as assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SEED } from '../../emulator/state/seed';
import { AsyncRequestWatcher, BasetenClient, Owner, PRODUCTION, StatusBudget, WatchEnd, environment } from '../../src/client';
import type { AsyncRequestStatusResponse, PollSchedule } from '../../src/client';
import { Emulator, eventually, startEmulatorClient } from './helpers/client';

const echo: Pick<Owner, 'kind' | 'id'> = { kind: 'model', id: SEED.models.echo.id };
const STATUS = /\/async_request\//;

function watcherFor(client: BasetenClient, budget: StatusBudget, schedule: Partial<PollSchedule> = {}) {
  const statuses = new Map<string, AsyncRequestStatusResponse[]>();
  const ends = new Map<string, WatchEnd>();
  const errors: unknown[] = [];
  const watcher = new AsyncRequestWatcher({
    status: (owner, requestId, signal) => client.inference.asyncStatus(owner, requestId, { signal, retry: false }),
    budget,
    schedule,
    onStatus: (id, status) => statuses.set(id, [...(statuses.get(id) ?? []), status]),
    onEnd: (id, end) => ends.set(id, end),
    onError: (_id, error) => errors.push(error),
  });
  return { watcher, statuses, ends, errors };
}

async function submitMany(client: BasetenClient, count: number, input: (i: number) => Record<string, unknown>, owner = echo): Promise<string[]> {
  const ids: string[] = new Array<string>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < count) {
        const i = next++;
        ids[i] = (await client.inference.asyncPredict(owner, PRODUCTION, { model_input: input(i) })).requestId;
      }
    }),
  );
  return ids;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('AsyncRequestWatcher against the emulator', function () {
  this.timeout(30_000);
  let emulator: Emulator;
  let client: BasetenClient;
  let budget: StatusBudget | undefined;
  let watcher: AsyncRequestWatcher | undefined;

  afterEach(async () => {
    watcher?.dispose();
    budget?.dispose();
    await client?.destroy();
    await emulator?.close();
  });

  it('1,000 watched requests never exceed the poll budget of 10 status calls per second, and nothing is polled twice before all were polled once', async () => {
    ({ emulator, client } = await startEmulatorClient({ asyncRunMs: 50 }));
    // The first request holds the queue, so the other 999 stay QUEUED and keep being watched.
    const ids = await submitMany(client, 1000, (i) => (i === 0 ? { sleep_ms: 60_000 } : { i }));
    emulator.stats.reset();
    budget = new StatusBudget({ perSecond: () => 10 });
    const started = Date.now();
    const run = watcherFor(client, budget);
    watcher = run.watcher;
    for (const requestId of ids) watcher.watch({ owner: echo, requestId, submittedAt: started });
    await sleep(5_500);
    watcher.dispose();
    const calls = emulator.stats.requests.filter((r) => STATUS.test(r.path));
    assert.ok(calls.length >= 35, `the budget was used: ${calls.length} status calls in ~4.5 s of polling`);
    assert.ok(emulator.stats.peakPerWindow({ path: STATUS }, 1000) <= 10, `peak ${emulator.stats.peakPerWindow({ path: STATUS }, 1000)} status calls in a second`);
    assert.equal(emulator.stats.count({ status: 429 }), 0, 'Baseten never had to refuse a poll');
    const paths = calls.map((r) => r.path);
    assert.equal(new Set(paths).size, paths.length, 'each request polled at most once while others still waited');
    assert.equal(run.errors.length, 0);
  });

  it('polls each request no more than its age-based schedule needs, and never after its terminal status', async () => {
    ({ emulator, client } = await startEmulatorClient({ asyncRunMs: 100 }));
    const ids = await submitMany(client, 30, (i) => ({ i }));
    const submittedAt = Date.now();
    budget = new StatusBudget({ perSecond: () => 10 });
    const run = watcherFor(client, budget);
    watcher = run.watcher;
    for (const requestId of ids) watcher.watch({ owner: echo, requestId, submittedAt });
    await eventually(() => run.ends.size === ids.length, 20_000, 'every request to end');
    const endedAt = Date.now();
    await sleep(2_500);
    for (const id of ids) {
      const end = run.ends.get(id);
      assert.equal(end?.reason, 'terminal');
      const polls = emulator.stats.count({ path: `/model-${echo.id}/async_request/${id}` });
      const seen = run.statuses.get(id) ?? [];
      assert.equal(polls, seen.length, `${id}: every status call was answered and counted`);
      assert.equal(seen[seen.length - 1].status, 'SUCCEEDED');
      assert.ok(seen.slice(0, -1).every((s) => s.status === 'QUEUED' || s.status === 'IN_PROGRESS'), 'only the last poll saw the end');
      // Young requests are polled about once a second: never more than their lifetime in seconds, plus the one that saw the end.
      const lifetimeS = (Date.parse(seen[seen.length - 1].status_at) - submittedAt) / 1000;
      assert.ok(polls <= Math.ceil(lifetimeS) + 1, `${id}: ${polls} polls for a ${lifetimeS.toFixed(1)} s request`);
    }
    assert.equal(emulator.stats.requests.filter((r) => STATUS.test(r.path) && r.at > endedAt).length, 0, 'no poll after the last request ended');
    assert.equal(watcher.size, 0);
  });

  it('a 429 pauses every poll, not only the refused one, for at least its Retry-After', async () => {
    ({ emulator, client } = await startEmulatorClient({ asyncRunMs: 50, asyncStatusRateLimitPerSecond: 3 }));
    const ids = await submitMany(client, 20, (i) => (i === 0 ? { sleep_ms: 60_000 } : { i }));
    emulator.stats.reset();
    // A budget above what this emulator allows, as when another window polls with the same key.
    budget = new StatusBudget({ perSecond: () => 10 });
    const run = watcherFor(client, budget, { minIntervalMs: 200, firstPollMs: 0, ageFactor: 0 });
    watcher = run.watcher;
    const now = Date.now();
    for (const requestId of ids) watcher.watch({ owner: echo, requestId, submittedAt: now });
    await sleep(4_000);
    watcher.dispose();
    const calls = emulator.stats.requests.filter((r) => STATUS.test(r.path));
    const refused = calls.filter((r) => r.status === 429);
    assert.ok(refused.length > 0, 'the emulator refused some polls');
    assert.ok(budget.rateLimitedCount > 0, 'the budget saw the 429');
    for (const refusal of refused) {
      // Calls granted in the same burst were already on their way (on a loaded machine they can reach the
      // emulator a few hundred ms late); nothing new starts until Retry-After (1 s) passed. Without the pause,
      // polls every 200 ms would land in this window.
      const early = calls.filter((r) => r.at > refusal.at + 300 && r.at < refusal.at + 900);
      assert.deepEqual(early.map((r) => r.at - refusal.at), [], 'status calls within a second of a 429');
    }
    const bursts = new Set(refused.map((r) => Math.floor((r.at - calls[0].at) / 500)));
    assert.ok(refused.length <= bursts.size * 10, 'refusals only in the bursts already granted');
    const successes = calls.filter((r) => r.status === 200).length;
    assert.ok(successes >= 3, `polls went on after the pause (${successes} answered)`);
  });

  it('stops when Baseten no longer knows the request (404) and, without a call, once its status retention has ended', async () => {
    ({ emulator, client } = await startEmulatorClient({ fast: true }));
    budget = new StatusBudget({ perSecond: () => 10 });
    const run = watcherFor(client, budget, { firstPollMs: 0 });
    watcher = run.watcher;
    watcher.watch({ owner: echo, requestId: 'f'.repeat(32), submittedAt: Date.now() });
    // Submitted 3 hours ago with a 10 minute queue limit: queue, run (1 h) and retention (1 h) have all passed.
    watcher.watch({ owner: echo, requestId: 'e'.repeat(32), submittedAt: Date.now() - 3 * 3_600_000, maxTimeInQueueSeconds: 600 });
    await eventually(() => run.ends.size === 2, 5_000, 'both to end');
    assert.equal(run.ends.get('f'.repeat(32))?.reason, 'forgotten');
    assert.equal(run.ends.get('e'.repeat(32))?.reason, 'retention');
    assert.equal(emulator.stats.count({ path: STATUS }), 1, 'only the unknown request was asked about');
  });

  it('watches a chain request to its end, and queue-status calls wait their turn in the same budget', async () => {
    ({ emulator, client } = await startEmulatorClient({ asyncRunMs: 50 }));
    const chain: Pick<Owner, 'kind' | 'id'> = { kind: 'chain', id: SEED.chains.pipeline.id };
    const { requestId } = await client.inference.asyncPredict(chain, environment('production'), { model_input: { x: 1 } });
    budget = new StatusBudget({ perSecond: () => 1 });
    const run = watcherFor(client, budget, { firstPollMs: 0 });
    watcher = run.watcher;
    watcher.watch({ owner: chain, requestId, submittedAt: Date.now() });
    await eventually(() => run.ends.size === 1, 8_000, 'the chain request to end');
    assert.equal(run.ends.get(requestId)?.reason, 'terminal');
    // With a budget of one a second, a user's call waits for the window like a poll.
    const before = Date.now();
    await budget.run(() => client.inference.asyncQueueStatus(chain, PRODUCTION, { retry: false }), { priority: 'user' });
    await budget.run(() => client.inference.asyncQueueStatus(chain, PRODUCTION, { retry: false }), { priority: 'user' });
    assert.ok(Date.now() - before >= 900, 'the second call waited for the window');
  });

  it('keeps watching a SUCCEEDED request while its webhook is PENDING, and ends it at WEBHOOK_FAILED', async () => {
    ({ emulator, client } = await startEmulatorClient({ asyncRunMs: 20, queueSecondsScale: 200 }));
    // A webhook endpoint that is down: Baseten tries twice (2 s apart, here 400 ms) and gives up.
    const down = createServer((_request, response) => response.writeHead(503).end());
    await new Promise<void>((resolve) => down.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(down.address() as AddressInfo).port}/hook`;
      const { requestId } = await client.inference.asyncPredict(echo, PRODUCTION, { model_input: { x: 1 }, webhook_endpoint: url });
      budget = new StatusBudget({ perSecond: () => 10 });
      const run = watcherFor(client, budget, { firstPollMs: 0, minIntervalMs: 100, ageFactor: 0 });
      watcher = run.watcher;
      watcher.watch({ owner: echo, requestId, submittedAt: Date.now() });
      await eventually(() => run.ends.size === 1, 8_000, 'the request to settle');
      const seen = (run.statuses.get(requestId) ?? []).map((s) => `${s.status}/${s.webhook_status}`);
      assert.ok(seen.includes('SUCCEEDED/PENDING'), `seen: ${seen.join(', ')}`);
      assert.equal(seen[seen.length - 1], 'WEBHOOK_FAILED/FAILED');
    } finally {
      down.close();
    }
  });
});
