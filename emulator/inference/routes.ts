/**
 * Model and chain hosts (`/model-{id}/…`, `/chain-{id}/…`, regional `/model-{id}-{env}/…`): predict and
 * run_remote, sync routes, wake, and the async endpoints. Every answer carries `X-Baseten-Request-Id` and
 * `X-BASETEN-MODEL-PREDICTION-ATTEMPTS: 1`; errors are `{"error": …}` (the inference spec's
 * ErrorResponse), a model's own errors pass through with Truss's `X-BASETEN-ERROR-*` headers.
 */
import type { AsyncRoutesCore } from '../async/routes';
import { serveAsyncPredict, serveAsyncRequest, serveQueueStatus, withinStatusRateLimit } from '../async/routes';
import { hostAuthError } from '../core/auth';
import type { EmulatorCore } from '../core/core';
import type { Exchange } from '../core/exchange';
import { sendEmpty, sendJson } from '../core/exchange';
import type { HostRef, Resolved } from '../core/targets';
import { parseHostPath, resolveTarget } from '../core/targets';
import type { Deployment } from '../state/lifecycle';
import type { DeploymentStatus } from '../state/state';
import type { PredictorCore } from './predictors';
import { servePredict, serveSync } from './predictors';

const GONE: ReadonlySet<DeploymentStatus> = new Set(['INACTIVE', 'DEACTIVATING', 'BUILD_FAILED', 'BUILD_STOPPED', 'DEPLOY_FAILED', 'FAILED']);

function notCallable(exchange: Exchange, deployment: Deployment): void {
  const status = deployment.status;
  if (GONE.has(status)) {
    const hint = status === 'INACTIVE' || status === 'DEACTIVATING' ? ' Activate it to call it.' : '';
    sendJson(exchange, 404, { error: `Deployment ${deployment.id} is not active (${status}).${hint}`, error_code: 'model_does_not_exist' });
    return;
  }
  sendJson(exchange, 503, { error: `Deployment ${deployment.id} is not ready yet (${status}).`, error_code: 'model_not_ready' });
}

/**
 * Waits until the deployment serves: a scaled-to-zero one is woken and the request parked meanwhile
 * (docs/baseten-api.md#wake-and-scale-to-zero). False when an error was sent or the client left.
 */
export async function whenReady(core: Pick<EmulatorCore, 'lifecycle'>, exchange: Exchange, deployment: Deployment): Promise<boolean> {
  const outcome = await core.lifecycle.whenServing(deployment, exchange.signal);
  switch (outcome) {
    case 'serving':
      core.lifecycle.touch(deployment);
      return true;
    case 'aborted':
      return false;
    case 'timeout':
      sendJson(exchange, 500, {
        error: 'The deployment did not become ready before the parking timeout (cold start). Retrying after 30 seconds to a minute often succeeds.',
        error_code: 'timeout',
      });
      return false;
    case 'unavailable':
      notCallable(exchange, deployment);
      return false;
  }
}

/**
 * Serves a request on one replica, writing what the model server logs: the request received, then how it
 * ended (a model's own failure writes its traceback itself), each line with the request id.
 */
async function logged(core: Pick<EmulatorCore, 'lifecycle'>, exchange: Exchange, deployment: Deployment, what: string, serve: (replica: string | null) => Promise<void>): Promise<void> {
  const replica = core.lifecycle.replicaOf(deployment);
  const started = Date.now();
  core.lifecycle.log(deployment, `Received ${what} request`, 'INFO', exchange.requestId, replica);
  if (exchange.body.length) core.lifecycle.log(deployment, `Request body: ${exchange.body.length} bytes`, 'DEBUG', exchange.requestId, replica);
  await serve(replica);
  const status = exchange.res.statusCode;
  const ms = Date.now() - started;
  if (exchange.signal.aborted) core.lifecycle.log(deployment, `Client closed the connection during ${what} after ${ms} ms`, 'WARNING', exchange.requestId, replica);
  else if (status < 400) core.lifecycle.log(deployment, `Completed ${what} in ${ms} ms (HTTP ${status})`, 'INFO', exchange.requestId, replica);
  else if (status < 500) core.lifecycle.log(deployment, `The model refused the input of ${what} (HTTP ${status})`, 'WARNING', exchange.requestId, replica);
  else core.lifecycle.log(deployment, `Failed ${what} after ${ms} ms (HTTP ${status})`, 'ERROR', exchange.requestId, replica);
}

function methodNotAllowed(exchange: Exchange, allowed: string): void {
  sendJson(exchange, 405, { error: `${exchange.method} is not allowed here; use ${allowed}.` }, { Allow: allowed });
}

