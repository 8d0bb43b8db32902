import * as assert from 'node:assert/strict';
import { SEED } from '../../emulator/state/seed';
import {
  BasetenClient,
  BasetenError,
  Owner,
  PRODUCTION,
  WebSocketEvent,
  WebSocketSession,
  deployment,
  environment,
  explainCloseCode,
  regional,
} from '../../src/client';
import { Emulator, caught, emulatorClient, eventually, useEmulatorClient } from './helpers/client';

const echo: Pick<Owner, 'kind' | 'id'> = { kind: 'model', id: SEED.models.echo.id };
const MiB = 1024 * 1024;

/** The next event of a kind, read through a listener so the test never blocks the iterator. */
function next<T extends WebSocketEvent['type']>(session: WebSocketSession, type: T, timeoutMs = 5_000): Promise<Extract<WebSocketEvent, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`no ${type} event within ${timeoutMs} ms`));
    }, timeoutMs);
    const stop = session.onEvent((event) => {
      if (event.type !== type) return;
      clearTimeout(timer);
      stop();
      resolve(event as Extract<WebSocketEvent, { type: T }>);
    });
  });
}

describe('WebSocketSession', function () {
  this.timeout(15_000);
  let emulator: Emulator;
  let client: BasetenClient;
  const sessions: WebSocketSession[] = [];

  const open = async (...args: Parameters<BasetenClient['openWebSocket']>): Promise<WebSocketSession> => {
    const session = await client.openWebSocket(...args);
    sessions.push(session);
    return session;
  };

  // Registered before the client's hooks: sessions close before their client is destroyed.
  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((session) => session.close().catch(() => undefined)));
  });
  useEmulatorClient({}, (current) => ({ emulator, client } = current));

  it('puts the key in the Authorization header of the upgrade, never in the URL', async () => {
    const session = await open(echo, environment('production'));
    const upgrade = emulator.stats.requests.find((request) => /\/websocket$/.test(request.path));
    assert.ok(upgrade, 'the emulator saw the upgrade');
    assert.match(String(upgrade.headers.authorization), /^Bearer /);
    assert.ok(!upgrade.path.includes(emulator.apiKey));
    assert.ok(!session.url.includes(emulator.apiKey));
  });

  it('a bad key is refused with an http error 401 from the upgrade', async () => {
    const bad = emulatorClient(emulator, { apiKey: 'badkey12.badkey' });
    try {
      const error = await caught<BasetenError>(() => bad.openWebSocket(echo, environment('production')));
      assert.ok(error instanceof BasetenError);
      assert.equal(error.kind, 'http');
      assert.equal(error.status, 401);
      assert.equal(error.area, 'websocket');
      assert.ok(!error.message.includes('badkey12.badkey'));
    } finally {
      await bad.destroy();
    }
  });

  it('an unknown model is refused with 404', async () => {
    const error = await caught<BasetenError>(() => client.openWebSocket({ kind: 'model', id: 'nosuch99' }, environment('production')));
    assert.equal(error.status, 404);
    assert.equal(error.area, 'websocket');
  });

  it('a 504 from the upgrade (no replica in time) carries the message from the body', async () => {
    emulator.faults.add({ match: { path: /\/websocket$/ }, times: 1, fault: { kind: 'status', status: 504, body: '{"error":"no replica became ready"}' } });
    const error = await caught<BasetenError>(() => client.openWebSocket(echo, environment('production')));
    assert.equal(error.status, 504);
    assert.match(error.message, /no replica became ready/);
  });

  it('the development target is refused locally: Baseten serves WebSockets on environments and deployments', async () => {
    const error = await caught<BasetenError>(() => client.openWebSocket(echo, { kind: 'development' }));
    assert.equal(error.kind, 'validation');
  });

  for (const [name, target] of [
    ['environment', () => environment('production')],
    ['deployment', () => deployment(SEED.models.echo.productionDeploymentId)],
    ['regional', () => regional('production')],
  ] as const) {
    it(`echoes a text frame as text on the ${name} target`, async () => {
      const session = await open(echo, target());
      const reply = next(session, 'message');
      await session.sendText('hello socket');
      const message = await reply;
      assert.equal(message.binary, false);
      assert.equal(message.data, 'hello socket');
      assert.equal(message.size, Buffer.byteLength('hello socket'));
    });
  }

  it("reaches a chain's entrypoint over the chain host", async () => {
    const pipeline: Pick<Owner, 'kind' | 'id'> = { kind: 'chain', id: SEED.chains.pipeline.id };
    const session = await open(pipeline, environment('production'));
    const reply = next(session, 'message');
    await session.sendText('to the chain');
    assert.equal((await reply).data, 'to the chain');
    assert.equal(emulator.stats.count({ path: new RegExp(`/chain-${pipeline.id}/environments/production/websocket$`) }), 1);
  });

  it('echoes a binary frame as a Buffer, byte for byte', async () => {
    const session = await open(echo, PRODUCTION);
    const data = Buffer.from([0, 255, 1, 254, 2, 253]);
    const reply = next(session, 'message');
    await session.sendBinary(data);
    const message = await reply;
    assert.equal(message.binary, true);
    assert.ok(Buffer.isBuffer(message.data));
    assert.deepEqual(message.data, data);
  });

  it('sendJson sends JSON text and refuses a value with no JSON form', async () => {
    const session = await open(echo, PRODUCTION);
    const reply = next(session, 'message');
    await session.sendJson({ a: [1, 'b'] });
    assert.deepEqual(JSON.parse(String((await reply).data)), { a: [1, 'b'] });
    await assert.rejects(session.sendJson(undefined), (error: BasetenError) => error.kind === 'validation');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await assert.rejects(session.sendJson(cyclic), (error: BasetenError) => error.kind === 'validation');
  });

  it('events can be read as an async iterable, ending after the close event', async () => {
    const session = await open(echo, PRODUCTION);
    await session.sendText('one');
    await session.sendText('two');
    const seen: string[] = [];
    for await (const event of session) {
      if (event.type === 'message') {
        seen.push(String(event.data));
        if (seen.length === 2) void session.close(1000, 'done');
      }
      if (event.type === 'close') {
        seen.push(`close ${event.code}`);
      }
    }
    assert.deepEqual(seen, ['one', 'two', 'close 1000']);
    assert.equal(session.state, 'closed');
  });

  it('ping() measures a round trip', async () => {
    const session = await open(echo, PRODUCTION);
    const ms = await session.ping();
    assert.ok(ms >= 0 && ms < 1_000, `rtt ${ms}`);
  });

  it('surfaces the close code the server sent, with its explanation', async () => {
    emulator.faults.add({ match: { path: /\/websocket$/ }, times: 1, fault: { kind: 'ws-close', code: 1011, reason: 'model exploded', afterMessages: 1 } });
    const session = await open(echo, PRODUCTION);
    const closed = session.closed;
    await session.sendText('trigger');
    const event = await closed;
    assert.equal(event.code, 1011);
    assert.equal(event.reason, 'model exploded');
    assert.match(event.explanation, /model or server hit an error/);
    assert.equal(session.state, 'closed');
  });

  it('a connection dropped without a close frame is reported as 1006', async () => {
    emulator.faults.add({ match: { path: /\/websocket$/ }, times: 1, fault: { kind: 'ws-terminate', afterMessages: 1 } });
    const session = await open(echo, PRODUCTION);
    await session.sendText('trigger');
    const event = await session.closed;
    assert.equal(event.code, 1006);
    assert.match(event.explanation, /without a close frame/);
  });

  it('refuses locally to send a message over the 100 MiB limit, sending nothing', async () => {
    const session = await open(echo, PRODUCTION);
    const big = Buffer.alloc(100 * MiB + 1);
    const error = await caught<BasetenError>(() => session.sendBinary(big));
    assert.equal(error.kind, 'validation');
    assert.equal(error.code, 'message_too_large');
    assert.match(error.message, /100 MiB/);
    assert.equal(session.state, 'open', 'the session stays usable');
    const reply = next(session, 'message');
    await session.sendText('still here');
    assert.equal((await reply).data, 'still here');
  });

  it("the emulator closes with 1009 when a message exceeds Baseten's 100 MiB limit", async function () {
    this.timeout(30_000);
    const session = await open(echo, PRODUCTION, { maxSendBytes: 101 * MiB });
    const closed = session.closed;
    await session.sendBinary(Buffer.alloc(100 * MiB + 1)).catch(() => undefined);
    const event = await closed;
    assert.equal(event.code, 1009);
    assert.match(event.explanation, /larger than allowed/);
  });

  it('a received message over maxPayloadBytes is a too_large error and closes the session with 1009', async () => {
    const session = await open(echo, PRODUCTION, { maxPayloadBytes: 1024 });
    const error = next(session, 'error');
    await session.sendText('x'.repeat(4096));
    const failure = (await error).error;
    assert.equal(failure.kind, 'too_large');
    assert.match(failure.message, /1 KiB/);
    const event = await session.closed;
    assert.ok([1009, 1006].includes(event.code), `close code ${event.code}`);
  });

  it('aborting the signal closes an open session', async () => {
    const controller = new AbortController();
    const session = await open(echo, PRODUCTION, { signal: controller.signal });
    controller.abort();
    const event = await session.closed;
    assert.equal(event.code, 1000);
    await eventually(() => emulator.stats.openConnections === 0, 3_000, 'the socket to close');
  });

  it('aborting during the upgrade rejects with kind aborted', async () => {
    emulator.faults.add({ match: { path: /\/websocket$/ }, times: 1, fault: { kind: 'delay', ms: 2_000 } });
    const controller = new AbortController();
    const pending = client.openWebSocket(echo, PRODUCTION, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = await caught<BasetenError>(() => pending);
    assert.equal(error.kind, 'aborted');
  });

  it('close() leaves no timers or sockets behind', async () => {
    const activeTimers = (): number =>
      (process as unknown as { getActiveResourcesInfo(): string[] }).getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
    // Mocha arms this test's own timeout just after the test function starts; count from after that.
    await new Promise((resolve) => setImmediate(resolve));
    const before = activeTimers();
    const session = await open(echo, PRODUCTION, { pingIntervalMs: 50, closeTimeoutMs: 5_000 });
    await session.ping();
    assert.ok(activeTimers() > before, 'the keep-alive interval is running while open');
    const event = await session.close();
    assert.equal(event.code, 1000);
    // The emulator runs in this process: let its side of the socket close before counting.
    await eventually(() => emulator.stats.openConnections === 0, 3_000, 'the socket to close');
    assert.equal(activeTimers(), before, 'keep-alive, ping and close timers are all cleared');
  });

  it('explainCloseCode covers the codes Baseten reports', () => {
    assert.match(explainCloseCode(1000), /normally/);
    assert.match(explainCloseCode(1006), /without a close frame/);
    assert.match(explainCloseCode(1009), /100 MiB/);
    assert.match(explainCloseCode(1011), /model/);
    assert.match(explainCloseCode(1012), /restarting/);
    assert.match(explainCloseCode(1013), /overloaded/);
    assert.match(explainCloseCode(4001), /model/);
    for (let code = 1000; code <= 1015; code++) {
      if (code === 1004) continue;
      assert.ok(!explainCloseCode(code).startsWith('Closed with code'), `code ${code} explained`);
    }
  });
});
