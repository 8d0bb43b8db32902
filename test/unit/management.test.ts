import * as assert from 'node:assert/strict';
import { SEED } from '../../emulator/state/seed';
import {
  BasetenClient,
  BasetenError,
  DeploymentStatusError,
  describeDeploymentStatus,
  isFailedStatus,
  isSleeping,
  isTransitionalStatus,
} from '../../src/client';
import { Emulator, caught, emulatorClient, useEmulatorClient } from './helpers/client';

describe('ManagementClient', function () {
  this.timeout(15_000);
  let emulator: Emulator;
  let client: BasetenClient;
  const echo = SEED.models.echo;
  const pipeline = SEED.chains.pipeline;

  useEmulatorClient({ emulator: { wakeDelayMs: 200 } }, (current) => ({ emulator, client } = current));

  it('me() returns the key owner from users/me', async () => {
    const me = await client.management.me();
    assert.equal(me.user_id, SEED.user.user_id);
    assert.equal(emulator.stats.count({ method: 'GET', path: /\/management\/v1\/users\/me$/ }), 1);
  });

  it('listModels() unwraps {models} and includes every seeded model', async () => {
    const models = await client.management.listModels();
    const ids = models.map((m) => m.id);
    for (const seeded of Object.values(SEED.models)) assert.ok(ids.includes(seeded.id), `${seeded.name} listed`);
    const found = models.find((m) => m.id === echo.id);
    assert.equal(found?.production_deployment_id, echo.productionDeploymentId);
  });

  it('getModel() returns one ModelV1', async () => {
    const found = await client.management.getModel(echo.id);
    assert.equal(found.id, echo.id);
    assert.equal(found.name, echo.name);
  });

  it('listDeployments() unwraps {deployments}, old and failed ones included', async () => {
    const deployments = await client.management.listDeployments(echo.id);
    assert.deepEqual(new Set(deployments.map((d) => d.id)), new Set(echo.deploymentIds));
    const statuses = deployments.map((d) => d.status);
    assert.ok(statuses.includes('INACTIVE'));
    assert.ok(statuses.includes('BUILD_FAILED'));
  });

  it('getDeployment() accepts an ID and the production / development aliases', async () => {
    const byId = await client.management.getDeployment(echo.id, echo.productionDeploymentId);
    const production = await client.management.getDeployment(echo.id, 'production');
    const development = await client.management.getDeployment(echo.id, 'development');
    assert.equal(byId.id, echo.productionDeploymentId);
    assert.equal(production.id, echo.productionDeploymentId);
    assert.equal(production.is_production, true);
    assert.equal(development.is_development, true);
    assert.equal(development.id, echo.developmentDeploymentId);
  });

  it('listEnvironments() and getEnvironment() return EnvironmentV1 with the current deployment', async () => {
    const environments = await client.management.listEnvironments(echo.id);
    const names = environments.map((e) => e.name);
    for (const name of echo.environments) assert.ok(names.includes(name), `environment ${name}`);
    const production = await client.management.getEnvironment(echo.id, 'production');
    assert.equal(production.name, 'production');
    assert.equal(production.current_deployment?.id, echo.productionDeploymentId);
  });

  it('deactivateDeployment() then activateDeployment() change its status', async () => {
    const id = echo.developmentDeploymentId ?? echo.productionDeploymentId;
    assert.deepEqual(await client.management.deactivateDeployment(echo.id, id), { success: true });
    await client.management.waitForDeploymentStatus(echo.id, id, { until: (d) => d.status === 'INACTIVE', intervalMs: 20, timeoutMs: 5_000 });
    assert.deepEqual(await client.management.activateDeployment(echo.id, id), { success: true });
    const back = await client.management.waitForDeploymentStatus(echo.id, id, {
      until: (d) => d.status !== 'INACTIVE' && !isTransitionalStatus(d.status),
      intervalMs: 20,
      timeoutMs: 5_000,
    });
    assert.notEqual(back.status, 'INACTIVE');
    assert.equal(emulator.stats.count({ method: 'POST', path: new RegExp(`/deployments/${id}/deactivate$`) }), 1);
    assert.equal(emulator.stats.count({ method: 'POST', path: new RegExp(`/deployments/${id}/activate$`) }), 1);
  });

  it('activateEnvironment() / deactivateEnvironment() post to the environment', async () => {
    assert.deepEqual(await client.management.deactivateEnvironment(echo.id, 'staging'), { success: true });
    assert.deepEqual(await client.management.activateEnvironment(echo.id, 'staging'), { success: true });
    assert.equal(emulator.stats.count({ method: 'POST', path: new RegExp(`/models/${echo.id}/environments/staging/deactivate$`) }), 1);
    assert.equal(emulator.stats.count({ method: 'POST', path: new RegExp(`/models/${echo.id}/environments/staging/activate$`) }), 1);
  });

  it('listChains(), getChain(), listChainDeployments() and listChainEnvironments() unwrap their lists', async () => {
    const chains = await client.management.listChains();
    assert.ok(chains.some((c) => c.id === pipeline.id));
    assert.equal((await client.management.getChain(pipeline.id)).id, pipeline.id);
    const deployments = await client.management.listChainDeployments(pipeline.id);
    assert.ok(deployments.some((d) => d.id === pipeline.productionDeploymentId));
    assert.ok(deployments.every((d) => Array.isArray(d.chainlets)));
    const environments = await client.management.listChainEnvironments(pipeline.id);
    assert.ok(environments.some((e) => e.name === 'production'));
  });

  it('deactivateChainDeployment() posts to the chain deployment', async () => {
    assert.deepEqual(await client.management.deactivateChainDeployment(pipeline.id, pipeline.productionDeploymentId), { success: true });
    assert.equal(
      emulator.stats.count({ method: 'POST', path: new RegExp(`/chains/${pipeline.id}/deployments/${pipeline.productionDeploymentId}/deactivate$`) }),
      1,
    );
  });

  it('an unknown model is a 404 with area management', async () => {
    const error = await caught<BasetenError>(() => client.management.getModel('nosuch99'));
    assert.equal(error.status, 404);
    assert.equal(error.area, 'management');
  });

  it('an invoke-only key gets 403, explained as a key that cannot use the management API', async () => {
    const invokeOnly = emulatorClient(emulator, { apiKey: emulator.invokeOnlyApiKey });
    try {
      const error = await caught<BasetenError>(() => invokeOnly.management.listModels());
      assert.ok(error instanceof BasetenError);
      assert.equal(error.status, 403);
      assert.equal(error.area, 'management');
      assert.match(error.message, /invoke-only/);
      assert.equal(error.attempts, 1, '403 is not retried');
      // The same key may still call the model.
      const response = await invokeOnly.inference.predict({ kind: 'model', id: echo.id }, { kind: 'production' }, { kind: 'json', value: { ok: 1 } });
      assert.equal(response.kind, 'json');
    } finally {
      await invokeOnly.destroy();
    }
  });

  it('a bad key is a 401 from management with the same explanation', async () => {
    const bad = emulatorClient(emulator, { apiKey: 'nope1234.nope' });
    try {
      const error = await caught<BasetenError>(() => bad.management.me());
      assert.equal(error.status, 401);
      assert.match(error.message, /management API/);
    } finally {
      await bad.destroy();
    }
  });

  describe('waitForDeploymentStatus', () => {
    it('stops with DeploymentStatusError on a terminal failure status', async () => {
      emulator.setDeploymentStatus(echo.id, echo.productionDeploymentId, 'DEPLOY_FAILED');
      const error = await caught<DeploymentStatusError>(() =>
        client.management.waitForDeploymentStatus(echo.id, echo.productionDeploymentId, { until: (d) => d.status === 'ACTIVE', intervalMs: 10, timeoutMs: 2_000 }),
      );
      assert.ok(error instanceof DeploymentStatusError);
      assert.equal(error.code, 'DEPLOY_FAILED');
      assert.match(error.message, /Deployment failed/);
      assert.equal(error.deployment.id, echo.productionDeploymentId);
    });

    it('gives up with a timeout error naming the status it was stuck in', async () => {
      emulator.setDeploymentStatus(echo.id, echo.productionDeploymentId, 'BUILDING');
      const error = await caught<BasetenError>(() =>
        client.management.waitForDeploymentStatus(echo.id, echo.productionDeploymentId, { until: (d) => d.status === 'ACTIVE', intervalMs: 20, timeoutMs: 100 }),
      );
      assert.equal(error.kind, 'timeout');
      assert.match(error.message, /Building/);
    });

    it('stops at once with kind aborted when the signal fires', async () => {
      emulator.setDeploymentStatus(echo.id, echo.productionDeploymentId, 'BUILDING');
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      const started = Date.now();
      const error = await caught<BasetenError>(() =>
        client.management.waitForDeploymentStatus(echo.id, echo.productionDeploymentId, {
          until: () => false,
          intervalMs: 5_000,
          timeoutMs: 10_000,
          signal: controller.signal,
        }),
      );
      assert.equal(error.kind, 'aborted');
      assert.ok(Date.now() - started < 1_000);
    });
  });

  describe('status helpers', () => {
    it('classify transitional, sleeping and failed statuses', () => {
      for (const status of ['BUILDING', 'DEPLOYING', 'LOADING_MODEL', 'UPDATING', 'WAKING_UP', 'DEACTIVATING']) {
        assert.ok(isTransitionalStatus(status), status);
      }
      for (const status of ['ACTIVE', 'SCALED_TO_ZERO', 'INACTIVE', 'BUILD_FAILED']) assert.ok(!isTransitionalStatus(status), status);
      assert.ok(isSleeping('SCALED_TO_ZERO'));
      assert.ok(!isSleeping('ACTIVE'));
      for (const status of ['BUILD_FAILED', 'DEPLOY_FAILED', 'FAILED', 'BUILD_STOPPED', 'UNHEALTHY']) assert.ok(isFailedStatus(status), status);
      for (const status of ['ACTIVE', 'INACTIVE', 'SCALED_TO_ZERO', 'WAKING_UP']) assert.ok(!isFailedStatus(status), status);
    });

    it('describe statuses as the dashboard does', () => {
      assert.equal(describeDeploymentStatus('SCALED_TO_ZERO'), 'Scaled to zero');
      assert.equal(describeDeploymentStatus('WAKING_UP'), 'Waking up');
      assert.equal(describeDeploymentStatus('LOADING_MODEL'), 'Loading model');
      assert.equal(describeDeploymentStatus('BUILD_FAILED'), 'Build failed');
      assert.equal(describeDeploymentStatus('SOMETHING_NEW'), 'Something new');
    });
  });
});
