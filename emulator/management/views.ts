/** The management API's shapes (`ModelV1`, `DeploymentV1`, …), built from the live state. */
import type {
  ChainDeploymentState,
  ChainEnvironmentState,
  ChainState,
  DeploymentState,
  EmulatorState,
  EnvironmentState,
  InstanceType,
  LogLine,
  ModelApiState,
  ModelState,
} from '../state/state';
import { developmentDeployment, environmentOf, productionDeployment } from '../state/state';

export function modelView(model: ModelState): Record<string, unknown> {
  const production = productionDeployment(model);
  return {
    id: model.id,
    created_at: model.createdAt,
    name: model.name,
    deployments_count: model.deployments.length,
    production_deployment_id: production?.id ?? null,
    development_deployment_id: developmentDeployment(model)?.id ?? null,
    instance_type_name: production?.instanceTypeName ?? model.instanceTypeName,
    team_name: model.teamName,
  };
}

export function deploymentView(model: ModelState, deployment: DeploymentState): Record<string, unknown> {
  return {
    id: deployment.id,
    created_at: deployment.createdAt,
    name: deployment.name,
    model_id: model.id,
    is_production: productionDeployment(model)?.id === deployment.id,
    is_development: deployment.isDevelopment,
    status: deployment.status,
    active_replica_count: deployment.activeReplicaCount,
    autoscaling_settings: deployment.autoscalingSettings ? { ...deployment.autoscalingSettings } : null,
    instance_type_name: deployment.instanceTypeName,
    environment: environmentOf(model, deployment.id),
    labels: deployment.labels,
  };
}

export function environmentView(model: ModelState, environment: EnvironmentState): Record<string, unknown> {
  const current = model.deployments.find((deployment) => deployment.id === environment.currentDeploymentId);
  const candidate = environment.promotion && model.deployments.find((deployment) => deployment.id === environment.promotion?.candidateId);
  return {
    name: environment.name,
    created_at: environment.createdAt,
    model_id: model.id,
    current_deployment: current ? deploymentView(model, current) : null,
    candidate_deployment: candidate ? deploymentView(model, candidate) : null,
    in_progress_promotion: environment.promotion
      ? { status: environment.promotion.status, percent_traffic_to_new_version: environment.promotion.percent, error_message: null, rolling_deploy: environment.promotionSettings.rolling_deploy ?? false }
      : null,
    autoscaling_settings: { ...environment.autoscalingSettings },
    promotion_settings: { ...environment.promotionSettings },
    instance_type: { ...environment.instanceType },
  };
}

export function chainView(chain: ChainState): Record<string, unknown> {
  return { id: chain.id, created_at: chain.createdAt, name: chain.name, deployments_count: chain.deployments.length, team_name: chain.teamName };
}

export function chainDeploymentView(chain: ChainState, deployment: ChainDeploymentState): Record<string, unknown> {
  return {
    id: deployment.id,
    created_at: deployment.createdAt,
    chain_id: chain.id,
    environment: environmentOf(chain, deployment.id),
    chainlets: deployment.chainlets.map((chainlet) => ({
      id: chainlet.id,
      name: chainlet.name,
      autoscaling_settings: chainlet.autoscalingSettings ? { ...chainlet.autoscalingSettings } : null,
      instance_type_name: chainlet.instanceTypeName,
      active_replica_count: chainlet.activeReplicaCount,
      status: chainlet.status,
    })),
    status: deployment.status,
  };
}

export function chainEnvironmentView(state: EmulatorState, chain: ChainState, environment: ChainEnvironmentState): Record<string, unknown> {
  const current = chain.deployments.find((deployment) => deployment.id === environment.currentDeploymentId);
  const instanceType = (name: string): InstanceType => state.instanceTypes.find((type) => type.id === name) ?? state.instanceTypes[0];
  return {
    name: environment.name,
    created_at: environment.createdAt,
    chain_id: chain.id,
    promotion_settings: { ...environment.promotionSettings },
    chainlet_settings: (current?.chainlets ?? []).map((chainlet) => ({
      chainlet_name: chainlet.name,
      autoscaling_settings: chainlet.autoscalingSettings ? { ...chainlet.autoscalingSettings } : null,
      instance_type: { ...instanceType(chainlet.instanceTypeName) },
    })),
    current_deployment: current ? chainDeploymentView(chain, current) : null,
    candidate_deployment: null,
  };
}

export function logView(line: LogLine): Record<string, unknown> {
  return { timestamp: `${BigInt(line.at) * 1_000_000n + BigInt(line.nanos ?? 0)}`, message: line.message, replica: line.replica, request_id: line.requestId, level: line.level };
}

/** `ModelAPIV1` of the management catalogue: per-million prices, a slug name that differs from the chat id. */
export function managementModelApiView(api: ModelApiState, invokeUrl: string): Record<string, unknown> {
  const perMillion = (perToken: string): string => String(Math.round(Number(perToken) * 1e6 * 1e4) / 1e4);
  const entry = api.entry;
  return {
    name: entry.id.split('/').pop()?.toLowerCase().replace(/[^a-z0-9]+/g, '-') ?? entry.id,
    display_name: entry.name,
    description: entry.description,
    model_family: entry.id.split('/')[0].split('-')[0].toUpperCase(),
    release_date: new Date(entry.created * 1000).toISOString().slice(0, 10),
    invoke_url: invokeUrl,
    context_length: entry.context_length,
    cost_per_million_input_tokens: perMillion(entry.pricing.prompt),
    cost_per_million_output_tokens: perMillion(entry.pricing.completion),
    rate_limits: [
      { type: 'REQUEST', unit: 'MINUTE', threshold: 120 },
      { type: 'TOKEN', unit: 'MINUTE', threshold: 1_000_000 },
    ],
    org_details: api.enabled ? { added_at: '2026-01-05T08:00:00Z', last_used_at: null } : null,
  };
}
