/** Which metrics route a target reads: an environment's (across its promotion), else its deployment's by ID. */
import { BasetenError, readDeploymentMetrics } from '../../../client';
import type { DeploymentMetrics, MetricMode, MetricsClient, TargetRef } from '../../../client';

export interface MetricsTarget extends TargetRef {
  /** The deployment behind it, from the catalog. */
  deploymentId: string;
}

export const HOUR_MS = 3_600_000;

/** An environment's metrics where Baseten serves them (newer API), falling back to its deployment's on a 404. */
export async function loadMetrics(client: MetricsClient, target: MetricsTarget, mode: Exclude<MetricMode, 'CURRENT'>, signal?: AbortSignal, now = Date.now()): Promise<DeploymentMetrics> {
  const query = { mode, startMs: now - HOUR_MS, endMs: now, signal };
  const modelId = target.owner.id;
  const environment = target.target.kind === 'production' ? 'production' : target.target.kind === 'environment' ? target.target.name : undefined;
  if (environment) {
    try {
      return readDeploymentMetrics(await client.environmentMetrics(modelId, environment, query));
    } catch (error) {
      if (!(error instanceof BasetenError && error.status === 404)) throw error;
    }
  }
  return readDeploymentMetrics(await client.deploymentMetrics(modelId, target.deploymentId, query));
}
