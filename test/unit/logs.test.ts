import * as assert from 'node:assert/strict';
import { SEED } from '../../emulator/state/seed';
import { BasetenClient, BasetenError, LOG_WINDOW_MS, jsonInput, logQueryParams, parseLogLevel, toLogEntry } from '../../src/client';
import type { LogEntry, LogSource } from '../../src/client';
import { LogBuffer } from '../../src/features/logs/logic/logBuffer';
import { filterQuery, parseLogViewFilter, rangeStart } from '../../src/features/logs/logic/logFilter';
import { firstLine, logLinesText } from '../../src/features/logs/logic/logFormat';
import { logSourceOf } from '../../src/features/logs/logic/logSource';
import { parsePageMessage } from '../../src/features/logs/logic/pageMessages';
import { Emulator, caught, useEmulatorClient } from './helpers/client';

const echo = SEED.models.echo;
const failing = SEED.models.failing;
const pipeline = SEED.chains.pipeline;

function entry(ms: number, message: string, extra: Partial<LogEntry> = {}): LogEntry {
  return { timeMs: ms, timestamp: `${BigInt(ms) * 1_000_000n}`, level: 'INFO', replica: 'abcde', requestId: null, message, ...extra };
}

describe('Logs: the query Baseten takes', () => {
  it('builds the spec’s query parameters, repeating includes and excludes', () => {
    const params = logQueryParams({ startMs: 1000, endMs: 2000, direction: 'desc', limit: 10, minLevel: 'WARNING', requestId: 'abc', includes: ['a b', ''], excludes: ['x'] });
    assert.equal(params.toString(), 'start_epoch_millis=1000&end_epoch_millis=2000&direction=desc&limit=10&min_level=WARNING&request_id=abc&includes=a+b&excludes=x');
    assert.equal(logQueryParams({}).toString(), '');
  });

  it('refuses what Baseten would refuse before sending: windows over 7 days, limits outside 1–1000, more than 8 substrings', () => {
    const refused = (query: Parameters<typeof logQueryParams>[0]): string => {
      try {
        logQueryParams(query);
      } catch (error) {
        assert.ok(error instanceof BasetenError && error.kind === 'validation');
        return error.message;
      }
      return 'accepted';
    };
    assert.match(refused({ startMs: 0, endMs: LOG_WINDOW_MS + 1 }), /at most 7 days/);
    assert.match(refused({ startMs: 5, endMs: 4 }), /starts after it ends/);
    assert.match(refused({ limit: 0 }), /from 1 to 1000/);
    assert.match(refused({ limit: 1001 }), /from 1 to 1000/);
    assert.match(refused({ includes: Array.from({ length: 9 }, (_, i) => `t${i}`) }), /At most 8 includes/);
    assert.match(refused({ requestId: 'x'.repeat(257) }), /at most 256/);
    assert.equal(refused({ startMs: 0, endMs: LOG_WINDOW_MS }), 'accepted');
  });

  it('reads levels in any case, WARN as WARNING, CRITICAL as ERROR, and anything else as no level', () => {
    assert.equal(parseLogLevel('error'), 'ERROR');
    assert.equal(parseLogLevel(' Warn '), 'WARNING');
    assert.equal(parseLogLevel('CRITICAL'), 'ERROR');
    assert.equal(parseLogLevel('debug'), 'DEBUG');
    assert.equal(parseLogLevel('TRACE'), null);
    assert.equal(parseLogLevel(null), null);
  });

  it('reads a LogV1 with a nanosecond timestamp, and leaves out what is not one', () => {
    const line = toLogEntry({ timestamp: '1765000000123456789', message: 'hi', replica: 'x7k2p', request_id: 'r1', level: 'INFO' });
    assert.deepEqual(line, { timeMs: 1765000000123, timestamp: '1765000000123456789', level: 'INFO', replica: 'x7k2p', requestId: 'r1', message: 'hi' });
    assert.equal(toLogEntry({ timestamp: 'soon', message: 'x', replica: null }), undefined);
    assert.equal(toLogEntry({ timestamp: '1', replica: null }), undefined);
    assert.equal(toLogEntry({ timestamp: '1000000', message: 'no level', replica: null })?.level, null);
  });
});

