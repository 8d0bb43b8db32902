/**
 * Management routes for models: models, deployments (with the `production` and `development` aliases),
 * environments, activation, promotion (over time, cancelable), autoscaling settings, metrics and logs.
 */
import { isRecord } from '../core/exchange';
import type { Route } from '../core/router';
import type { AutoscalingSettings, DeploymentState, EnvironmentState, ModelState, PromotionSettings } from '../state/state';
import { developmentDeployment, findModel, productionDeployment } from '../state/state';
import type { ManagementContext, ManagementHandler } from './context';
import { fail, objectBody, ok } from './context';
import { queryLogs } from './logQuery';
import { metricsView, parseMetricsQuery } from './metrics';
import { cancelPromotion, startPromotion } from './promotion';
import { deploymentView, environmentView, modelView } from './views';

function withModel(context: ManagementContext, then: (model: ModelState) => void): void {
  const model = findModel(context.core.state, context.params.model);
  if (!model) return fail(context, 404, `Model ${context.params.model} was not found.`);
  then(model);
}

/** `production`, `development` or a deployment ID. */
function withDeployment(context: ManagementContext, then: (model: ModelState, deployment: DeploymentState) => void): void {
  withModel(context, (model) => {
    const key = context.params.deployment;
    const deployment =
      key === 'production' ? productionDeployment(model) : key === 'development' ? developmentDeployment(model) : model.deployments.find((d) => d.id === key);
    if (!deployment) return fail(context, 404, `Deployment ${key} of model ${model.id} was not found.`);
    then(model, deployment);
  });
}

const AUTOSCALING_FIELDS = [
  'min_replica',
  'max_replica',
  'autoscaling_window',
  'scale_down_delay',
  'concurrency_target',
  'target_utilization_percentage',
  'target_in_flight_tokens',
  'max_scale_down_rate',
] as const;

/** Merges an `UpdateAutoscalingSettingsV1`; a message when it is invalid. */
export function mergeAutoscaling(current: AutoscalingSettings, update: unknown): { settings: AutoscalingSettings; changed: boolean } | string {
  if (!isRecord(update)) return 'autoscaling_settings must be an object.';
  const next: AutoscalingSettings = { ...current };
  for (const [field, value] of Object.entries(update)) {
    if (!(AUTOSCALING_FIELDS as readonly string[]).includes(field)) return `Unknown autoscaling setting "${field}".`;
    if (value === null) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) return `${field} must be a non-negative integer.`;
    (next as unknown as Record<string, number>)[field] = value;
  }
  if (next.min_replica > next.max_replica) return 'min_replica must not exceed max_replica.';
  if (next.max_scale_down_rate !== null && next.max_scale_down_rate !== undefined && (next.max_scale_down_rate < 1 || next.max_scale_down_rate > 50)) {
    return 'max_scale_down_rate must be between 1 and 50.';
  }
  return { settings: next, changed: JSON.stringify(next) !== JSON.stringify(current) };
}

function mergePromotion(current: PromotionSettings, update: unknown): PromotionSettings | string {
  if (update === null || update === undefined) return current;
  if (!isRecord(update)) return 'promotion_settings must be an object.';
  const next = { ...current } as unknown as Record<string, unknown>;
  for (const [field, value] of Object.entries(update)) {
    if (!(field in current)) return `Unknown promotion setting "${field}".`;
    if (value !== null) next[field] = value;
  }
  return next as unknown as PromotionSettings;
}

const FAILED = new Set(['BUILD_FAILED', 'BUILD_STOPPED', 'DEPLOY_FAILED', 'FAILED']);

/** Starts promoting `deployment` to the environment (management/promotion.ts) and answers the candidate. */
function promote(context: ManagementContext, model: ModelState, deployment: DeploymentState, environmentName: string, scaleDown: boolean): void {
  const environment = model.environments.find((candidate) => candidate.name === environmentName);
  if (!environment) return fail(context, 404, `Environment "${environmentName}" of model ${model.id} was not found.`);
  if (FAILED.has(deployment.status) || deployment.status === 'INACTIVE') return fail(context, 400, `Deployment ${deployment.id} cannot be promoted: its status is ${deployment.status}.`);
  const candidate = startPromotion(context.core, model, environment, deployment, scaleDown);
  if (typeof candidate === 'string') return fail(context, 400, candidate);
  ok(context, deploymentView(model, candidate));
}

