/**
 * The emulator answers in Baseten's shapes: every management and inference response kind validates
 * against the component schemas of Baseten's OpenAPI specs, and chat answers have the keys and framing
 * of the recorded traffic of each engine family.
 */
import * as assert from 'node:assert/strict';
import type { Emulator } from '../../emulator';
import { SEED, startEmulator } from '../../emulator';
import type { CallResult } from './helpers/emulatorHttp';
import { EmulatorHttp, eventually, sleep } from './helpers/emulatorHttp';
import type { Cassette } from './helpers/emulatorReference';
import { SpecValidator, loadCassette, ssePayloads } from './helpers/emulatorReference';

const echo = SEED.models.echo;
const sleepy = SEED.models.sleepy;
const pipeline = SEED.chains.pipeline;

describe('Emulator conformance with Baseten’s OpenAPI specs and recordings', function () {
  this.timeout(20_000);
  let emulator: Emulator;
  let http: EmulatorHttp;
  let specs: SpecValidator;

  before(async () => {
    specs = new SpecValidator();
    emulator = await startEmulator({ wakeDelayMs: 60, tokenDelayMs: 0, asyncRunMs: 10, queueSecondsScale: 5, asyncStatusRateLimitPerSecond: 10_000 });
    http = new EmulatorHttp(emulator);
  });
  after(async () => {
    await http?.close();
    await emulator?.close();
  });
  beforeEach(() => emulator.reset());

  function conforms(spec: 'management' | 'inference', schema: string, value: unknown): void {
    const errors = specs.errors(spec, schema, value);
    assert.deepEqual(errors, [], `${schema}: ${JSON.stringify(value).slice(0, 400)}`);
  }

  async function management(path: string, schema: string, options: Parameters<EmulatorHttp['call']>[1] = {}): Promise<Record<string, unknown>> {
    const response = await http.call(`/management/v1/${path}`, options);
    assert.equal(response.status, 200, `${path}: ${response.text}`);
    const body = response.json();
    conforms('management', schema, body);
    return body;
  }

  describe('management API', () => {
    it('users, teams, instance types, secrets, API keys and the Model APIs catalogue', async () => {
      await management('users/me', 'UserInfoV1');
      await management('teams', 'TeamsV1');
      await management('instance_types', 'InstanceTypesV1');
      await management('secrets', 'SecretsV1');
      await management('api_keys', 'APIKeysV1');
      const catalogue = await management('model_apis', 'ModelAPIsResponseV1');
      const first = (catalogue.items as Array<{ name: string }>)[0];
      await management(`model_apis/${first.name}`, 'ModelAPIV1');
    });

    it('models, every deployment of every model, and environments', async () => {
      const { models } = (await management('models', 'ModelsV1')) as { models: Array<{ id: string }> };
      assert.equal(models.length, Object.keys(SEED.models).length);
      for (const model of models) {
        await management(`models/${model.id}`, 'ModelV1');
        const { deployments } = (await management(`models/${model.id}/deployments`, 'DeploymentsV1')) as { deployments: Array<{ id: string }> };
        for (const deployment of deployments) await management(`models/${model.id}/deployments/${deployment.id}`, 'DeploymentV1');
        const { environments } = (await management(`models/${model.id}/environments`, 'EnvironmentsV1')) as { environments: Array<{ name: string }> };
        for (const environment of environments) await management(`models/${model.id}/environments/${environment.name}`, 'EnvironmentV1');
      }
      await management(`models/${echo.id}/deployments/production`, 'DeploymentV1');
      await management(`models/${echo.id}/deployments/development`, 'DeploymentV1');
    });

    it('a deployment in every DeploymentStatusV1 still validates', async () => {
      const statuses = ['BUILDING', 'DEPLOYING', 'DEPLOY_FAILED', 'LOADING_MODEL', 'ACTIVE', 'UNHEALTHY', 'BUILD_FAILED', 'BUILD_STOPPED', 'DEACTIVATING', 'INACTIVE', 'FAILED', 'UPDATING', 'SCALED_TO_ZERO', 'WAKING_UP'] as const;
      for (const status of statuses) {
        emulator.setDeploymentStatus(echo.id, echo.productionDeploymentId, status);
        const deployment = await management(`models/${echo.id}/deployments/${echo.productionDeploymentId}`, 'DeploymentV1');
        assert.equal(deployment.status, status);
        await management(`models/${echo.id}/environments/production`, 'EnvironmentV1');
      }
    });

    it('activation, retry, promotion, autoscaling, environments, config, logs and deletions', async () => {
      const base = `models/${echo.id}`;
      await management(`${base}/deployments/${echo.deployments.staging}/deactivate`, 'DeactivateResponseV1', { method: 'POST' });
      await management(`${base}/deployments/${echo.deployments.inactive}/activate`, 'ActivateResponseV1', { method: 'POST' });
      await management(`${base}/environments/staging/deactivate`, 'DeactivateResponseV1', { method: 'POST' });
      await management(`${base}/environments/staging/activate`, 'ActivateResponseV1', { method: 'POST' });
      await management(`${base}/deployments/${echo.deployments.buildFailed}/retry`, 'RetryDeploymentResponseV1', { method: 'POST' });
      await management(`${base}/deployments/production/retry`, 'RetryDeploymentResponseV1', { method: 'POST' });
      await management(`${base}/deployments/production/autoscaling_settings`, 'UpdateAutoscalingSettingsResponseV1', { method: 'PATCH', body: { max_replica: 3 } });
      await management(`${base}/deployments/${echo.deployments.production}/config`, 'DeploymentConfigResponseV1');
      await management(`${base}/deployments/${echo.deployments.production}/logs`, 'GetLogsResponseV1');
      await management(`${base}/environments/production/logs`, 'GetLogsResponseV1');
      await management(`${base}/environments`, 'EnvironmentV1', { method: 'POST', body: { name: 'canary' } });
      await management(`${base}/environments/canary`, 'UpdateAutoscalingSettingsResponseV1', { method: 'PATCH', body: { autoscaling_settings: { min_replica: 1 } } });
      await management(`${base}/environments/canary/promote`, 'DeploymentV1', { method: 'POST', body: { deployment_id: echo.deployments.staging } });
      await management(`${base}/deployments/development/promote`, 'DeploymentV1', { method: 'POST', body: {} });
      await management(`${base}/deployments/${echo.deployments.buildFailed}`, 'DeploymentTombstoneV1', { method: 'DELETE' });
      await management(`models/${SEED.models.failing.id}`, 'ModelTombstoneV1', { method: 'DELETE' });
    });

    it('metrics (deployment and environment, every mode), a promotion in progress, its cancellation, environment autoscaling', async () => {
      const base = `models/${echo.id}`;
      await http.call(`/model-${echo.id}/production/predict`, { body: { a: 1 } });
      for (const mode of ['CURRENT', 'SUMMARY', 'SERIES']) {
        const deployment = await management(`${base}/deployments/${echo.deployments.production}/metrics?mode=${mode}&metrics=baseten_replicas_active&metrics=baseten_inference_requests_total&metrics=baseten_end_to_end_response_time_seconds&metrics=baseten_concurrent_requests`, 'GetDeploymentMetricsResponseV1');
        assert.equal(deployment.mode, mode);
        await management(`${base}/environments/production/metrics?mode=${mode}`, 'GetDeploymentMetricsResponseV1');
      }
      await management(`${base}/environments/staging/promote`, 'DeploymentV1', { method: 'POST', body: { deployment_id: echo.deployments.production } });
      const promoting = await management(`${base}/environments/staging`, 'EnvironmentV1');
      assert.equal((promoting.in_progress_promotion as { status: string }).status, 'RELEASING');
      assert.equal((promoting.candidate_deployment as { id: string }).id, echo.deployments.production);
      await management(`${base}/environments/staging/cancel_promotion`, 'CancelPromotionResponseV1', { method: 'POST' });
      await management(`${base}/environments/staging`, 'UpdateAutoscalingSettingsResponseV1', { method: 'PATCH', body: { autoscaling_settings: { scale_down_delay: 120 } } });
    });

    it('logs written by predicts, failures and async requests validate, with every query parameter, and bad ones are refused', async () => {
      const failing = SEED.models.failing;
      const failed = await http.call(`/model-${failing.id}/production/predict`, { method: 'POST', body: { n: 1 } });
      assert.equal(failed.status, 500);
      const requestId = failed.headers['x-baseten-request-id'];
      await http.call(`/model-${echo.id}/production/predict`, { method: 'POST', body: { hello: 'logs' } });
      const base = `models/${failing.id}`;
      const query = `start_epoch_millis=${Date.now() - 3600_000}&end_epoch_millis=${Date.now() + 1000}&direction=desc&limit=50&min_level=ERROR&request_id=${requestId}&includes=Traceback&excludes=nothing`;
      const { logs } = (await management(`${base}/deployments/${failing.productionDeploymentId}/logs?${query}`, 'GetLogsResponseV1')) as { logs: Array<Record<string, unknown>> };
      assert.equal(logs.length, 1, JSON.stringify(logs));
      assert.equal(logs[0].request_id, requestId);
      assert.match(String(logs[0].timestamp), /^\d{19}$/, 'epoch nanoseconds');
      await management(`${base}/environments/production/logs?replica=${String(logs[0].replica)}&search_pattern=Runtime.rror`, 'GetLogsResponseV1');
      await management(`models/${echo.id}/environments/production/logs?direction=asc&limit=1000`, 'GetLogsResponseV1');
      for (const bad of ['limit=0', 'limit=1001', 'min_level=LOUD', 'direction=up', `start_epoch_millis=0&end_epoch_millis=${8 * 24 * 3600_000}`, 'search_pattern=(']) {
        const refused = await http.call(`/management/v1/${base}/environments/production/logs?${bad}`);
        assert.equal(refused.status, 400, bad);
      }
    });

    it('chains, their deployments, chainlets, environments and logs', async () => {
      await management('chains', 'ChainsV1');
      await management(`chains/${pipeline.id}`, 'ChainV1');
      await management(`chains/${pipeline.id}/deployments`, 'ChainDeploymentsV1');
      await management(`chains/${pipeline.id}/deployments/${pipeline.productionDeploymentId}`, 'ChainDeploymentV1');
      // The spec names this answer EnvironmentsV1, yet its items are chain environments.
      const { environments } = (await http.call(`/management/v1/chains/${pipeline.id}/environments`)).json<{ environments: unknown[] }>();
      for (const environment of environments) conforms('management', 'ChainEnvironmentV1', environment);
      await management(`chains/${pipeline.id}/environments/production`, 'ChainEnvironmentV1');
      await management(`chains/${pipeline.id}/deployments/${pipeline.productionDeploymentId}/chainlets/${pipeline.chainlets.entrypoint}/logs`, 'GetLogsResponseV1');
      await management(`chains/${pipeline.id}/deployments/${pipeline.developmentDeploymentId}/deactivate`, 'DeactivateResponseV1', { method: 'POST' });
      await management(`chains/${pipeline.id}/deployments/${pipeline.developmentDeploymentId}`, 'ChainDeploymentTombstoneV1', { method: 'DELETE' });
      await management(`chains/${pipeline.id}`, 'ChainTombstoneV1', { method: 'DELETE' });
    });
  });

  describe('inference API', () => {
    const host = `/model-${echo.id}`;

    async function waitForAsync(path: string, wanted: string): Promise<Record<string, unknown>> {
      let status: Record<string, unknown> = {};
      await eventually(async () => {
        status = (await http.call(path)).json();
        return status.status === wanted;
      }, 5_000, `async status ${wanted}`);
      return status;
    }

    it('predict and run_remote answer the model’s JSON (PredictOutput, RunRemoteOutput) with X-BASETEN-REQUEST-ID', async () => {
      const predicted = await http.call(`${host}/production/predict`, { body: { a: 1 } });
      assert.deepEqual(specs.responseErrors('inference', 'PredictOutput', predicted.json()), []);
      assert.match(predicted.headers['x-baseten-request-id'], /^[0-9a-f]{37}$/, 'as recorded');
      const run = await http.call(`/chain-${pipeline.id}/production/run_remote`, { body: { a: 1 } });
      assert.deepEqual(specs.responseErrors('inference', 'RunRemoteOutput', run.json()), []);
    });

    it('async submit (201), queue status, cancel and status in every state validate', async () => {
      const submit = async (body: unknown, target = 'production'): Promise<string> => {
        const response = await http.call(`${host}/${target}/async_predict`, { body });
        assert.equal(response.status, 201, response.text);
        assert.deepEqual(specs.responseErrors('inference', 'AsyncPredictOutput', response.json()), []);
        return response.json<{ request_id: string }>().request_id;
      };
      const status = (id: string): string => `${host}/async_request/${id}`;
      const long = await submit({ model_input: { sleep_ms: 600 } });
      const queued = await submit({ model_input: { n: 1 }, max_time_in_queue_seconds: 10 });
      const toCancel = await submit({ model_input: { n: 2 } });
      conforms('inference', 'AsyncRequestStatusResponse', await waitForAsync(status(long), 'IN_PROGRESS'));
      conforms('inference', 'AsyncRequestStatusResponse', (await http.call(status(queued))).json());
      const queue = await http.call(`${host}/production/async_queue_status`);
      assert.deepEqual(specs.responseErrors('inference', 'GetAsyncQueueStatusOutput', queue.json()), []);
      const cancel = await http.call(status(toCancel), { method: 'DELETE' });
      assert.deepEqual(specs.responseErrors('inference', 'CancelAsyncRequestOutput', cancel.json()), []);
      conforms('inference', 'AsyncRequestStatusResponse', await waitForAsync(status(toCancel), 'CANCELED'));
      conforms('inference', 'AsyncRequestStatusResponse', await waitForAsync(status(queued), 'EXPIRED'));
      conforms('inference', 'AsyncRequestStatusResponse', await waitForAsync(status(long), 'SUCCEEDED'));
      const failed = await submit({ model_input: { fail: true }, inference_retry_config: { max_attempts: 1 } });
      const failedStatus = await waitForAsync(status(failed), 'FAILED');
      conforms('inference', 'AsyncRequestStatusResponse', failedStatus);
      assert.equal((failedStatus.errors as Array<{ code: string }>)[0].code, 'MODEL_PREDICT_ERROR');
      const webhook = await submit({ model_input: {}, webhook_endpoint: 'http://127.0.0.1:9/unreachable' });
      conforms('inference', 'AsyncRequestStatusResponse', await waitForAsync(status(webhook), 'WEBHOOK_FAILED'));
      const chain = await http.call(`/chain-${pipeline.id}/production/async_run_remote`, { body: { model_input: {} } });
      assert.deepEqual(specs.responseErrors('inference', 'AsyncRunRemoteOutput', chain.json()), []);
      const chainStatus = (await http.call(`/chain-${pipeline.id}/async_request/${chain.json<{ request_id: string }>().request_id}`)).json();
      conforms('inference', 'AsyncRequestStatusResponse', chainStatus);
      assert.equal(chainStatus.chain_id, pipeline.id);
    });

    it('every error the hosts answer is an ErrorResponse', async () => {
      const errors = [
        await http.call(`${host}/production/predict`, { body: {}, key: null }),
        await http.call(`${host}/production/predict`, { body: {}, key: 'wrong.key' }),
        await http.call('/model-nosuch99/production/predict', { body: {} }),
        await http.call(`${host}/environments/nope/predict`, { body: {} }),
        await http.call(`${host}/deployment/${echo.deployments.inactive}/predict`, { body: {} }),
        await http.call(`${host}/production/async_predict`, { body: { model_input: {}, priority: 7 } }),
        await http.call(`${host}/production/async_predict`, { body: { model_input: { s: 'x'.repeat(300_000) } } }),
        await http.call(`${host}/async_request/nope`),
        await http.call(`${host}/production/predict`, { method: 'GET' }),
        await http.call(`/model-${SEED.models.transform.id}/production/predict`, { body: { wrong: true } }),
        await http.call(`/model-${SEED.models.failing.id}/production/predict`, { body: {} }),
      ];
      for (const response of errors) {
        assert.ok(response.status >= 400, response.text);
        conforms('inference', 'ErrorResponse', response.json());
        assert.equal(typeof response.json().error, 'string');
      }
      assert.deepEqual(
        errors.map((response) => response.status),
        [401, 401, 404, 404, 404, 400, 413, 404, 405, 400, 500],
      );
    });

    it('wake answers 202 with no body, on every target form', async () => {
      for (const target of ['production', 'development', 'environments/production', `deployment/${sleepy.productionDeploymentId}`]) {
        const response = await http.call(`/model-${sleepy.id}/${target}/wake`, { method: 'POST' });
        assert.equal(response.status, 202);
        assert.equal(response.text, '');
      }
      const regional = await http.call(`/model-${sleepy.id}-production/wake`, { method: 'POST' });
      assert.equal(regional.status, 202);
    });
  });

  describe('Model APIs, against the recordings', () => {
    const families = [
      { model: 'deepseek-ai/DeepSeek-V4-Pro', folder: 'TestClient/Scoreboard/deepseek-ai/DeepSeek-V4-Pro_thinking' },
      { model: 'openai/gpt-oss-120b', folder: 'TestClient/Scoreboard/openai/gpt-oss-120b_thinking' },
      { model: 'zai-org/GLM-5.2', folder: 'TestClient/Scoreboard/zai-org/GLM-5.2_thinking' },
    ];

    const keys = (value: unknown): string[] => Object.keys(value as object).sort();

    async function replay(cassette: Cassette): Promise<CallResult> {
      return http.call('/inference/v1/chat/completions', { body: cassette.request.body.trim(), headers: { 'content-type': 'application/json' } });
    }

    it('GET /v1/models lists the recorded catalogue entries, fields and values as recorded', async () => {
      const recorded = JSON.parse(loadCassette('TestClient/Warmup.json')[0].response.body) as { data: Array<Record<string, unknown>> };
      const response = await http.call('/inference/v1/models');
      const served = response.json<{ data: Array<Record<string, unknown>> }>();
      assert.deepEqual(Object.keys(served), ['data'], 'no "object": "list"');
      assert.deepEqual(
        served.data.map((entry) => entry.id).sort(),
        [...SEED.modelApis].sort(),
      );
      for (const entry of served.data) {
        const original = recorded.data.find((candidate) => candidate.id === entry.id);
        assert.ok(original, `${entry.id} is in the recording`);
        assert.deepEqual(keys(entry), keys(original));
        const { supported_features: features, ...rest } = entry;
        const { supported_features: recordedFeatures, ...recordedRest } = original;
        assert.deepEqual(rest, recordedRest);
        for (const feature of recordedFeatures as string[]) assert.ok((features as string[]).includes(feature));
      }
    });

    it('gpt-oss repeats its reasoning in message.reasoning, as in the Feb 2026 recording', async () => {
      const cassette = loadCassette('TestClient/TextOutputDocInput/Stdin.json')[0];
      const recorded = JSON.parse(cassette.response.body) as { choices: Array<{ message: Record<string, unknown> }> };
      const response = await replay(cassette);
      const served = response.json<{ choices: Array<{ message: Record<string, unknown> }> }>();
      assert.deepEqual(keys(served.choices[0].message), keys(recorded.choices[0].message));
      assert.equal(served.choices[0].message.reasoning, served.choices[0].message.reasoning_content);
    });

    it('a bad key is the recorded 403 body, byte for byte', async () => {
      const recorded = loadCassette('TestClient/errors/bad_apiKey/GenSync.json')[0];
      const response = await http.call('/inference/v1/chat/completions', { body: recorded.request.body.trim(), key: 'bad.key', headers: { 'content-type': 'application/json' } });
      assert.equal(response.status, recorded.response.code);
      assert.equal(response.text, recorded.response.body);
    });

    for (const family of families) {
      describe(family.model, () => {
        it('non-streamed answers have the recorded keys (text and tool call)', async () => {
          for (const name of ['GenSync-Text.json', 'GenSync-Tools-SquareRoot-1.json', 'GenSync-JSON.json', 'GenSync-MaxTokens.json']) {
            const cassette = loadCassette(`${family.folder}/${name}`)[0];
            const recorded = JSON.parse(cassette.response.body) as Record<string, unknown>;
            const response = await replay(cassette);
            assert.equal(response.status, cassette.response.code, `${name}: ${response.text}`);
            assert.equal(response.headers['content-type'], 'application/json');
            const served = JSON.parse(response.text) as Record<string, unknown>;
            assert.deepEqual(keys(served), keys(recorded), name);
            const [choice] = served.choices as Array<Record<string, unknown>>;
            const [recordedChoice] = recorded.choices as Array<Record<string, unknown>>;
            assert.deepEqual(keys(choice), keys(recordedChoice), `${name} choice`);
            // gpt-oss also repeats its reasoning in `message.reasoning`, as recorded in Feb 2026 (Stdin.json below).
            const expectedMessageKeys = keys(recordedChoice.message);
            if (family.model === 'openai/gpt-oss-120b' && expectedMessageKeys.includes('reasoning_content')) expectedMessageKeys.push('reasoning');
            assert.deepEqual(keys(choice.message), expectedMessageKeys.sort(), `${name} message`);
            assert.equal(choice.finish_reason, recordedChoice.finish_reason, name);
            const usage = served.usage as Record<string, unknown>;
            const recordedUsage = recorded.usage as Record<string, unknown>;
            assert.deepEqual(keys(usage), keys(recordedUsage));
            assert.deepEqual(keys(usage.prompt_tokens_details), keys(recordedUsage.prompt_tokens_details));
            assert.deepEqual(keys(usage.completion_tokens_details), keys(recordedUsage.completion_tokens_details));
            assert.equal(usage.total_tokens, (usage.prompt_tokens as number) + (usage.completion_tokens as number));
            if (name.includes('Tools')) {
              const [call] = (choice.message as { tool_calls: Array<Record<string, unknown>> }).tool_calls;
              const [recordedCall] = (recordedChoice.message as { tool_calls: Array<Record<string, unknown>> }).tool_calls;
              assert.deepEqual(keys(call), keys(recordedCall));
              assert.deepEqual(call.function, recordedCall.function, 'the same arguments, formatted as the engine does');
            }
          }
        });

        it('streams have the recorded framing and chunk keys (text and tool call)', async () => {
          for (const name of ['GenStream-Text.json', 'GenStream-Tools-SquareRoot-1.json']) {
            const cassette = loadCassette(`${family.folder}/${name}`)[0];
            const response = await replay(cassette);
            assert.equal(response.status, 200, response.text);
            for (const header of ['content-type', 'cache-control', 'x-baseten-accepted-at']) {
              assert.equal(response.headers[header] !== undefined, true, `${header} present`);
            }
            assert.equal(response.headers['content-type'], cassette.response.headers['Content-Type'][0]);
            assert.equal(response.headers['cache-control'], 'no-cache');
            for (const body of [response.text, cassette.response.body]) {
              assert.ok(body.endsWith('data: [DONE]\n\n'), `${name} ends with [DONE]`);
              assert.ok(body.split('\n\n').slice(0, -1).every((event) => event.startsWith('data: ')), `${name} framing`);
            }
            const served = ssePayloads(response.text).slice(0, -1).map((payload) => JSON.parse(payload) as Record<string, unknown>);
            const recorded = ssePayloads(cassette.response.body).slice(0, -1).map((payload) => JSON.parse(payload) as Record<string, unknown>);
            const pick = (chunks: Array<Record<string, unknown>>) => {
              const choiceOf = (chunk: Record<string, unknown>) => (chunk.choices as Array<Record<string, unknown>>)[0];
              return {
                first: chunks[0],
                finish: chunks.find((chunk) => choiceOf(chunk)?.finish_reason !== undefined),
                usageOnly: chunks[chunks.length - 1],
                tool: chunks.find((chunk) => (choiceOf(chunk)?.delta as Record<string, unknown> | undefined)?.tool_calls),
                reasoning: chunks.slice(1).find((chunk) => (choiceOf(chunk)?.delta as Record<string, unknown> | undefined)?.reasoning_content),
              };
            };
            const ours = pick(served);
            const theirs = pick(recorded);
            assert.deepEqual((ours.usageOnly.choices as unknown[]).length, 0, 'the usage chunk has "choices": []');
            for (const part of ['first', 'finish', 'usageOnly', 'tool', 'reasoning'] as const) {
              const a = ours[part];
              const b = theirs[part];
              if (!b) continue;
              assert.ok(a, `${name}: a ${part} chunk`);
              assert.deepEqual(keys(a), keys(b), `${name} ${part} chunk keys`);
              const choiceA = (a.choices as Array<Record<string, unknown>>)[0];
              const choiceB = (b.choices as Array<Record<string, unknown>>)[0];
              if (choiceB) {
                assert.deepEqual(keys(choiceA), keys(choiceB), `${name} ${part} choice keys`);
                assert.deepEqual(keys(choiceA.delta), keys(choiceB.delta), `${name} ${part} delta keys`);
              }
              if (b.usage) assert.deepEqual(keys(a.usage), keys(b.usage), `${name} ${part} usage keys`);
            }
            assert.equal((served[0].choices as Array<{ delta: { role: string } }>)[0].delta.role, 'assistant');
            if (ours.tool && theirs.tool) {
              const toolOf = (chunk: Record<string, unknown>) => ((chunk.choices as Array<{ delta: { tool_calls: Array<Record<string, unknown>> } }>)[0].delta.tool_calls[0]);
              assert.deepEqual(keys(toolOf(ours.tool)), keys(toolOf(theirs.tool)));
              assert.deepEqual(keys(toolOf(ours.tool).function), keys(toolOf(theirs.tool).function));
            }
          }
        });

        it('validation errors answer the recorded status and body', async () => {
          const cases = ['GenSync-JSONSchema.json', 'GenStream-JSONSchema.json', 'GenSyncMultiModal-Image-jpg-URL.json', 'GenSync-TopLogprobs.json'];
          for (const name of cases) {
            const cassette = loadCassette(`${family.folder}/${name}`)[0];
            const response = await replay(cassette);
            assert.equal(response.status, cassette.response.code, `${name}: ${response.text}`);
            if (cassette.response.code >= 400) assert.equal(response.text, cassette.response.body, name);
          }
        });
      });
    }
  });

  it('leaves no connection open once the clients are gone', async () => {
    await http.call('/inference/v1/models');
    await http.close();
    await eventually(() => emulator.stats.openConnections === 0, 3_000, 'connections to close');
    http = new EmulatorHttp(emulator);
    await sleep(1);
  });
});
