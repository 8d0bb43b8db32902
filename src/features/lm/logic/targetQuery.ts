/**
 * How a language-model tool names a target: a model or chain by name or ID, and where on it ("production",
 * an environment, "development", a deployment's name or ID). Plain Node: the rules are unit-tested.
 */
import { targetKey, targetPlace } from '../../../client/target';
import type { OwnerTargets } from '../../../catalog/deploymentCatalog';
import type { CatalogTarget } from '../../../catalog/targets';

export interface TargetQuery {
  /** The model's or chain's name or ID. */
  model: string;
  /** "production" when absent. */
  target?: string;
}

export type ResolvedTarget = { target: CatalogTarget; problem?: undefined } | { target?: undefined; problem: string };

const same = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

/** The names a target answers to: its place as labelled, its environment path, its deployment's ID and name. */
function namesOf(target: CatalogTarget): string[] {
  const names = [targetPlace(target.target), targetKey(target).split('/').slice(2).join('/')];
  if (target.target.kind === 'deployment') names.push(target.target.id, `deployment/${target.target.id}`, ...(target.target.name ? [target.target.name] : []));
  if (target.target.kind === 'production') names.push('environments/production');
  if (target.place === 'environment' && target.state.deploymentId) names.push(target.state.deploymentId);
  return names;
}

const listOf = (names: string[]): string => names.map((name) => `"${name}"`).join(', ');

export function resolveTarget(every: readonly OwnerTargets[], query: TargetQuery): ResolvedTarget {
  const wanted = query.model?.trim();
  if (!wanted) return { problem: 'Name the model or chain ("model": its name or ID).' };
  const owners = every.filter(({ owner }) => owner.id === wanted || same(owner.name, wanted));
  if (owners.length === 0) {
    const known = every.map(({ owner }) => owner.name || owner.id);
    return { problem: `There is no model or chain named "${wanted}". ${known.length ? `Known: ${listOf(known)}.` : 'This key lists none.'}` };
  }
  if (owners.length > 1) {
    return { problem: `"${wanted}" names more than one: ${owners.map(({ owner }) => `the ${owner.kind} with ID ${owner.id}`).join(' and ')}. Use the ID.` };
  }
  const { owner, targets, error } = owners[0];
  const place = query.target?.trim() || 'production';
  // Environments first: "production" is the environment even when a deployment is also named so.
  const found = targets.find((target) => target.place === 'environment' && namesOf(target).some((name) => same(name, place))) ?? targets.find((target) => namesOf(target).some((name) => same(name, place)));
  if (found) return { target: found };
  if (error) return { problem: `The environments and deployments of ${owner.name} could not be listed: ${error}` };
  return { problem: `${owner.name} has no environment or deployment "${place}". It has: ${listOf(targets.map((target) => targetPlace(target.target)))}.` };
}

