import * as assert from 'node:assert/strict';
import { BasetenError, StatusBudget } from '../../src/client';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function peakPerSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  for (let first = 0, last = 0; last < sorted.length; last++) {
    while (sorted[last] - sorted[first] >= 1000) first++;
    peak = Math.max(peak, last - first + 1);
  }
  return peak;
}

describe('StatusBudget', function () {
  this.timeout(20_000);

  it('never lets more than the budget arrive in any second, however uneven the latency', async () => {
    const budget = new StatusBudget({ perSecond: () => 20 });
    const arrivals: number[] = [];
    // Each call "arrives" somewhere between being sent and being answered, as at a server.
    await Promise.all(
      Array.from({ length: 90 }, (_, i) =>
        budget.run(async () => {
          const latency = (i * 37) % 300;
          const arriveAfter = (i * 53) % (latency + 1);
          await sleep(arriveAfter);
          arrivals.push(Date.now());
          await sleep(latency - arriveAfter);
        }),
      ),
    );
    assert.equal(arrivals.length, 90);
    assert.ok(peakPerSecond(arrivals) <= 20, `peak ${peakPerSecond(arrivals)} in a second`);
  });

  it("puts a user's call ahead of the polls already waiting", async () => {
    const budget = new StatusBudget({ perSecond: () => 1 });
    const order: string[] = [];
    const polls = [1, 2, 3].map((n) => budget.run(async () => void order.push(`poll ${n}`)));
    const cancel = budget.run(async () => void order.push('cancel'), { priority: 'user' });
    await sleep(1_200);
    assert.deepEqual(order, ['poll 1', 'cancel']);
    budget.dispose();
    await Promise.allSettled([...polls, cancel]);
  });

  it('a 429 pauses every caller for its Retry-After, and longer while 429s go on', async () => {
    const budget = new StatusBudget({ perSecond: () => 100 });
    const refuse = (): Promise<never> => Promise.reject(new BasetenError({ kind: 'http', status: 429, message: 'rate limited', retryAfterMs: 1_500 }));
    await assert.rejects(budget.run(refuse));
    assert.ok(budget.pausedForMs > 1_400 && budget.pausedForMs <= 1_500, `paused ${budget.pausedForMs} ms`);
    const started = Date.now();
    await budget.run(async () => undefined);
    assert.ok(Date.now() - started >= 1_400, 'the next caller waited out the pause');
    budget.rateLimited();
    budget.rateLimited();
    assert.ok(budget.pausedForMs >= 1_900, `two 429s in a row without Retry-After: ${budget.pausedForMs} ms`);
    assert.equal(budget.rateLimitedCount, 3);
    budget.dispose();
  });

  it('an aborted caller leaves the queue without taking a slot', async () => {
    const budget = new StatusBudget({ perSecond: () => 1 });
    await budget.run(async () => undefined);
    const controller = new AbortController();
    const waiting = budget.run(async () => 'ran', { signal: controller.signal });
    controller.abort();
    await assert.rejects(waiting, (error: BasetenError) => error.kind === 'aborted');
    assert.equal(budget.queued, 0);
    budget.dispose();
  });
});
