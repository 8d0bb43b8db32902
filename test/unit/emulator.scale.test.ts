/**
 * The emulator at benchmark scale: `scale` seeds generated models served by the real management routes,
 * and `stats.management` counts management requests and the most in flight at once.
 */
import * as assert from 'node:assert/strict';
import type { Emulator } from '../../emulator';
import { SEED, startEmulator } from '../../emulator';
import { EmulatorHttp, eventually } from './helpers/emulatorHttp';

interface ModelView {
  id: string;
  name: string;
  deployments_count: number;
  production_deployment_id: string | null;
}

interface DeploymentView {
  id: string;
  model_id: string;
  status: string;
  is_production: boolean;
}

interface EnvironmentView {
  name: string;
  current_deployment: DeploymentView | null;
}

/** Runs `task` over `items`, never more than `limit` at once. */
async function inBatchesOf<T, R>(limit: number, items: readonly T[], task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(Array.from({ length: limit }, lane));
  return results;
}

describe('Emulator at scale', function () {
  this.timeout(60_000);

  describe('1,000 models with 5 deployments each', () => {
    const MODELS = 1000;
    const DEPLOYMENTS = 5;
    const LANES = 8;
    let emulator: Emulator;
    let http: EmulatorHttp;

    before(async () => {
      emulator = await startEmulator({ fast: true, scale: { models: MODELS, deploymentsPerModel: DEPLOYMENTS } });
      http = new EmulatorHttp(emulator);
    });
    after(async () => {
      await http?.close();
      await emulator?.close();
    });

    it('lists every generated model with its deployments, and production environments, over HTTP', async () => {
      const listed = await http.call('/management/v1/models');
      assert.equal(listed.status, 200);
      const models = listed.json<{ models: ModelView[] }>().models;
      const generated = models.filter((model) => model.name.startsWith('scale-model-'));
      assert.equal(generated.length, MODELS);
      assert.equal(models.length - generated.length, Object.keys(SEED.models).length, 'the demo seed is still there');
      assert.equal(generated[0].name, 'scale-model-0001');
      assert.equal(generated[MODELS - 1].name, 'scale-model-1000');
      assert.equal(new Set(generated.map((model) => model.id)).size, MODELS);

      const statuses = new Map<string, number>();
      await inBatchesOf(LANES, generated, async (model) => {
        assert.equal(model.deployments_count, DEPLOYMENTS, model.name);
        const deployments = (await http.call(`/management/v1/models/${model.id}/deployments`)).json<{ deployments: DeploymentView[] }>().deployments;
        assert.equal(deployments.length, DEPLOYMENTS, model.name);
        for (const deployment of deployments) statuses.set(deployment.status, (statuses.get(deployment.status) ?? 0) + 1);
        const production = deployments.filter((deployment) => deployment.is_production);
        assert.deepEqual(production.map((deployment) => deployment.id), [model.production_deployment_id], model.name);
      });
      // Environments for a sample: every model's are built the same way.
      for (const model of generated.filter((_model, index) => index % 100 === 0)) {
        const environments = (await http.call(`/management/v1/models/${model.id}/environments`)).json<{ environments: EnvironmentView[] }>().environments;
        assert.deepEqual(environments.map((environment) => [environment.name, environment.current_deployment?.id]), [['production', model.production_deployment_id]]);
      }
      for (const status of ['ACTIVE', 'SCALED_TO_ZERO', 'INACTIVE', 'BUILD_FAILED', 'WAKING_UP', 'BUILDING']) assert.ok(statuses.get(status), `some deployments are ${status}`);
      assert.ok((statuses.get('WAKING_UP') ?? 0) + (statuses.get('BUILDING') ?? 0) < (statuses.get('ACTIVE') ?? 0), 'transitional statuses are a few');

      assert.equal(emulator.stats.management.received, 1 + MODELS + MODELS / 100);
      assert.ok(emulator.stats.management.peakInFlight >= 1 && emulator.stats.management.peakInFlight <= LANES, `peak ${emulator.stats.management.peakInFlight}`);
      assert.equal(emulator.stats.management.inFlight, 0);
    });

    it('builds the same workspace again on reset', async () => {
      const before = (await http.call('/management/v1/models')).json<{ models: ModelView[] }>().models;
      emulator.reset();
      const after = (await http.call('/management/v1/models')).json<{ models: ModelView[] }>().models;
      assert.deepEqual(after, before);
    });

    it('refuses a scale it cannot give distinct IDs', async () => {
      await assert.rejects(startEmulator({ scale: { models: 1, deploymentsPerModel: 0 } }), /scale\.deploymentsPerModel/);
      await assert.rejects(startEmulator({ scale: { models: 1.5, deploymentsPerModel: 5 } }), /scale\.models/);
    });
  });

  describe('management requests in flight', () => {
    let emulator: Emulator;
    let http: EmulatorHttp;

    beforeEach(async () => {
      emulator = await startEmulator({ fast: true });
      http = new EmulatorHttp(emulator);
    });
    afterEach(async () => {
      await http?.close();
      await emulator?.close();
    });

    it('counts three held at once as a peak of three, and each one received', async () => {
      // Held until the test lets go, so the count never depends on how fast requests arrive.
      const release = emulator.faults.add({ match: { path: /^\/management\// }, fault: { kind: 'delay', ms: 60_000 } });
      const abort = new AbortController();
      const held = [1, 2, 3].map(() => http.call('/management/v1/models', { signal: abort.signal }).catch(() => undefined));
      await eventually(() => emulator.stats.management.inFlight === 3, 3_000, 'three management requests in flight');
      assert.deepEqual(snapshot(emulator), { received: 3, inFlight: 3, peakInFlight: 3 });

      const control = (await http.call('/__emulator/stats', { key: null })).json<{ management: unknown }>();
      assert.deepEqual(control.management, { received: 3, inFlight: 3, peakInFlight: 3 }, 'the control API reports the same');

      abort.abort();
      await Promise.all(held);
      await eventually(() => emulator.stats.management.inFlight === 0, 3_000, 'the held requests to end');
      release();
      assert.equal((await http.call('/management/v1/models')).status, 200);
      await eventually(() => emulator.stats.management.inFlight === 0, 3_000, 'the last request to end');
      assert.deepEqual(snapshot(emulator), { received: 4, inFlight: 0, peakInFlight: 3 });

      emulator.stats.reset();
      assert.deepEqual(snapshot(emulator), { received: 0, inFlight: 0, peakInFlight: 0 });
    });

    it('leaves other surfaces and the control API out', async () => {
      await http.call(`/model-${SEED.models.echo.id}/production/predict`, { body: { hello: 1 } });
      await http.call('/inference/v1/models');
      await http.call('/__emulator/stats', { key: null });
      assert.deepEqual(snapshot(emulator), { received: 0, inFlight: 0, peakInFlight: 0 });
    });
  });
});

function snapshot(emulator: Emulator): { received: number; inFlight: number; peakInFlight: number } {
  const { received, inFlight, peakInFlight } = emulator.stats.management;
  return { received, inFlight, peakInFlight };
}
