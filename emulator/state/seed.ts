/**
 * The fixed demo workspace. `SEED` holds its IDs for tests and demos; `buildInitialState` builds a fresh,
 * mutable copy (used at start and by every reset).
 */
import { MODEL_API_IDS, buildModelApis } from '../modelApis/catalog';
import type {
  AutoscalingSettings,
  ChainDeploymentState,
  ChainState,
  DeploymentState,
  DeploymentStatus,
  EmulatorState,
  InstanceType,
  LogLine,
  ModelBehaviour,
  ModelState,
  PromotionSettings,
} from './state';
import { replicaName, replicasFor } from './state';

export const DEMO_API_KEY = 'emu1demo.BasetenEmulatorDemoKey0000000000';
export const INVOKE_ONLY_API_KEY = 'emu2invk.BasetenEmulatorInvokeOnly000000';

export interface SeedModel {
  id: string;
  name: string;
  productionDeploymentId: string;
  developmentDeploymentId?: string;
  /** Environment names, production first. */
  environments: readonly string[];
  /** Every deployment, old and failed ones included. */
  deploymentIds: readonly string[];
  /** Deployments by role, e.g. `staging`, `inactive`, `buildFailed`. */
  deployments: Readonly<Record<string, string>>;
}

export interface SeedChain {
  id: string;
  name: string;
  productionDeploymentId: string;
  developmentDeploymentId: string;
  environments: readonly string[];
  deploymentIds: readonly string[];
  /** Chainlet IDs of the production deployment; the entrypoint serves run_remote and WebSockets. */
  chainlets: Readonly<{ entrypoint: string; summarizer: string }>;
}

export interface Seed {
  apiKey: string;
  invokeOnlyApiKey: string;
  user: { user_id: string; email: string; name: string; workspace_name: string };
  teamName: string;
  modelApis: readonly string[];
  models: {
    echo: SeedModel;
    transform: SeedModel;
    chunked: SeedModel;
    sse: SeedModel;
    binary: SeedModel;
    slow: SeedModel;
    failing: SeedModel;
    llm: SeedModel;
    sleepy: SeedModel;
  };
  chains: { pipeline: SeedChain };
}

function single(id: string, name: string, productionDeploymentId: string): SeedModel {
  return {
    id,
    name,
    productionDeploymentId,
    environments: ['production'],
    deploymentIds: [productionDeploymentId],
    deployments: { production: productionDeploymentId },
  };
}

export const SEED: Seed = {
  apiKey: DEMO_API_KEY,
  invokeOnlyApiKey: INVOKE_ONLY_API_KEY,
  user: { user_id: 'zln31ge', email: 'demo@emulator.baseten.local', name: 'Demo User', workspace_name: 'Emulator Workspace' },
  teamName: 'Default Team',
  modelApis: MODEL_API_IDS,
  models: {
    echo: {
      id: 'adyqnviz',
      name: 'echo',
      productionDeploymentId: 't0kcumo',
      developmentDeploymentId: 'cdg50px',
      environments: ['production', 'staging'],
      deploymentIds: ['pickl7d', '4x0gvje', 'eh69apm', 't0kcumo', 'cdg50px'],
      deployments: { inactive: 'pickl7d', buildFailed: '4x0gvje', staging: 'eh69apm', production: 't0kcumo', development: 'cdg50px' },
    },
    transform: single('9by0szv5', 'transform', 'v4nxj8v'),
    chunked: single('idul7pmr', 'chunked', 'dx1y2qg'),
    sse: single('8smhews1', 'sse', '2in99p7'),
    binary: single('t31mh9my', 'binary', '1tgk9uw'),
    slow: single('9am5nhwh', 'slow', 'ljrii7l'),
    failing: single('qy5utet0', 'failing', 'f6ndoku'),
    llm: single('km98y5f5', 'llm', 'ebm0apu'),
    sleepy: {
      id: 'wlsja3uu',
      name: 'sleepy',
      productionDeploymentId: 'wyixvsj',
      developmentDeploymentId: 'm8wsl0n',
      environments: ['production'],
      deploymentIds: ['wyixvsj', 'm8wsl0n'],
      deployments: { production: 'wyixvsj', development: 'm8wsl0n' },
    },
  },
  chains: {
    pipeline: {
      id: 'zmeo8xgu',
      name: 'pipeline',
      productionDeploymentId: '8ukc83n',
      developmentDeploymentId: 'zqzkt30',
      environments: ['production'],
      deploymentIds: ['8ukc83n', 'zqzkt30'],
      chainlets: { entrypoint: 'w9q4ah1', summarizer: 'ztteh9x' },
    },
  },
};

