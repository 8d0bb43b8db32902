/**
 * The management API (`api.baseten.co/v1`, docs/baseten-api.md#management-api): who the key belongs to, models,
 * deployments, environments and chains, activation, and the status polling that wake relies on. Errors carry
 * area `management`, so a 401/403 is explained as a key that cannot manage (e.g. an invoke-only workspace key).
 */
import { BasetenError } from './errors';
import { HttpClient, HttpMethod, sleep } from './http';
import { BasetenEndpoints, managementResourceUrl } from './urls';
import type {
  ChainDeploymentV1,
  ChainEnvironmentV1,
  ChainV1,
  DeploymentStatus,
  DeploymentV1,
  EnvironmentV1,
  ModelV1,
  UserInfoV1,
} from './types';

export interface ManagementCallOptions {
  signal?: AbortSignal;
}

/** A deployment named by ID, or by the alias Baseten accepts in its place. */
export type DeploymentRef = string | 'production' | 'development';

/** `{success}` of activate / deactivate. */
export interface ActivationResult {
  success: boolean;
}

const TRANSITIONAL: ReadonlySet<DeploymentStatus> = new Set(['BUILDING', 'DEPLOYING', 'LOADING_MODEL', 'UPDATING', 'WAKING_UP', 'DEACTIVATING']);
const FAILED: ReadonlySet<DeploymentStatus> = new Set(['BUILD_FAILED', 'BUILD_STOPPED', 'DEPLOY_FAILED', 'FAILED', 'UNHEALTHY']);

/** The deployment is on its way somewhere (building, loading, waking, …); poll again. */
export function isTransitionalStatus(status: DeploymentStatus | string): boolean {
  return TRANSITIONAL.has(status as DeploymentStatus);
}

/** Scaled to zero: a request (or wake) will start it, after a cold start. */
export function isSleeping(status: DeploymentStatus | string): boolean {
  return status === 'SCALED_TO_ZERO';
}

/** A failure that waiting will not fix: the build or deploy failed, or the deployment is unhealthy. */
export function isFailedStatus(status: DeploymentStatus | string): boolean {
  return FAILED.has(status as DeploymentStatus);
}

const STATUS_TEXT: Record<DeploymentStatus, string> = {
  BUILDING: 'Building',
  DEPLOYING: 'Deploying',
  DEPLOY_FAILED: 'Deployment failed',
  LOADING_MODEL: 'Loading model',
  ACTIVE: 'Active',
  UNHEALTHY: 'Unhealthy',
  BUILD_FAILED: 'Build failed',
  BUILD_STOPPED: 'Build stopped',
  DEACTIVATING: 'Deactivating',
  INACTIVE: 'Inactive',
  FAILED: 'Failed',
  UPDATING: 'Updating',
  SCALED_TO_ZERO: 'Scaled to zero',
  WAKING_UP: 'Waking up',
};

/** The status as Baseten's dashboard words it; an unknown status is shown in sentence case. */
export function describeDeploymentStatus(status: DeploymentStatus | string): string {
  const known = STATUS_TEXT[status as DeploymentStatus];
  if (known) return known;
  const words = String(status).toLowerCase().replace(/_/g, ' ').trim();
  return words ? words[0].toUpperCase() + words.slice(1) : 'Unknown';
}

export interface WaitForDeploymentOptions extends ManagementCallOptions {
  /** Stop (successfully) when this returns true; checked before the failure statuses. */
  until: (deployment: DeploymentV1) => boolean;
  /** Between polls; Baseten's CLI uses 2 s. */
  intervalMs?: number;
  /** Give up after this long; 10 minutes by default (Baseten's wake timeout is 600 s). */
  timeoutMs?: number;
  /** Called with every deployment read, the last one included. */
  onStatus?: (deployment: DeploymentV1) => void;
}

/** Waiting ended in a status that will not reach the goal (a failure, or an inactive deployment). */
export class DeploymentStatusError extends BasetenError {
  constructor(readonly deployment: DeploymentV1) {
    const status = deployment.status;
    const advice = status === 'INACTIVE' ? ' Activate it first.' : ' Its logs say why (Show Logs).';
    super({
      kind: 'protocol',
      code: status,
      area: 'management',
      message: `Deployment ${deployment.id} of model ${deployment.model_id} is ${describeDeploymentStatus(status)}; it will not become ready by waiting.${advice}`,
    });
  }
}

export class ManagementClient {
  constructor(
    readonly http: HttpClient,
    readonly endpoints: () => BasetenEndpoints,
  ) {}

  /** `GET /v1/users/me`: the key's user and workspace; the cheapest way to check a key can manage. */
  me(options: ManagementCallOptions = {}): Promise<UserInfoV1> {
    return this.get(['users', 'me'], options);
  }

  async listModels(options: ManagementCallOptions = {}): Promise<ModelV1[]> {
    return this.list<ModelV1>(['models'], 'models', options);
  }

  getModel(modelId: string, options: ManagementCallOptions = {}): Promise<ModelV1> {
    return this.get(['models', modelId], options);
  }

  listDeployments(modelId: string, options: ManagementCallOptions = {}): Promise<DeploymentV1[]> {
    return this.list<DeploymentV1>(['models', modelId, 'deployments'], 'deployments', options);
  }

