/**
 * WebSocket upgrades follow the same proxy rules as HTTP requests (explicit proxy, HTTP(S)_PROXY, NO_PROXY)
 * through a CONNECT tunnel, and connecting has the short connect timeout, not the upgrade's long one.
 */
import * as assert from 'node:assert/strict';
import { AddressInfo, Server, Socket, createServer } from 'node:net';
import { SEED } from '../../emulator/state/seed';
import { BasetenClient, BasetenClientOptions, BasetenError, Owner, WebSocketSession, environment } from '../../src/client';
import { Emulator, caught, emulatorClient, startTestEmulator } from './helpers/client';
import { ForwardProxy, startForwardProxy } from './helpers/forwardProxy';

const echo: Pick<Owner, 'kind' | 'id'> = { kind: 'model', id: SEED.models.echo.id };
const PROXY_VARS = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy'];

describe('WebSocket sessions through proxies, and the connect timeout', function () {
  this.timeout(15_000);
  let emulator: Emulator;
  let proxy: ForwardProxy;
  let saved: Record<string, string | undefined>;
  const clients: BasetenClient[] = [];
  const sessions: WebSocketSession[] = [];

  const client = (options: Partial<BasetenClientOptions> = {}): BasetenClient => {
    const made = emulatorClient(emulator, options);
    clients.push(made);
    return made;
  };

  /** Opens a session, checks it echoes, and closes it. */
  async function echoes(through: BasetenClient): Promise<void> {
    const session = await through.openWebSocket(echo, environment('production'));
    sessions.push(session);
    const reply = new Promise<unknown>((resolve) => session.onEvent((event) => event.type === 'message' && resolve(event.data)));
    await session.sendText('through the tunnel?');
    assert.equal(await reply, 'through the tunnel?');
    await session.close();
  }

  before(async () => {
    emulator = await startTestEmulator();
    proxy = await startForwardProxy();
  });
  after(async () => {
    await proxy?.close();
    await emulator?.close();
  });
  beforeEach(() => {
    saved = Object.fromEntries(PROXY_VARS.map((name) => [name, process.env[name]]));
    for (const name of PROXY_VARS) delete process.env[name];
    proxy.reset();
    emulator.reset();
  });
  afterEach(async () => {
    for (const name of PROXY_VARS) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    await Promise.all(sessions.splice(0).map((session) => session.close().catch(() => undefined)));
    await Promise.all(clients.splice(0).map((made) => made.destroy()));
  });

  const emulatorAuthority = (): string => new URL(emulator.endpoints.modelHostTemplate.replace('{id}', 'x')).host;

  it('the explicit proxy option carries the upgrade through one CONNECT tunnel', async () => {
    await echoes(client({ proxy: proxy.origin }));
    assert.equal(proxy.tunnels, 1);
    assert.deepEqual(proxy.seen, [`CONNECT ${emulatorAuthority()}`]);
  });

  it('HTTP_PROXY from the environment carries ws:// upgrades', async () => {
    process.env.HTTP_PROXY = proxy.origin;
    await echoes(client());
    assert.equal(proxy.tunnels, 1);
  });

  it('NO_PROXY bypasses the environment proxy and the explicit one', async () => {
    process.env.HTTP_PROXY = proxy.origin;
    process.env.NO_PROXY = 'example.com, 127.0.0.1';
    await echoes(client());
    await echoes(client({ proxy: proxy.origin }));
    assert.deepEqual(proxy.seen, []);
  });

  it('the noProxy option bypasses the explicit proxy', async () => {
    await echoes(client({ proxy: proxy.origin, noProxy: '127.0.0.1' }));
    assert.deepEqual(proxy.seen, []);
  });

  it('a proxy that refuses the tunnel is a network error that says so, not a cancellation', async () => {
    proxy.refuseConnect = true;
    const error = await caught<BasetenError>(() => client({ proxy: proxy.origin }).openWebSocket(echo, environment('production')));
    assert.ok(error instanceof BasetenError);
    assert.equal(error.kind, 'network');
    assert.equal(error.code, 'proxy_refused');
    assert.match(error.message, /proxy/i);
    assert.ok(!error.message.includes(emulator.apiKey));
  });

  it('a proxy that never answers CONNECT fails after the connect timeout, not the upgrade timeout', async () => {
    proxy.silentConnect = true;
    const started = Date.now();
    const error = await caught<BasetenError>(() => client({ proxy: proxy.origin, timeouts: { connectMs: 300 } }).openWebSocket(echo, environment('production')));
    assert.equal(error.kind, 'timeout', error.message);
    assert.equal(error.code, 'connect_timeout');
    assert.ok(Date.now() - started < 5_000, `failed after ${Date.now() - started} ms`);
  });

  describe('a wss:// host that accepts TCP but never completes TLS', () => {
    let silent: Server;
    const held = new Set<Socket>();
    before(async () => {
      silent = createServer((socket) => {
        held.add(socket);
        socket.on('error', () => undefined);
      });
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    });
    after(async () => {
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    });

    it('fails after the connect timeout though the upgrade may take 1230 s', async () => {
      const port = (silent.address() as AddressInfo).port;
      const unreachable = client({ timeouts: { connectMs: 300 }, endpoints: { ...emulator.endpoints, modelHostTemplate: `https://127.0.0.1:${port}/{id}` } });
      assert.equal(unreachable.http.timeouts.firstByteMs, 1_230_000);
      const started = Date.now();
      const error = await caught<BasetenError>(() => unreachable.openWebSocket(echo, environment('production')));
      assert.equal(error.kind, 'timeout', error.message);
      assert.equal(error.code, 'connect_timeout');
      assert.equal(error.retryable, true);
      assert.ok(Date.now() - started < 5_000, `failed after ${Date.now() - started} ms`);
    });
  });
});