export const CPU_SMALL: InstanceType = {
  id: '1x2',
  name: '1x2 (1 vCPU, 2 GiB)',
  memory_limit_mib: 2048,
  millicpu_limit: 1000,
  gpu_count: 0,
  gpu_type: null,
  gpu_memory_limit_mib: null,
};
const CPU_MEDIUM: InstanceType = {
  id: '2x8',
  name: '2x8 (2 vCPU, 8 GiB)',
  memory_limit_mib: 8192,
  millicpu_limit: 2000,
  gpu_count: 0,
  gpu_type: null,
  gpu_memory_limit_mib: null,
};
const GPU_L4: InstanceType = {
  id: 'L4:4x16',
  name: 'L4:4x16 (1 L4, 4 vCPU, 16 GiB)',
  memory_limit_mib: 16384,
  millicpu_limit: 4000,
  gpu_count: 1,
  gpu_type: 'L4',
  gpu_memory_limit_mib: 24576,
};
const GPU_H100: InstanceType = {
  id: 'H100:8x80',
  name: 'H100:8x80 (1 H100, 8 vCPU, 80 GiB)',
  memory_limit_mib: 81920,
  millicpu_limit: 8000,
  gpu_count: 1,
  gpu_type: 'H100',
  gpu_memory_limit_mib: 81920,
};

export function autoscaling(minReplica: number, maxReplica: number): AutoscalingSettings {
  return {
    min_replica: minReplica,
    max_replica: maxReplica,
    autoscaling_window: 60,
    scale_down_delay: 900,
    concurrency_target: 1,
    target_utilization_percentage: 70,
    target_in_flight_tokens: null,
    max_scale_down_rate: 50,
  };
}

export function promotionSettings(): PromotionSettings {
  return {
    redeploy_on_promotion: false,
    rolling_deploy: false,
    promotion_cleanup_strategy: 'SCALE_TO_ZERO',
    rolling_deploy_config: null,
    ramp_up_while_promoting: false,
    ramp_up_duration_seconds: 600,
  };
}

/** A deployment's build and load history, ending minutes before now so the default log window shows it. */
function bootLogs(deploymentId: string, status: DeploymentStatus, now: number): LogLine[] {
  const replica = status === 'INACTIVE' || status === 'BUILD_FAILED' ? null : replicaName(deploymentId, 0);
  const line = (minutesAgo: number, message: string, level: LogLine['level'] = 'INFO', from: string | null = replica): LogLine => ({
    at: now - minutesAgo * 60_000,
    message,
    level,
    replica: from,
    requestId: null,
  });
  const logs = [line(20, 'Building model image', 'INFO', null), line(19, 'Installing Python requirements', 'INFO', null)];
  if (status === 'BUILD_FAILED') {
    logs.push(line(18, 'ERROR: Could not find a version that satisfies the requirement torch==0.0.1', 'ERROR', null));
    logs.push(line(18, 'Build failed', 'ERROR', null));
    return logs;
  }
  logs.push(line(17, 'Model image built', 'INFO', null), line(16, 'Executing model.load()'), line(15, 'Completed model.load() execution in 2143 ms'));
  if (status === 'INACTIVE') logs.push(line(5, 'Deployment deactivated', 'INFO', null));
  if (status === 'SCALED_TO_ZERO') logs.push(line(3, 'Scaled to zero after 900 s without traffic', 'INFO', null));
  return logs;
}

