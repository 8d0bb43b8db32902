/**
 * The HTTP layer over real sockets on 127.0.0.1: retries (which statuses, how many attempts, backoff
 * with jitter, Retry-After), streams that are never sent twice, the three timeouts, cancellation that
 * closes the socket, the auth header, and proxies. Nothing here leaves the loopback interface.
 */
import * as assert from 'node:assert/strict';
import { AddressInfo, Server as NetServer, Socket, createServer as createNetServer } from 'node:net';
import { errors as undiciErrors } from 'undici';
import { BasetenClient, BasetenError, ChatResult, RequestLogEntry } from '../../src/client';
import { HttpClient, HttpClientOptions, HttpRequest, callOutcome } from '../../src/client/http';
import { transportError } from '../../src/client/transportErrors';
import { Emulator, useEmulatorClient } from './helpers/client';
import { ForwardProxy, startForwardProxy } from './helpers/forwardProxy';
import { TestServer, delay, startTestServer } from './helpers/replayServer';

const KEY = 'abcd1234.httpLayerTestKey0000000000';
const FAST = { maxAttempts: 3, initialDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 2_000 };

async function eventually(check: () => boolean, what: string, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(5);
  }
}

async function failure(call: () => Promise<unknown>): Promise<BasetenError> {
  try {
    await call();
  } catch (error) {
    assert.ok(error instanceof BasetenError, `expected a BasetenError, got ${String(error)}`);
    return error;
  }
  throw new Error('expected the call to fail');
}

const sseChunk = (content: string, extra: Record<string, unknown> = {}): string =>
  `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', model: 'm', choices: [{ index: 0, delta: { content }, ...extra }] })}\n\n`;

