/**
 * Every Baseten URL is built here, from a target and an action. Host templates make the same code reach
 * Baseten's real hosts (the defaults) or the emulator on 127.0.0.1.
 */

import type { Owner, Target } from './target';

export interface BasetenEndpoints {
  /** OpenAI-compatible Model APIs, e.g. `https://inference.baseten.co/v1`. */
  modelApisBaseUrl: string;
  /** Management API including its version segment, e.g. `https://api.baseten.co/v1`. */
  managementBaseUrl: string;
  /** Model host; `{id}` becomes the model ID, or `{model_id}-{env}` for a regional environment. */
  modelHostTemplate: string;
  /** Chain host; `{id}` as for models. */
  chainHostTemplate: string;
  /** Web dashboard, used only to build links for the user. */
  dashboardUrl: string;
}

export const DEFAULT_ENDPOINTS: Readonly<BasetenEndpoints> = Object.freeze({
  modelApisBaseUrl: 'https://inference.baseten.co/v1',
  managementBaseUrl: 'https://api.baseten.co/v1',
  modelHostTemplate: 'https://model-{id}.api.baseten.co',
  chainHostTemplate: 'https://chain-{id}.api.baseten.co',
  dashboardUrl: 'https://app.baseten.co',
});

/** Actions under a target. `sync/…` reaches any route the model's server exposes (e.g. `sync/v1/chat/completions`). */
export type Action =
  | 'predict'
  | 'run_remote'
  | 'async_predict'
  | 'async_run_remote'
  | 'async_queue_status'
  | 'wake'
  | 'websocket'
  | `sync/${string}`;

const ID_PATTERN = /^[A-Za-z0-9_-]+$/;
// A name may hold dots, but not be only dots: `environments/..` would leave the target on the wire.
const NAME_PATTERN = /^(?!\.+$)[A-Za-z0-9_.-]+$/;
// In a regional host name a dot would start another DNS label, i.e. another host.
const HOST_NAME_PATTERN = /^[A-Za-z0-9_-]+$/;

function checkSegment(value: string, what: string, pattern: RegExp): string {
  if (!pattern.test(value)) {
    throw new TypeError(`Invalid ${what}: ${JSON.stringify(value)}`);
  }
  return value;
}

function trimSlash(url: string): string {
  return url.endsWith('/') ? url.slice(0, -1) : url;
}

/** The host base URL for a model or chain, regional when an environment is given. */
export function hostUrl(endpoints: BasetenEndpoints, owner: Pick<Owner, 'kind' | 'id'>, regionalEnvironment?: string): string {
  const id = checkSegment(owner.id, `${owner.kind} ID`, ID_PATTERN);
  const hostId = regionalEnvironment === undefined
    ? id
    : `${id}-${checkSegment(regionalEnvironment, 'regional environment name', HOST_NAME_PATTERN)}`;
  const template = owner.kind === 'model' ? endpoints.modelHostTemplate : endpoints.chainHostTemplate;
  if (!template.includes('{id}')) {
    throw new TypeError(`The ${owner.kind} host template must contain {id}: ${template}`);
  }
  return trimSlash(template.replace('{id}', hostId));
}

/** The path segment for a target, empty for regional hosts. */
export function targetPath(target: Target): string {
  switch (target.kind) {
    case 'production':
      return 'production';
    case 'development':
      return 'development';
    case 'environment':
      return `environments/${checkSegment(target.name, 'environment name', NAME_PATTERN)}`;
    case 'deployment':
      return `deployment/${checkSegment(target.id, 'deployment ID', ID_PATTERN)}`;
    case 'regional':
      return '';
  }
}

/** `https://model-{id}.api.baseten.co/{target}/{action}`, or the regional form `https://model-{id}-{env}.api.baseten.co/{action}`. */
export function actionUrl(endpoints: BasetenEndpoints, owner: Pick<Owner, 'kind' | 'id'>, target: Target, action: Action): string {
  const regionalEnv = target.kind === 'regional' ? target.environment : undefined;
  const base = hostUrl(endpoints, owner, regionalEnv);
  const path = targetPath(target);
  const cleanAction = action.replace(/^\/+/, '');
  return path ? `${base}/${path}/${cleanAction}` : `${base}/${cleanAction}`;
}

/** The sync action for a model's own predict, or a chain's run_remote. */
export function predictAction(owner: Pick<Owner, 'kind' | 'id'>): Action {
  return owner.kind === 'model' ? 'predict' : 'run_remote';
}

export function asyncPredictAction(owner: Pick<Owner, 'kind' | 'id'>): Action {
  return owner.kind === 'model' ? 'async_predict' : 'async_run_remote';
}

/** Async status and cancel live at the host root, without a target. */
export function asyncRequestUrl(endpoints: BasetenEndpoints, owner: Pick<Owner, 'kind' | 'id'>, requestId: string): string {
  return `${hostUrl(endpoints, owner)}/async_request/${encodeURIComponent(requestId)}`;
}

/**
 * The WebSocket URL: the HTTP URL with `ws`/`wss`. Baseten documents no `/production/websocket`, so the
 * production target goes to `/environments/production/websocket` (docs/baseten-api.md#websocket).
 */
export function websocketUrl(endpoints: BasetenEndpoints, owner: Pick<Owner, 'kind' | 'id'>, target: Target): string {
  if (target.kind === 'development') {
    throw new TypeError('Baseten serves WebSockets on environments and deployments, not on the development target.');
  }
  const documented: Target = target.kind === 'production' ? { kind: 'environment', name: 'production' } : target;
  return actionUrl(endpoints, owner, documented, 'websocket').replace(/^http/, 'ws');
}

/** Base URL for an OpenAI client talking to a deployed model's own OpenAI-compatible server. */
export function openAiCompatibleBaseUrl(endpoints: BasetenEndpoints, owner: Pick<Owner, 'kind' | 'id'>, target: Target): string {
  return actionUrl(endpoints, owner, target, 'sync/v1');
}

export function managementUrl(endpoints: BasetenEndpoints, path: string): string {
  return `${trimSlash(endpoints.managementBaseUrl)}/${path.replace(/^\/+/, '')}`;
}

/** A management URL from path segments, each encoded (IDs and names come from users and API answers). */
export function managementResourceUrl(endpoints: BasetenEndpoints, ...segments: string[]): string {
  return managementUrl(endpoints, segments.map((segment) => encodeURIComponent(segment)).join('/'));
}

export function modelApisUrl(endpoints: BasetenEndpoints, path: string): string {
  return `${trimSlash(endpoints.modelApisBaseUrl)}/${path.replace(/^\/+/, '')}`;
}

export function dashboardModelUrl(endpoints: BasetenEndpoints, owner: Pick<Owner, 'kind' | 'id'>): string {
  const section = owner.kind === 'model' ? 'models' : 'chains';
  return `${trimSlash(endpoints.dashboardUrl)}/${section}/${encodeURIComponent(owner.id)}/overview`;
}

/** The dashboard's settings page for a section: `secrets` (webhook secrets), `api_keys`. */
export function dashboardSettingsUrl(endpoints: BasetenEndpoints, section: 'secrets' | 'api_keys'): string {
  return `${trimSlash(endpoints.dashboardUrl)}/settings/${section}`;
}
