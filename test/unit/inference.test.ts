import * as assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SEED } from '../../emulator/state/seed';
import { binaryBytes } from '../../emulator/inference/predictors';
import {
  BasetenClient,
  BasetenError,
  DEVELOPMENT,
  Owner,
  PRODUCTION,
  PredictResponse,
  Target,
  bytesInput,
  deployment,
  environment,
  isTerminalAsyncStatus,
  jsonInput,
  regional,
  textInput,
} from '../../src/client';
import { Emulator, caught, emulatorClient, eventually, useEmulatorClient } from './helpers/client';

const echo: Pick<Owner, 'kind' | 'id'> = { kind: 'model', id: SEED.models.echo.id };
const model = (name: keyof typeof SEED.models): Pick<Owner, 'kind' | 'id'> => ({ kind: 'model', id: SEED.models[name].id });
const chain: Pick<Owner, 'kind' | 'id'> = { kind: 'chain', id: SEED.chains.pipeline.id };

function expectKind<K extends PredictResponse['kind']>(response: PredictResponse, kind: K): Extract<PredictResponse, { kind: K }> {
  assert.equal(response.kind, kind, `expected a ${kind} response, got ${response.kind} (${response.contentType})`);
  return response as Extract<PredictResponse, { kind: K }>;
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('InferenceClient', function () {
  this.timeout(15_000);
  let emulator: Emulator;
  let client: BasetenClient;

  useEmulatorClient({ emulator: { wakeDelayMs: 300, tokenDelayMs: 1 } }, (current) => ({ emulator, client } = current));

  describe('predict on every target form', () => {
    const echoSeed = SEED.models.echo;
    const targets: Array<[string, () => Target, () => RegExp]> = [
      ['production', () => PRODUCTION, () => new RegExp(`/model-${echoSeed.id}/production/predict$`)],
      ['environments/{env}', () => environment('staging'), () => new RegExp(`/model-${echoSeed.id}/environments/staging/predict$`)],
      ['development', () => DEVELOPMENT, () => new RegExp(`/model-${echoSeed.id}/development/predict$`)],
      ['deployment/{id}', () => deployment(echoSeed.productionDeploymentId), () => new RegExp(`/model-${echoSeed.id}/deployment/${echoSeed.productionDeploymentId}/predict$`)],
      ['regional', () => regional('production'), () => new RegExp(`/model-${echoSeed.id}-production/predict$`)],
    ];
    for (const [name, target, path] of targets) {
      it(`${name}: sends the JSON to the right URL and returns the model's JSON unwrapped`, async () => {
        const input = { hello: name, n: [1, 2, 3] };
        const response = expectKind(await client.inference.predict(echo, target(), jsonInput(input)), 'json');
        assert.deepEqual(response.value, input);
        assert.equal(response.status, 200);
        assert.equal(response.attempts, 1);
        assert.ok(response.requestId, 'X-BASETEN-REQUEST-ID is surfaced');
        assert.equal(response.predictionAttempts, 1, 'X-BASETEN-MODEL-PREDICTION-ATTEMPTS is surfaced');
        assert.equal(emulator.stats.count({ method: 'POST', path: path() }), 1);
      });
    }
  });

  describe('run_remote on chains, on every target form', () => {
    const id = SEED.chains.pipeline.id;
    const targets: Array<[string, () => Target, RegExp]> = [
      ['production', () => PRODUCTION, new RegExp(`/chain-${id}/production/run_remote$`)],
      ['environments/{env}', () => environment('production'), new RegExp(`/chain-${id}/environments/production/run_remote$`)],
      ['development', () => DEVELOPMENT, new RegExp(`/chain-${id}/development/run_remote$`)],
      ['deployment/{id}', () => deployment(SEED.chains.pipeline.productionDeploymentId), new RegExp(`/chain-${id}/deployment/${SEED.chains.pipeline.productionDeploymentId}/run_remote$`)],
      ['regional', () => regional('production'), new RegExp(`/chain-${id}-production/run_remote$`)],
    ];
    for (const [name, target, path] of targets) {
      it(`${name}: calls run_remote (not predict) and returns JSON`, async () => {
        const response = expectKind(await client.inference.predict(chain, target(), jsonInput({ text: 'chain' })), 'json');
        assert.notEqual(response.value, undefined);
        assert.equal(emulator.stats.count({ method: 'POST', path }), 1);
      });
    }
  });

  describe('response kinds', () => {
    it('text/event-stream becomes an sse response whose events arrive one by one', async () => {
      const response = expectKind(await client.inference.predict(model('sse'), PRODUCTION, jsonInput({ events: 5 })), 'sse');
      assert.match(response.contentType, /text\/event-stream/);
      const events = await collect(response.events);
      assert.equal(events.filter((event) => event.data !== '[DONE]').length, 5);
    });

    it('chunked text without a JSON type becomes a stream of chunks, not a buffered body', async () => {
      const response = expectKind(await client.inference.predict(model('chunked'), PRODUCTION, jsonInput({ chunks: 4 })), 'stream');
      assert.equal(response.chunked, true);
      const chunks = await collect(response.chunks);
      assert.ok(chunks.length >= 2, `expected several chunks, got ${chunks.length}`);
      assert.ok(Buffer.concat(chunks).length > 0);
    });

    it('a stream can be read whole with text()', async () => {
      const response = expectKind(await client.inference.predict(model('chunked'), PRODUCTION, jsonInput({ chunks: 3 })), 'stream');
      const text = await response.text();
      assert.ok(text.length > 0);
      await assert.rejects(collect(response.chunks), (error: BasetenError) => error.kind === 'validation' && /only once/.test(error.message));
    });

    it('reading a stream whole stops at the size limit with kind too_large', async () => {
      const response = expectKind(await client.inference.predict(model('chunked'), PRODUCTION, jsonInput({ bytes: 64 * 1024 })), 'stream');
      await assert.rejects(response.bytes(1024), (error: BasetenError) => error.kind === 'too_large');
    });

    it('readJson: false hands a JSON answer back unread, as a stream that still says JSON', async () => {
      const response = expectKind(await client.inference.predict(echo, PRODUCTION, jsonInput({ big: 'x'.repeat(1000) }), { readJson: false }), 'stream');
      assert.match(response.contentType, /application\/json/);
      assert.deepEqual(JSON.parse(await response.text()), { big: 'x'.repeat(1000) });
    });

    it('application/octet-stream becomes a binary response with every byte', async () => {
      const response = expectKind(await client.inference.predict(model('binary'), PRODUCTION, jsonInput({ bytes: 100_000 })), 'binary');
      const bytes = await response.bytes();
      assert.equal(bytes.length, 100_000);
      if (response.contentLength !== undefined) assert.equal(response.contentLength, 100_000);
    });

    it('a reader that falls behind gets every byte in order, in chunks as they came rather than one joined copy', async () => {
      // A local model that streams 4 MiB as 32 KiB HTTP chunks.
      const piece = binaryBytes(32 * 1024);
      const server = createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        for (let i = 0; i < 128; i++) res.write(piece);
        res.end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const local = new BasetenClient({ apiKey: 'k', endpoints: { modelHostTemplate: `http://127.0.0.1:${(server.address() as AddressInfo).port}/model-{id}` } });
      try {
        const response = expectKind(await local.inference.predict(echo, PRODUCTION, jsonInput({})), 'binary');
        await new Promise((resolve) => setTimeout(resolve, 100)); // the body piles up unread meanwhile
        const chunks: Buffer[] = [];
        for await (const chunk of response.chunks) {
          chunks.push(chunk);
          await new Promise((resolve) => setImmediate(resolve));
        }
        assert.ok(Buffer.concat(chunks).equals(Buffer.concat(Array.from({ length: 128 }, () => piece))), 'every byte in its place');
        // Joined copies of what waited would be larger than the chunks the model sent.
        const largest = Math.max(...chunks.map((c) => c.length));
        assert.ok(largest <= 32 * 1024, `largest chunk ${largest} bytes`);
      } finally {
        await local.destroy();
        server.close();
      }
    });

    it('small pieces that wait together arrive joined, in order', async () => {
      const response = expectKind(await client.inference.predict(model('chunked'), PRODUCTION, jsonInput({ chunks: 400 })), 'stream');
      await new Promise((resolve) => setTimeout(resolve, 300));
      const chunks = await collect(response.chunks);
      const lines = Buffer.concat(chunks).toString('utf8').trim().split('\n');
      assert.deepEqual(lines.map((line) => Number(/^chunk (\d+) of 400/.exec(line)?.[1])), Array.from({ length: 400 }, (_, i) => i + 1));
      assert.ok(chunks.length < 400, `${chunks.length} chunks for 400 pieces`);
    });

    it('sends raw bytes as application/octet-stream', async () => {
      const data = Buffer.from([0, 1, 2, 250, 251, 252]);
      const response = await client.inference.predict(echo, PRODUCTION, bytesInput(data));
      const sent = emulator.stats.requests.find((request) => /\/predict$/.test(request.path));
      assert.equal(sent?.headers['content-type'], 'application/octet-stream');
      assert.equal(sent?.bodyBytes, data.length);
      response.cancel();
    });

    it('sends a string as text/plain', async () => {
      const response = await client.inference.predict(echo, PRODUCTION, textInput('plain words'));
      const sent = emulator.stats.requests.find((request) => /\/predict$/.test(request.path));
      assert.match(String(sent?.headers['content-type']), /^text\/plain/);
      response.cancel();
    });

    it('invalid JSON from the model is a protocol error that keeps the body', async () => {
      emulator.faults.add({ match: { path: /\/predict$/ }, times: 1, fault: { kind: 'malformed-json' } });
      const error = await caught<BasetenError>(() => client.inference.predict(echo, PRODUCTION, jsonInput({ a: 1 })));
      assert.ok(error instanceof BasetenError);
      assert.equal(error.kind, 'protocol');
      assert.match(error.message, /not valid JSON/);
      assert.ok(error.body && error.body.length > 0, 'the body excerpt is kept');
    });
  });

  it('a broken JSON answer that echoes the key keeps an excerpt with the key redacted', async () => {
    // The emulator's status fault cannot set its own Content-Type, so a small local server plays the model.
    const key = 'echoedk1.SecretSecretSecret';
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"you_sent": "Bearer ${key}"`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const local = new BasetenClient({ apiKey: key, endpoints: { modelHostTemplate: `http://127.0.0.1:${(server.address() as AddressInfo).port}/model-{id}` } });
    try {
      const error = await caught<BasetenError>(() => local.inference.predict(echo, PRODUCTION, jsonInput({})));
      assert.equal(error.kind, 'protocol');
      assert.ok(error.body?.includes('[REDACTED]'), `excerpt: ${error.body}`);
      assert.ok(!error.body?.includes(key));
      assert.ok(!error.message.includes(key));
    } finally {
      await local.destroy();
      server.close();
    }
  });

  describe('errors', () => {
    it('an unknown model is a 404 with the not-found explanation', async () => {
      const error = await caught<BasetenError>(() => client.inference.predict({ kind: 'model', id: 'nosuch99' }, PRODUCTION, jsonInput({})));
      assert.equal(error.kind, 'http');
      assert.equal(error.status, 404);
      assert.match(error.message, /Not found/);
      assert.equal(error.attempts, 1, '404 is never retried');
    });

    it('a deactivated deployment is a 404 that says so', async () => {
      const error = await caught<BasetenError>(() => client.inference.predict(echo, deployment(SEED.models.echo.deployments.inactive), jsonInput({})));
      assert.equal(error.status, 404);
      assert.match(error.message, /deactivated/);
    });

    it('a bad key is a 401, not retried', async () => {
      const bad = emulatorClient(emulator, { apiKey: 'wrongkey.0000000000' });
      try {
        const error = await caught<BasetenError>(() => bad.inference.predict(echo, PRODUCTION, jsonInput({})));
        assert.equal(error.status, 401);
        assert.match(error.message, /API key/);
        assert.ok(!error.message.includes('wrongkey.0000000000'), 'the key never appears in a message');
        assert.equal(emulator.stats.count({ path: /\/predict$/ }), 1);
      } finally {
        await bad.destroy();
      }
    });

    it("a 400 from the model is passed through with the model's own message", async () => {
      const error = await caught<BasetenError>(() => client.inference.predict(model('transform'), PRODUCTION, jsonInput({ nope: true })));
      assert.equal(error.status, 400);
      const body = JSON.parse(error.body ?? '{}') as { error?: string };
      assert.ok(body.error, 'the model body is kept');
      assert.ok(error.message.includes(body.error), `message carries the model's text: ${error.message}`);
      assert.equal(error.attempts, 1);
    });

    it('a failing model (500 raised by its code) is sent once: a second send would run it again', async () => {
      const error = await caught<BasetenError>(() => client.inference.predict(model('failing'), PRODUCTION, jsonInput({})));
      assert.equal(error.status, 500);
      assert.equal(error.attempts, 1);
      assert.match(error.message, /^The model failed/);
      assert.equal(error.fromModel, true);
      assert.equal(emulator.stats.count({ method: 'POST', path: new RegExp(`/model-${SEED.models.failing.id}/production/predict$`) }), 1);
    });

    it('retry: false sends a failing predict exactly once', async () => {
      await assert.rejects(client.inference.predict(model('failing'), PRODUCTION, jsonInput({}), { retry: false }));
      assert.equal(emulator.stats.count({ path: /\/predict$/ }), 1);
    });

    it('a 503 followed by success is retried and answers', async () => {
      emulator.faults.add({ match: { path: /\/predict$/ }, times: 1, fault: { kind: 'status', status: 503, body: '{"error":"no replica"}' } });
      const response = expectKind(await client.inference.predict(echo, PRODUCTION, jsonInput({ x: 1 })), 'json');
      assert.equal(response.attempts, 2);
      assert.deepEqual(response.value, { x: 1 });
    });

    it('413 (payload too large) is reported, not retried', async () => {
      emulator.faults.add({
        match: { path: /\/predict$/ },
        fault: { kind: 'status', status: 413, body: '{"error":"payload size of 200000000 bytes exceeds maximum size of 104857600 bytes"}' },
      });
      const error = await caught<BasetenError>(() => client.inference.predict(echo, PRODUCTION, jsonInput({ big: true })));
      assert.equal(error.status, 413);
      assert.match(error.message, /too large/);
      assert.match(error.message, /exceeds maximum size/);
      assert.equal(emulator.stats.count({ path: /\/predict$/ }), 1);
    });
  });

  it('wake on a chain posts to the chain host and accepts the 202', async () => {
    const result = await client.inference.wake(chain, PRODUCTION);
    assert.equal(result.status, 202);
    assert.equal(emulator.stats.count({ method: 'POST', path: new RegExp(`/chain-${chain.id}/production/wake$`) }), 1);
  });

  describe('cancellation', () => {
    it('aborting a slow predict rejects at once and closes its socket', async () => {
      const controller = new AbortController();
      const started = Date.now();
      const pending = client.inference.predict(model('slow'), PRODUCTION, jsonInput({ delay_ms: 5_000 }), { signal: controller.signal });
      await eventually(() => emulator.stats.openConnections > 0, 2_000, 'the request to arrive');
      controller.abort();
      const error = await caught<BasetenError>(() => pending);
      assert.equal(error.kind, 'aborted');
      assert.ok(Date.now() - started < 2_000, 'the abort did not wait for the model');
      await eventually(() => emulator.stats.requests.some((request) => /\/predict$/.test(request.path) && request.clientAborted), 3_000, 'clientAborted');
      await client.destroy();
      await eventually(() => emulator.stats.openConnections === 0, 3_000, 'open connections to reach 0');
    });

    it('cancel() on a stream after the first chunk closes the connection', async () => {
      const response = expectKind(await client.inference.predict(model('chunked'), PRODUCTION, jsonInput({ chunks: 10_000 })), 'stream');
      for await (const chunk of response.chunks) {
        assert.ok(chunk.length > 0);
        break;
      }
      await eventually(() => emulator.stats.requests.some((request) => /\/predict$/.test(request.path) && request.clientAborted), 3_000, 'clientAborted');
      await client.destroy();
      await eventually(() => emulator.stats.openConnections === 0, 3_000, 'open connections to reach 0');
    });

    it('aborting the signal mid-stream ends the SSE iteration with an aborted error', async () => {
      const controller = new AbortController();
      const response = expectKind(
        await client.inference.predict(model('sse'), PRODUCTION, jsonInput({ events: 100_000 }), { signal: controller.signal }),
        'sse',
      );
      const error = await caught<BasetenError>(async () => {
        let seen = 0;
        for await (const _event of response.events) {
          if (++seen === 2) controller.abort();
        }
      });
      assert.ok(error instanceof BasetenError);
      assert.equal(error.kind, 'aborted');
    });
  });

  describe('sleepy deployments', () => {
    it('a predict to a scaled-to-zero deployment is parked until it is active, then answers', async () => {
      const sleepy = model('sleepy');
      const before = await client.management.getDeployment(sleepy.id, 'production');
      assert.equal(before.status, 'SCALED_TO_ZERO');
      const started = Date.now();
      const response = expectKind(await client.inference.predict(sleepy, PRODUCTION, jsonInput({ hi: 1 })), 'json');
      assert.ok(Date.now() - started >= 250, 'the request waited for the wake');
      assert.equal(response.status, 200);
      const after = await client.management.getDeployment(sleepy.id, 'production');
      assert.equal(after.status, 'ACTIVE');
    });

    it('wake answers 202 and waitForDeploymentStatus follows it to ACTIVE', async () => {
      const sleepy = model('sleepy');
      const result = await client.inference.wake(sleepy, PRODUCTION);
      assert.equal(result.status, 202);
      const seen: string[] = [];
      const active = await client.management.waitForDeploymentStatus(sleepy.id, 'production', {
        until: (d) => d.status === 'ACTIVE',
        intervalMs: 25,
        timeoutMs: 5_000,
        onStatus: (d) => seen.push(d.status),
      });
      assert.equal(active.status, 'ACTIVE');
      assert.ok(seen.includes('WAKING_UP') || seen.includes('LOADING_MODEL'), `saw the transition: ${seen.join(' → ')}`);
      assert.equal(emulator.stats.count({ method: 'POST', path: new RegExp(`/model-${sleepy.id}/production/wake$`) }), 1);
    });
  });
});

describe('InferenceClient async requests', function () {
  this.timeout(15_000);
  let emulator: Emulator;
  let client: BasetenClient;
  const echoModel: Pick<Owner, 'kind' | 'id'> = { kind: 'model', id: SEED.models.echo.id };
  const pipeline: Pick<Owner, 'kind' | 'id'> = { kind: 'chain', id: SEED.chains.pipeline.id };

  useEmulatorClient({ emulator: { asyncRunMs: 20 } }, (current) => ({ emulator, client } = current));

  async function waitForStatus(owner: Pick<Owner, 'kind' | 'id'>, requestId: string, wanted: (status: string) => boolean): Promise<string> {
    // Status endpoints are limited to 20 requests per second; poll well below that.
    const deadline = Date.now() + 8_000;
    for (;;) {
      const status = (await client.inference.asyncStatus(owner, requestId)).status;
      if (wanted(status)) return status;
      if (Date.now() > deadline) throw new Error(`async request ${requestId} stayed ${status}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('async_predict answers 2xx with a request_id, and the status reaches SUCCEEDED', async () => {
    const submitted = await client.inference.asyncPredict(echoModel, PRODUCTION, { model_input: { hello: 1 }, priority: 1 });
    assert.ok(submitted.requestId);
    assert.ok(submitted.status >= 200 && submitted.status < 300);
    const sent = emulator.stats.requests.find((request) => /\/async_predict$/.test(request.path));
    assert.ok(sent && new RegExp(`/model-${echoModel.id}/production/async_predict$`).test(sent.path));
    const status = await client.inference.asyncStatus(echoModel, submitted.requestId);
    assert.equal(status.request_id, submitted.requestId);
    assert.equal(status.model_id, echoModel.id);
    assert.ok(Array.isArray(status.errors));
    assert.equal(await waitForStatus(echoModel, submitted.requestId, (s) => isTerminalAsyncStatus(s)), 'SUCCEEDED');
  });

  it('a failing input ends FAILED with errors[] in the status', async () => {
    const { requestId } = await client.inference.asyncPredict(echoModel, PRODUCTION, {
      model_input: { fail: true },
      inference_retry_config: { max_attempts: 1 },
    });
    assert.equal(await waitForStatus(echoModel, requestId, (s) => isTerminalAsyncStatus(s)), 'FAILED');
    const status = await client.inference.asyncStatus(echoModel, requestId);
    assert.ok(status.errors.length > 0);
  });

  it('cancelling a QUEUED request answers canceled: true; an IN_PROGRESS one answers canceled: false with a message', async () => {
    const running = await client.inference.asyncPredict(echoModel, PRODUCTION, { model_input: { sleep_ms: 3_000 } });
    await waitForStatus(echoModel, running.requestId, (s) => s === 'IN_PROGRESS');
    const queued = await client.inference.asyncPredict(echoModel, PRODUCTION, { model_input: { sleep_ms: 10 } });
    assert.equal((await client.inference.asyncStatus(echoModel, queued.requestId)).status, 'QUEUED');

    const queueStatus = await client.inference.asyncQueueStatus(echoModel, PRODUCTION);
    assert.equal(queueStatus.model_id, echoModel.id);
    assert.ok(queueStatus.num_queued_requests >= 1);
    assert.ok(queueStatus.num_in_progress_requests >= 1);

    const cancelQueued = await client.inference.cancelAsync(echoModel, queued.requestId);
    assert.deepEqual({ requestId: cancelQueued.requestId, canceled: cancelQueued.canceled }, { requestId: queued.requestId, canceled: true });
    assert.equal((await client.inference.asyncStatus(echoModel, queued.requestId)).status, 'CANCELED');

    const cancelRunning = await client.inference.cancelAsync(echoModel, running.requestId);
    assert.equal(cancelRunning.canceled, false);
    assert.ok(cancelRunning.message.length > 0, 'the refusal explains itself');
    assert.equal(emulator.stats.count({ method: 'DELETE', path: /\/async_request\// }), 2);
  });

  it('chains use async_run_remote and report chain_id', async () => {
    const { requestId } = await client.inference.asyncPredict(pipeline, PRODUCTION, { model_input: { text: 'x' } });
    assert.equal(emulator.stats.count({ method: 'POST', path: new RegExp(`/chain-${pipeline.id}/production/async_run_remote$`) }), 1);
    const status = await client.inference.asyncStatus(pipeline, requestId);
    assert.equal(status.chain_id, pipeline.id);
  });

  it('an invalid request is refused locally and nothing is sent', async () => {
    const error = await caught<BasetenError>(() => client.inference.asyncPredict(echoModel, PRODUCTION, { model_input: {}, priority: 3 }));
    assert.equal(error.kind, 'validation');
    assert.match(error.message, /priority/);
    const big = await caught<BasetenError>(() => client.inference.asyncPredict(echoModel, PRODUCTION, { model_input: { s: 'x'.repeat(300_000) } }));
    assert.equal(big.kind, 'validation');
    assert.equal(emulator.stats.count({ path: /async_predict/ }), 0);
  });

  it("Baseten's own 413 for an async body over the org's limit is reported", async () => {
    const error = await caught<BasetenError>(() =>
      client.inference.asyncPredict(echoModel, PRODUCTION, { model_input: { s: 'x'.repeat(300_000) } }, { maxBodyBytes: 1024 * 1024 }),
    );
    assert.equal(error.status, 413);
    assert.equal(emulator.stats.count({ path: /async_predict$/ }), 1);
  });

  it('a 429 before acceptance is retried; the job is queued once', async () => {
    emulator.faults.add({ match: { path: /async_predict$/ }, times: 1, fault: { kind: 'status', status: 429, body: '{"error":"CAPACITY_EXCEEDED"}' } });
    const { requestId } = await client.inference.asyncPredict(echoModel, PRODUCTION, { model_input: { a: 1 } });
    assert.ok(requestId);
    assert.equal(emulator.stats.count({ path: /async_predict$/ }), 2);
  });

  it('a 500 or a dropped connection is not retried: a second submit could queue the job twice', async () => {
    emulator.faults.add({ match: { path: /async_predict$/ }, times: 1, fault: { kind: 'status', status: 500 } });
    const error = await caught<BasetenError>(() => client.inference.asyncPredict(echoModel, PRODUCTION, { model_input: { a: 1 } }));
    assert.equal(error.status, 500);
    assert.equal(emulator.stats.count({ path: /async_predict$/ }), 1);

    emulator.stats.reset();
    emulator.faults.add({ match: { path: /async_predict$/ }, times: 1, fault: { kind: 'reset' } });
    const reset = await caught<BasetenError>(() => client.inference.asyncPredict(echoModel, PRODUCTION, { model_input: { a: 1 } }));
    assert.ok(['network', 'stream_truncated'].includes(reset.kind), reset.kind);
    assert.equal(emulator.stats.count({ path: /async_predict$/ }), 1);
  });

  it('queue status works on every target form', async () => {
    for (const target of [PRODUCTION, environment('staging'), DEVELOPMENT, deployment(SEED.models.echo.productionDeploymentId), regional('production')]) {
      const status = await client.inference.asyncQueueStatus(echoModel, target);
      assert.equal(status.model_id, echoModel.id);
      assert.equal(typeof status.num_queued_requests, 'number');
    }
    assert.equal(emulator.stats.count({ method: 'GET', path: /async_queue_status$/ }), 5);
  });

  it('an unknown request id is a 404', async () => {
    const error = await caught<BasetenError>(() => client.inference.asyncStatus(echoModel, 'does-not-exist'));
    assert.equal(error.status, 404);
  });
});