describe('HttpClient over 127.0.0.1', function () {
  this.timeout(15_000);
  let server: TestServer;
  let logs: RequestLogEntry[];
  const clients: Array<HttpClient | BasetenClient> = [];

  function http(options: Partial<HttpClientOptions> = {}): HttpClient {
    const client = new HttpClient({ apiKey: KEY, retry: FAST, random: () => 0.5, onLog: (entry) => logs.push(entry), ...options });
    clients.push(client);
    return client;
  }

  function chatClient(options: Partial<HttpClientOptions> = {}): BasetenClient {
    const client = new BasetenClient({
      apiKey: KEY,
      retry: FAST,
      random: () => 0.5,
      onLog: (entry) => logs.push(entry),
      endpoints: { modelApisBaseUrl: `${server.origin}/v1` },
      ...options,
    });
    clients.push(client);
    return client;
  }

  const get = (path = '/v1/models', extra: Partial<HttpRequest> = {}): HttpRequest => ({ method: 'GET', url: `${server.origin}${path}`, area: 'model_apis', ...extra });
  const CHAT = { model: 'deepseek-ai/DeepSeek-V4-Pro', messages: [{ role: 'user' as const, content: 'hi' }] };

  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.close();
  });
  beforeEach(() => {
    server.reset();
    logs = [];
    server.handler = (_request, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"data":[]}');
    };
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.destroy()));
  });

  /** Answers the first `failures` requests with `status`, then 200. */
  function failThenSucceed(status: number, failures: number, headers: Record<string, string> = {}): void {
    server.handler = (request, res) => {
      if (request.seq <= failures) {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify({ error: `failure ${request.seq}` }));
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"data":[]}');
      }
    };
  }

  describe('retries', () => {
    for (const status of [429, 500, 502, 503, 504]) {
      it(`retries ${status} up to maxAttempts, then fails with the last answer`, async () => {
        failThenSucceed(status, Infinity);
        const error = await failure(() => http().send(get()));
        assert.equal(server.received.length, FAST.maxAttempts, 'attempts the server saw');
        assert.equal(error.kind, 'http');
        assert.equal(error.status, status);
        assert.equal(error.retryable, true);
        assert.equal(error.attempts, FAST.maxAttempts);
        assert.match(error.message, /failure 3/);
        assert.deepEqual(logs.map((l) => l.retryInMs !== undefined), [true, true, false]);
      });

      it(`a ${status} followed by success returns the success`, async () => {
        failThenSucceed(status, 2);
        const response = await http().send(get());
        assert.equal(response.status, 200);
        assert.equal(response.attempts, 3);
        assert.deepEqual(await response.json(), { data: [] });
        assert.equal(server.received.length, 3);
      });
    }

    for (const status of [400, 401, 403, 404, 413, 422]) {
      it(`never retries ${status}: exactly one attempt`, async () => {
        failThenSucceed(status, Infinity);
        const error = await failure(() => http({ retry: { ...FAST, maxAttempts: 5 } }).send(get()));
        assert.equal(server.received.length, 1);
        assert.equal(error.status, status);
        assert.equal(error.retryable, false);
        assert.equal(error.attempts, 1);
      });
    }

    it('re-sends a chat that Baseten refused (503) with identical bytes; a reset after the body was sent is not re-sent', async () => {
      server.handler = (request, res) => {
        if (request.seq <= 2) {
          res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"no replica"}');
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: 'x', model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }] }));
      };
      const result = await chatClient().modelApis.chat(CHAT);
      assert.equal(result.text, 'ok');
      assert.equal(server.received.length, 3);
      const bodies = new Set(server.received.map((r) => r.body.toString()));
      assert.equal(bodies.size, 1, 'each attempt sent the same bytes');
      assert.equal(logs.length, 3);

      server.received.length = 0;
      server.handler = (_request, res) => void res.socket?.destroy();
      const error = await failure(() => chatClient().modelApis.chat(CHAT));
      assert.equal(error.kind, 'network');
      assert.match(error.message, /Could not reach|closed|reset/i);
      assert.equal(server.received.length, 1, 'the model may have run: sent once');
    });

    it('a reset on every attempt fails as a retryable network error after maxAttempts', async () => {
      server.handler = (_request, res) => void res.socket?.destroy();
      const error = await failure(() => http().send(get()));
      assert.equal(server.received.length, FAST.maxAttempts);
      assert.equal(error.kind, 'network');
      assert.equal(error.retryable, true);
      assert.equal(error.attempts, FAST.maxAttempts);
    });

    it('retries a refused connection (nothing listening) up to maxAttempts', async () => {
      const closed = await startTestServer();
      const url = `${closed.origin}/v1/models`;
      await closed.close();
      const error = await failure(() => http().send({ method: 'GET', url, area: 'model_apis' }));
      assert.equal(error.kind, 'network');
      assert.equal(error.code, 'ECONNREFUSED');
      assert.equal(error.attempts, FAST.maxAttempts);
      assert.equal(logs.length, FAST.maxAttempts);
    });

    it('`retry: false` sends exactly once', async () => {
      failThenSucceed(503, Infinity);
      const error = await failure(() => http().send(get('/v1/models', { retry: false })));
      assert.equal(server.received.length, 1);
      assert.equal(error.status, 503);
    });

    it('honours Retry-After in seconds: the next attempt waits at least that long', async () => {
      failThenSucceed(429, 1, { 'retry-after': '1' });
      const response = await http().send(get());
      assert.equal(response.status, 200);
      assert.equal(server.received.length, 2);
      const gap = server.received[1].at - server.received[0].at;
      assert.ok(gap >= 990, `waited ${gap.toFixed(0)} ms`);
      assert.ok(gap < 4_000, `waited ${gap.toFixed(0)} ms, far more than asked`);
      assert.equal(logs[0].retryInMs, 1_000);
    });

    it('a Retry-After above maxRetryAfterMs returns the 429 at once', async () => {
      failThenSucceed(429, Infinity, { 'retry-after': '60' });
      const started = performance.now();
      const error = await failure(() => http().send(get()));
      assert.ok(performance.now() - started < 5_000, 'did not wait the 60 s');
      assert.equal(server.received.length, 1);
      assert.equal(error.status, 429);
      assert.equal(error.retryAfterMs, 60_000);
      assert.match(error.message, /retry after 60 s/);
    });

    it('backs off exponentially with equal jitter, capped at maxDelayMs', async () => {
      const policy = { maxAttempts: 6, initialDelayMs: 20, maxDelayMs: 70, maxRetryAfterMs: 1_000 };
      const ceilings = [20, 40, 70, 70, 70];
      for (const [random, expected] of [
        [0, ceilings.map((c) => c / 2)],
        [0.999999, ceilings],
        [0.5, ceilings.map((c) => Math.round(c * 0.75))],
      ] as const) {
        server.reset();
        logs = [];
        failThenSucceed(503, Infinity);
        await failure(() => http({ retry: policy, random: () => random }).send(get()));
        const delays = logs.map((l) => l.retryInMs).filter((d): d is number => d !== undefined);
        assert.deepEqual(delays, expected, `random() = ${random}`);
        // The server saw the attempts no closer together than the delays.
        for (let i = 1; i < server.received.length; i++) {
          const gap = server.received[i].at - server.received[i - 1].at;
          assert.ok(gap >= expected[i - 1] - 2, `gap ${i}: ${gap.toFixed(1)} ms < ${expected[i - 1]} ms`);
        }
      }
    });

    it('jitter stays within [ceiling/2, ceiling] for any random source', async () => {
      const policy = { maxAttempts: 5, initialDelayMs: 8, maxDelayMs: 30, maxRetryAfterMs: 1_000 };
      let state = 12345;
      const random = (): number => {
        state = (state * 1103515245 + 12345) % 2 ** 31;
        return state / 2 ** 31;
      };
      for (let run = 0; run < 5; run++) {
        logs = [];
        failThenSucceed(500, Infinity);
        await failure(() => http({ retry: policy, random }).send(get()));
        const delays = logs.map((l) => l.retryInMs).filter((d): d is number => d !== undefined);
        assert.equal(delays.length, 4);
        delays.forEach((d, i) => {
          const ceiling = Math.min(30, 8 * 2 ** i);
          assert.ok(d >= ceiling / 2 && d <= ceiling, `delay ${i} = ${d}, ceiling ${ceiling}`);
        });
      }
    });

    it('an abort during the backoff stops at once', async () => {
      failThenSucceed(503, Infinity);
      const controller = new AbortController();
      // Abort once the first attempt has been answered, i.e. during the 5 s backoff, however slow the machine.
      const abortInBackoff = setInterval(() => {
        if (server.received.length >= 1) {
          clearInterval(abortInBackoff);
          setTimeout(() => controller.abort(), 20);
        }
      }, 5);
      const started = performance.now();
      const error = await failure(() => http({ retry: { ...FAST, initialDelayMs: 5_000, maxDelayMs: 5_000 } }).send(get('/v1/models', { signal: controller.signal })));
      clearInterval(abortInBackoff);
      assert.equal(error.kind, 'aborted');
      assert.ok(performance.now() - started < 4_000, 'did not sit out the 5 s backoff');
      assert.equal(server.received.length, 1);
    });
  });

  describe('streams are never sent twice', () => {
    it('a stream dropped mid-body: one attempt, stream_truncated, the text so far kept', async () => {
      server.handler = async (_request, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(sseChunk('Hello'));
        res.write(sseChunk(', wor'));
        await delay(20);
        res.socket?.destroy();
      };
      const stream = await chatClient().modelApis.chatStream(CHAT);
      const error = await failure(() => stream.final());
      assert.equal(error.kind, 'stream_truncated');
      assert.equal((error.partial as ChatResult).text, 'Hello, wor');
      await delay(30);
      assert.equal(server.received.length, 1, 'the stream was not sent again');
    });

    it('a 200 MiB line without a line break fails at the 16 MiB cap, fast and with flat memory; the text before it stays', async function () {
      this.timeout(60_000);
      const MiB = 1024 * 1024;
      let sent = 0;
      server.handler = async (_request, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(sseChunk('Hello'));
        const block = Buffer.alloc(MiB, 'x');
        res.write('data: ');
        while (sent < 200 * MiB && !res.destroyed) {
          sent += block.length;
          if (!res.write(block)) {
            await new Promise<void>((resolve) => {
              const done = (): void => {
                res.off('drain', done).off('close', done);
                resolve();
              };
              res.on('drain', done).on('close', done);
            });
          }
        }
        res.end();
      };
      const before = process.memoryUsage().heapUsed;
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
      const started = performance.now();
      const stream = await chatClient().modelApis.chatStream(CHAT);
      const error = await failure(() => stream.final());
      const ms = performance.now() - started;
      clearInterval(sampler);
      assert.equal(error.kind, 'too_large');
      assert.match(error.message, /^The stream sent a line longer than 16 MiB, so it was stopped; what arrived before it is kept\.$/);
      assert.equal((error.partial as ChatResult).text, 'Hello', 'what arrived before the line is kept');
      await delay(50);
      assert.ok(sent < 64 * MiB, `the client stopped reading early: the server wrote ${(sent / MiB).toFixed(0)} MiB`);
      const growth = (peak - before) / MiB;
      console.log(`      (200 MiB line: stopped after the server wrote ${(sent / MiB).toFixed(0)} MiB, in ${ms.toFixed(0)} ms; peak heap growth ${growth.toFixed(0)} MiB)`);
      assert.ok(growth < 100, `heap grew ${growth.toFixed(0)} MiB`);
    });

    it('an event of many lines past the cap fails the same way', async () => {
      const chunks = [Buffer.from(`data: ${'y'.repeat(1000)}\n`)];
      const { readSse } = await import('../../src/client/sse');
      const events = readSse((async function* () {
        for (let i = 0; i < 50; i++) yield chunks[0];
      })(), { maxEventChars: 20_000 });
      const error = await failure(async () => {
        for await (const event of events) void event;
      });
      assert.equal(error.kind, 'too_large');
      assert.match(error.message, /^The stream sent an event longer than 20,000 characters/);
    });

    it('a stream that ends cleanly without finish_reason: one attempt, stream_truncated', async () => {
      server.handler = (_request, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(sseChunk('Hello'));
      };
      const stream = await chatClient().modelApis.chatStream(CHAT);
      const error = await failure(() => stream.final());
      assert.equal(error.kind, 'stream_truncated');
      assert.equal((error.partial as ChatResult).text, 'Hello');
      assert.equal(server.received.length, 1);
    });
  });

  describe('timeouts', () => {
    it('first-byte timeout: no response headers in time → kind timeout, code first_byte_timeout, not retried', async () => {
      server.handler = () => undefined; // never answers
      const started = performance.now();
      const error = await failure(() => http({ timeouts: { firstByteMs: 150 } }).send(get()));
      const took = performance.now() - started;
      assert.equal(error.kind, 'timeout');
      assert.equal(error.code, 'first_byte_timeout');
      // undici checks these timeouts on a coarse clock (about a second), hence the loose upper bound.
      assert.ok(took >= 140 && took < 5_000, `took ${took.toFixed(0)} ms`);
      assert.equal(server.received.length, 1);
    });

    it('a per-request first-byte timeout overrides the client\'s', async () => {
      server.handler = () => undefined;
      const error = await failure(() => http({ timeouts: { firstByteMs: 60_000 } }).send(get('/v1/models', { timeouts: { firstByteMs: 100 } })));
      assert.equal(error.code, 'first_byte_timeout');
    });

    it('idle-stream timeout: a stream that stalls mid-body → kind timeout, code idle_stream_timeout, partial kept', async () => {
      server.handler = async (_request, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(sseChunk('stalled '));
        await delay(50);
        res.write(sseChunk('here'));
        // …and nothing more, without closing.
      };
      const stream = await chatClient({ timeouts: { idleStreamMs: 200 } }).modelApis.chatStream(CHAT);
      const started = performance.now();
      const error = await failure(() => stream.final());
      assert.equal(error.kind, 'timeout');
      assert.equal(error.code, 'idle_stream_timeout');
      assert.notEqual(error.code, 'first_byte_timeout');
      assert.equal((error.partial as ChatResult).text, 'stalled here');
      assert.ok(performance.now() - started >= 190);
      assert.equal(server.received.length, 1);
    });

    it('a slow but steady stream does not trip the idle-stream timeout', async () => {
      server.handler = async (_request, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        for (let i = 0; i < 6; i++) {
          res.write(sseChunk(`${i}`));
          await delay(60);
        }
        res.end(sseChunk('', { finish_reason: 'stop' }) + 'data: [DONE]\n\n');
      };
      const stream = await chatClient({ timeouts: { idleStreamMs: 200 } }).modelApis.chatStream(CHAT);
      const result = await stream.final();
      assert.equal(result.text, '012345');
    });

    it('connect timeout: a TLS handshake nobody answers → kind timeout, code connect_timeout, retried', async () => {
      // A TCP server that accepts and then says nothing: the TLS handshake never completes.
      const sockets = new Set<Socket>();
      let accepted = 0;
      const silent: NetServer = createNetServer((socket) => {
        accepted++;
        sockets.add(socket);
        socket.on('error', () => undefined);
      });
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      try {
        const port = (silent.address() as AddressInfo).port;
        const started = performance.now();
        const error = await failure(() =>
          http({ timeouts: { connectMs: 150 }, retry: { ...FAST, maxAttempts: 2 } }).send({ method: 'GET', url: `https://127.0.0.1:${port}/v1/models`, area: 'model_apis' }),
        );
        assert.equal(error.kind, 'timeout');
        assert.equal(error.code, 'connect_timeout');
        assert.equal(error.retryable, true);
        assert.equal(error.attempts, 2);
        assert.equal(accepted, 2, 'one connection per attempt');
        assert.ok(performance.now() - started >= 290);
      } finally {
        for (const socket of sockets) socket.destroy();
        await new Promise((resolve) => silent.close(resolve));
      }
    });

    it('maps undici\'s timeout errors to distinct codes', () => {
      const context = { method: 'GET', url: 'https://inference.baseten.co/v1/models', midStream: false };
      const connect = transportError(new undiciErrors.ConnectTimeoutError(), context);
      const headers = transportError(new undiciErrors.HeadersTimeoutError(), context);
      const body = transportError(new undiciErrors.BodyTimeoutError(), { ...context, midStream: true });
      assert.deepEqual([connect.kind, connect.code, connect.retryable], ['timeout', 'connect_timeout', true]);
      assert.deepEqual([headers.kind, headers.code, headers.retryable], ['timeout', 'first_byte_timeout', false]);
      assert.deepEqual([body.kind, body.code, body.retryable], ['timeout', 'idle_stream_timeout', false]);
      assert.match(connect.message, /inference\.baseten\.co/);
    });
  });

  describe('cancellation closes the socket', () => {
    it('a signal aborted before sending: nothing is sent', async () => {
      const controller = new AbortController();
      controller.abort();
      const error = await failure(() => http().send(get('/v1/models', { signal: controller.signal })));
      assert.equal(error.kind, 'aborted');
      await delay(20);
      assert.equal(server.received.length, 0);
      assert.equal(server.connectionsOpened, 0);
    });

    it('an abort while waiting for the headers: the server sees the client go away', async () => {
      server.handler = () => undefined;
      const controller = new AbortController();
      const pending = failure(() => http().send(get('/v1/models', { signal: controller.signal })));
      await eventually(() => server.received.length === 1, 'the request');
      controller.abort();
      const error = await pending;
      assert.equal(error.kind, 'aborted');
      await eventually(() => server.received[0].clientAborted, 'the server to see the disconnect');
      await eventually(() => server.openConnections === 0, 'the socket to close');
      assert.equal(server.received.length, 1, 'an aborted request is not retried');
    });

    it('a cancel is logged as such, and a "last call" indicator counts it neither as a success nor a failure', async () => {
      server.handler = () => undefined;
      const controller = new AbortController();
      const pending = failure(() => http().send(get('/v1/models', { signal: controller.signal })));
      await eventually(() => server.received.length === 1, 'the request');
      controller.abort();
      assert.equal((await pending).kind, 'aborted');
      assert.equal(logs.length, 1);
      assert.equal(logs[0].aborted, true);
      assert.equal(logs[0].status, undefined);
      assert.equal(callOutcome(logs[0]), undefined);
    });

    it('a refused connection and an error status are failed calls; a 200 is a successful one', async () => {
      server.handler = (_request, res) => {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"Invalid API key."}');
      };
      await failure(() => http().send(get('/v1/models', { retry: false })));
      assert.equal(logs.at(-1)?.aborted, undefined);
      assert.equal(callOutcome(logs.at(-1)!), false);
      server.handler = (_request, res) => {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      };
      (await http().send(get('/v1/models'))).cancel();
      assert.equal(callOutcome(logs.at(-1)!), true);
      const closed = await startTestServer();
      const origin = closed.origin;
      await closed.close();
      await failure(() => http().send({ method: 'GET', url: `${origin}/v1/models`, area: 'model_apis', retry: false }));
      assert.equal(logs.at(-1)?.aborted, undefined);
      assert.equal(callOutcome(logs.at(-1)!), false);
    });

    it("the model's own 400 or 500, a 404 or a 422 leave the connection good; a 5xx of Baseten's, a 429 or a 401 do not", async () => {
      const answer = (status: number, headers: Record<string, string> = {}) => {
        server.handler = (_request, res) => {
          res.writeHead(status, { 'content-type': 'application/json', ...headers }).end('{"error":"no"}');
        };
      };
      const outcomeOf = async (status: number, headers?: Record<string, string>): Promise<boolean | undefined> => {
        answer(status, headers);
        await failure(() => http().send(get('/v1/models', { retry: false })));
        return callOutcome(logs.at(-1)!);
      };
      assert.equal(await outcomeOf(400, { 'x-baseten-error-source': '04' }), true, "the model's 400");
      assert.equal(await outcomeOf(500, { 'x-baseten-error-source': '04' }), true, "the model's 500");
      assert.equal(logs.at(-1)?.fromModel, true);
      assert.equal(await outcomeOf(404), true, 'a target that does not exist');
      assert.equal(await outcomeOf(422), true, 'an input Baseten cannot process');
      assert.equal(await outcomeOf(500), false, "Baseten's 500");
      assert.equal(await outcomeOf(503), false, 'no replica');
      assert.equal(await outcomeOf(429), false, 'rate limited');
      assert.equal(await outcomeOf(403), false, 'the key');
    });

    it('an abort while the body streams: the iterator ends aborted, the partial text is kept, the socket closes', async () => {
      server.handler = async (_request, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        for (let i = 0; i < 200 && !res.destroyed; i++) {
          res.write(sseChunk(`t${i} `));
          await delay(10);
        }
        res.end();
      };
      const controller = new AbortController();
      const stream = await chatClient().modelApis.chatStream(CHAT, { signal: controller.signal });
      let seen = 0;
      const error = await failure(async () => {
        for await (const event of stream) {
          if (event.type === 'content' && ++seen === 3) controller.abort();
        }
      });
      assert.equal(error.kind, 'aborted');
      assert.ok((error.partial as ChatResult).text.startsWith('t0 t1 t2 '));
      await eventually(() => server.received[0].clientAborted, 'the server to see the disconnect');
      await eventually(() => server.openConnections === 0, 'the socket to close');
    });

    it('ChatStream.abort() closes the stream\'s socket too', async () => {
      server.handler = async (_request, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        while (!res.destroyed) {
          res.write(sseChunk('x'));
          await delay(10);
        }
      };
      const stream = await chatClient().modelApis.chatStream(CHAT);
      const error = await failure(async () => {
        for await (const event of stream) if (event.type === 'content') stream.abort();
      });
      assert.equal(error.kind, 'aborted');
      await eventually(() => server.openConnections === 0, 'the socket to close');
    });

    it('a consumer that stops reading early frees the socket', async () => {
      server.handler = async (_request, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        while (!res.destroyed) {
          res.write(sseChunk('x'));
          await delay(10);
        }
      };
      const stream = await chatClient().modelApis.chatStream(CHAT);
      for await (const event of stream) if (event.type === 'content') break;
      await eventually(() => server.openConnections === 0, 'the socket to close');
    });

    it('keeps one connection alive across requests, and destroy() closes it', async () => {
      const client = http();
      for (let i = 0; i < 3; i++) {
        await (await client.send(get())).json();
        // undici hands the socket back to its pool a tick after the body ended.
        await delay(5);
      }
      assert.equal(server.connectionsOpened, 1, `one pooled connection: ${JSON.stringify(server.received.map((r) => r.connection))}`);
      assert.deepEqual(server.received.map((r) => r.connection), [1, 1, 1]);
      assert.equal(server.openConnections, 1);
      await client.destroy();
      await eventually(() => server.openConnections === 0, 'the pooled socket to close');
    });
  });

  describe('auth header and User-Agent', () => {
    it('sends Authorization: Bearer <key> and a User-Agent by default', async () => {
      await (await http().send(get())).json();
      const headers = server.received[0].headers;
      assert.equal(headers.authorization, `Bearer ${KEY}`);
      assert.match(String(headers['user-agent']), /^baseten-vscode-client\/[\d.]+ \(Node \d+\.\d+\.\d+; \w+\)$/);
      assert.equal(headers.accept, 'application/json');
    });

    it('the Api-Key scheme sends Authorization: Api-Key <key>', async () => {
      await (await http({ authScheme: 'Api-Key' }).send(get())).json();
      assert.equal(server.received[0].headers.authorization, `Api-Key ${KEY}`);
    });

    it('a custom User-Agent is sent as given', async () => {
      await (await http({ userAgent: 'my-tool/1.0' }).send(get())).json();
      assert.equal(server.received[0].headers['user-agent'], 'my-tool/1.0');
    });

    it('a key function is asked before every request, retries included', async () => {
      let calls = 0;
      failThenSucceed(503, 1);
      const client = http({ apiKey: async () => `key${++calls}.secret` });
      await (await client.send(get())).json();
      await (await client.send(get())).json();
      assert.deepEqual(
        server.received.map((r) => r.headers.authorization),
        ['Bearer key1.secret', 'Bearer key1.secret', 'Bearer key2.secret'],
      );
      assert.equal(calls, 2, 'asked once per call; the retry reuses the same key');
    });

    for (const [name, apiKey] of [
      ['an empty key', ''],
      ['a blank key', '  \n'],
      ['a key function with no key', () => undefined],
    ] as const) {
      it(`${name}: a validation error, and nothing is sent`, async () => {
        const error = await failure(() => http({ apiKey }).send(get()));
        assert.equal(error.kind, 'validation');
        assert.match(error.message, /No Baseten API key/);
        await delay(20);
        assert.equal(server.connectionsOpened, 0);
      });
    }
  });

  describe('responses', () => {
    it('refuses to read a body larger than asked into memory', async () => {
      server.handler = (_request, res) => {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end(Buffer.alloc(200_000));
      };
      const response = await http().send(get());
      const error = await failure(() => response.bytes(64 * 1024));
      assert.equal(error.kind, 'too_large');
      assert.match(error.message, /64 KiB/);
    });

    for (const complete of [true, false]) {
      it(`cancel() on a ${complete ? 'complete' : 'partial'} body nobody read frees the socket, without an uncaught error`, async () => {
        server.handler = (_request, res) => {
          res.writeHead(200, { 'content-type': 'application/octet-stream' });
          if (complete) res.end(Buffer.alloc(1024));
          else res.write(Buffer.alloc(1024)); // …and the rest never comes.
        };
        const uncaught: unknown[] = [];
        const onUncaught = (error: unknown): void => void uncaught.push(error);
        const mochaHandlers = process.listeners('uncaughtException');
        process.removeAllListeners('uncaughtException');
        process.on('uncaughtException', onUncaught);
        try {
          const client = http();
          const response = await client.send(get());
          await delay(20);
          response.cancel();
          await delay(50);
          await client.destroy();
          await eventually(() => server.openConnections === 0, 'the socket to close');
        } finally {
          process.off('uncaughtException', onUncaught);
          for (const handler of mochaHandlers) process.on('uncaughtException', handler);
        }
        assert.deepEqual(uncaught.map(String), []);
      });
    }

    it('reads a large error body only in part, and still reports the status', async () => {
      server.handler = (_request, res) => {
        res.writeHead(400, { 'content-type': 'text/plain' });
        res.end('e'.repeat(5_000_000));
      };
      const error = await failure(() => http().send(get()));
      assert.equal(error.status, 400);
      assert.ok((error.body ?? '').length < 10_000);
    });
  });

  describe('proxies', () => {
    const PROXY_VARS = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy'];
    let saved: Record<string, string | undefined>;
    let proxy: ForwardProxy;

    before(async () => {
      proxy = await startForwardProxy();
    });
    after(async () => {
      await proxy.close();
    });
    beforeEach(() => {
      saved = Object.fromEntries(PROXY_VARS.map((name) => [name, process.env[name]]));
      for (const name of PROXY_VARS) delete process.env[name];
      proxy.reset();
    });
    afterEach(() => {
      for (const name of PROXY_VARS) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    });

    const viaProxy = (): boolean => proxy.seen.some((line) => line.includes(`127.0.0.1:${server.port}`));

    it('HTTP_PROXY from the environment carries requests to http:// hosts', async () => {
      process.env.HTTP_PROXY = proxy.origin;
      const response = await http().send(get());
      assert.deepEqual(await response.json(), { data: [] });
      assert.ok(viaProxy(), `the proxy saw: ${JSON.stringify(proxy.seen)}`);
      assert.equal(server.received.length, 1);
      assert.equal(server.received[0].headers.authorization, `Bearer ${KEY}`);
    });

    it('NO_PROXY bypasses it', async () => {
      process.env.HTTP_PROXY = proxy.origin;
      process.env.NO_PROXY = '127.0.0.1';
      await (await http().send(get())).json();
      assert.deepEqual(proxy.seen, []);
      assert.equal(server.received.length, 1);
    });

    it('HTTPS_PROXY from the environment is asked to tunnel https:// hosts', async () => {
      process.env.HTTPS_PROXY = proxy.origin;
      proxy.refuseConnect = true;
      const error = await failure(() => http({ retry: { maxAttempts: 1 } }).send({ method: 'GET', url: `https://127.0.0.1:${server.port}/v1/models`, area: 'model_apis' }));
      assert.deepEqual(proxy.seen, [`CONNECT 127.0.0.1:${server.port}`]);
      assert.equal(server.received.length, 0);
      // A proxy that refuses is a network problem, not a cancellation by the user.
      assert.notEqual(error.kind, 'aborted', error.message);
      assert.match(error.message, /proxy/i);
    });

    it('the explicit proxy option works without any environment variable', async () => {
      await (await http({ proxy: proxy.origin }).send(get())).json();
      assert.ok(viaProxy(), `the proxy saw: ${JSON.stringify(proxy.seen)}`);
      assert.equal(server.received.length, 1);
    });

    it('the explicit proxy wins over HTTP_PROXY, and noProxy bypasses it', async () => {
      process.env.HTTP_PROXY = 'http://127.0.0.1:9'; // nothing there: used, it would fail
      await (await http({ proxy: proxy.origin }).send(get())).json();
      assert.ok(viaProxy());
      proxy.seen.length = 0;
      await (await http({ proxy: proxy.origin, noProxy: '127.0.0.1' }).send(get())).json();
      assert.deepEqual(proxy.seen, []);
      assert.equal(server.received.length, 2);
    });

    it('NO_PROXY from the environment bypasses the explicit proxy when no noProxy is given', async () => {
      process.env.NO_PROXY = `localhost,127.0.0.1:${server.port}`;
      await (await http({ proxy: proxy.origin }).send(get())).json();
      assert.deepEqual(proxy.seen, []);
      delete process.env.NO_PROXY;
      process.env.no_proxy = '127.0.0.1';
      await (await http({ proxy: proxy.origin }).send(get())).json();
      assert.deepEqual(proxy.seen, []);
      assert.equal(server.received.length, 2);
    });
  });
});

