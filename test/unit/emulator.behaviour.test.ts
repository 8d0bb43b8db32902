/**
 * The emulator behaves like Baseten where the project depends on it: auth answers, the seed, model
 * behaviours, wake and parking, the async queue, webhooks, chat knobs, every fault kind, the control
 * API, WebSockets, and connections that close cleanly.
 */
import * as assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Emulator, EmulatorOptions } from '../../emulator';
import { DEMO_API_KEY, INVOKE_ONLY_API_KEY, SEED, startEmulator } from '../../emulator';
import type { CallResult } from './helpers/emulatorHttp';
import { EmulatorHttp, closed, eventually, nextMessage, openWebSocket, sleep } from './helpers/emulatorHttp';

const echo = SEED.models.echo;
const sleepy = SEED.models.sleepy;
const pipeline = SEED.chains.pipeline;
const model = (handle: keyof typeof SEED.models): string => `/model-${SEED.models[handle].id}`;

/** An emulator and an HTTP client for one `describe`, closed after it. */
function useEmulator(options: EmulatorOptions = {}): { readonly emulator: Emulator; http: EmulatorHttp } {
  const context = {} as { emulator: Emulator; http: EmulatorHttp };
  before(async () => {
    context.emulator = await startEmulator({ tokenDelayMs: 0, wakeDelayMs: 0, asyncRunMs: 0, ...options });
    context.http = new EmulatorHttp(context.emulator);
  });
  after(async () => {
    await context.http?.close();
    await context.emulator?.close();
  });
  beforeEach(() => context.emulator.reset());
  return context;
}

function chatBody(content: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { model: 'moonshotai/Kimi-K2.6', messages: [{ role: 'user', content }], ...extra };
}

/** The JSON chunks of a chat stream, without `[DONE]`. */
function chunks(response: CallResult): Array<Record<string, unknown>> {
  return response.text
    .split('\n\n')
    .filter((event) => event.startsWith('data: ') && event !== 'data: [DONE]')
    .map((event) => JSON.parse(event.slice(6)) as Record<string, unknown>);
}

function deltas(response: CallResult, field: 'content' | 'reasoning_content'): string {
  return chunks(response)
    .map((chunk) => ((chunk.choices as Array<{ delta: Record<string, unknown> }>)[0]?.delta?.[field] as string | null | undefined) ?? '')
    .join('');
}