export interface DeploymentSpec {
  id: string;
  name: string;
  createdAt: string;
  status: DeploymentStatus;
  isDevelopment?: boolean;
  instanceTypeName: string;
  autoscaling?: AutoscalingSettings | null;
}

export function deployment(spec: DeploymentSpec, now: number): DeploymentState {
  const settings = spec.autoscaling === undefined ? autoscaling(0, 1) : spec.autoscaling;
  return {
    kind: 'model',
    id: spec.id,
    name: spec.name,
    createdAt: spec.createdAt,
    status: spec.status,
    activeReplicaCount: replicasFor(spec.status, settings),
    isDevelopment: spec.isDevelopment ?? false,
    autoscalingSettings: settings,
    instanceTypeName: spec.instanceTypeName,
    labels: null,
    logs: bootLogs(spec.id, spec.status, now),
  };
}

function model(
  seed: SeedModel,
  behaviour: ModelBehaviour,
  createdAt: string,
  instanceType: InstanceType,
  deployments: DeploymentState[],
  environmentDeployments: Record<string, string>,
): ModelState {
  return {
    id: seed.id,
    name: seed.name,
    createdAt,
    teamName: SEED.teamName,
    instanceTypeName: instanceType.id,
    behaviour,
    deployments,
    environments: Object.entries(environmentDeployments).map(([name, currentDeploymentId]) => ({
      name,
      createdAt,
      currentDeploymentId,
      autoscalingSettings: autoscaling(name === 'production' && seed.name === 'echo' ? 1 : 0, 2),
      promotionSettings: promotionSettings(),
      instanceType: structuredClone(instanceType),
    })),
  };
}

/** A model with one ACTIVE production deployment. */
function simpleModel(seed: SeedModel, behaviour: ModelBehaviour, createdAt: string, instanceType: InstanceType, now: number): ModelState {
  const production = deployment(
    { id: seed.productionDeploymentId, name: 'deployment-1', createdAt, status: 'ACTIVE', instanceTypeName: instanceType.id },
    now,
  );
  return model(seed, behaviour, createdAt, instanceType, [production], { production: production.id });
}

function echoModel(now: number): ModelState {
  const seed = SEED.models.echo;
  const ids = seed.deployments;
  const cpu = CPU_SMALL.id;
  const deployments = [
    deployment({ id: ids.inactive, name: 'deployment-1', createdAt: '2026-03-02T09:15:00.000Z', status: 'INACTIVE', instanceTypeName: cpu }, now),
    deployment({ id: ids.buildFailed, name: 'deployment-2', createdAt: '2026-03-09T11:40:00.000Z', status: 'BUILD_FAILED', instanceTypeName: cpu, autoscaling: null }, now),
    deployment({ id: ids.staging, name: 'deployment-3', createdAt: '2026-03-16T14:05:00.000Z', status: 'ACTIVE', instanceTypeName: cpu }, now),
    deployment(
      { id: ids.production, name: 'deployment-4', createdAt: '2026-03-23T16:30:00.000Z', status: 'ACTIVE', instanceTypeName: cpu, autoscaling: autoscaling(1, 2) },
      now,
    ),
    deployment({ id: ids.development, name: 'development', createdAt: '2026-03-30T08:00:00.000Z', status: 'ACTIVE', isDevelopment: true, instanceTypeName: cpu }, now),
  ];
  return model(seed, 'echo', '2026-03-02T09:10:00.000Z', CPU_SMALL, deployments, { production: ids.production, staging: ids.staging });
}

