/**
 * `{base}/__emulator/…`: the control API for tests and other processes (no auth, not recorded in stats,
 * never faulted): faults, stats, reset, state, deployment statuses and past log lines, webhook deliveries and the webhook secret.
 */
import type { EmulatorCore } from '../core/core';
import type { Exchange } from '../core/exchange';
import { isRecord, parseJsonBody, sendJson } from '../core/exchange';
import type { Route } from '../core/router';
import { decodeSegments, matchRoute } from '../core/router';
import { FaultError, ruleFromJson } from '../faults/faults';
import { deploymentView, chainDeploymentView } from '../management/views';
import { SEED } from '../state/seed';
import type { DeploymentStatus } from '../state/state';
import { DEPLOYMENT_STATUSES } from '../state/state';
import { backfillLogs } from '../state/logHistory';

/** The control API reaches everything tests drive: faults, stats, reset, state, statuses and webhook deliveries. */
type ControlCore = Pick<
  EmulatorCore,
  'baseUrl' | 'options' | 'state' | 'faults' | 'stats' | 'webhooks' | 'reset' | 'findDeployment' | 'setDeploymentStatus' | 'setChainletStatus'
>;

type ControlHandler = (core: ControlCore, exchange: Exchange, params: Record<string, string>) => void;

function body(exchange: Exchange): unknown {
  if (exchange.body.length === 0) return undefined;
  const parsed = parseJsonBody(exchange);
  if (!parsed.ok) throw new FaultError(parsed.message);
  return parsed.value;
}

/** The live state as JSON (async requests as a list). */
export function stateSnapshot(core: Pick<EmulatorCore, 'state'>): Record<string, unknown> {
  const { asyncRequests, ...rest } = core.state;
  return { ...rest, asyncRequests: [...asyncRequests.values()] };
}

export function info(core: Pick<EmulatorCore, 'baseUrl' | 'options'>): Record<string, unknown> {
  const base = core.baseUrl;
  return {
    baseUrl: base,
    apiKey: core.options.apiKey,
    invokeOnlyApiKey: core.options.invokeOnlyApiKey,
    endpoints: {
      modelApisBaseUrl: `${base}/inference/v1`,
      managementBaseUrl: `${base}/management/v1`,
      modelHostTemplate: `${base}/model-{id}`,
      chainHostTemplate: `${base}/chain-{id}`,
      dashboardUrl: `${base}/dashboard`,
    },
    seed: SEED,
  };
}