describe('Logs: the tab’s filter and buffer', () => {
  it('turns the filter into Baseten’s query: text as a substring, the request id trimmed, no empty fields', () => {
    assert.deepEqual(filterQuery({ range: { kind: 'last', minutes: 60 }, minLevel: 'ERROR', text: ' boom ', requestId: ' r1 ' }), { minLevel: 'ERROR', includes: ['boom'], requestId: 'r1' });
    assert.deepEqual(filterQuery({ range: { kind: 'last', minutes: 60 }, text: '  ' }), {});
  });

  it('starts a range at most 7 days back', () => {
    const now = 10 * LOG_WINDOW_MS;
    assert.equal(rangeStart({ kind: 'last', minutes: 15 }, now), now - 15 * 60_000);
    assert.equal(rangeStart({ kind: 'since', atMs: 0 }, now), now - LOG_WINDOW_MS + 1);
  });

  it('checks what the page sends', () => {
    assert.deepEqual(parsePageMessage({ type: 'filter', filter: { range: { kind: 'last', minutes: 60 }, minLevel: 'ERROR', text: 'x', requestId: '' } }), {
      type: 'filter',
      filter: { range: { kind: 'last', minutes: 60 }, minLevel: 'ERROR', text: 'x' },
    });
    assert.equal(parsePageMessage({ type: 'filter', filter: { range: { kind: 'last', minutes: -1 } } }), undefined);
    assert.equal(parseLogViewFilter({ range: { kind: 'last', minutes: 60 }, minLevel: 'LOUD' })?.minLevel, undefined);
    assert.equal(parsePageMessage({ type: 'follow', on: 'yes' }), undefined);
    assert.deepEqual(parsePageMessage({ type: 'loadEarlier' }), { type: 'loadEarlier' });
  });

  it('keeps each line once, earlier pages in front and new lines at the end', () => {
    const buffer = new LogBuffer();
    assert.equal(buffer.merge([entry(20, 'c'), entry(10, 'b')]).place, 'end');
    const earlier = buffer.merge([entry(10, 'b'), entry(5, 'a')]);
    assert.deepEqual([earlier.place, earlier.lines.map((line) => line.message)], ['start', ['a']]);
    const later = buffer.merge([entry(20, 'c'), entry(30, 'd')]);
    assert.deepEqual([later.place, later.lines.map((line) => line.message)], ['end', ['d']]);
    const between = buffer.merge([entry(15, 'b2')]);
    assert.equal(between.place, 'all');
    assert.deepEqual(buffer.lines.map((line) => line.message), ['a', 'b', 'b2', 'c', 'd']);
  });

  it('drops the oldest lines past its cap', () => {
    const buffer = new LogBuffer(3);
    const merged = buffer.merge([1, 2, 3, 4, 5].map((ms) => entry(ms, `m${ms}`)));
    assert.equal(merged.dropped, 2);
    assert.deepEqual(buffer.lines.map((line) => line.message), ['m3', 'm4', 'm5']);
    assert.equal(buffer.merge([entry(1, 'm1')]).place, 'start', 'a dropped line can come back');
  });

  it('shows a traceback’s first line with how many follow, and cuts text for a model from the oldest line', () => {
    assert.deepEqual(firstLine('boom\n  at x\n  at y'), { text: 'boom', more: 2 });
    const text = logLinesText([entry(0, 'old '.repeat(20)), entry(1000, 'new', { requestId: 'r1', level: 'ERROR' })], 80);
    assert.match(text, /^\(1 earlier lines left out\)\n1970-01-01T00:00:01\.000Z ERROR abcde request r1: new$/);
  });

  it('reads an environment’s logs from its environment route, a deployment’s by ID, a chainlet’s under its chain deployment', () => {
    const owner = { kind: 'model' as const, id: 'm1', name: 'echo' };
    assert.deepEqual(logSourceOf({ ref: { owner, target: { kind: 'production' } } }), { kind: 'environment', modelId: 'm1', environment: 'production' });
    assert.deepEqual(logSourceOf({ ref: { owner, target: { kind: 'development' } }, deploymentId: 'd9' }), { kind: 'deployment', modelId: 'm1', deploymentId: 'd9' });
    assert.deepEqual(logSourceOf({ ref: { owner, target: { kind: 'deployment', id: 'd2' } } }), { kind: 'deployment', modelId: 'm1', deploymentId: 'd2' });
    const chain = { kind: 'chain' as const, id: 'c1', name: 'pipeline' };
    assert.equal(logSourceOf({ ref: { owner: chain, target: { kind: 'production' } }, deploymentId: 'cd1' }), undefined, 'a chain needs a chainlet');
    assert.deepEqual(logSourceOf({ ref: { owner: chain, target: { kind: 'production' } }, deploymentId: 'cd1', chainlet: { id: 'cl1', name: 'Entrypoint' } }), {
      kind: 'chainlet',
      chainId: 'c1',
      deploymentId: 'cd1',
      chainletId: 'cl1',
    });
  });
});