function sleepyModel(now: number): ModelState {
  const seed = SEED.models.sleepy;
  const deployments = [
    deployment({ id: seed.deployments.production, name: 'deployment-1', createdAt: '2026-04-20T10:00:00.000Z', status: 'SCALED_TO_ZERO', instanceTypeName: GPU_L4.id }, now),
    deployment(
      { id: seed.deployments.development, name: 'development', createdAt: '2026-04-21T10:00:00.000Z', status: 'SCALED_TO_ZERO', isDevelopment: true, instanceTypeName: GPU_L4.id },
      now,
    ),
  ];
  return model(seed, 'echo', '2026-04-20T09:55:00.000Z', GPU_L4, deployments, { production: seed.deployments.production });
}

function chainDeployment(
  id: string,
  name: string,
  createdAt: string,
  isDevelopment: boolean,
  chainletIds: [string, string],
  now: number,
): ChainDeploymentState {
  const status: DeploymentStatus = 'ACTIVE';
  const settings = autoscaling(0, 1);
  return {
    kind: 'chain',
    id,
    name,
    createdAt,
    status,
    activeReplicaCount: replicasFor(status, settings),
    autoscalingSettings: settings,
    isDevelopment,
    logs: bootLogs(id, status, now),
    chainlets: [
      { id: chainletIds[0], name: 'Pipeline', isEntrypoint: true, instanceTypeName: CPU_SMALL.id, autoscalingSettings: autoscaling(0, 1), status, activeReplicaCount: 1 },
      { id: chainletIds[1], name: 'Summarizer', isEntrypoint: false, instanceTypeName: CPU_MEDIUM.id, autoscalingSettings: autoscaling(0, 2), status, activeReplicaCount: 1 },
    ],
  };
}

function pipelineChain(now: number): ChainState {
  const seed = SEED.chains.pipeline;
  const createdAt = '2026-05-04T12:00:00.000Z';
  return {
    id: seed.id,
    name: seed.name,
    createdAt,
    teamName: SEED.teamName,
    deployments: [
      chainDeployment(seed.productionDeploymentId, 'deployment-1', createdAt, false, [seed.chainlets.entrypoint, seed.chainlets.summarizer], now),
      chainDeployment(seed.developmentDeploymentId, 'development', '2026-05-05T12:00:00.000Z', true, ['kvjyv3f', 'qav1lwv'], now),
    ],
    environments: [{ name: 'production', createdAt, currentDeploymentId: seed.productionDeploymentId, promotionSettings: promotionSettings() }],
  };
}

/** A fresh copy of the demo workspace. */
export function buildInitialState(now = Date.now()): EmulatorState {
  const models = SEED.models;
  return {
    user: { ...SEED.user },
    team: { id: 'x8o8a9g', name: SEED.teamName, default: true, created_at: '2026-01-05T08:00:00.000Z' },
    instanceTypes: [CPU_SMALL, CPU_MEDIUM, GPU_L4, GPU_H100].map((type) => ({ ...type })),
    modelApis: buildModelApis(),
    models: [
      echoModel(now),
      simpleModel(models.transform, 'transform', '2026-04-01T10:00:00.000Z', CPU_SMALL, now),
      simpleModel(models.chunked, 'chunked', '2026-04-02T10:00:00.000Z', CPU_SMALL, now),
      simpleModel(models.sse, 'sse', '2026-04-03T10:00:00.000Z', CPU_SMALL, now),
      simpleModel(models.binary, 'binary', '2026-04-04T10:00:00.000Z', CPU_SMALL, now),
      simpleModel(models.slow, 'slow', '2026-04-05T10:00:00.000Z', CPU_SMALL, now),
      simpleModel(models.failing, 'failing', '2026-04-06T10:00:00.000Z', CPU_SMALL, now),
      simpleModel(models.llm, 'llm', '2026-04-07T10:00:00.000Z', GPU_H100, now),
      sleepyModel(now),
    ],
    chains: [pipelineChain(now)],
    asyncRequests: new Map(),
  };
}
