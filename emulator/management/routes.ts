/**
 * The management API (`api.baseten.co/v1` → `{base}/management/v1`): users, teams, instance types, the
 * Model APIs catalogue, secrets, API keys and chains here; models in modelRoutes.ts. Shapes follow
 * the OpenAPI schemas; errors are `{"message": …}` (the spec publishes none; truss reads `message`). An
 * invoke-only key gets 403 on every route.
 */
import { INVOKE_ONLY_MANAGEMENT_BODY, managementAuthError } from '../core/auth';
import type { Exchange } from '../core/exchange';
import { sendJson } from '../core/exchange';
import type { Route } from '../core/router';
import { decodeSegments, matchRoute } from '../core/router';
import type { ChainDeploymentState, ChainState } from '../state/state';
import { findChain } from '../state/state';
import type { ManagementContext, ManagementCore, ManagementHandler } from './context';
import { fail, ok } from './context';
import { queryLogs } from './logQuery';
import { MODEL_ROUTES } from './modelRoutes';
import { UPLOAD_ROUTES } from '../upload/routes';
import { chainDeploymentView, chainEnvironmentView, chainView, managementModelApiView } from './views';

function withChain(context: ManagementContext, then: (chain: ChainState) => void): void {
  const chain = findChain(context.core.state, context.params.chain);
  if (!chain) return fail(context, 404, `Chain ${context.params.chain} was not found.`);
  then(chain);
}

function withChainDeployment(context: ManagementContext, then: (chain: ChainState, deployment: ChainDeploymentState) => void): void {
  withChain(context, (chain) => {
    const deployment = chain.deployments.find((candidate) => candidate.id === context.params.deployment);
    if (!deployment) return fail(context, 404, `Deployment ${context.params.deployment} of chain ${chain.id} was not found.`);
    then(chain, deployment);
  });
}

function keyPrefix(key: string): string {
  return key.split('.')[0];
}

const WORKSPACE_ROUTES: Route<ManagementHandler>[] = [
  { method: 'GET', pattern: 'users/me', handler: (c) => ok(c, { ...c.core.state.user }) },
  { method: 'GET', pattern: 'teams', handler: (c) => ok(c, { teams: [{ ...c.core.state.team }] }) },
  { method: 'GET', pattern: 'instance_types', handler: (c) => ok(c, { instance_types: c.core.state.instanceTypes.map((type) => ({ ...type })) }) },
  { method: 'GET', pattern: 'model_apis', handler: (c) => {
    const addedOnly = c.exchange.query.get('added_only') === 'true';
    const invokeUrl = `${c.core.baseUrl}/inference`;
    const items = c.core.state.modelApis.filter((api) => !addedOnly || api.enabled).map((api) => managementModelApiView(api, invokeUrl));
    ok(c, { items, pagination: { has_more: false, cursor: null } });
  } },
  { method: 'GET', pattern: 'model_apis/:name', handler: (c) => {
    const invokeUrl = `${c.core.baseUrl}/inference`;
    const found = c.core.state.modelApis.map((api) => managementModelApiView(api, invokeUrl)).find((view) => view.name === c.params.name);
    if (!found) return fail(c, 404, `Model API ${c.params.name} was not found.`);
    ok(c, found);
  } },
  { method: 'GET', pattern: 'secrets', handler: (c) => ok(c, { secrets: [{ id: '3kz9xqd', created_at: '2026-02-01T10:00:00Z', name: 'hf_access_token', team_name: c.core.state.team.name }] }) },
  { method: 'GET', pattern: 'api_keys', handler: (c) => {
    const { apiKey, invokeOnlyApiKey } = c.core.options;
    ok(c, {
      keys: [
        { prefix: keyPrefix(apiKey), name: 'emulator-demo', type: 'WORKSPACE_MANAGE_ALL', model_ids: null, team_name: c.core.state.team.name },
        { prefix: keyPrefix(invokeOnlyApiKey), name: 'emulator-invoke-only', type: 'WORKSPACE_INVOKE', model_ids: c.core.state.models.map((m) => m.id), team_name: c.core.state.team.name },
      ],
    });
  } },
];