describe('Emulator behaviour', function () {
  this.timeout(20_000);

  describe('auth', () => {
    const ctx = useEmulator();

    it('Model APIs: no or a wrong key is the recorded 403; Bearer, Api-Key and the invoke-only key work', async () => {
      for (const key of [null, 'wrong.key']) {
        const response = await ctx.http.call('/inference/v1/models', { key });
        assert.equal(response.status, 403);
        assert.equal(response.text, '{"error":"please check the api-key you provided"}\n');
      }
      assert.equal((await ctx.http.call('/inference/v1/models', { scheme: 'Api-Key' })).status, 200);
      assert.equal((await ctx.http.call('/inference/v1/models', { key: INVOKE_ONLY_API_KEY })).status, 200);
      const chat = await ctx.http.call('/inference/v1/chat/completions', { key: INVOKE_ONLY_API_KEY, body: chatBody('hi') });
      assert.equal(chat.status, 200);
    });

    it('model and chain hosts: 401 {"error"} without a valid key; the invoke-only key predicts', async () => {
      const missing = await ctx.http.call(`${model('echo')}/production/predict`, { key: null, body: {} });
      assert.equal(missing.status, 401);
      assert.deepEqual(Object.keys(missing.json()), ['error', 'error_code']);
      assert.equal(missing.json().error_code, 'unauthorized');
      const wrong = await ctx.http.call(`/chain-${pipeline.id}/production/run_remote`, { key: 'wrong.key', body: {} });
      assert.equal(wrong.status, 401);
      assert.match(String(wrong.json().error), /Invalid API key/);
      assert.ok(!wrong.text.includes('wrong.key'), 'the key is never echoed');
      const malformed = await ctx.http.call(`${model('echo')}/production/predict`, { body: {}, headers: { authorization: 'Token abc' }, key: null });
      assert.equal(malformed.status, 401);
      const invoke = await ctx.http.call(`${model('echo')}/production/predict`, { key: INVOKE_ONLY_API_KEY, scheme: 'Api-Key', body: { ok: 1 } });
      assert.equal(invoke.status, 200);
      assert.deepEqual(invoke.json(), { ok: 1 });
    });

    it('management: 401 {"message"} without a valid key; 403 for the invoke-only key on every route', async () => {
      const wrong = await ctx.http.call('/management/v1/users/me', { key: 'wrong.key' });
      assert.equal(wrong.status, 401);
      assert.equal(typeof wrong.json().message, 'string');
      for (const path of ['users/me', 'models', `models/${echo.id}/deployments`, 'chains']) {
        const response = await ctx.http.call(`/management/v1/${path}`, { key: INVOKE_ONLY_API_KEY });
        assert.equal(response.status, 403, path);
        assert.match(String(response.json().message), /invoke-only/);
      }
      const full = await ctx.http.call('/management/v1/users/me');
      assert.deepEqual(full.json(), SEED.user);
    });

    it('the request log never holds the key, only the scheme', async () => {
      await ctx.http.call(`${model('echo')}/production/predict`, { body: {} });
      const [recorded] = ctx.emulator.stats.requests;
      assert.equal(recorded.headers.authorization, 'Bearer [REDACTED]');
      assert.ok(!JSON.stringify(ctx.emulator.stats.requests).includes(DEMO_API_KEY));
    });
  });

  describe('seed', () => {
    const ctx = useEmulator();

    it('has IDs shaped like Baseten’s: models 8 and deployments 7 lowercase alphanumerics', () => {
      for (const seeded of [...Object.values(SEED.models), pipeline]) {
        assert.match(seeded.id, /^[a-z0-9]{8}$/);
        for (const id of seeded.deploymentIds) assert.match(id, /^[a-z0-9]{7}$/);
      }
      assert.deepEqual([...SEED.modelApis].sort(), ['deepseek-ai/DeepSeek-V4-Pro', 'moonshotai/Kimi-K2.6', 'openai/gpt-oss-120b', 'zai-org/GLM-5.2']);
    });

    it('echo: production ACTIVE with 1 replica, staging and development ACTIVE, an INACTIVE and a BUILD_FAILED deployment', async () => {
      const { deployments } = (await ctx.http.call(`/management/v1/models/${echo.id}/deployments`)).json<{ deployments: Array<Record<string, unknown>> }>();
      const byId = new Map(deployments.map((d) => [d.id, d]));
      assert.deepEqual(new Set(byId.keys()), new Set(echo.deploymentIds));
      assert.equal(byId.get(echo.deployments.production)?.status, 'ACTIVE');
      assert.equal(byId.get(echo.deployments.production)?.active_replica_count, 1);
      assert.equal(byId.get(echo.deployments.production)?.is_production, true);
      assert.equal(byId.get(echo.deployments.staging)?.environment, 'staging');
      assert.equal(byId.get(echo.deployments.development)?.is_development, true);
      assert.equal(byId.get(echo.deployments.inactive)?.status, 'INACTIVE');
      assert.equal(byId.get(echo.deployments.buildFailed)?.status, 'BUILD_FAILED');
      const environments = (await ctx.http.call(`/management/v1/models/${echo.id}/environments`)).json<{ environments: Array<{ name: string }> }>();
      assert.deepEqual(environments.environments.map((e) => e.name), [...echo.environments]);
    });

    it('sleepy: production and development SCALED_TO_ZERO with 0 replicas', async () => {
      for (const alias of ['production', 'development']) {
        const deployment = (await ctx.http.call(`/management/v1/models/${sleepy.id}/deployments/${alias}`)).json();
        assert.equal(deployment.status, 'SCALED_TO_ZERO');
        assert.equal(deployment.active_replica_count, 0);
      }
    });

    it('the pipeline chain has two chainlets and a development deployment', async () => {
      const deployment = (await ctx.http.call(`/management/v1/chains/${pipeline.id}/deployments/${pipeline.productionDeploymentId}`)).json<{ chainlets: Array<{ id: string }> }>();
      assert.deepEqual(deployment.chainlets.map((c) => c.id), [pipeline.chainlets.entrypoint, pipeline.chainlets.summarizer]);
      assert.equal((await ctx.http.call(`/chain-${pipeline.id}/development/run_remote`, { body: { a: 1 } })).status, 200);
    });

    it('reset() restores the seed and clears faults and stats', async () => {
      ctx.emulator.setDeploymentStatus(echo.id, echo.productionDeploymentId, 'UNHEALTHY');
      ctx.emulator.faults.add({ fault: { kind: 'status', status: 500 } });
      await ctx.http.call('/inference/v1/models');
      ctx.emulator.reset();
      assert.equal(ctx.emulator.stats.requests.length, 0);
      const deployment = (await ctx.http.call(`/management/v1/models/${echo.id}/deployments/production`)).json();
      assert.equal(deployment.status, 'ACTIVE');
    });
  });

  describe('deployed models', () => {
    const ctx = useEmulator();

    it('every response carries a 37-hex X-Baseten-Request-Id (as recorded) and X-BASETEN-MODEL-PREDICTION-ATTEMPTS: 1', async () => {
      for (const path of [`${model('echo')}/production/predict`, '/model-nosuch99/production/predict', `${model('echo')}/environments/nope/predict`]) {
        const response = await ctx.http.call(path, { body: {} });
        assert.match(response.headers['x-baseten-request-id'], /^[0-9a-f]{37}$/, path);
        assert.equal(response.headers['x-baseten-model-prediction-attempts'], '1');
      }
    });

    it('answers on every target form and 404s an unknown model, environment or deployment, or an inactive one', async () => {
      for (const target of ['production', 'development', 'environments/staging', `deployment/${echo.deployments.staging}`]) {
        assert.equal((await ctx.http.call(`${model('echo')}/${target}/predict`, { body: { t: target } })).status, 200, target);
      }
      assert.equal((await ctx.http.call(`${model('echo')}-staging/predict`, { body: {} })).status, 200);
      assert.equal((await ctx.http.call(`${model('echo')}-staging/production/predict`, { body: {} })).status, 404, 'path routes are not on regional hosts');
      for (const path of ['/model-nosuch99/production/predict', `${model('echo')}/environments/nope/predict`, `${model('echo')}/deployment/zzzzzzz/predict`, `${model('echo')}/deployment/${echo.deployments.inactive}/predict`]) {
        const response = await ctx.http.call(path, { body: {} });
        assert.equal(response.status, 404, path);
        assert.equal(typeof response.json().error, 'string');
      }
      assert.equal((await ctx.http.call(`${model('echo')}/production/run_remote`, { body: {} })).status, 404, 'models predict, chains run_remote');
    });

    it('echo returns JSON unchanged and bytes as bytes', async () => {
      const input = { nested: { list: [1, 'two', null] }, unicode: 'ünï' };
      assert.deepEqual((await ctx.http.call(`${model('echo')}/production/predict`, { body: input })).json(), input);
      const bytes = await ctx.http.call(`${model('echo')}/production/predict`, { body: Buffer.from([0, 1, 2, 255]), headers: { 'content-type': 'application/octet-stream' } });
      assert.equal(bytes.headers['content-type'], 'application/octet-stream');
    });

    it('transform uppercases {"text"} and passes its own 400 through with Truss’s error headers', async () => {
      assert.deepEqual((await ctx.http.call(`${model('transform')}/production/predict`, { body: { text: 'hi there' } })).json(), { text: 'HI THERE', length: 8 });
      const bad = await ctx.http.call(`${model('transform')}/production/predict`, { body: { nope: 1 } });
      assert.equal(bad.status, 400);
      assert.equal(bad.headers['x-baseten-error-source'], '04');
      assert.match(String(bad.json().error), /text/);
    });

    it('failing answers 500 with X-BASETEN-ERROR-SOURCE 04 and X-BASETEN-ERROR-CODE 600', async () => {
      const response = await ctx.http.call(`${model('failing')}/production/predict`, { body: {} });
      assert.equal(response.status, 500);
      assert.deepEqual(response.json(), { error: 'Internal Server Error (in model).' });
      assert.equal(response.headers['x-baseten-error-source'], '04');
      assert.equal(response.headers['x-baseten-error-code'], '600');
    });

    it('chunked streams text/plain with Transfer-Encoding: chunked, N chunks or N bytes', async () => {
      const response = await ctx.http.call(`${model('chunked')}/production/predict`, { body: { chunks: 4 } });
      assert.equal(response.headers['content-type'], 'text/plain');
      assert.equal(response.headers['transfer-encoding'], 'chunked');
      assert.equal(response.text.trim().split('\n').length, 4);
      const big = await ctx.http.call(`${model('chunked')}/production/predict`, { body: { bytes: 300_000 } });
      assert.equal(Buffer.byteLength(big.text), 300_000);
    });

    it('sse sends N data events and no [DONE]', async () => {
      const response = await ctx.http.call(`${model('sse')}/production/predict`, { body: { events: 3 } });
      assert.equal(response.headers['content-type'], 'text/event-stream');
      const events = response.text.split('\n\n').filter(Boolean);
      assert.equal(events.length, 3);
      assert.ok(events.every((event) => event.startsWith('data: {')));
      assert.ok(!response.text.includes('[DONE]'));
    });

    it('binary sends N deterministic octets; {"format": "png"} answers JSON with a base64 PNG', async () => {
      const first = await ctx.http.stream(`${model('binary')}/production/predict`, { body: { bytes: 70_000 } });
      const a = Buffer.from(await first.body.arrayBuffer());
      const second = await ctx.http.stream(`${model('binary')}/production/predict`, { body: { bytes: 70_000 } });
      const b = Buffer.from(await second.body.arrayBuffer());
      assert.equal(first.headers['content-type'], 'application/octet-stream');
      assert.equal(first.headers['content-length'], '70000');
      assert.equal(a.length, 70_000);
      assert.ok(a.equals(b));
      const png = await ctx.http.call(`${model('binary')}/production/predict`, { body: { format: 'png' } });
      const image = Buffer.from(String(png.json().image), 'base64');
      assert.deepEqual([...image.subarray(1, 4)], [...Buffer.from('PNG')]);
    });

    it('slow waits delay_ms before the first byte', async () => {
      const started = Date.now();
      const response = await ctx.http.call(`${model('slow')}/production/predict`, { body: { delay_ms: 150 } });
      assert.ok(Date.now() - started >= 140);
      assert.equal(response.json().delay_ms, 150);
    });

    it('llm: sync/v1/chat/completions streams and answers whole with any model name; sync/v1/models lists it', async () => {
      const base = `${model('llm')}/environments/production/sync/v1`;
      const whole = await ctx.http.call(`${base}/chat/completions`, { body: { model: 'my-served-name', messages: [{ role: 'user', content: 'say: pong' }] } });
      const completion = whole.json<{ model: string; choices: Array<{ message: { content: string } }> }>();
      assert.equal(completion.model, 'my-served-name');
      assert.equal(completion.choices[0].message.content, 'pong');
      const streamed = await ctx.http.call(`${base}/chat/completions`, { body: { model: 'x', stream: true, messages: [{ role: 'user', content: 'say: a b c' }] } });
      assert.equal(deltas(streamed, 'content'), 'a b c');
      assert.ok(streamed.text.endsWith('data: [DONE]\n\n'));
      const models = (await ctx.http.call(`${base}/models`)).json<{ data: Array<{ id: string }> }>();
      assert.equal(models.data[0].id, SEED.models.llm.name);
      assert.equal((await ctx.http.call(`${model('echo')}/production/sync/v1/models/model`)).status, 200, 'Truss readiness');
      assert.equal((await ctx.http.call(`${model('echo')}/production/sync/nowhere`)).status, 404);
    });

    it('refuses bodies over 100 MiB with 413 and Baseten’s message', async () => {
      const port = ctx.emulator.port;
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.write(`POST ${model('echo')}/production/predict HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${DEMO_API_KEY}\r\nContent-Type: application/json\r\nContent-Length: 209715200\r\n\r\n{`);
        });
        let text = '';
        socket.on('data', (data) => (text += data.toString()));
        socket.on('close', () => resolve(text));
        socket.on('error', reject);
      });
      assert.match(answer, /^HTTP\/1\.1 413/);
      assert.match(answer, /payload size of 209715200 bytes exceeds maximum size of 104857600 bytes/);
    });
  });

  describe('wake and parking', () => {
    const ctx = useEmulator({ wakeDelayMs: 400 });

    async function status(alias = 'production'): Promise<Record<string, unknown>> {
      return (await ctx.http.call(`/management/v1/models/${sleepy.id}/deployments/${alias}`)).json();
    }

    it('wake answers 202 and moves SCALED_TO_ZERO → WAKING_UP → LOADING_MODEL → ACTIVE, replicas 0 → 1', async () => {
      const response = await ctx.http.call(`${model('sleepy')}/production/wake`, { method: 'POST' });
      assert.equal(response.status, 202);
      const seen: string[] = [];
      const replicas: number[] = [];
      await eventually(async () => {
        const current = await status();
        if (seen[seen.length - 1] !== current.status) {
          seen.push(String(current.status));
          replicas.push(Number(current.active_replica_count));
        }
        return current.status === 'ACTIVE';
      }, 3_000, 'ACTIVE');
      assert.deepEqual(seen, ['WAKING_UP', 'LOADING_MODEL', 'ACTIVE']);
      assert.deepEqual(replicas, [0, 0, 1]);
    });

    it('parks a predict to a sleeping deployment until it is ACTIVE, then answers; parallel requests all answer', async () => {
      const started = Date.now();
      const answers = await Promise.all([1, 2, 3].map((n) => ctx.http.call(`${model('sleepy')}/development/predict`, { body: { n } })));
      assert.ok(Date.now() - started >= 350, 'the requests waited for the wake');
      assert.deepEqual(answers.map((response) => response.json().n), [1, 2, 3]);
      assert.equal((await status('development')).status, 'ACTIVE');
    });

    it('a client that leaves while parked is recorded as aborted and its socket closes', async () => {
      const controller = new AbortController();
      const pending = ctx.http.call(`${model('sleepy')}/production/predict`, { body: {}, signal: controller.signal });
      await sleep(50);
      controller.abort();
      await assert.rejects(pending);
      await eventually(() => ctx.emulator.stats.requests.some((request) => request.clientAborted), 2_000, 'clientAborted');
    });

    it('the parking timeout answers 500', async () => {
      const impatient = await startEmulator({ wakeDelayMs: 5_000, parkingTimeoutMs: 50 });
      const http = new EmulatorHttp(impatient);
      try {
        const response = await http.call(`${model('sleepy')}/production/predict`, { body: {} });
        assert.equal(response.status, 500);
        assert.equal(response.json().error_code, 'timeout');
      } finally {
        await http.close();
        await impatient.close();
      }
    });

    it('falls asleep again after scaleToZeroAfterMs without traffic', async () => {
      const drowsy = await startEmulator({ wakeDelayMs: 0, scaleToZeroAfterMs: 80 });
      const http = new EmulatorHttp(drowsy);
      try {
        await http.call(`${model('sleepy')}/production/predict`, { body: {} });
        assert.equal((await http.call(`/management/v1/models/${sleepy.id}/deployments/production`)).json().status, 'ACTIVE');
        await eventually(async () => (await http.call(`/management/v1/models/${sleepy.id}/deployments/production`)).json().status === 'SCALED_TO_ZERO', 2_000, 'SCALED_TO_ZERO');
        const echoProduction = (await http.call(`/management/v1/models/${echo.id}/deployments/production`)).json();
        assert.equal(echoProduction.status, 'ACTIVE', 'min_replica 1 keeps it up');
      } finally {
        await http.close();
        await drowsy.close();
      }
    });

    it('setDeploymentStatus and deactivation change what inference answers', async () => {
      ctx.emulator.setDeploymentStatus(echo.id, echo.productionDeploymentId, 'BUILDING');
      assert.equal((await ctx.http.call(`${model('echo')}/production/predict`, { body: {} })).status, 503);
      ctx.emulator.setDeploymentStatus(echo.id, echo.productionDeploymentId, 'INACTIVE');
      assert.equal((await ctx.http.call(`${model('echo')}/production/predict`, { body: {} })).status, 404);
      await ctx.http.call(`/management/v1/models/${echo.id}/deployments/production/activate`, { method: 'POST' });
      await eventually(async () => (await ctx.http.call(`${model('echo')}/production/predict`, { body: {} })).status === 200, 3_000, 'reactivated');
    });
  });

  describe('async requests', () => {
    const ctx = useEmulator({ asyncRunMs: 20, queueSecondsScale: 10, statusRetentionMs: 300, asyncStatusRateLimitPerSecond: 1_000 });
    const submit = async (body: Record<string, unknown>, path = `${model('echo')}/production/async_predict`): Promise<string> => {
      const response = await ctx.http.call(path, { body });
      assert.equal(response.status, 201, response.text);
      return response.json<{ request_id: string }>().request_id;
    };
    const state = (id: string) => ctx.emulator.state.asyncRequests.get(id);

    it('answers 201 with a 32-hex request_id and validates the body like Baseten', async () => {
      assert.match(await submit({ model_input: {} }), /^[0-9a-f]{32}$/);
      const invalid: Array<[Record<string, unknown>, RegExp]> = [
        [{}, /model_input/],
        [{ model_input: {}, priority: 3 }, /priority/],
        [{ model_input: {}, max_time_in_queue_seconds: 5 }, /max_time_in_queue_seconds/],
        [{ model_input: {}, max_time_in_queue_seconds: 259_201 }, /max_time_in_queue_seconds/],
        [{ model_input: {}, inference_retry_config: { max_attempts: 11 } }, /max_attempts/],
        [{ model_input: {}, inference_retry_config: { initial_delay_ms: 10_001 } }, /initial_delay_ms/],
        [{ model_input: {}, inference_retry_config: { max_delay_ms: 60_001 } }, /max_delay_ms/],
        [{ model_input: {}, webhook_endpoint: 'not a url' }, /webhook_endpoint/],
        [{ model_input: {}, webhook_endpoint: 'http://example.com/hook' }, /https/],
      ];
      for (const [body, message] of invalid) {
        const response = await ctx.http.call(`${model('echo')}/production/async_predict`, { body });
        assert.equal(response.status, 400, JSON.stringify(body));
        assert.match(String(response.json().error), message);
      }
      const big = await ctx.http.call(`${model('echo')}/production/async_predict`, { body: { model_input: { s: 'x'.repeat(262_144) } } });
      assert.equal(big.status, 413);
      assert.match(String(big.json().error), /^payload size of \d+ bytes exceeds maximum size of 262144 bytes$/);
    });

    it('runs one request at a time per deployment: priority 0 first, then arrival order', async () => {
      const blocker = await submit({ model_input: { sleep_ms: 150 } });
      const low = await submit({ model_input: { n: 'low' }, priority: 2 });
      const firstNormal = await submit({ model_input: { n: 'first' }, priority: 1 });
      const high = await submit({ model_input: { n: 'high' }, priority: 0 });
      const secondNormal = await submit({ model_input: { n: 'second' }, priority: 1 });
      const ids = [blocker, high, firstNormal, secondNormal, low];
      const started: string[] = [];
      await eventually(() => {
        for (const id of ids) if (state(id)?.status !== 'QUEUED' && !started.includes(id)) started.push(id);
        const running = ids.filter((id) => state(id)?.status === 'IN_PROGRESS');
        assert.ok(running.length <= 1, 'one at a time');
        return ids.every((id) => state(id)?.status === 'SUCCEEDED');
      }, 5_000, 'all to succeed');
      assert.deepEqual(started, ids);
    });

    it('queue status counts queued and in-progress requests of the deployment', async () => {
      await submit({ model_input: { sleep_ms: 200 } });
      await submit({ model_input: {} });
      await submit({ model_input: {} });
      await eventually(async () => {
        const queue = (await ctx.http.call(`${model('echo')}/production/async_queue_status`)).json();
        return queue.num_in_progress_requests === 1 && queue.num_queued_requests === 2;
      }, 2_000, 'counts');
      const other = (await ctx.http.call(`${model('echo')}/environments/staging/async_queue_status`)).json();
      assert.deepEqual(other, { model_id: echo.id, deployment_id: echo.deployments.staging, num_queued_requests: 0, num_in_progress_requests: 0 });
    });

    it('cancels only QUEUED requests; the others answer canceled: false with a reason', async () => {
      const running = await submit({ model_input: { sleep_ms: 200 } });
      const queued = await submit({ model_input: {} });
      await eventually(() => state(running)?.status === 'IN_PROGRESS');
      const cancelQueued = (await ctx.http.call(`${model('echo')}/async_request/${queued}`, { method: 'DELETE' })).json();
      assert.deepEqual({ ...cancelQueued, message: undefined }, { request_id: queued, canceled: true, message: undefined });
      assert.equal(state(queued)?.status, 'CANCELED');
      const cancelRunning = (await ctx.http.call(`${model('echo')}/async_request/${running}`, { method: 'DELETE' })).json();
      assert.equal(cancelRunning.canceled, false);
      assert.match(String(cancelRunning.message), /IN_PROGRESS/);
      await eventually(() => state(running)?.status === 'SUCCEEDED');
      const cancelDone = (await ctx.http.call(`${model('echo')}/async_request/${running}`, { method: 'DELETE' })).json();
      assert.equal(cancelDone.canceled, false);
    });

    it('expires a request still queued after max_time_in_queue_seconds (scaled)', async () => {
      await submit({ model_input: { sleep_ms: 300 } });
      const waiting = await submit({ model_input: {}, max_time_in_queue_seconds: 10 });
      await eventually(() => state(waiting)?.status === 'EXPIRED', 2_000, 'EXPIRED');
      const status = (await ctx.http.call(`${model('echo')}/async_request/${waiting}`)).json();
      assert.equal(status.status, 'EXPIRED');
      assert.ok(Date.parse(String(status.status_at)) - Date.parse(String(status.created_at)) >= 90);
    });

    it('retries a failing run per inference_retry_config, then FAILED with MODEL_PREDICT_ERROR', async () => {
      const id = await submit({ model_input: { fail: true }, inference_retry_config: { max_attempts: 3, initial_delay_ms: 1_000, max_delay_ms: 2_000 } });
      await eventually(() => state(id)?.status === 'FAILED', 3_000, 'FAILED');
      assert.equal(state(id)?.attempts, 3);
      const status = (await ctx.http.call(`${model('echo')}/async_request/${id}`)).json<{ errors: Array<{ code: string; message: string }> }>();
      assert.equal(status.errors[0].code, 'MODEL_PREDICT_ERROR');
      const invalid = await submit({ model_input: { wrong: 1 } }, `${model('transform')}/production/async_predict`);
      await eventually(() => state(invalid)?.status === 'FAILED');
      assert.equal(state(invalid)?.attempts, 1, 'an invalid input is not retried');
      assert.equal(state(invalid)?.errors[0].code, 'MODEL_INVALID_INPUT');
    });

    it('keeps a status statusRetentionMs after the end, then 404; unknown ids and other hosts 404', async () => {
      const id = await submit({ model_input: {} });
      await eventually(() => state(id)?.status === 'SUCCEEDED');
      assert.equal((await ctx.http.call(`${model('echo')}/async_request/${id}`)).status, 200);
      assert.equal((await ctx.http.call(`${model('transform')}/async_request/${id}`)).status, 404, 'another model');
      await eventually(async () => (await ctx.http.call(`${model('echo')}/async_request/${id}`)).status === 404, 2_000, 'retention to end');
      assert.equal((await ctx.http.call(`${model('echo')}/async_request/nope`)).status, 404);
    });

    it('wakes a scaled-to-zero deployment for a queued request; chains report chain_id', async () => {
      const id = await submit({ model_input: {} }, `${model('sleepy')}/production/async_predict`);
      await eventually(() => state(id)?.status === 'SUCCEEDED', 3_000, 'the request to run after the wake');
      const chainId = await submit({ model_input: { x: 1 } }, `/chain-${pipeline.id}/production/async_run_remote`);
      const status = (await ctx.http.call(`/chain-${pipeline.id}/async_request/${chainId}`)).json();
      assert.equal(status.chain_id, pipeline.id);
      assert.equal(status.model_id, undefined);
    });

    it('limits status, cancel and queue status per key and second with 429', async () => {
      const limited = await startEmulator({ asyncStatusRateLimitPerSecond: 5 });
      const http = new EmulatorHttp(limited);
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 6; i++) statuses.push((await http.call(`${model('echo')}/production/async_queue_status`)).status);
        assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429]);
        const limitedAnswer = await http.call(`${model('echo')}/async_request/anything`);
        assert.equal(limitedAnswer.status, 429);
        assert.equal(limitedAnswer.headers['retry-after'], '1');
        assert.equal(limitedAnswer.json().error_code, 'rate_limited');
        assert.equal((await http.call(`${model('echo')}/production/async_queue_status`, { key: INVOKE_ONLY_API_KEY })).status, 200, 'per key');
      } finally {
        await http.close();
        await limited.close();
      }
    });
  });

  describe('webhooks', () => {
    const secret = 'whsec_EmulatorTestSecret';
    const ctx = useEmulator({ asyncRunMs: 5, queueSecondsScale: 20, webhookSecret: secret });
    let receiver: Server;
    let url: string;
    const received: Array<{ headers: IncomingMessage['headers']; body: string }> = [];
    let answers: number[] = [];

    before(async () => {
      receiver = createServer((req, res) => {
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString()));
        req.on('end', () => {
          received.push({ headers: req.headers, body });
          res.statusCode = answers.shift() ?? 200;
          res.end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    });
    after(() => new Promise<void>((resolve) => receiver.close(() => resolve())));
    beforeEach(() => {
      received.length = 0;
      answers = [];
    });

    const submit = async (modelInput: unknown): Promise<string> =>
      (await ctx.http.call(`${model('echo')}/production/async_predict`, { body: { model_input: modelInput, webhook_endpoint: url } })).json<{ request_id: string }>().request_id;

    it('POSTs the result signed with X-BASETEN-SIGNATURE v1=hmac-sha256(secret, raw body)', async () => {
      const id = await submit({ hello: 'hook' });
      await eventually(() => ctx.emulator.state.asyncRequests.get(id)?.webhookStatus === 'SUCCEEDED', 3_000, 'delivery');
      const [delivery] = received;
      assert.equal(delivery.headers['content-type'], 'application/json');
      assert.equal(delivery.headers['x-baseten-request-id'], id);
      assert.equal(delivery.headers['x-baseten-signature'], `v1=${createHmac('sha256', secret).update(delivery.body).digest('hex')}`);
      const payload = JSON.parse(delivery.body) as Record<string, unknown>;
      assert.deepEqual(Object.keys(payload).sort(), ['data', 'deployment_id', 'errors', 'model_id', 'request_id', 'time', 'type']);
      assert.equal(payload.type, 'async_request_completed');
      assert.deepEqual(payload.data, { output: { hello: 'hook' } });
      assert.deepEqual(payload.errors, []);
      assert.equal(ctx.emulator.state.asyncRequests.get(id)?.status, 'SUCCEEDED');
      const log = (await ctx.http.call('/__emulator/webhooks', { key: null })).json<{ deliveries: Array<{ requestId: string; outcome: string }> }>();
      assert.deepEqual(log.deliveries.map((d) => [d.requestId, d.outcome]), [[id, 'SUCCEEDED']]);
    });

    it('a failed run is delivered with data: null and its errors', async () => {
      const id = await (async () => (await ctx.http.call(`${model('echo')}/production/async_predict`, { body: { model_input: { fail: true }, webhook_endpoint: url, inference_retry_config: { max_attempts: 1 } } })).json<{ request_id: string }>().request_id)();
      await eventually(() => received.length === 1, 3_000, 'delivery');
      const payload = JSON.parse(received[0].body) as { data: unknown; errors: Array<{ code: string }> };
      assert.equal(payload.data, null);
      assert.equal(payload.errors[0].code, 'MODEL_PREDICT_ERROR');
      await eventually(() => ctx.emulator.state.asyncRequests.get(id)?.webhookStatus === 'SUCCEEDED');
      assert.equal(ctx.emulator.state.asyncRequests.get(id)?.status, 'FAILED');
    });

    it('retries once on 503, about 2 s (scaled) later; failing twice makes the request WEBHOOK_FAILED', async () => {
      answers = [503, 503];
      const id = await submit({ a: 1 });
      await eventually(() => ctx.emulator.state.asyncRequests.get(id)?.status === 'WEBHOOK_FAILED', 3_000, 'WEBHOOK_FAILED');
      assert.equal(received.length, 2);
      assert.equal(ctx.emulator.state.asyncRequests.get(id)?.webhookStatus, 'FAILED');
      const log = (await ctx.http.call('/__emulator/webhooks', { key: null })).json<{ deliveries: Array<{ attempts: Array<{ at: string; status: number }> }> }>();
      const [first, second] = log.deliveries[0].attempts;
      assert.deepEqual([first.status, second.status], [503, 503]);
      assert.ok(Date.parse(second.at) - Date.parse(first.at) >= 35, 'about 2 Baseten seconds apart');
    });

    it('does not retry a 400', async () => {
      answers = [400];
      const id = await submit({ a: 1 });
      await eventually(() => ctx.emulator.state.asyncRequests.get(id)?.webhookStatus === 'FAILED', 3_000, 'FAILED');
      await sleep(100);
      assert.equal(received.length, 1);
    });
  });

  describe('Model APIs chat', () => {
    const ctx = useEmulator({ fast: true });
    const chat = (body: Record<string, unknown>, headers: Record<string, string> = {}) => ctx.http.call('/inference/v1/chat/completions', { body, headers });

    it('replies deterministically from the last user message', async () => {
      const response = await chat(chatBody('[[echo]] What is up?'));
      const message = response.json<{ choices: Array<{ message: { content: string } }> }>().choices[0].message;
      assert.equal(message.content, 'Hello from the Baseten emulator. You said: What is up?');
      assert.equal(response.headers['content-type'], 'application/json');
      assert.match(response.headers['x-baseten-request-id'], /^[0-9a-f]{37}$/);
    });

    it('without a directive answers like a model: short markdown that fits the prompt, varied, never an echo', async () => {
      const answer = async (prompt: string): Promise<string> =>
        (await chat(chatBody(prompt))).json<{ choices: Array<{ message: { content: string } }> }>().choices[0].message.content;
      const code = await answer('Write a TypeScript function that debounces another one');
      assert.match(code, /```ts\n[\s\S]+\n```/, 'a code prompt gets a fenced code block');
      assert.match(code, /function debounce/, 'about what was asked');
      assert.match(await answer('Write a TypeScript helper that retries a failing call'), /function retry/);
      assert.match(await answer('Write a python script to count words'), /```python\n/);
      assert.match(await answer('List some ideas for a team offsite'), /^(1\.|-) \*\*/m, 'a list prompt gets a list');
      assert.match(await answer('hello'), /^(Hello|Hi)/);
      const questions = ['What is a vector database?', 'Should I cache this?', 'Is Rust faster than Go?', 'Why is the sky blue?', 'How big is a token?'];
      const answers = await Promise.all(questions.map(answer));
      assert.ok(new Set(answers.map((text) => text.slice(0, 20))).size >= 2, `answers vary: ${answers.join(' | ')}`);
      for (const [i, text] of answers.entries()) {
        assert.doesNotMatch(text, /You said|Baseten emulator/, 'no echo');
        assert.ok(text.length < 400, `short: ${text.length} characters`);
        assert.equal(text, await answer(questions[i]), 'the same prompt, the same answer');
      }
    });

    it('x-emulator-tokens and [[tokens:N]] give exactly N content tokens; say: answers verbatim', async () => {
      const streamed = await chat({ ...chatBody('go'), stream: true }, { 'x-emulator-tokens': '25' });
      const contentChunks = chunks(streamed).filter((chunk) => (chunk.choices as Array<{ delta: { content?: string } }>)[0]?.delta?.content);
      assert.equal(contentChunks.length, 25);
      const usage = chunks(streamed).at(-1)?.usage as { completion_tokens: number };
      assert.equal(usage.completion_tokens, 25);
      const whole = await chat(chatBody('[[tokens:12]] please'));
      assert.equal(whole.json<{ usage: { completion_tokens: number } }>().usage.completion_tokens, 12);
      const payload = '<img src=x onerror=alert(1)> **bold** `code`\n\n- item';
      const said = await chat({ ...chatBody(`say: ${payload}`), stream: true });
      assert.equal(deltas(said, 'content'), payload);
    });

    it('streams 100,000 tokens quickly and in order', async function () {
      this.timeout(30_000);
      const started = Date.now();
      const response = await chat({ ...chatBody('[[tokens:100000]]'), stream: true });
      const all = chunks(response);
      const usage = all.at(-1)?.usage as { completion_tokens: number };
      assert.equal(usage.completion_tokens, 100_000);
      assert.ok(response.text.endsWith('data: [DONE]\n\n'));
      assert.ok(Date.now() - started < 20_000, `took ${Date.now() - started} ms`);
    });

    it('stops generating when the client goes away', async () => {
      const slow = await startEmulator({ tokenDelayMs: 5 });
      const http = new EmulatorHttp(slow);
      try {
        const controller = new AbortController();
        const response = await http.stream('/inference/v1/chat/completions', { body: { ...chatBody('[[tokens:100000]]'), stream: true }, signal: controller.signal });
        let events = 0;
        await assert.rejects(
          (async () => {
            for await (const chunk of response.body) {
              events += String(chunk).split('\n\n').length - 1;
              if (events >= 3) controller.abort();
            }
          })(),
        );
        await eventually(() => slow.stats.requests[0]?.clientAborted === true && slow.stats.requests[0]?.durationMs !== undefined, 2_000, 'the abort to be seen');
        await http.close();
        await eventually(() => slow.stats.openConnections === 0, 2_000, 'connections to close');
      } finally {
        await http.close();
        await slow.close();
      }
    });

    it('max_tokens ends with finish_reason length; stop strings end the content', async () => {
      const truncated = await chat(chatBody('one two three four five six', { max_tokens: 4 }));
      const body = truncated.json<{ choices: Array<{ finish_reason: string; message: { content: string } }>; usage: { completion_tokens: number } }>();
      assert.equal(body.choices[0].finish_reason, 'length');
      assert.equal(body.usage.completion_tokens, 4);
      const stopped = await chat(chatBody('say: alpha beta STOP gamma', { stop: ['STOP'] }));
      const choice = stopped.json<{ choices: Array<{ finish_reason: string; message: { content: string } }> }>().choices[0];
      assert.equal(choice.message.content, 'alpha beta ');
      assert.equal(choice.finish_reason, 'stop');
    });

    it('reasons by default where the model does, on request for Kimi, and never with reasoning_effort none', async () => {
      const reasoningOf = async (body: Record<string, unknown>) => deltas(await chat({ ...body, stream: true }), 'reasoning_content');
      assert.notEqual(await reasoningOf({ ...chatBody('hi'), model: 'zai-org/GLM-5.2' }), '');
      assert.equal(await reasoningOf({ ...chatBody('hi'), model: 'zai-org/GLM-5.2', reasoning_effort: 'none' }), '');
      assert.equal(await reasoningOf(chatBody('hi')), '');
      assert.notEqual(await reasoningOf(chatBody('hi', { chat_template_args: { enable_thinking: true } })), '');
      const glmEffort = await chat({ ...chatBody('hi'), model: 'zai-org/GLM-5.2', reasoning_effort: 'low' });
      assert.equal(glmEffort.status, 400);
    });

    it('calls a tool the user names (auto), builds arguments from its schema, and answers after the tool result', async () => {
      const tools = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } }, required: ['city'] } } }];
      const response = await chat(chatBody('Use get_weather for "Paris" over 3 days', { tools }));
      const choice = response.json<{ choices: Array<{ finish_reason: string; message: { tool_calls: Array<{ id: string; function: { name: string; arguments: string } }> } }> }>().choices[0];
      assert.equal(choice.finish_reason, 'tool_calls');
      assert.deepEqual(JSON.parse(choice.message.tool_calls[0].function.arguments), { city: 'Paris', days: 3 });
      const followUp = await chat({
        ...chatBody('Use get_weather for "Paris"', { tools }),
        messages: [
          { role: 'user', content: 'Use get_weather for "Paris"' },
          { role: 'assistant', tool_calls: choice.message.tool_calls },
          { role: 'tool', tool_call_id: choice.message.tool_calls[0].id, name: 'get_weather', content: 'sunny' },
        ],
      });
      assert.match(followUp.json<{ choices: Array<{ message: { content: string } }> }>().choices[0].message.content, /sunny/);
      const none = await chat(chatBody('Use get_weather', { tools, tool_choice: 'none' }));
      assert.equal(none.json<{ choices: Array<{ finish_reason: string }> }>().choices[0].finish_reason, 'stop');
    });

    it('streams tool calls in each engine’s style: whole, same id repeated, empty id on continuation', async () => {
      const tools = [{ type: 'function', function: { name: 'square_root', parameters: { type: 'object', properties: { number: { type: 'number' } }, required: ['number'] } } }];
      const toolDeltas = async (slug: string) => {
        const response = await chat({ model: slug, messages: [{ role: 'user', content: 'square root of 132413' }], tools, tool_choice: 'required', stream: true });
        return chunks(response).flatMap((chunk) => ((chunk.choices as Array<{ delta: { tool_calls?: Array<{ id?: string; function: { arguments: string } }> } }>)[0]?.delta?.tool_calls ?? []));
      };
      const deepseek = await toolDeltas('deepseek-ai/DeepSeek-V4-Pro');
      assert.equal(deepseek.length, 1);
      assert.equal(deepseek[0].function.arguments, '{"number": 132413}');
      const glm = await toolDeltas('zai-org/GLM-5.2');
      assert.ok(glm.length > 1);
      assert.ok(glm.every((call) => call.id === glm[0].id), 'GLM repeats the id, as recorded');
      assert.equal(glm.map((call) => call.function.arguments).join(''), '{"number": 132413}');
      const kimi = await toolDeltas('moonshotai/Kimi-K2.6');
      assert.ok(kimi.length > 1);
      assert.ok(kimi.every((call) => call.id === kimi[0].id));
      const deployed = await ctx.http.call(`${model('llm')}/environments/production/sync/v1/chat/completions`, {
        body: { model: 'llm', messages: [{ role: 'user', content: 'square root of 132413' }], tools, tool_choice: 'required', stream: true },
      });
      const openAiStyle = chunks(deployed).flatMap((chunk) => ((chunk.choices as Array<{ delta: { tool_calls?: Array<{ id?: string }> } }>)[0]?.delta?.tool_calls ?? []));
      assert.ok(openAiStyle[0].id);
      assert.ok(openAiStyle.slice(1).every((call) => call.id === ''), 'the deployed OpenAI-compatible LLM sends an empty id on continuation');
      const finishes = chunks(deployed).filter((chunk) => (chunk.choices as Array<{ finish_reason?: string }>)[0]?.finish_reason);
      assert.equal(finishes.length, 1);
    });

    it('answers JSON that fits response_format', async () => {
      const schema = { type: 'object', properties: { answer: { type: 'string' }, score: { type: 'integer', minimum: 5, maximum: 9 }, tags: { type: 'array', items: { enum: ['a', 'b'] }, minItems: 2 } }, required: ['answer', 'score', 'tags'], additionalProperties: false };
      const response = await chat(chatBody('rate it', { response_format: { type: 'json_schema', json_schema: { name: 'rating', schema } } }));
      const value = JSON.parse(response.json<{ choices: Array<{ message: { content: string } }> }>().choices[0].message.content) as { score: number; tags: string[] };
      assert.ok(value.score >= 5 && value.score <= 9);
      assert.deepEqual(value.tags, ['a', 'a']);
      const object = await chat(chatBody('anything', { response_format: { type: 'json_object' } }));
      assert.doesNotThrow(() => JSON.parse(object.json<{ choices: Array<{ message: { content: string } }> }>().choices[0].message.content));
    });

    it('404s an unknown or disabled model with the not-found-or-not-enabled message; refuses n > 1 and images on text models', async () => {
      const unknown = await chat({ ...chatBody('hi'), model: 'acme/unknown' });
      assert.equal(unknown.status, 404);
      assert.match(unknown.json<{ error: { message: string; type: string } }>().error.message, /not found or is not enabled in this workspace/);
      ctx.emulator.state.modelApis[0].enabled = false;
      assert.equal((await chat({ ...chatBody('hi'), model: ctx.emulator.state.modelApis[0].entry.id })).status, 404);
      assert.equal((await chat(chatBody('hi', { n: 2 }))).status, 400);
      const image = { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] };
      assert.equal((await chat({ model: 'deepseek-ai/DeepSeek-V4-Pro', messages: [image] })).status, 400);
      assert.equal((await chat({ model: 'moonshotai/Kimi-K2.6', messages: [image] })).status, 200, 'Kimi takes images');
    });

    it('takes images as text + image_url parts with an https or base64 data: URL, and refuses any other URL', async () => {
      const withImage = (url: string) => ({ model: 'moonshotai/Kimi-K2.6', messages: [{ role: 'user', content: [{ type: 'text', text: '[[echo]] What is it?' }, { type: 'image_url', image_url: { url } }] }] });
      const answered = await chat(withImage('data:image/png;base64,iVBORw0KGgo='));
      assert.equal(answered.status, 200);
      assert.match(answered.json<{ choices: Array<{ message: { content: string } }> }>().choices[0].message.content, /What is it\? \(with 1 image\)/);
      for (const url of ['file:///tmp/a.png', 'data:image/png,raw', 'data:text/plain;base64,aGk=', 'data:image/png;base64,not base64!']) {
        const refused = await chat(withImage(url));
        assert.equal(refused.status, 400, url);
        assert.match(refused.json<{ error: { message: string } }>().error.message, /image_url\.url/);
      }
    });

    it('a deployed (vLLM) model streams usage only when stream_options.include_usage asks for it', async () => {
      const deployed = (extra: Record<string, unknown>) =>
        ctx.http.call(`${model('llm')}/environments/production/sync/v1/chat/completions`, { body: { model: 'llm', stream: true, messages: [{ role: 'user', content: 'say: a b c' }], ...extra } });
      const silent = chunks(await deployed({}));
      assert.ok(silent.every((chunk) => !chunk.usage), 'no usage unless asked');
      const asked = chunks(await deployed({ stream_options: { include_usage: true } }));
      assert.ok(asked.slice(0, -1).every((chunk) => !chunk.usage), 'no per-chunk usage without continuous_usage_stats');
      const usage = asked.at(-1)?.usage as { prompt_tokens: number; completion_tokens: number; total_tokens: number };
      assert.equal(usage.completion_tokens, 3);
      assert.equal(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens);
    });

    it('reports usage that adds up, with and without stream_options', async () => {
      const response = await chat({ ...chatBody('count me'), model: 'zai-org/GLM-5.2', stream: true, stream_options: { include_usage: true, continuous_usage_stats: false } });
      const all = chunks(response);
      assert.ok(all.slice(0, -1).every((chunk) => chunk.usage === null));
      const usage = all.at(-1)?.usage as { prompt_tokens: number; completion_tokens: number; total_tokens: number };
      assert.equal(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens);
      const noUsage = await chat({ ...chatBody('x'), stream: true, stream_options: { include_usage: false } });
      assert.ok(chunks(noUsage).every((chunk) => (chunk.choices as unknown[]).length > 0));
    });
  });

  describe('faults', () => {
    const ctx = useEmulator({ fast: true });
    const predict = (handle: keyof typeof SEED.models = 'echo', body: unknown = { x: 1 }, headers: Record<string, string> = {}) =>
      ctx.http.call(`${model(handle)}/production/predict`, { body, headers });

    it('status: answers the status, body, Retry-After and headers, for `times` requests only', async () => {
      ctx.emulator.faults.add({ match: { path: /\/predict$/ }, times: 1, fault: { kind: 'status', status: 503, body: { error: 'no replica' }, retryAfter: '2', headers: { 'x-extra': 'yes' } } });
      const faulted = await predict();
      assert.equal(faulted.status, 503);
      assert.deepEqual(faulted.json(), { error: 'no replica' });
      assert.equal(faulted.headers['retry-after'], '2');
      assert.equal(faulted.headers['x-extra'], 'yes');
      assert.equal((await predict()).status, 200);
      assert.deepEqual(ctx.emulator.stats.requests.map((request) => request.fault), ['status 503', undefined]);
    });

    it('matches on method, path, model ID and Model API slug; the removal function works', async () => {
      const remove = ctx.emulator.faults.add({ match: { modelId: SEED.models.transform.id }, fault: { kind: 'status', status: 502 } });
      assert.equal((await predict('echo')).status, 200);
      assert.equal((await predict('transform', { text: 'a' })).status, 502);
      remove();
      assert.equal((await predict('transform', { text: 'a' })).status, 200);
      ctx.emulator.faults.add({ match: { model: 'zai-org/GLM-5.2', method: 'post' }, fault: { kind: 'status', status: 429 } });
      assert.equal((await ctx.http.call('/inference/v1/chat/completions', { body: { ...chatBody('x'), model: 'zai-org/GLM-5.2' } })).status, 429);
      assert.equal((await ctx.http.call('/inference/v1/chat/completions', { body: chatBody('x') })).status, 200);
      ctx.emulator.faults.clear();
      ctx.emulator.faults.add({ match: { path: '/management/v1/models' }, fault: { kind: 'status', status: 500, body: 'plain text' } });
      const text = await ctx.http.call('/management/v1/models');
      assert.equal(text.status, 500);
      assert.equal(text.text, 'plain text');
      assert.equal((await ctx.http.call(`/management/v1/models/${echo.id}`)).status, 200, 'a string path matches exactly');
    });

    it('drop after N bytes: the client gets exactly N bytes of body, then the connection ends', async () => {
      ctx.emulator.faults.add({ times: 1, fault: { kind: 'drop', afterBytes: 1000 } });
      const response = await ctx.http.stream(`${model('chunked')}/production/predict`, { body: { bytes: 200_000 } });
      let bytes = 0;
      await assert.rejects(
        (async () => {
          for await (const chunk of response.body) bytes += (chunk as Buffer).length;
        })(),
      );
      assert.equal(bytes, 1000);
      assert.equal(ctx.emulator.stats.requests[0].clientAborted, false, 'the emulator closed it, not the client');
    });

    it('drop after N events: an SSE chat stream ends after exactly N events, without [DONE]', async () => {
      const fault = JSON.stringify({ kind: 'drop', afterEvents: 3 });
      const response = await ctx.http.stream('/inference/v1/chat/completions', { body: { ...chatBody('hello there'), stream: true }, headers: { 'x-emulator-fault': fault } });
      assert.equal(response.statusCode, 200);
      let text = '';
      await assert.rejects(
        (async () => {
          for await (const chunk of response.body) text += String(chunk);
        })(),
      );
      assert.equal(text.split('\n\n').filter(Boolean).length, 3);
      assert.ok(!text.includes('[DONE]'));
    });

    it('drop with no limit sends the headers, then closes', async () => {
      ctx.emulator.faults.add({ times: 1, fault: { kind: 'drop' } });
      const response = await ctx.http.stream(`${model('echo')}/production/predict`, { body: { a: 1 } });
      assert.equal(response.statusCode, 200);
      await assert.rejects(response.body.text());
    });

    it('reset: the connection is destroyed before any response', async () => {
      ctx.emulator.faults.add({ times: 1, fault: { kind: 'reset' } });
      await assert.rejects(predict());
      assert.equal(ctx.emulator.stats.requests[0].fault, 'reset');
      assert.equal(ctx.emulator.stats.requests[0].status, undefined);
    });

    it('delay: the first byte comes after ms', async () => {
      const started = Date.now();
      const response = await predict('echo', { a: 1 }, { 'x-emulator-fault': JSON.stringify({ kind: 'delay', ms: 120 }) });
      assert.equal(response.status, 200);
      assert.ok(Date.now() - started >= 110);
    });

    it('stall: sends N events then nothing, keeping the socket open until the client leaves', async () => {
      ctx.emulator.faults.add({ times: 1, fault: { kind: 'stall', afterEvents: 2 } });
      const controller = new AbortController();
      const http = new EmulatorHttp(ctx.emulator);
      const response = await http.stream(`${model('sse')}/production/predict`, { body: { events: 50 }, signal: controller.signal });
      let text = '';
      const reading = (async () => {
        for await (const chunk of response.body) text += String(chunk);
      })();
      await sleep(200);
      assert.equal(text.split('\n\n').filter(Boolean).length, 2);
      assert.ok(ctx.emulator.stats.openConnections >= 1);
      controller.abort();
      await assert.rejects(reading);
      await http.close();
      await ctx.http.close();
      ctx.http = new EmulatorHttp(ctx.emulator);
      await eventually(() => ctx.emulator.stats.openConnections === 0, 2_000, 'the stalled socket to close');
      await eventually(() => ctx.emulator.stats.requests[0].clientAborted, 2_000, 'clientAborted');
    });

    it('malformed-sse: some data lines are invalid JSON; the stream still ends with [DONE]', async () => {
      const response = await ctx.http.call('/inference/v1/chat/completions', { body: { ...chatBody('a b c d e f g'), stream: true }, headers: { 'x-emulator-fault': '{"kind":"malformed-sse"}' } });
      const payloads = response.text.split('\n\n').filter(Boolean).map((event) => event.slice(6));
      const invalid = payloads.filter((payload) => {
        try {
          JSON.parse(payload);
          return false;
        } catch {
          return payload !== '[DONE]';
        }
      });
      assert.ok(invalid.length >= 2, `invalid events: ${invalid.length}`);
      assert.ok(response.text.endsWith('data: [DONE]\n\n'));
    });

    it('malformed-json: a 200 whose JSON body is cut short', async () => {
      ctx.emulator.faults.add({ times: 1, fault: { kind: 'malformed-json' } });
      const response = await predict();
      assert.equal(response.status, 200);
      assert.equal(response.headers['content-type'], 'application/json');
      assert.throws(() => JSON.parse(response.text));
    });

    it('an invalid x-emulator-fault header is a 400 that says why', async () => {
      const response = await predict('echo', {}, { 'x-emulator-fault': '{"kind":"explode"}' });
      assert.equal(response.status, 400);
      assert.match(String(response.json().error), /Unknown fault kind/);
    });

    it('the control API adds rules with a regex path written as a string, lists and clears them', async () => {
      const added = await ctx.http.call('/__emulator/faults', { key: null, body: { match: { path: '/PREDICT$/i' }, fault: { kind: 'status', status: 418 } } });
      assert.equal(added.status, 201);
      assert.equal((await predict()).status, 418);
      const listed = (await ctx.http.call('/__emulator/faults', { key: null })).json<{ faults: Array<{ id: number }> }>();
      assert.equal(listed.faults.length, 1);
      assert.equal((await ctx.http.call('/__emulator/faults', { key: null, method: 'DELETE' })).status, 200);
      assert.equal((await predict()).status, 200);
      const bad = await ctx.http.call('/__emulator/faults', { key: null, body: { fault: { kind: 'status' } } });
      assert.equal(bad.status, 400);
    });
  });

  describe('control API', () => {
    const ctx = useEmulator({ fast: true });
    const control = (path: string, options: Parameters<EmulatorHttp['call']>[1] = {}) => ctx.http.call(`/__emulator/${path}`, { key: null, ...options });

    it('reports stats, resets them, and is not recorded itself', async () => {
      await ctx.http.call(`${model('echo')}/production/predict`, { body: {} });
      const stats = (await control('stats')).json<{ openConnections: number; requests: Array<{ path: string; status: number }> }>();
      assert.equal(stats.requests.length, 1);
      assert.equal(stats.requests[0].status, 200);
      assert.ok(stats.openConnections >= 1);
      await control('stats/reset', { method: 'POST' });
      assert.equal(ctx.emulator.stats.requests.length, 0);
      assert.equal(ctx.emulator.stats.count({ path: /__emulator/ }), 0);
    });

    it('sets a deployment status, shows the state and resets everything', async () => {
      const set = await control(`deployments/${echo.id}/${echo.productionDeploymentId}/status`, { body: { status: 'SCALED_TO_ZERO' } });
      assert.equal(set.status, 200);
      assert.equal(set.json().status, 'SCALED_TO_ZERO');
      assert.equal((await control(`deployments/${echo.id}/${echo.productionDeploymentId}/status`, { body: { status: 'ASLEEP' } })).status, 400);
      const state = (await control('state')).json<{ models: Array<{ id: string; deployments: Array<{ id: string; status: string }> }> }>();
      const production = state.models.find((m) => m.id === echo.id)?.deployments.find((d) => d.id === echo.productionDeploymentId);
      assert.equal(production?.status, 'SCALED_TO_ZERO');
      await control('reset', { method: 'POST' });
      assert.equal((await ctx.http.call(`/management/v1/models/${echo.id}/deployments/production`)).json().status, 'ACTIVE');
      const info = (await control('info')).json<{ endpoints: Record<string, string> }>();
      assert.deepEqual(info.endpoints, ctx.emulator.endpoints);
    });

    it('sets one chainlet apart from its deployment, as the management API then shows it', async () => {
      const chain = SEED.chains.pipeline;
      const path = `chains/${chain.id}/deployments/${chain.productionDeploymentId}/chainlets/${chain.chainlets.summarizer}/status`;
      const set = await control(path, { body: { status: 'LOADING_MODEL' } });
      assert.equal(set.status, 200);
      const shown = (await ctx.http.call(`/management/v1/chains/${chain.id}/deployments/${chain.productionDeploymentId}`)).json<{
        status: string;
        chainlets: Array<{ id: string; status: string; active_replica_count: number }>;
      }>();
      assert.equal(shown.status, 'ACTIVE', 'the deployment keeps its status');
      const byId = new Map(shown.chainlets.map((c) => [c.id, c]));
      assert.equal(byId.get(chain.chainlets.summarizer)?.status, 'LOADING_MODEL');
      assert.equal(byId.get(chain.chainlets.entrypoint)?.status, 'ACTIVE');
      assert.equal((await control(path, { body: { status: 'ASLEEP' } })).status, 400);
      assert.equal((await control(`chains/${chain.id}/deployments/${chain.productionDeploymentId}/chainlets/nope/status`, { body: { status: 'ACTIVE' } })).status, 404);
    });

    it('endpoints follow the client’s BasetenEndpoints layout', () => {
      const base = ctx.emulator.baseUrl;
      assert.match(base, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.deepEqual(ctx.emulator.endpoints, {
        modelApisBaseUrl: `${base}/inference/v1`,
        managementBaseUrl: `${base}/management/v1`,
        modelHostTemplate: `${base}/model-{id}`,
        chainHostTemplate: `${base}/chain-{id}`,
        dashboardUrl: `${base}/dashboard`,
      });
    });

    it('serves a dashboard page for dashboard links', async () => {
      const page = await ctx.http.call(`/dashboard/models/${echo.id}/overview`, { key: null });
      assert.equal(page.status, 200);
      assert.match(page.headers['content-type'], /text\/html/);
      assert.ok(page.text.includes(echo.productionDeploymentId));
    });
  });

  describe('WebSockets', () => {
    const ctx = useEmulator({ fast: true, wakeDelayMs: 50 });
    const url = (path: string) => `${ctx.emulator.baseUrl.replace('http', 'ws')}${path}`;
    const auth = () => ({ authorization: `Bearer ${ctx.emulator.apiKey}` });

    it('refuses an upgrade without a valid key with 401, and an unknown target with 404, before upgrading', async () => {
      const noKey = await openWebSocket(url(`${model('echo')}/environments/production/websocket`));
      assert.deepEqual(noKey.kind === 'refused' && [noKey.status, JSON.parse(noKey.body).error_code], [401, 'unauthorized']);
      const unknown = await openWebSocket(url('/model-nosuch99/environments/production/websocket'), auth());
      assert.equal(unknown.kind === 'refused' && unknown.status, 404);
      const development = await openWebSocket(url(`${model('echo')}/development/websocket`), auth());
      assert.equal(development.kind === 'refused' && development.status, 404);
      // Baseten documents /environments/production/websocket, not /production/websocket.
      const production = await openWebSocket(url(`${model('echo')}/production/websocket`), auth());
      assert.equal(production.kind === 'refused' && production.status, 404);
      assert.equal(ctx.emulator.stats.count({ path: /websocket$/, status: 401 }), 1);
    });

    it('echoes text and binary frames on environment, deployment, regional and chain targets', async () => {
      for (const path of [`${model('echo')}/environments/production/websocket`, `${model('echo')}/deployment/${echo.deployments.staging}/websocket`, `${model('echo')}-production/websocket`, `/chain-${pipeline.id}/environments/production/websocket`]) {
        const outcome = await openWebSocket(url(path), auth());
        assert.equal(outcome.kind, 'open', path);
        if (outcome.kind !== 'open') continue;
        const text = nextMessage(outcome.ws);
        outcome.ws.send('hello');
        assert.deepEqual([(await text).binary, String((await text).data)], [false, 'hello']);
        const binary = nextMessage(outcome.ws);
        outcome.ws.send(Buffer.from([0, 255, 7]));
        assert.deepEqual([(await binary).binary, [...(await binary).data]], [true, [0, 255, 7]]);
        outcome.ws.close();
      }
    });

    it('wakes a sleeping deployment before the upgrade; the LLM streams a reply as text frames', async () => {
      const sleeping = await openWebSocket(url(`${model('sleepy')}/environments/production/websocket`), auth());
      assert.equal(sleeping.kind, 'open');
      if (sleeping.kind === 'open') sleeping.ws.close();
      const llm = await openWebSocket(url(`${model('llm')}/environments/production/websocket`), auth());
      assert.equal(llm.kind, 'open');
      if (llm.kind !== 'open') return;
      const frames: string[] = [];
      const done = new Promise<void>((resolve) =>
        llm.ws.on('message', (data: Buffer) => {
          frames.push(String(data));
          if (String(data) === '[DONE]') resolve();
        }),
      );
      llm.ws.send('say: one two three');
      await done;
      assert.equal(frames.slice(0, -1).join(''), 'one two three');
      assert.ok(frames.length > 2);
      llm.ws.close();
    });

    it('ws-close closes with the code and reason after N messages; ws-terminate drops without a close frame', async () => {
      ctx.emulator.faults.add({ match: { path: /websocket$/ }, times: 1, fault: { kind: 'ws-close', code: 1011, reason: 'model exploded', afterMessages: 2 } });
      const first = await openWebSocket(url(`${model('echo')}/environments/production/websocket`), auth());
      assert.equal(first.kind, 'open');
      if (first.kind !== 'open') return;
      const end = closed(first.ws);
      const echoed = nextMessage(first.ws);
      first.ws.send('one');
      assert.equal(String((await echoed).data), 'one');
      first.ws.send('two');
      assert.deepEqual(await end, { code: 1011, reason: 'model exploded' });

      const second = await openWebSocket(url(`${model('echo')}/environments/production/websocket`), { ...auth(), 'x-emulator-fault': '{"kind":"ws-terminate"}' });
      assert.equal(second.kind, 'open');
      if (second.kind === 'open') assert.equal((await closed(second.ws)).code, 1006);
    });

    it('closes with 1009 when a message exceeds 100 MiB', async function () {
      this.timeout(30_000);
      const outcome = await openWebSocket(url(`${model('echo')}/environments/production/websocket`), auth());
      assert.equal(outcome.kind, 'open');
      if (outcome.kind !== 'open') return;
      const end = closed(outcome.ws);
      outcome.ws.send(Buffer.alloc(100 * 1024 * 1024 + 1));
      assert.equal((await end).code, 1009);
    });

    it('open connections return to 0 once the sockets close', async () => {
      await ctx.http.close();
      await eventually(() => ctx.emulator.stats.openConnections === 0, 3_000, 'every socket to close');
    });
  });

  describe('connections and shutdown', () => {
    it('openConnections counts pooled keep-alive sockets and returns to 0 after the client closes', async () => {
      const emulator = await startEmulator({ fast: true });
      const http = new EmulatorHttp(emulator);
      try {
        await Promise.all([1, 2, 3].map(() => http.call(`${model('slow')}/production/predict`, { body: { delay_ms: 50 } })));
        assert.equal(emulator.stats.openConnections, 3, 'three pooled sockets');
        await http.close();
        await eventually(() => emulator.stats.openConnections === 0, 2_000, '0 open connections');
      } finally {
        await emulator.close();
      }
    });

    it('close() ends parked requests, streams, sockets and timers, and frees the port', async () => {
      const resources = () => (process as unknown as { getActiveResourcesInfo(): string[] }).getActiveResourcesInfo();
      const count = (name: string) => resources().filter((resource) => resource === name).length;
      // Mocha starts its own timeout timer once the test function has returned its promise.
      await new Promise((resolve) => setImmediate(resolve));
      const timersBefore = count('Timeout');
      const emulator = await startEmulator({ wakeDelayMs: 10_000, tokenDelayMs: 50, queueSecondsScale: 1_000 });
      const http = new EmulatorHttp(emulator);
      const parked = http.call(`${model('sleepy')}/production/predict`, { body: {} }).then(
        () => 'answered',
        () => 'failed',
      );
      const stream = http.call('/inference/v1/chat/completions', { body: { ...chatBody('[[tokens:1000]]'), stream: true } }).then(
        (response) => response.text,
        () => '',
      );
      await http.call(`${model('echo')}/production/async_predict`, { body: { model_input: { sleep_ms: 60_000 } } });
      const socket = await openWebSocket(`${emulator.baseUrl.replace('http', 'ws')}${model('echo')}/environments/production/websocket`, { authorization: `Bearer ${emulator.apiKey}` });
      assert.equal(socket.kind, 'open');
      const socketClosed = socket.kind === 'open' ? closed(socket.ws) : Promise.resolve({ code: 0, reason: '' });
      await sleep(50);
      await emulator.close();
      assert.equal(await parked, 'failed');
      assert.ok(!(await stream).includes('[DONE]'));
      assert.equal((await socketClosed).code, 1006);
      await http.close();
      assert.ok(count('Timeout') <= timersBefore, `timers left: ${count('Timeout')} > ${timersBefore}`);
      await assert.rejects(fetch(`${emulator.baseUrl}/inference/v1/models`));
    });
  });
});
