import * as assert from 'node:assert/strict';
import { SEED } from '../../emulator';
import { DeploymentCatalog, CatalogChange, CatalogSource } from '../../src/catalog/deploymentCatalog';
import { ConfiguredOwner } from '../../src/catalog/targets';
import { BasetenClient, PRODUCTION, classifyKeyRefusal, environment, targetLabel } from '../../src/client';
import { Emulator, emulatorClient, eventually, startTestEmulator } from './helpers/client';

describe('deployment catalog (over the emulator)', function () {
  this.timeout(20_000);
  let emulator: Emulator;
  let client: BasetenClient;
  const catalogs: DeploymentCatalog[] = [];
  const echo = SEED.models.echo;
  const sleepy = SEED.models.sleepy;

  const managementCalls = (path: RegExp = /\/management\/v1\//): number => emulator.stats.count({ method: 'GET', path });

  function catalogFor(options: { client?: BasetenClient; configured?: Partial<Record<'model' | 'chain', ConfiguredOwner[]>>; pollMs?: number; concurrency?: number } = {}): DeploymentCatalog {
    const used = options.client ?? client;
    const source: CatalogSource = {
      management: () => used.management,
      refusal: (error, signal) => classifyKeyRefusal(error, () => used.modelApis.listModels({ signal })),
      configured: (kind) => options.configured?.[kind] ?? [],
      pollMs: () => options.pollMs ?? 50,
      concurrency: options.concurrency,
    };
    const catalog = new DeploymentCatalog(source);
    catalogs.push(catalog);
    return catalog;
  }

  before(async () => {
    emulator = await startTestEmulator({ wakeDelayMs: 300 });
  });
  after(async () => {
    await emulator?.close();
  });
  beforeEach(() => {
    emulator.reset();
    client = emulatorClient(emulator);
  });
  afterEach(async () => {
    for (const catalog of catalogs.splice(0)) catalog.dispose();
    await client.destroy();
  });

  it('lists models by name, then the hand-configured ones the API does not list', async () => {
    const catalog = catalogFor({ configured: { model: [{ id: 'handmade', name: 'hand-configured', environments: ['staging'] }] } });
    const { owners, refusal } = await catalog.listOwners('model');
    assert.equal(refusal, undefined);
    const names = owners.map((owner) => owner.name);
    assert.deepEqual(names, [...Object.keys(SEED.models).sort(), 'hand-configured']);
    assert.deepEqual(owners.at(-1)?.configured?.environments, ['staging']);
  });

  it("orders a model's targets as users read them: environments (production first), development, then the other deployments", async () => {
    const catalog = catalogFor();
    const owner = (await catalog.listOwners('model')).owners.find((o) => o.id === echo.id)!;
    const targets = await catalog.listTargets(owner);
    assert.deepEqual(targets[0].target, PRODUCTION);
    assert.equal(targets[0].state.deploymentId, echo.productionDeploymentId);
    const places = targets.map((target) => target.place);
    assert.ok(places.indexOf('development') > places.lastIndexOf('environment'), places.join(','));
    assert.ok(places.indexOf('deployment') > places.indexOf('development'), places.join(','));
    const deployment = targets.find((target) => target.place === 'deployment')!;
    assert.match(targetLabel(deployment), /^echo · /);
  });

  it('callers at the same time share one load; a second read is from the cache', async () => {
    const catalog = catalogFor();
    const before = managementCalls(/\/models$/);
    await Promise.all([catalog.listOwners('model'), catalog.listOwners('model'), catalog.listOwners('model')]);
    await catalog.listOwners('model');
    assert.equal(managementCalls(/\/models$/) - before, 1);
  });

  it("one caller's abort does not abort the load the others share", async () => {
    const catalog = catalogFor();
    const controller = new AbortController();
    const first = catalog.listOwners('model', controller.signal);
    const second = catalog.listOwners('model');
    controller.abort();
    await assert.rejects(first);
    assert.ok((await second).owners.length > 0);
  });

  it('knows production and environments/production as one target, and whether it is scaled to zero', async () => {
    const catalog = catalogFor();
    const owner = (await catalog.listOwners('model')).owners.find((o) => o.id === sleepy.id)!;
    await catalog.listTargets(owner);
    assert.equal(catalog.isScaledToZero({ owner, target: PRODUCTION }), true);
    assert.equal(catalog.isScaledToZero({ owner, target: environment('production') }), true);
    assert.equal(catalog.find({ owner, target: environment('production') })?.state.deploymentId, sleepy.productionDeploymentId);
  });

  it('polls only the owner whose target is changing, fires a change for it, and stops once it settled', async () => {
    const catalog = catalogFor({ pollMs: 50 });
    const owners = (await catalog.listOwners('model')).owners;
    const sleepyOwner = owners.find((o) => o.id === sleepy.id)!;
    const echoOwner = owners.find((o) => o.id === echo.id)!;
    await catalog.listTargets(echoOwner);
    await client.inference.wake(sleepyOwner, PRODUCTION);
    const changes: CatalogChange[] = [];
    catalog.onDidChange((change) => changes.push(change));
    const first = await catalog.listTargets(sleepyOwner);
    assert.equal(first[0].state.status, 'WAKING_UP');
    await eventually(() => catalog.find({ owner: sleepyOwner, target: PRODUCTION })?.state.status === 'ACTIVE', 5_000, 'the poll to see ACTIVE');
    assert.ok(changes.some((change) => change.owner?.id === sleepy.id));
    const echoReads = managementCalls(new RegExp(`/models/${echo.id}/`));
    const sleepyReads = managementCalls(new RegExp(`/models/${sleepy.id}/`));
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(managementCalls(new RegExp(`/models/${sleepy.id}/`)), sleepyReads, 'no poll once settled');
    assert.equal(managementCalls(new RegExp(`/models/${echo.id}/`)), echoReads, 'a settled owner is never polled');
  });

  it('a refresh keeps what was known until the new load replaces it; forget drops it at once', async () => {
    const catalog = catalogFor();
    await catalog.everyTarget();
    const known = catalog.knownTargets().length;
    assert.ok(known > 0);
    catalog.refresh({ owners: 'model' });
    assert.equal(catalog.knownTargets().length, known, 'still known during the refresh');
    const calls = managementCalls(/\/models$/);
    await catalog.listOwners('model');
    assert.equal(managementCalls(/\/models$/), calls + 1, 'loaded again');
    catalog.forget();
    assert.equal(catalog.knownTargets().length, 0);
  });

  it('lists every target with at most `concurrency` owners at a time', async () => {
    let inFlight = 0;
    let peak = 0;
    const counted = <A extends unknown[], R>(call: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      try {
        return await call(...args);
      } finally {
        inFlight--;
      }
    };
    const management = client.management;
    const catalog = new DeploymentCatalog({
      management: () => ({
        listModels: (options) => management.listModels(options),
        listChains: (options) => management.listChains(options),
        listEnvironments: counted((id: string, options) => management.listEnvironments(id, options)),
        listDeployments: counted((id: string, options) => management.listDeployments(id, options)),
        listChainEnvironments: counted((id: string, options) => management.listChainEnvironments(id, options)),
        listChainDeployments: counted((id: string, options) => management.listChainDeployments(id, options)),
      }),
      refusal: async () => undefined,
      configured: () => [],
      pollMs: () => 60_000,
      concurrency: 2,
    });
    catalogs.push(catalog);
    const every = await catalog.everyTarget();
    assert.equal(every.listed.length, Object.keys(SEED.models).length + Object.keys(SEED.chains).length);
    assert.ok(every.listed.every((listed) => !listed.error && listed.targets.length > 0));
    assert.ok(peak <= 4, `at most two owners (two requests each) at once, saw ${peak}`);
  });

  it('an invoke-only key shows the hand-configured owners and says why; a wrong key is rejected', async () => {
    const invokeOnly = emulatorClient(emulator, { apiKey: SEED.invokeOnlyApiKey });
    const wrong = emulatorClient(emulator, { apiKey: 'wrong.key' });
    try {
      const configured = { model: [{ id: 'handmade', name: 'hand-configured' }] };
      const denied = await catalogFor({ client: invokeOnly, configured }).listOwners('model');
      assert.equal(denied.refusal, 'invoke-only');
      assert.deepEqual(denied.owners.map((owner) => owner.name), ['hand-configured']);
      const rejected = await catalogFor({ client: wrong, configured }).listOwners('model');
      assert.equal(rejected.refusal, 'rejected');
      assert.deepEqual(rejected.owners, []);
    } finally {
      await invokeOnly.destroy();
      await wrong.destroy();
    }
  });
});
