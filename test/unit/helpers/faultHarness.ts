/**
 * Shared by the fault suites (test/unit/faults.*.test.ts): one emulator per suite, listeners that make a
 * suite fail on any unhandled rejection or uncaught exception, socket-leak checks against the emulator's
 * open connection count, bounded repetition, and the tally behind the one summary line printed at the end.
 */
import * as assert from 'node:assert/strict';
import { BasetenClient, BasetenClientOptions, BasetenError } from '../../../src/client';
import { Emulator, EmulatorOptions, emulatorClient, startTestEmulator } from './client';

export { seededRandom } from './replayServer';

export const tally = { faults: 0, requests: 0, bytesLost: 0, socketsLeaked: 0, unhandled: 0 };

let summaryRegistered = false;

/** Call at the top level of each fault suite file: a root hook prints the summary once, after every file. */
export function reportFaultSummaryAtEnd(): void {
  if (summaryRegistered) return;
  summaryRegistered = true;
  after(() => {
    console.log(
      `fault suite: ${tally.faults} faults injected, ${tally.requests} requests, ${tally.bytesLost} bytes lost, ` +
        `${tally.socketsLeaked} sockets leaked, ${tally.unhandled} unhandled rejections`,
    );
  });
}

/** Adds what an emulator saw (requests, and those that met a fault) to the tally; call before it is reset. */
export function countTraffic(emulator: Emulator): void {
  tally.requests += emulator.stats.requests.length;
  tally.faults += emulator.stats.requests.filter((request) => request.fault !== undefined).length;
}

export interface FaultHarness {
  readonly emulator: Emulator;
  /** A client on the emulator with fast retries; destroyed after the test. */
  client(options?: Partial<BasetenClientOptions>): BasetenClient;
}

/**
 * Registers the hooks of one fault suite and returns its harness. Each test starts from a reset emulator;
 * its requests and faults are counted when it ends, and its clients are destroyed.
 */
/** Registers hooks that make the enclosing suite fail when anything rejects or throws unheard while it runs. */
export function failOnUnhandled(): void {
  const problems: unknown[] = [];
  const onProblem = (reason: unknown): void => {
    tally.unhandled += 1;
    problems.push(reason);
  };
  before(() => {
    process.on('unhandledRejection', onProblem);
    process.on('uncaughtException', onProblem);
  });
  after(async () => {
    // A rejection nobody handled is reported on a later tick; give it one before looking.
    await new Promise((resolve) => setImmediate(resolve));
    process.off('unhandledRejection', onProblem);
    process.off('uncaughtException', onProblem);
    assert.deepEqual(problems, [], 'no unhandled rejection or uncaught exception during the suite');
  });
}

export function useFaultHarness(options: Partial<EmulatorOptions> = { tokenDelayMs: 1, wakeDelayMs: 0 }): FaultHarness {
  let emulator: Emulator | undefined;
  const clients: BasetenClient[] = [];

  before(async () => {
    emulator = await startTestEmulator(options);
  });
  beforeEach(() => emulator?.reset());
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.destroy();
    if (emulator) countTraffic(emulator);
  });
  after(async () => {
    await emulator?.close();
  });
  // After the emulator's hooks, so its closing is watched too.
  failOnUnhandled();

  return {
    get emulator(): Emulator {
      assert.ok(emulator, 'the emulator is started in before()');
      return emulator;
    },
    client(clientOptions: Partial<BasetenClientOptions> = {}): BasetenClient {
      assert.ok(emulator, 'the emulator is started in before()');
      const client = emulatorClient(emulator, clientOptions);
      clients.push(client);
      return client;
    },
  };
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the emulator holds no open socket; counts the leftovers as leaked and fails otherwise. */
export async function expectNoOpenSockets(emulator: Emulator, what: string, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (emulator.stats.openConnections > 0) {
    if (Date.now() > deadline) {
      tally.socketsLeaked += emulator.stats.openConnections;
      assert.fail(`${what}: ${emulator.stats.openConnections} socket(s) still open at the emulator`);
    }
    await pause(2);
  }
}

/** Waits until every request the emulator recorded has closed (its duration is known). */
export async function expectRequestsSettled(emulator: Emulator, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (emulator.stats.requests.some((request) => request.durationMs === undefined)) {
    if (Date.now() > deadline) assert.fail('a request is still open at the emulator');
    await pause(2);
  }
}

/** Adds what the caller should have kept but did not to the tally, and fails when anything is missing. */
export function expectKept(expected: Buffer | string, received: Buffer | string, what: string): void {
  const want = Buffer.from(expected);
  const got = Buffer.from(received);
  let common = 0;
  while (common < want.length && common < got.length && want[common] === got[common]) common++;
  tally.bytesLost += want.length - common;
  assert.equal(got.length, want.length, `${what}: kept ${got.length} of ${want.length} bytes`);
  assert.ok(got.equals(want), `${what}: the bytes kept differ from those sent from byte ${common}`);
}

/** Rejects when `promise` has not settled in `ms`, so a hang fails the test instead of stalling the run. */
export async function settlesWithin<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, hung]);
  } finally {
    clearTimeout(timer);
  }
}

/** The BasetenError `call` fails with; fails the test when it succeeds or throws anything else. */
export async function failureOf(call: () => Promise<unknown>, what = 'the call'): Promise<BasetenError> {
  try {
    await call();
  } catch (error) {
    assert.ok(error instanceof BasetenError, `${what}: expected a BasetenError, got ${String(error)}`);
    return error;
  }
  assert.fail(`${what}: expected a failure, and it succeeded`);
}

/**
 * Runs `body` up to `count` times, stopping early when `timeBoxMs` is spent; returns the runs made and
 * fails when fewer than `minRuns` fitted (a run that slow is a finding too).
 */
export async function repeat(count: number, timeBoxMs: number, minRuns: number, body: (run: number) => Promise<void>): Promise<number> {
  const deadline = Date.now() + timeBoxMs;
  let runs = 0;
  while (runs < count && Date.now() < deadline) {
    await body(runs);
    runs += 1;
  }
  assert.ok(runs >= minRuns, `only ${runs} of ${count} runs fitted in ${timeBoxMs} ms`);
  return runs;
}

/** Active resources keeping the loop alive, by type (`Timeout`, `TCPSocketWrap`, …). */
export function activeResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
}

/** Waits until no resource type has more instances than in `before`; fails naming those that stayed. */
export async function expectNoResourcesBeyond(before: Map<string, number>, what: string, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = activeResources();
    const extra = [...now].filter(([type, n]) => n > (before.get(type) ?? 0)).map(([type, n]) => `${type} ${before.get(type) ?? 0} → ${n}`);
    if (extra.length === 0) return;
    if (Date.now() > deadline) assert.fail(`${what}: resources left running: ${extra.join(', ')}`);
    await pause(5);
  }
}
