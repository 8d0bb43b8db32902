/**
 * The deployment catalog at scale: 1,000 models with 5 deployments each (the emulator's `--scale 1000x5`).
 * The first tree level against one raw GET of the same list; expanding everything against raw requests for
 * the same routes, all at once; the number of management calls and the most in flight at a time.
 */
import { Agent, request } from 'undici';
import { DeploymentCatalog } from '../src/catalog/deploymentCatalog';
import { BasetenClient, classifyKeyRefusal, targetLabel } from '../src/client';
import type { BasetenEndpoints } from '../src/client';
import type { BenchRow } from './chatPanel';

interface ManagementStats {
  received: number;
  inFlight: number;
  peakInFlight: number;
}

const CONCURRENCY = 4;

export async function catalogAtScale(client: BasetenClient, baseUrl: string, endpoints: BasetenEndpoints, apiKey: string): Promise<BenchRow[]> {
  const stats = async (): Promise<ManagementStats> => ((await (await fetch(`${baseUrl}/__emulator/stats`)).json()) as { management: ManagementStats }).management;
  const resetStats = (): Promise<unknown> => fetch(`${baseUrl}/__emulator/stats/reset`, { method: 'POST' });
  const raw = new Agent({ keepAliveTimeout: 30_000, connections: 64 });
  const get = async (path: string): Promise<unknown> => {
    const response = await request(`${endpoints.managementBaseUrl}/${path}`, { dispatcher: raw, headers: { authorization: `Api-Key ${apiKey}` } });
    return response.body.json();
  };
  // Requests the catalog has in flight, counted on its side: the emulator answers each at once.
  let inFlight = 0;
  let peak = 0;
  const counted =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      peak = Math.max(peak, ++inFlight);
      try {
        return await call(...args);
      } finally {
        inFlight--;
      }
    };
  const management = client.management;
  const countedManagement = {
    listModels: counted(management.listModels.bind(management)),
    listChains: counted(management.listChains.bind(management)),
    listEnvironments: counted(management.listEnvironments.bind(management)),
    listDeployments: counted(management.listDeployments.bind(management)),
    listChainEnvironments: counted(management.listChainEnvironments.bind(management)),
    listChainDeployments: counted(management.listChainDeployments.bind(management)),
  };
  const catalog = (): DeploymentCatalog =>
    new DeploymentCatalog({
      management: () => countedManagement,
      refusal: (error, signal) => classifyKeyRefusal(error, () => client.modelApis.listModels({ signal })),
      configured: () => [],
      pollMs: () => 60_000,
      concurrency: CONCURRENCY,
    });
  try {
    // Warm both paths' sockets and JIT once.
    await get('models');
    await catalog().listOwners('model');

    const rawStart = performance.now();
    const listed = ((await get('models')) as { models: Array<{ id: string; name: string }> }).models;
    const rawListMs = performance.now() - rawStart;
    const firstStart = performance.now();
    const fresh = catalog();
    const { owners } = await fresh.listOwners('model');
    // The first level as the tree shows it: one label and description per model.
    const rowsShown = owners.map((owner) => `${owner.name} ${owner.id} · ${owner.deploymentsCount ?? 0} deployments`);
    const firstLevelMs = performance.now() - firstStart;

    await resetStats();
    peak = 0;
    const everyStart = performance.now();
    const every = await fresh.everyTarget(undefined, ['model']);
    const everyMs = performance.now() - everyStart;
    const ours = await stats();
    const targets = every.listed.reduce((sum, entry) => sum + entry.targets.length, 0);
    const failed = every.listed.filter((entry) => entry.error).length;

    await resetStats();
    const rawEveryStart = performance.now();
    await Promise.all(listed.flatMap((model) => [get(`models/${model.id}/environments`), get(`models/${model.id}/deployments`)]));
    const rawEveryMs = performance.now() - rawEveryStart;
    const unbounded = await stats();
    fresh.dispose();
    const labels = targets ? targetLabel(every.listed[0].targets[0]) : '';
    return [
      {
        figure: `catalog: first tree level of ${owners.length.toLocaleString('en-US')} models (data → rows)`,
        ours: `${firstLevelMs.toFixed(1)} ms`,
        baseline: `${rawListMs.toFixed(1)} ms (one raw GET /v1/models)`,
        ratio: rawListMs / firstLevelMs,
        goal: '< 100 ms',
        met: firstLevelMs < 100 && rowsShown.length === listed.length,
      },
      {
        figure: `catalog: expand every model (${targets.toLocaleString('en-US')} targets, e.g. "${labels}")`,
        ours: `${(everyMs / 1000).toFixed(2)} s, ${ours.received.toLocaleString('en-US')} management calls, ≤ ${peak} in flight${failed ? `, ${failed} failed` : ''}`,
        baseline: `${(rawEveryMs / 1000).toFixed(2)} s raw, ${unbounded.received.toLocaleString('en-US')} requests all at once`,
        ratio: rawEveryMs / everyMs,
        goal: `2 calls a model; ≤ ${CONCURRENCY * 2} in flight`,
        met: ours.received === 2 * owners.length && peak <= CONCURRENCY * 2 && !failed,
      },
    ];
  } finally {
    await raw.close();
  }
}