const CHAIN_ROUTES: Route<ManagementHandler>[] = [
  { method: 'GET', pattern: 'chains', handler: (c) => ok(c, { chains: c.core.state.chains.map(chainView) }) },
  { method: 'GET', pattern: 'chains/:chain', handler: (c) => withChain(c, (chain) => ok(c, chainView(chain))) },
  { method: 'DELETE', pattern: 'chains/:chain', handler: (c) => withChain(c, (chain) => {
    c.core.state.chains = c.core.state.chains.filter((candidate) => candidate !== chain);
    ok(c, { id: chain.id, deleted: true });
  }) },
  { method: 'GET', pattern: 'chains/:chain/deployments', handler: (c) => withChain(c, (chain) => ok(c, { deployments: chain.deployments.map((d) => chainDeploymentView(chain, d)) })) },
  { method: 'GET', pattern: 'chains/:chain/deployments/:deployment', handler: (c) => withChainDeployment(c, (chain, d) => ok(c, chainDeploymentView(chain, d))) },
  { method: 'DELETE', pattern: 'chains/:chain/deployments/:deployment', handler: (c) => withChainDeployment(c, (chain, d) => {
    if (chain.environments.some((e) => e.currentDeploymentId === d.id)) return fail(c, 400, 'A deployment that serves an environment cannot be deleted; promote another one first.');
    chain.deployments = chain.deployments.filter((candidate) => candidate !== d);
    ok(c, { id: d.id, deleted: true, chain_id: chain.id });
  }) },
  { method: 'POST', pattern: 'chains/:chain/deployments/:deployment/deactivate', handler: (c) => withChainDeployment(c, (_chain, d) => {
    c.core.lifecycle.deactivate(d);
    ok(c, { success: true });
  }) },
  // Not in the spec; lets the demo undo a deactivation.
  { method: 'POST', pattern: 'chains/:chain/deployments/:deployment/activate', handler: (c) => withChainDeployment(c, (_chain, d) => {
    c.core.lifecycle.activate(d);
    ok(c, { success: true });
  }) },
  { method: 'GET', pattern: 'chains/:chain/deployments/:deployment/chainlets/:chainlet/logs', handler: (c) => withChainDeployment(c, (_chain, d) => {
    if (!d.chainlets.some((chainlet) => chainlet.id === c.params.chainlet)) return fail(c, 404, `Chainlet ${c.params.chainlet} was not found.`);
    queryLogs(c, d.logs);
  }) },
  // The spec names the answer EnvironmentsV1; its items are chain environments (ChainEnvironmentV1).
  { method: 'GET', pattern: 'chains/:chain/environments', handler: (c) => withChain(c, (chain) => {
    ok(c, { environments: chain.environments.map((e) => chainEnvironmentView(c.core.state, chain, e)) });
  }) },
  { method: 'GET', pattern: 'chains/:chain/environments/:environment', handler: (c) => withChain(c, (chain) => {
    const environment = chain.environments.find((candidate) => candidate.name === c.params.environment);
    if (!environment) return fail(c, 404, `Environment "${c.params.environment}" of chain ${chain.id} was not found.`);
    ok(c, chainEnvironmentView(c.core.state, chain, environment));
  }) },
];

const ROUTES = [...WORKSPACE_ROUTES, ...MODEL_ROUTES, ...UPLOAD_ROUTES, ...CHAIN_ROUTES];

export function serveManagement(core: ManagementCore, exchange: Exchange, rest: string[]): void {
  if (rest[0] !== 'v1') {
    sendJson(exchange, 404, { message: `Not found: ${exchange.path}. The management API lives under /management/v1.` });
    return;
  }
  if (!exchange.auth.ok) {
    sendJson(exchange, 401, managementAuthError(exchange.auth.reason));
    return;
  }
  if (exchange.auth.role === 'invoke') {
    sendJson(exchange, 403, INVOKE_ONLY_MANAGEMENT_BODY);
    return;
  }
  const segments = decodeSegments(rest.slice(1));
  if (!segments) {
    sendJson(exchange, 400, { message: 'The path is not valid percent-encoding.' });
    return;
  }
  const match = matchRoute(ROUTES, exchange.method, segments);
  if (match.kind === 'none') {
    sendJson(exchange, 404, { message: `Not found: ${exchange.method} /v1/${segments.join('/')}.` });
    return;
  }
  if (match.kind === 'method') {
    sendJson(exchange, 405, { message: `${exchange.method} is not allowed on /v1/${segments.join('/')}.` }, { Allow: match.allowed.join(', ') });
    return;
  }
  match.handler({ core, exchange, params: match.params });
}