describe('HttpClient against the emulator (attempts counted by the emulator)', function () {
  this.timeout(15_000);
  let emulator: Emulator;
  let client: BasetenClient;
  const MODELS = /\/inference\/v1\/models$/;
  const CHAT = { model: 'zai-org/GLM-5.2', messages: [{ role: 'user' as const, content: '[[tokens:40]] go' }] };

  useEmulatorClient({ emulator: { tokenDelayMs: 1 }, client: { retry: FAST } }, (current) => ({ emulator, client } = current));

  for (const status of [429, 500, 502, 503, 504]) {
    it(`${status}: the emulator sees maxAttempts attempts`, async () => {
      emulator.faults.add({ match: { path: MODELS }, fault: { kind: 'status', status } });
      const error = await failure(() => client.modelApis.listModels());
      assert.equal(error.status, status);
      assert.equal(emulator.stats.count({ path: MODELS }), FAST.maxAttempts);
      assert.equal(emulator.stats.count({ path: MODELS, status }), FAST.maxAttempts);
    });
  }

  for (const status of [400, 401, 403, 404, 413, 422]) {
    it(`${status}: the emulator sees exactly one attempt`, async () => {
      emulator.faults.add({ match: { path: MODELS }, fault: { kind: 'status', status } });
      const error = await failure(() => client.modelApis.listModels());
      assert.equal(error.status, status);
      assert.equal(emulator.stats.count({ path: MODELS }), 1);
    });
  }

  it('connection resets before the response are retried until one succeeds', async () => {
    emulator.faults.add({ match: { path: MODELS }, times: 2, fault: { kind: 'reset' } });
    const models = await client.modelApis.listModels();
    assert.ok(models.length > 0);
    assert.equal(emulator.stats.count({ path: MODELS }), 3);
  });

  it('a delayed first byte trips the first-byte timeout, and the emulator sees the client leave', async () => {
    emulator.faults.add({ match: { path: MODELS }, fault: { kind: 'delay', ms: 5_000 } });
    const slow = new BasetenClient({ apiKey: emulator.apiKey, endpoints: emulator.endpoints, retry: FAST, timeouts: { firstByteMs: 150 } });
    try {
      const error = await failure(() => slow.modelApis.listModels());
      assert.equal(error.kind, 'timeout');
      assert.equal(error.code, 'first_byte_timeout');
      assert.equal(emulator.stats.count({ path: MODELS }), 1);
      await eventually(() => emulator.stats.requests[0]?.clientAborted === true, 'the emulator to see the client leave');
    } finally {
      await slow.destroy();
    }
  });

  it('a stream that stalls trips the idle-stream timeout; the text so far is kept', async () => {
    emulator.faults.add({ match: { model: CHAT.model }, fault: { kind: 'stall', afterEvents: 5 } });
    const stalling = new BasetenClient({ apiKey: emulator.apiKey, endpoints: emulator.endpoints, retry: FAST, timeouts: { idleStreamMs: 200 } });
    try {
      const stream = await stalling.modelApis.chatStream(CHAT);
      const error = await failure(() => stream.final());
      assert.equal(error.kind, 'timeout');
      assert.equal(error.code, 'idle_stream_timeout');
      assert.ok((error.partial as ChatResult).text.length + (error.partial as ChatResult).reasoning.length > 0);
      assert.equal(emulator.stats.count({ path: /chat\/completions$/ }), 1);
    } finally {
      await stalling.destroy();
    }
  });

  it('an abort while the emulator holds the headers back is seen by the emulator, and not retried', async () => {
    emulator.faults.add({ match: { path: MODELS }, fault: { kind: 'delay', ms: 5_000 } });
    const controller = new AbortController();
    const pending = failure(() => client.modelApis.listModels({ signal: controller.signal }));
    await eventually(() => emulator.stats.count({ path: MODELS }) === 1, 'the request to arrive');
    controller.abort();
    assert.equal((await pending).kind, 'aborted');
    await eventually(() => emulator.stats.requests[0].clientAborted, 'clientAborted');
    assert.equal(emulator.stats.count({ path: MODELS }), 1);
  });

  it('pooled connections are reused, and none is left open after destroy()', async () => {
    await eventually(() => emulator.stats.openConnections === 0, 'earlier tests\' sockets to close');
    for (let i = 0; i < 4; i++) {
      await client.modelApis.listModels();
      await delay(5);
    }
    assert.equal(emulator.stats.openConnections, 1, 'one keep-alive connection for four requests');
    const stream = await client.modelApis.chatStream(CHAT);
    await stream.final();
    await client.destroy();
    await eventually(() => emulator.stats.openConnections === 0, 'every socket closed');
  });
});