const ROUTES: Route<ControlHandler>[] = [
  { method: 'GET', pattern: '', handler: (core, exchange) => sendJson(exchange, 200, info(core)) },
  { method: 'GET', pattern: 'info', handler: (core, exchange) => sendJson(exchange, 200, info(core)) },
  { method: 'GET', pattern: 'faults', handler: (core, exchange) => sendJson(exchange, 200, { faults: core.faults.list() }) },
  { method: 'POST', pattern: 'faults', handler: (core, exchange) => {
    const { id } = core.faults.addRule(ruleFromJson(body(exchange)));
    sendJson(exchange, 201, { id });
  } },
  { method: 'DELETE', pattern: 'faults', handler: (core, exchange) => {
    core.faults.clear();
    sendJson(exchange, 200, { cleared: true });
  } },
  { method: 'DELETE', pattern: 'faults/:id', handler: (core, exchange, params) => {
    const removed = core.faults.remove(Number(params.id));
    sendJson(exchange, removed ? 200 : 404, removed ? { removed: true } : { error: `No fault rule ${params.id}.` });
  } },
  { method: 'GET', pattern: 'stats', handler: (core, exchange) => {
    const { stats } = core;
    sendJson(exchange, 200, { openConnections: stats.openConnections, management: stats.management.snapshot(), requests: stats.requests });
  } },
  { method: 'POST', pattern: 'stats/reset', handler: (core, exchange) => {
    core.stats.reset();
    sendJson(exchange, 200, { reset: true });
  } },
  { method: 'POST', pattern: 'reset', handler: (core, exchange) => {
    core.reset();
    sendJson(exchange, 200, { reset: true });
  } },
  { method: 'GET', pattern: 'state', handler: (core, exchange) => sendJson(exchange, 200, stateSnapshot(core)) },
  { method: 'GET', pattern: 'webhooks', handler: (core, exchange) => sendJson(exchange, 200, { deliveries: core.webhooks.deliveries }) },
  // What Baseten's Settings → Secrets does: the workspace's webhook secret, which signs every later delivery.
  { method: 'PUT', pattern: 'webhook-secret', handler: (core, exchange) => {
    const value = body(exchange);
    const secret = isRecord(value) ? value.secret : undefined;
    if (typeof secret !== 'string' || !secret.trim()) {
      sendJson(exchange, 400, { error: 'secret must be a non-empty string.' });
      return;
    }
    core.options.webhookSecret = secret.trim();
    sendJson(exchange, 200, { set: true });
  } },
  { method: 'DELETE', pattern: 'webhook-secret', handler: (core, exchange) => {
    core.options.webhookSecret = undefined;
    sendJson(exchange, 200, { deleted: true });
  } },
  { method: 'POST', pattern: 'deployments/:owner/:deployment/status', handler: (core, exchange, params) => {
    const value = body(exchange);
    const status = isRecord(value) ? value.status : undefined;
    if (typeof status !== 'string' || !DEPLOYMENT_STATUSES.includes(status as DeploymentStatus)) {
      sendJson(exchange, 400, { error: `status must be one of ${DEPLOYMENT_STATUSES.join(', ')}.` });
      return;
    }
    const deployment = core.findDeployment(params.owner, params.deployment);
    if (!deployment) {
      sendJson(exchange, 404, { error: `No deployment ${params.deployment} of model or chain ${params.owner}.` });
      return;
    }
    core.setDeploymentStatus(params.owner, params.deployment, status as DeploymentStatus);
    const model = core.state.models.find((candidate) => candidate.id === params.owner);
    const chain = core.state.chains.find((candidate) => candidate.id === params.owner);
    if (model && deployment.kind === 'model') sendJson(exchange, 200, deploymentView(model, deployment));
    else if (chain && deployment.kind === 'chain') sendJson(exchange, 200, chainDeploymentView(chain, deployment));
  } },
  // Past traffic in a deployment's logs: `{count, spanMinutes}` request lines over the minutes before now.
  { method: 'POST', pattern: 'deployments/:owner/:deployment/logs', handler: (core, exchange, params) => {
    const value = body(exchange);
    const count = isRecord(value) ? value.count : undefined;
    const spanMinutes = isRecord(value) ? (value.spanMinutes ?? 60) : undefined;
    if (typeof count !== 'number' || count < 1 || typeof spanMinutes !== 'number' || spanMinutes <= 0) {
      sendJson(exchange, 400, { error: 'count (1–2000) and spanMinutes (> 0) must be numbers.' });
      return;
    }
    const deployment = core.findDeployment(params.owner, params.deployment);
    if (!deployment) {
      sendJson(exchange, 404, { error: `No deployment ${params.deployment} of model or chain ${params.owner}.` });
      return;
    }
    sendJson(exchange, 200, { written: backfillLogs(deployment, count, spanMinutes * 60_000), total: deployment.logs.length });
  } },
  { method: 'POST', pattern: 'chains/:chain/deployments/:deployment/chainlets/:chainlet/status', handler: (core, exchange, params) => {
    const value = body(exchange);
    const status = isRecord(value) ? value.status : undefined;
    if (typeof status !== 'string' || !DEPLOYMENT_STATUSES.includes(status as DeploymentStatus)) {
      sendJson(exchange, 400, { error: `status must be one of ${DEPLOYMENT_STATUSES.join(', ')}.` });
      return;
    }
    const chain = core.state.chains.find((candidate) => candidate.id === params.chain);
    const deployment = chain?.deployments.find((candidate) => candidate.id === params.deployment);
    if (!chain || !deployment?.chainlets.some((chainlet) => chainlet.id === params.chainlet)) {
      sendJson(exchange, 404, { error: `No chainlet ${params.chainlet} in deployment ${params.deployment} of chain ${params.chain}.` });
      return;
    }
    core.setChainletStatus(params.chain, params.deployment, params.chainlet, status as DeploymentStatus);
    sendJson(exchange, 200, chainDeploymentView(chain, deployment));
  } },
];

export function serveControl(core: ControlCore, exchange: Exchange, rest: string[]): void {
  const segments = decodeSegments(rest);
  if (!segments) {
    sendJson(exchange, 400, { error: 'The path is not valid percent-encoding.' });
    return;
  }
  const match = matchRoute(ROUTES, exchange.method, segments);
  if (match.kind === 'none') {
    sendJson(exchange, 404, { error: `No control endpoint ${exchange.method} /__emulator/${segments.join('/')}.` });
    return;
  }
  if (match.kind === 'method') {
    sendJson(exchange, 405, { error: `Use ${match.allowed.join(' or ')}.` }, { Allow: match.allowed.join(', ') });
    return;
  }
  try {
    match.handler(core, exchange, match.params);
  } catch (error) {
    if (!(error instanceof FaultError)) throw error;
    sendJson(exchange, 400, { error: error.message });
  }
}
