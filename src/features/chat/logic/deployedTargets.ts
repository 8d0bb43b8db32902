/**
 * The places a deployed model can be chatted with: each of its environments (the default one first)
 * and its development deployment, as the management API lists them.
 */
import type { ManagementClient } from '../../../client/management';
import type { ModelV1 } from '../../../client/types';
import { DEVELOPMENT, environmentByName } from '../../../client/target';
import type { Owner, Target } from '../../../client/target';

export interface DeployedChoice {
  owner: Owner;
  target: Target;
  /** The model's name: the served name to fall back on. */
  name: string;
  /** Where it is called: an environment's name, or `development`. */
  where: string;
  kind: 'environment' | 'development';
}

/** The default environment first, then production, then the others by name. */
function environmentOrder(defaultEnvironment: string): (a: string, b: string) => number {
  const rank = (name: string): number => (name === defaultEnvironment ? 0 : name === 'production' ? 1 : 2);
  return (a, b) => rank(a) - rank(b) || a.localeCompare(b);
}

/** One model's choices; a model whose environments cannot be read is offered at the default environment. */
export async function deployedChoices(
  management: ManagementClient,
  model: Pick<ModelV1, 'id' | 'name'> & Partial<Pick<ModelV1, 'development_deployment_id'>>,
  defaultEnvironment: string,
  signal?: AbortSignal,
): Promise<DeployedChoice[]> {
  const owner: Owner = { kind: 'model', id: model.id, name: model.name };
  const listed = await management.listEnvironments(model.id, { signal }).then(
    (environments) => environments.map((env) => env.name),
    () => [defaultEnvironment],
  );
  const choices: DeployedChoice[] = [...new Set(listed)]
    .sort(environmentOrder(defaultEnvironment))
    .map((name) => ({ owner, target: environmentByName(name), name: model.name, where: name, kind: 'environment' }));
  if (model.development_deployment_id) choices.push({ owner, target: DEVELOPMENT, name: model.name, where: 'development', kind: 'development' });
  return choices;
}
