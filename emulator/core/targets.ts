/**
 * The model and chain hosts: `model-{id}` / `chain-{id}` (and regional `model-{id}-{env}`) become the
 * first path segment, then a target (`production`, `environments/{env}`, `development`,
 * `deployment/{id}`; none on regional hosts) and an action (`predict`, `wake`, `sync/…`, …).
 */
import type { Deployment } from '../state/lifecycle';
import type { ChainState, EmulatorState, ModelState } from '../state/state';
import { developmentDeployment, findChain, findModel } from '../state/state';

export interface HostRef {
  kind: 'model' | 'chain';
  id: string;
  /** Set on a regional host, `model-{id}-{env}`. */
  regionalEnvironment?: string;
}

export type TargetRef =
  | { kind: 'production' }
  | { kind: 'environment'; name: string }
  | { kind: 'development' }
  | { kind: 'deployment'; id: string }
  | { kind: 'regional'; environment: string };

export type HostPath =
  | { kind: 'action'; target: TargetRef; action: string }
  | { kind: 'async_request'; requestId: string }
  | { kind: 'not_found'; message: string };

/** `model-abcd1234` or `model-abcd1234-prod-us`; the ID never holds a dash, an environment may. */
export function parseHost(segment: string | undefined, state: EmulatorState): HostRef | undefined {
  const match = /^(model|chain)-(.+)$/.exec(segment ?? '');
  if (!match) return undefined;
  const kind = match[1] as 'model' | 'chain';
  const rest = match[2];
  const known = kind === 'model' ? findModel(state, rest) : findChain(state, rest);
  if (known) return { kind, id: rest };
  const dash = rest.indexOf('-');
  if (dash <= 0 || dash === rest.length - 1) return { kind, id: rest };
  return { kind, id: rest.slice(0, dash), regionalEnvironment: rest.slice(dash + 1) };
}

/** Splits what follows the host segment into a target and an action. */
export function parseHostPath(host: HostRef, segments: string[]): HostPath {
  if (segments[0] === 'async_request') {
    if (segments.length !== 2 || !segments[1]) return { kind: 'not_found', message: 'Use /async_request/{request_id}.' };
    return { kind: 'async_request', requestId: segments[1] };
  }
  if (host.regionalEnvironment !== undefined) {
    const action = segments.join('/');
    if (['production', 'development', 'environments', 'deployment'].includes(segments[0] ?? '')) {
      return {
        kind: 'not_found',
        message: `Path-based routes (/${segments[0]}/…) are not available on regional hostnames; call /${segments.slice(segments[0] === 'production' || segments[0] === 'development' ? 1 : 2).join('/')} instead.`,
      };
    }
    return { kind: 'action', target: { kind: 'regional', environment: host.regionalEnvironment }, action };
  }
  switch (segments[0]) {
    case 'production':
      return { kind: 'action', target: { kind: 'production' }, action: segments.slice(1).join('/') };
    case 'development':
      return { kind: 'action', target: { kind: 'development' }, action: segments.slice(1).join('/') };
    case 'environments':
      if (!segments[1]) break;
      return { kind: 'action', target: { kind: 'environment', name: segments[1] }, action: segments.slice(2).join('/') };
    case 'deployment':
      if (!segments[1]) break;
      return { kind: 'action', target: { kind: 'deployment', id: segments[1] }, action: segments.slice(2).join('/') };
  }
  return {
    kind: 'not_found',
    message: `Unknown target "/${segments.join('/')}": use /production, /development, /environments/{env_name} or /deployment/{deployment_id}.`,
  };
}

export type Owner = { kind: 'model'; model: ModelState } | { kind: 'chain'; chain: ChainState };

export interface Resolved {
  owner: Owner;
  ownerId: string;
  deployment: Deployment;
}

export type Resolution = { ok: true; resolved: Resolved } | { ok: false; status: 404; message: string };

function describeTarget(target: TargetRef): string {
  switch (target.kind) {
    case 'production':
      return 'production';
    case 'development':
      return 'development';
    case 'environment':
      return `environment "${target.name}"`;
    case 'deployment':
      return `deployment ${target.id}`;
    case 'regional':
      return `regional environment "${target.environment}"`;
  }
}

/** The deployment a target names, or the 404 Baseten answers. */
export function resolveTarget(state: EmulatorState, host: HostRef, target: TargetRef): Resolution {
  const noun = host.kind === 'model' ? 'Model' : 'Chain';
  const owner: Owner | undefined =
    host.kind === 'model'
      ? (() => {
          const model = findModel(state, host.id);
          return model && { kind: 'model' as const, model };
        })()
      : (() => {
          const chain = findChain(state, host.id);
          return chain && { kind: 'chain' as const, chain };
        })();
  if (!owner) return { ok: false, status: 404, message: `${noun} ${host.id} was not found in this workspace.` };
  const deployments: Deployment[] = owner.kind === 'model' ? owner.model.deployments : owner.chain.deployments;
  const environments = owner.kind === 'model' ? owner.model.environments : owner.chain.environments;
  let deploymentId: string | null | undefined;
  switch (target.kind) {
    case 'production':
    case 'environment':
    case 'regional': {
      const name = target.kind === 'production' ? 'production' : target.kind === 'environment' ? target.name : target.environment;
      const environment = environments.find((candidate) => candidate.name === name);
      if (!environment) return { ok: false, status: 404, message: `${noun} ${host.id} has no environment "${name}".` };
      deploymentId = environment.currentDeploymentId;
      if (!deploymentId) return { ok: false, status: 404, message: `Environment "${name}" of ${noun.toLowerCase()} ${host.id} has no deployment.` };
      break;
    }
    case 'development':
      deploymentId =
        owner.kind === 'model' ? developmentDeployment(owner.model)?.id : owner.chain.deployments.find((deployment) => deployment.isDevelopment)?.id;
      if (!deploymentId) return { ok: false, status: 404, message: `${noun} ${host.id} has no development deployment.` };
      break;
    case 'deployment':
      deploymentId = target.id;
      break;
  }
  const deployment = deployments.find((candidate) => candidate.id === deploymentId);
  if (!deployment) return { ok: false, status: 404, message: `${noun} ${host.id} has no ${describeTarget(target)}.` };
  return { ok: true, resolved: { owner, ownerId: host.id, deployment } };
}