/** The hosts resolve targets in the state, wake and park through the lifecycle, and hand on to the models and the async queue. */
type HostCore = Pick<EmulatorCore, 'state' | 'lifecycle' | 'traffic'> & PredictorCore & AsyncRoutesCore;

/** Counts the request in the deployment's traffic (metrics) from now until its answer ends. */
function countTraffic(core: Pick<EmulatorCore, 'traffic'>, exchange: Exchange, deployment: Deployment): void {
  const end = core.traffic.begin(deployment.id);
  exchange.res.once('close', () => end(exchange.res.statusCode));
}

export async function serveHost(core: HostCore, exchange: Exchange, host: HostRef, rest: string[]): Promise<void> {
  const { res } = exchange;
  res.setHeader('X-Baseten-Request-Id', exchange.requestId);
  res.setHeader('X-BASETEN-MODEL-PREDICTION-ATTEMPTS', '1');
  if (!exchange.auth.ok) {
    sendJson(exchange, 401, hostAuthError(exchange.auth.reason));
    return;
  }
  const parsed = parseHostPath(host, rest);
  if (parsed.kind === 'not_found') {
    sendJson(exchange, 404, { error: parsed.message });
    return;
  }
  if (parsed.kind === 'async_request') {
    serveAsyncRequest(core, exchange, host, parsed.requestId);
    return;
  }
  const resolution = resolveTarget(core.state, host, parsed.target);
  if (!resolution.ok) {
    sendJson(exchange, resolution.status, { error: resolution.message, error_code: 'model_does_not_exist' });
    return;
  }
  const resolved = resolution.resolved;
  if (host.kind === 'model') {
    res.setHeader('X-Baseten-Model-Id', host.id);
    res.setHeader('X-Baseten-Model-Version-Id', resolved.deployment.id);
  }
  await serveAction(core, exchange, host, resolved, parsed.action);
}

async function serveAction(core: HostCore, exchange: Exchange, host: HostRef, resolved: Resolved, action: string): Promise<void> {
  const model = host.kind === 'model';
  const deployment = resolved.deployment;
  const method = exchange.method;
  if (action === (model ? 'predict' : 'run_remote')) {
    if (method !== 'POST') return methodNotAllowed(exchange, 'POST');
    countTraffic(core, exchange, deployment);
    if (!(await whenReady(core, exchange, deployment))) return;
    await logged(core, exchange, deployment, action, (replica) => servePredict(core, exchange, resolved, replica));
    return;
  }
  if (action === (model ? 'async_predict' : 'async_run_remote')) {
    if (method !== 'POST') return methodNotAllowed(exchange, 'POST');
    if (GONE.has(deployment.status)) return notCallable(exchange, deployment);
    return serveAsyncPredict(core, exchange, resolved);
  }
  if (action === 'async_queue_status') {
    if (method !== 'GET') return methodNotAllowed(exchange, 'GET');
    if (withinStatusRateLimit(core, exchange)) serveQueueStatus(core, exchange, resolved);
    return;
  }
  if (action === 'wake') {
    if (method !== 'POST') return methodNotAllowed(exchange, 'POST');
    if (deployment.status === 'INACTIVE' || deployment.status === 'DEACTIVATING') return notCallable(exchange, deployment);
    core.lifecycle.wake(deployment);
    core.lifecycle.log(deployment, 'Wake requested', 'INFO', exchange.requestId);
    return sendEmpty(exchange, 202);
  }
  if (action === 'websocket') {
    sendJson(exchange, 426, { error: 'This endpoint takes WebSocket connections: send an Upgrade: websocket request.' }, { Upgrade: 'websocket' });
    return;
  }
  if (model && (action === 'sync' || action.startsWith('sync/'))) {
    countTraffic(core, exchange, deployment);
    if (!(await whenReady(core, exchange, deployment))) return;
    const route = action.slice('sync/'.length);
    // The model server logs what it serves; readiness probes (GET) are not worth a line.
    if (method === 'GET') await serveSync(core, exchange, resolved, route);
    else await logged(core, exchange, deployment, `POST /${route}`, (replica) => serveSync(core, exchange, resolved, route, replica));
    return;
  }
  const hint = model ? 'predict, async_predict, async_queue_status, wake, websocket or sync/…' : 'run_remote, async_run_remote, async_queue_status, wake or websocket';
  sendJson(exchange, 404, { error: `Unknown endpoint "${action}" on a ${host.kind}; use ${hint}.` });
}