  /** One deployment, by ID or by the alias `production` / `development`. */
  getDeployment(modelId: string, deployment: DeploymentRef, options: ManagementCallOptions = {}): Promise<DeploymentV1> {
    return this.get(['models', modelId, 'deployments', deployment], options);
  }

  listEnvironments(modelId: string, options: ManagementCallOptions = {}): Promise<EnvironmentV1[]> {
    return this.list<EnvironmentV1>(['models', modelId, 'environments'], 'environments', options);
  }

  getEnvironment(modelId: string, environmentName: string, options: ManagementCallOptions = {}): Promise<EnvironmentV1> {
    return this.get(['models', modelId, 'environments', environmentName], options);
  }

  activateDeployment(modelId: string, deployment: DeploymentRef, options: ManagementCallOptions = {}): Promise<ActivationResult> {
    return this.activation(['models', modelId, 'deployments', deployment, 'activate'], options);
  }

  deactivateDeployment(modelId: string, deployment: DeploymentRef, options: ManagementCallOptions = {}): Promise<ActivationResult> {
    return this.activation(['models', modelId, 'deployments', deployment, 'deactivate'], options);
  }

  activateEnvironment(modelId: string, environmentName: string, options: ManagementCallOptions = {}): Promise<ActivationResult> {
    return this.activation(['models', modelId, 'environments', environmentName, 'activate'], options);
  }

  deactivateEnvironment(modelId: string, environmentName: string, options: ManagementCallOptions = {}): Promise<ActivationResult> {
    return this.activation(['models', modelId, 'environments', environmentName, 'deactivate'], options);
  }

  listChains(options: ManagementCallOptions = {}): Promise<ChainV1[]> {
    return this.list<ChainV1>(['chains'], 'chains', options);
  }

  getChain(chainId: string, options: ManagementCallOptions = {}): Promise<ChainV1> {
    return this.get(['chains', chainId], options);
  }

  listChainDeployments(chainId: string, options: ManagementCallOptions = {}): Promise<ChainDeploymentV1[]> {
    return this.list<ChainDeploymentV1>(['chains', chainId, 'deployments'], 'deployments', options);
  }

  /** The spec names the answer `EnvironmentsV1`; its items are chain environments. */
  listChainEnvironments(chainId: string, options: ManagementCallOptions = {}): Promise<ChainEnvironmentV1[]> {
    return this.list<ChainEnvironmentV1>(['chains', chainId, 'environments'], 'environments', options);
  }

  deactivateChainDeployment(chainId: string, deploymentId: string, options: ManagementCallOptions = {}): Promise<ActivationResult> {
    return this.activation(['chains', chainId, 'deployments', deploymentId, 'deactivate'], options);
  }

  /**
   * Polls a deployment until `until` accepts it. The management API is the only place readiness shows (a
   * request to a sleeping deployment is parked, not refused; docs/baseten-api.md#wake-and-scale-to-zero). Stops
   * with a `DeploymentStatusError` on a failure status or `INACTIVE`, a `timeout` error after `timeoutMs`, and
   * an `aborted` error when the signal fires. HTTP errors (404, 401/403) end the wait as they are.
   */
  async waitForDeploymentStatus(modelId: string, deployment: DeploymentRef, options: WaitForDeploymentOptions): Promise<DeploymentV1> {
    const intervalMs = options.intervalMs ?? 2_000;
    const timeoutMs = options.timeoutMs ?? 600_000;
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const current = await this.getDeployment(modelId, deployment, { signal: options.signal });
      options.onStatus?.(current);
      if (options.until(current)) return current;
      if (isFailedStatus(current.status) || current.status === 'INACTIVE') throw new DeploymentStatusError(current);
      const left = deadline - performance.now();
      if (left <= 0) {
        throw new BasetenError({
          kind: 'timeout',
          code: 'deployment_wait_timeout',
          area: 'management',
          message: `Deployment ${current.id} is still ${describeDeploymentStatus(current.status)} after ${Math.round(timeoutMs / 1000)} s.`,
        });
      }
      await sleep(Math.min(intervalMs, left), options.signal);
    }
  }

  private async get<T>(segments: string[], options: ManagementCallOptions): Promise<T> {
    return this.call<T>('GET', segments, options);
  }

  private async list<T>(segments: string[], field: string, options: ManagementCallOptions): Promise<T[]> {
    const body = await this.call<Record<string, unknown>>('GET', segments, options);
    const items = body?.[field];
    if (!Array.isArray(items)) {
      throw new BasetenError({
        kind: 'protocol',
        area: 'management',
        message: `The management API answer had no "${field}" list.`,
        body: JSON.stringify(body)?.slice(0, 4096),
      });
    }
    return items as T[];
  }

  private async activation(segments: string[], options: ManagementCallOptions): Promise<ActivationResult> {
    const body = await this.call<Partial<ActivationResult> | null>('POST', segments, options);
    // The spec gives `success` a default of true, so an answer without it counts as success.
    return { success: body?.success ?? true };
  }

  private async call<T>(method: HttpMethod, segments: string[], options: ManagementCallOptions): Promise<T> {
    const url = managementResourceUrl(this.endpoints(), ...segments);
    const response = await this.http.send({ method, url, area: 'management', signal: options.signal, ...(method === 'POST' ? { json: {} } : {}) });
    return response.json<T>(undefined, options.signal);
  }
}
