/**
 * The one name for "a model or chain, at an environment or deployment": every feature, the saved requests
 * and the persisted state use `TargetRef`, compare with `sameTarget` and label with `targetLabel`.
 */

/** A deployed model or a chain of the user's: what requests are sent to. */
export interface Owner {
  kind: 'model' | 'chain';
  id: string;
  name: string;
}

/**
 * Where on a model or chain a request goes. `regional` puts the environment into the host name; Baseten
 * serves only bare paths there. A deployment may carry its name, for labels only.
 */
export type Target =
  | { kind: 'production' }
  | { kind: 'environment'; name: string }
  | { kind: 'development' }
  | { kind: 'deployment'; id: string; name?: string }
  | { kind: 'regional'; environment: string };

export interface TargetRef {
  owner: Owner;
  target: Target;
}

export const PRODUCTION: Target = Object.freeze({ kind: 'production' });
export const DEVELOPMENT: Target = Object.freeze({ kind: 'development' });
export const environment = (name: string): Target => ({ kind: 'environment', name });
/** An environment by its name, production as the production target (its own paths: `/production/predict`…). */
export const environmentByName = (name: string): Target => (name === 'production' ? PRODUCTION : environment(name));
export const deployment = (id: string, name?: string): Target => (name ? { kind: 'deployment', id, name } : { kind: 'deployment', id });
export const regional = (environmentName: string): Target => ({ kind: 'regional', environment: environmentName });

/**
 * A stable key for a target: production and `environments/production` are one target, and a deployment's
 * name does not count.
 */
export function targetKey(ref: { owner: Pick<Owner, 'kind' | 'id'>; target: Target }): string {
  return `${ref.owner.kind}/${ref.owner.id}/${targetPlaceKey(ref.target)}`;
}

function targetPlaceKey(target: Target): string {
  switch (target.kind) {
    case 'production':
      return 'environments/production';
    case 'environment':
      return `environments/${target.name}`;
    case 'development':
      return 'development';
    case 'deployment':
      return `deployment/${target.id}`;
    case 'regional':
      return `regional/${target.environment}`;
  }
}

export function sameTarget(a: { owner: Pick<Owner, 'kind' | 'id'>; target: Target } | undefined, b: { owner: Pick<Owner, 'kind' | 'id'>; target: Target } | undefined): boolean {
  return !!a && !!b && targetKey(a) === targetKey(b);
}

/**
 * Where on its model or chain a target is, as the user reads it: "production", "staging", "deployment-3
 * (zqzkt30)", "deployment zqzkt30". A deployment's name is not unique (every model has a "deployment-1"), so
 * its id follows it.
 */
export function targetPlace(target: Target): string {
  switch (target.kind) {
    case 'production':
    case 'development':
      return target.kind;
    case 'environment':
      return target.name;
    case 'deployment':
      return target.name && target.name !== target.id ? `${target.name} (${target.id})` : `deployment ${target.id}`;
    case 'regional':
      return `${target.environment} (regional)`;
  }
}

/** "echo · production", "pipeline · deployment-3 (zqzkt30)": how the user names a target, everywhere. */
export function targetLabel(ref: TargetRef): string {
  return `${ref.owner.name || ref.owner.id} · ${targetPlace(ref.target)}`;
}

const ID = /^[A-Za-z0-9_-]+$/;
// Environment names may hold dots (never only dots); the URL builder checks them again.
const ENVIRONMENT_NAME = /^(?!\.+$)[A-Za-z0-9_.-]+$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** A target read from a file or from saved state; undefined when it is not one. */
export function parseTarget(value: unknown): Target | undefined {
  if (!isRecord(value)) return undefined;
  switch (value.kind) {
    case 'production':
    case 'development':
      return { kind: value.kind };
    case 'environment':
      return typeof value.name === 'string' && ENVIRONMENT_NAME.test(value.name) ? environmentByName(value.name) : undefined;
    case 'deployment':
      return typeof value.id === 'string' && ID.test(value.id) ? deployment(value.id, typeof value.name === 'string' ? value.name : undefined) : undefined;
    case 'regional':
      return typeof value.environment === 'string' && ID.test(value.environment) ? regional(value.environment) : undefined;
    default:
      return undefined;
  }
}

export function parseOwner(value: unknown): Owner | undefined {
  if (!isRecord(value) || (value.kind !== 'model' && value.kind !== 'chain') || typeof value.id !== 'string' || !ID.test(value.id)) return undefined;
  return { kind: value.kind, id: value.id, name: typeof value.name === 'string' && value.name ? value.name : value.id };
}

/**
 * A target ref read from saved state or a file. State saved before `TargetRef` named the owner `on` and kept
 * a `label` beside the target; both still load (a deployment's old label becomes its name).
 */
export function parseTargetRef(value: unknown): TargetRef | undefined {
  if (!isRecord(value)) return undefined;
  const owner = parseOwner(value.owner ?? value.on);
  const target = parseTarget(value.target);
  if (!owner || !target) return undefined;
  if (target.kind === 'deployment' && !target.name && typeof value.label === 'string' && value.label && value.label !== target.id) {
    return { owner, target: deployment(target.id, value.label) };
  }
  return { owner, target };
}
