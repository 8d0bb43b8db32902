/**
 * Every target form of the seed, through the client to the emulator: async submits on the development
 * target and on a deployment, cancelling a chain's async request, and waking the development target and a
 * deployment. Each call must reach exactly the path Baseten documents for it.
 */
import * as assert from 'node:assert/strict';
import { SEED } from '../../emulator/state/seed';
import { BasetenClient, DEVELOPMENT, PRODUCTION, deployment } from '../../src/client';
import type { Owner } from '../../src/client';
import { Emulator, useEmulatorClient } from './helpers/client';

const echo: Pick<Owner, 'kind' | 'id'> = { kind: 'model', id: SEED.models.echo.id };
const sleepy: Pick<Owner, 'kind' | 'id'> = { kind: 'model', id: SEED.models.sleepy.id };
const pipeline: Pick<Owner, 'kind' | 'id'> = { kind: 'chain', id: SEED.chains.pipeline.id };

describe('every target form, against the emulator', function () {
  this.timeout(20_000);
  let emulator: Emulator;
  let client: BasetenClient;
  useEmulatorClient({ emulator: { wakeDelayMs: 50 } }, (current) => ({ emulator, client } = current));

  const posts = (path: string): number => emulator.stats.count({ method: 'POST', path: new RegExp(`^${path.replace(/[/.]/g, '\\$&')}$`) });

  it('submits an async request on the development target and on a deployment, each on its own path', async () => {
    const onDevelopment = await client.inference.asyncPredict(echo, DEVELOPMENT, { model_input: { on: 'development' } });
    assert.equal(posts(`/model-${echo.id}/development/async_predict`), 1);
    const staging = SEED.models.echo.deployments.staging;
    const onDeployment = await client.inference.asyncPredict(echo, deployment(staging), { model_input: { on: 'deployment' } });
    assert.equal(posts(`/model-${echo.id}/deployment/${staging}/async_predict`), 1);
    const statuses = await Promise.all([onDevelopment, onDeployment].map((submitted) => client.inference.asyncStatus(echo, submitted.requestId)));
    assert.deepEqual(
      statuses.map((status) => status.deployment_id),
      [SEED.models.echo.deployments.development, staging],
      'each ran on the deployment its target names',
    );
  });

  it("cancels a chain's queued async request at the chain's own async_request path", async () => {
    const running = await client.inference.asyncPredict(pipeline, PRODUCTION, { model_input: { sleep_ms: 3_000 } });
    const queued = await client.inference.asyncPredict(pipeline, PRODUCTION, { model_input: { second: true } });
    const result = await client.inference.cancelAsync(pipeline, queued.requestId);
    assert.equal(result.canceled, true, result.message);
    assert.equal(emulator.stats.count({ method: 'DELETE', path: `/chain-${pipeline.id}/async_request/${queued.requestId}` }), 1);
    assert.equal((await client.inference.asyncStatus(pipeline, queued.requestId)).status, 'CANCELED');
    await client.inference.cancelAsync(pipeline, running.requestId);
  });

  it('wakes the development target and a deployment, each on its own path, and each comes up', async () => {
    assert.equal((await client.inference.wake(sleepy, DEVELOPMENT)).status, 202);
    assert.equal(posts(`/model-${sleepy.id}/development/wake`), 1);
    const development = await client.management.waitForDeploymentStatus(sleepy.id, 'development', { until: (d) => d.status === 'ACTIVE', intervalMs: 20, timeoutMs: 5_000 });
    assert.equal(development.id, SEED.models.sleepy.deployments.development);

    const production = SEED.models.sleepy.deployments.production;
    assert.equal((await client.inference.wake(sleepy, deployment(production))).status, 202);
    assert.equal(posts(`/model-${sleepy.id}/deployment/${production}/wake`), 1);
    const woken = await client.management.waitForDeploymentStatus(sleepy.id, production, { until: (d) => d.status === 'ACTIVE', intervalMs: 20, timeoutMs: 5_000 });
    assert.equal(woken.status, 'ACTIVE');
  });
});