describe('LogsClient against the emulator', function () {
  this.timeout(15_000);
  let emulator: Emulator;
  let client: BasetenClient;
  useEmulatorClient({ emulator: { wakeDelayMs: 50 } }, (current) => ({ emulator, client } = current));

  const echoProduction: LogSource = { kind: 'environment', modelId: echo.id, environment: 'production' };

  it('a failing predict writes an ERROR line with its request id and the traceback, found by request id', async () => {
    const error = await caught(() => client.inference.predict({ kind: 'model', id: failing.id }, { kind: 'production' }, jsonInput({ n: 1 })));
    assert.ok(error instanceof BasetenError && error.requestId, 'the error carries the request id');
    const lines = await client.logs.query({ kind: 'deployment', modelId: failing.id, deploymentId: failing.productionDeploymentId }, { requestId: error.requestId });
    assert.ok(lines.length >= 2, JSON.stringify(lines));
    assert.ok(lines.every((line) => line.requestId === error.requestId));
    const failure = lines.find((line) => line.level === 'ERROR' && line.message.includes('Traceback (most recent call last)'));
    assert.ok(failure, 'the traceback line');
    assert.match(failure.message, /RuntimeError: this model always fails$/);
    assert.match(String(failure.replica), /^[a-z0-9]{5}$/);
    const errorsOnly = await client.logs.query({ kind: 'environment', modelId: failing.id, environment: 'production' }, { minLevel: 'ERROR', requestId: error.requestId });
    assert.ok(errorsOnly.length >= 1 && errorsOnly.every((line) => line.level === 'ERROR'));
  });

  it('a predict writes its request’s lines (received, completed) with the answer’s request id, in order', async () => {
    const response = await client.inference.predict({ kind: 'model', id: echo.id }, { kind: 'production' }, jsonInput({ hello: 'logs' }));
    const requestId = response.requestId;
    assert.ok(requestId);
    const lines = await client.logs.query(echoProduction, { requestId });
    assert.deepEqual(lines.map((line) => line.message.replace(/\d+ (ms|bytes)/g, 'N $1')), ['Received predict request', 'Request body: N bytes', 'Completed predict in N ms (HTTP 200)']);
    assert.deepEqual(lines.map((line) => line.level), ['INFO', 'DEBUG', 'INFO']);
    assert.equal(new Set(lines.map((line) => line.replica)).size, 1, 'one replica served it');
    const text = await client.logs.query(echoProduction, { includes: ['Completed predict'], requestId });
    assert.equal(text.length, 1);
  });

  it('pages back from the newest lines until the window holds no more, each line once', async () => {
    for (let i = 0; i < 6; i++) await client.inference.predict({ kind: 'model', id: echo.id }, { kind: 'production' }, jsonInput({ i }));
    // Twelve lines in one millisecond: more than a page of 5.
    await Promise.all(Array.from({ length: 4 }, (_, i) => client.inference.predict({ kind: 'model', id: echo.id }, { kind: 'production' }, jsonInput({ burst: i }))));
    const startMs = Date.now() - 3600_000;
    const before = await client.logs.query(echoProduction, { startMs, endMs: Date.now(), limit: 1000 });
    const seen = new Map<string, LogEntry>();
    const key = (line: LogEntry): string => `${line.timestamp}/${line.message}`;
    let page = await client.logs.page(echoProduction, {}, { startMs, limit: 5 });
    let pages = 1;
    for (const line of page.entries) seen.set(key(line), line);
    while (!page.complete && pages < 100) {
      const oldest = Math.min(...[...seen.values()].map((line) => line.timeMs));
      page = await client.logs.page(echoProduction, {}, { startMs, beforeMs: oldest, limit: 5 });
      // A full page inside one millisecond: read it whole and page on before it, as the tab does.
      if (page.entries.every((line) => seen.has(key(line))) && !page.complete) {
        for (const line of await client.logs.millisecond(echoProduction, {}, oldest)) seen.set(key(line), line);
        page = await client.logs.page(echoProduction, {}, { startMs, beforeMs: oldest - 1, limit: 5 });
      }
      for (const line of page.entries) seen.set(key(line), line);
      pages++;
    }
    assert.ok(pages > 3, `paged ${pages} times`);
    const after = await client.logs.query(echoProduction, { startMs, endMs: Date.now(), limit: 1000 });
    assert.ok(before.every((line) => seen.has(key(line))), 'every line there before paging was paged');
    const afterKeys = new Set(after.map(key));
    assert.ok([...seen.keys()].every((line) => afterKeys.has(line)), 'each line once, none made up');
  });

  it('follows: the lines since the newest one include a new predict’s', async () => {
    const before = await client.logs.query(echoProduction, {});
    const newest = before[before.length - 1];
    const response = await client.inference.predict({ kind: 'model', id: echo.id }, { kind: 'production' }, jsonInput({ follow: true }));
    const since = await client.logs.since(echoProduction, {}, newest.timeMs);
    assert.ok(since.some((line) => line.requestId === response.requestId && line.message.startsWith('Completed predict')));
  });

  it('an async request that fails writes ERROR lines with its request id and the retry as a WARNING', async () => {
    const submitted = await client.inference.asyncPredict({ kind: 'model', id: echo.id }, { kind: 'production' }, { model_input: { fail: true }, inference_retry_config: { max_attempts: 2, initial_delay_ms: 100, max_delay_ms: 100 } });
    let lines: LogEntry[] = [];
    for (let i = 0; i < 100; i++) {
      lines = await client.logs.query(echoProduction, { requestId: submitted.requestId });
      if (lines.filter((line) => line.level === 'ERROR').length >= 2) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(lines.filter((line) => line.level === 'ERROR').length >= 1, JSON.stringify(lines));
    assert.ok(lines.some((line) => line.level === 'WARNING' && /Retrying the async request/.test(line.message)));
    assert.ok(lines.some((line) => /Traceback/.test(line.message)));
  });

  it('chainlet logs, and Baseten’s refusals as validation errors before sending or HTTP 400s after', async () => {
    const chainlet = await client.logs.query({ kind: 'chainlet', chainId: pipeline.id, deploymentId: pipeline.productionDeploymentId, chainletId: pipeline.chainlets.entrypoint }, {});
    assert.ok(chainlet.length > 0);
    const local = await caught(() => client.logs.query(echoProduction, { limit: 5000 }));
    assert.ok(local instanceof BasetenError && local.kind === 'validation');
    assert.equal(emulator.stats.count({ path: /\/logs$/, method: 'GET' }) > 0, true);
    const missing = await caught(() => client.logs.query({ kind: 'deployment', modelId: echo.id, deploymentId: 'nope' }, {}));
    assert.ok(missing instanceof BasetenError && missing.status === 404);
  });
});
