/**
 * The user's models and chains as a language model reads them: one line per target, with its status in
 * words and what can be done with it. Plain Node.
 */
import { describeDeploymentStatus } from '../../../client/management';
import { targetPlace } from '../../../client/target';
import type { EveryTarget, OwnerTargets } from '../../../catalog/deploymentCatalog';
import { canAnswer, isScaledToZero, type CatalogTarget } from '../../../catalog/targets';

function targetLine(target: CatalogTarget): string {
  const { state } = target;
  const facts: string[] = [target.statusKnown ? (state.status ? describeDeploymentStatus(state.status) : 'no deployment') : 'status unknown (configured in settings)'];
  if (state.replicas !== undefined) facts.push(`${state.replicas} ${state.replicas === 1 ? 'replica' : 'replicas'}`);
  if (target.place === 'environment' && state.deploymentName) facts.push(`serves deployment ${state.deploymentName}`);
  if (state.instanceType) facts.push(state.instanceType);
  if (isScaledToZero(target)) facts.push('wakes on the first request (cold start), or wake it first');
  else if (target.statusKnown && !canAnswer(target)) facts.push('cannot answer requests');
  return `  - ${targetPlace(target.target)}: ${facts.join(', ')}`;
}

function ownerBlock({ owner, targets, error }: OwnerTargets): string {
  const head = `- ${owner.name || owner.id} (${owner.kind}, ID ${owner.id})`;
  const lines = targets.map(targetLine);
  if (error) lines.push(`  - (its environments and deployments could not be listed: ${error})`);
  else if (!targets.length) lines.push('  - (no environments or deployments)');
  return [head, ...lines].join('\n');
}

export function deploymentsText(every: EveryTarget, only?: string): string {
  const wanted = only?.trim().toLowerCase();
  const listed = wanted ? every.listed.filter(({ owner }) => owner.id.toLowerCase() === wanted || owner.name.toLowerCase() === wanted) : every.listed;
  const parts: string[] = [];
  for (const kind of ['model', 'chain'] as const) {
    const owners = listed.filter(({ owner }) => owner.kind === kind);
    if (owners.length) parts.push(`${kind === 'model' ? 'Models' : 'Chains'} (${owners.length}):\n${owners.map(ownerBlock).join('\n')}`);
  }
  if (every.error) parts.push(`Some could not be listed: ${every.error}`);
  if (!parts.length) return wanted ? `There is no model or chain named "${only}". Call this tool without "model" to see them all.` : 'This Baseten account has no models or chains.';
  return parts.join('\n\n');
}