/** Applies an autoscaling change to a deployment; what it runs changes at once (lifecycle.autoscalingChanged). */
function updateAutoscaling(context: ManagementContext, deployment: DeploymentState, settings: AutoscalingSettings): void {
  deployment.autoscalingSettings = { ...settings };
  context.core.lifecycle.autoscalingChanged(deployment);
}

/** Traffic the metrics of an environment cover: what it serves, and the candidate of a promotion in progress. */
function environmentDeployments(model: ModelState, environment: EnvironmentState): DeploymentState[] {
  const ids = [environment.currentDeploymentId, environment.promotion?.candidateId];
  return model.deployments.filter((deployment) => ids.includes(deployment.id));
}

function serveMetrics(context: ManagementContext, deployments: DeploymentState[]): void {
  const request = parseMetricsQuery(context.exchange.query);
  if (typeof request === 'string') return fail(context, 400, request);
  ok(context, metricsView(context.core.traffic, deployments, request));
}

export const MODEL_ROUTES: Route<ManagementHandler>[] = [
  { method: 'GET', pattern: 'models', handler: (c) => {
    const name = c.exchange.query.get('name');
    ok(c, { models: c.core.state.models.filter((model) => name === null || model.name === name).map(modelView) });
  } },
  { method: 'GET', pattern: 'models/:model', handler: (c) => withModel(c, (model) => ok(c, modelView(model))) },
  { method: 'DELETE', pattern: 'models/:model', handler: (c) => withModel(c, (model) => {
    c.core.state.models = c.core.state.models.filter((candidate) => candidate !== model);
    ok(c, { id: model.id, deleted: true });
  }) },
  { method: 'GET', pattern: 'models/:model/deployments', handler: (c) => withModel(c, (model) => {
    const name = c.exchange.query.get('name');
    ok(c, { deployments: model.deployments.filter((d) => name === null || d.name === name).map((d) => deploymentView(model, d)) });
  }) },
  { method: 'GET', pattern: 'models/:model/deployments/:deployment', handler: (c) => withDeployment(c, (model, d) => ok(c, deploymentView(model, d))) },
  { method: 'DELETE', pattern: 'models/:model/deployments/:deployment', handler: (c) => withDeployment(c, (model, d) => {
    if (productionDeployment(model)?.id === d.id) return fail(c, 400, 'The production deployment cannot be deleted; promote another deployment first.');
    model.deployments = model.deployments.filter((candidate) => candidate !== d);
    for (const environment of model.environments) if (environment.currentDeploymentId === d.id) environment.currentDeploymentId = null;
    ok(c, { id: d.id, deleted: true, model_id: model.id });
  }) },
  { method: 'POST', pattern: 'models/:model/deployments/:deployment/activate', handler: (c) => withDeployment(c, (_model, d) => {
    if (FAILED.has(d.status)) return fail(c, 400, `Deployment ${d.id} cannot be activated: its status is ${d.status}. Retry it instead.`);
    c.core.lifecycle.activate(d);
    ok(c, { success: true });
  }) },
  { method: 'POST', pattern: 'models/:model/deployments/:deployment/deactivate', handler: (c) => withDeployment(c, (_model, d) => {
    c.core.lifecycle.deactivate(d);
    ok(c, { success: true });
  }) },
  { method: 'POST', pattern: 'models/:model/deployments/:deployment/retry', handler: (c) => withDeployment(c, (model, d) => {
    if (!FAILED.has(d.status)) return ok(c, { retried: false, reason: `Only failed deployments can be retried; this one is ${d.status}.`, deployment: deploymentView(model, d) });
    d.autoscalingSettings ??= { min_replica: 0, max_replica: 1, autoscaling_window: 60, scale_down_delay: 900, concurrency_target: 1, target_utilization_percentage: 70 };
    c.core.lifecycle.retry(d);
    ok(c, { retried: true, reason: null, deployment: deploymentView(model, d) });
  }) },
  { method: 'POST', pattern: 'models/:model/deployments/:deployment/promote', handler: (c) => withDeployment(c, (model, d) => {
    const body = objectBody(c);
    if (body) promote(c, model, d, 'production', body.scale_down_previous_production !== false);
  }) },
  { method: 'PATCH', pattern: 'models/:model/deployments/:deployment/autoscaling_settings', handler: (c) => withDeployment(c, (_model, d) => {
    const body = objectBody(c);
    if (!body) return;
    if (!d.autoscalingSettings) return fail(c, 400, `Deployment ${d.id} has not finished deploying; it has no autoscaling settings yet.`);
    const merged = mergeAutoscaling(d.autoscalingSettings, body);
    if (typeof merged === 'string') return fail(c, 400, merged);
    if (d.isDevelopment && (merged.settings.min_replica !== 0 || merged.settings.max_replica !== 1)) {
      return fail(c, 400, 'A development deployment always has min_replica 0 and max_replica 1; promote it to change its replicas.');
    }
    if (merged.changed) updateAutoscaling(c, d, merged.settings);
    ok(c, merged.changed ? { status: 'ACCEPTED', message: 'Autoscaling settings updated.' } : { status: 'UNCHANGED', message: 'Autoscaling settings are already as requested.' });
  }) },
  { method: 'GET', pattern: 'models/:model/deployments/:deployment/metrics', handler: (c) => withDeployment(c, (_model, d) => serveMetrics(c, [d])) },
  { method: 'GET', pattern: 'models/:model/deployments/:deployment/logs', handler: (c) => withDeployment(c, (_model, d) => queryLogs(c, d.logs)) },
  { method: 'GET', pattern: 'models/:model/deployments/:deployment/config', handler: (c) => withDeployment(c, (model, d) => {
    const raw = `model_name: ${model.name}\nresources:\n  instance_type: ${d.instanceTypeName ?? '1x2'}\nruntime:\n  predict_concurrency: 1\n`;
    const config = { model_name: model.name, resources: { instance_type: d.instanceTypeName ?? '1x2' }, runtime: { predict_concurrency: 1 } };
    const format = c.exchange.query.get('output_format') ?? 'parsed';
    ok(c, { config: format === 'raw' ? null : config, raw_config: format === 'parsed' ? null : raw });
  }) },
  { method: 'GET', pattern: 'models/:model/environments', handler: (c) => withModel(c, (model) => ok(c, { environments: model.environments.map((e) => environmentView(model, e)) })) },
  { method: 'POST', pattern: 'models/:model/environments', handler: (c) => withModel(c, (model) => {
    const body = objectBody(c);
    if (!body) return;
    if (typeof body.name !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(body.name)) return fail(c, 400, 'name is required: letters, digits, dashes and underscores.');
    if (model.environments.some((e) => e.name === body.name)) return fail(c, 400, `Environment "${body.name}" already exists.`);
    const production = model.environments.find((e) => e.name === 'production') ?? model.environments[0];
    const autoscaling = body.autoscaling_settings ? mergeAutoscaling(production.autoscalingSettings, body.autoscaling_settings) : { settings: { ...production.autoscalingSettings }, changed: false };
    if (typeof autoscaling === 'string') return fail(c, 400, autoscaling);
    const promotion = mergePromotion(production.promotionSettings, body.promotion_settings);
    if (typeof promotion === 'string') return fail(c, 400, promotion);
    const environment = { name: body.name, createdAt: new Date().toISOString(), currentDeploymentId: null, autoscalingSettings: autoscaling.settings, promotionSettings: promotion, instanceType: { ...production.instanceType } };
    model.environments.push(environment);
    ok(c, environmentView(model, environment));
  }) },
  { method: 'GET', pattern: 'models/:model/environments/:environment', handler: (c) => withEnvironment(c, (model, e) => ok(c, environmentView(model, e))) },
  { method: 'PATCH', pattern: 'models/:model/environments/:environment', handler: (c) => withEnvironment(c, (model, e) => {
    const body = objectBody(c);
    if (!body) return;
    const autoscaling = body.autoscaling_settings ? mergeAutoscaling(e.autoscalingSettings, body.autoscaling_settings) : { settings: e.autoscalingSettings, changed: false };
    if (typeof autoscaling === 'string') return fail(c, 400, autoscaling);
    const promotion = mergePromotion(e.promotionSettings, body.promotion_settings);
    if (typeof promotion === 'string') return fail(c, 400, promotion);
    const changed = autoscaling.changed || JSON.stringify(promotion) !== JSON.stringify(e.promotionSettings);
    e.autoscalingSettings = autoscaling.settings;
    e.promotionSettings = promotion;
    // The environment's autoscaling is what its deployment runs with.
    const current = model.deployments.find((d) => d.id === e.currentDeploymentId);
    const applied = autoscaling.changed && current ? mergeAutoscaling(current.autoscalingSettings ?? autoscaling.settings, body.autoscaling_settings) : undefined;
    if (current && applied && typeof applied !== 'string') updateAutoscaling(c, current, applied.settings);
    ok(c, changed ? { status: 'ACCEPTED', message: 'Environment settings updated.' } : { status: 'UNCHANGED', message: 'Environment settings are already as requested.' });
  }) },
  { method: 'GET', pattern: 'models/:model/environments/:environment/metrics', handler: (c) => withEnvironment(c, (model, e) => serveMetrics(c, environmentDeployments(model, e))) },
  { method: 'POST', pattern: 'models/:model/environments/:environment/cancel_promotion', handler: (c) => withEnvironment(c, (_model, e) => {
    const result = cancelPromotion(c.core, e);
    if (typeof result === 'string') return fail(c, 400, result);
    ok(c, result);
  }) },
  { method: 'GET', pattern: 'models/:model/environments/:environment/logs', handler: (c) => withEnvironment(c, (model, e) => {
    queryLogs(c, model.deployments.find((d) => d.id === e.currentDeploymentId)?.logs ?? []);
  }) },
  { method: 'POST', pattern: 'models/:model/environments/:environment/activate', handler: (c) => environmentActivation(c, 'activate') },
  { method: 'POST', pattern: 'models/:model/environments/:environment/deactivate', handler: (c) => environmentActivation(c, 'deactivate') },
  { method: 'POST', pattern: 'models/:model/environments/:environment/promote', handler: (c) => withEnvironment(c, (model, e) => {
    const body = objectBody(c);
    if (!body) return;
    if (typeof body.deployment_id !== 'string') return fail(c, 400, 'deployment_id is required.');
    const deployment = model.deployments.find((d) => d.id === body.deployment_id);
    if (!deployment) return fail(c, 404, `Deployment ${body.deployment_id} of model ${model.id} was not found.`);
    promote(c, model, deployment, e.name, body.scale_down_previous_deployment !== false);
  }) },
];

function withEnvironment(context: ManagementContext, then: (model: ModelState, environment: ModelState['environments'][number]) => void): void {
  withModel(context, (model) => {
    const environment = model.environments.find((candidate) => candidate.name === context.params.environment);
    if (!environment) return fail(context, 404, `Environment "${context.params.environment}" of model ${model.id} was not found.`);
    then(model, environment);
  });
}

function environmentActivation(context: ManagementContext, action: 'activate' | 'deactivate'): void {
  withEnvironment(context, (model, environment) => {
    const deployment = model.deployments.find((candidate) => candidate.id === environment.currentDeploymentId);
    if (!deployment) return fail(context, 400, `Environment "${environment.name}" has no deployment to ${action}.`);
    if (action === 'activate' && FAILED.has(deployment.status)) return fail(context, 400, `Deployment ${deployment.id} cannot be activated: its status is ${deployment.status}.`);
    if (action === 'activate') context.core.lifecycle.activate(deployment);
    else context.core.lifecycle.deactivate(deployment);
    ok(context, { success: true });
  });
}
