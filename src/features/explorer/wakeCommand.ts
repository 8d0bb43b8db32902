import { DeploymentCatalog } from '../../catalog/deploymentCatalog';
import { CatalogTarget, isScaledToZero, isWakeable } from '../../catalog/targets';
import { BasetenServices } from '../../platform/services';
import { pickTarget } from '../../platform/targetPicker';
import { TargetNode } from './targetNode';
import { WakeOutcome, wake } from './wake';

/** Scaled-to-zero targets first, then those whose status cannot be read (hand-configured, invoke-only key). */
const sleepingFirst = (a: CatalogTarget, b: CatalogTarget): number => Number(isScaledToZero(b)) - Number(isScaledToZero(a));

/** `Baseten: Wake` on a tree node, or from the palette on a target picked from the model targets that can be woken. */
export async function wakeCommand(services: BasetenServices, catalog: DeploymentCatalog, node?: TargetNode): Promise<WakeOutcome | undefined> {
  const target =
    node instanceof TargetNode
      ? node.entry
      : await pickTarget(catalog, {
          title: 'Baseten: Wake',
          placeholder: 'Wake which environment or deployment?',
          kinds: ['model'],
          offers: isWakeable,
          order: sleepingFirst,
          // Listed last when targets of unknown status are offered, so Enter still picks one of them.
          empty: { label: 'Nothing is scaled to zero', description: 'every model deployment is awake or cannot be woken' },
          noteBelow: (offered) => (offered.some(isScaledToZero) ? undefined : 'the targets above have no status to read'),
        });
  if (!target) return undefined;
  // The catalog's own copy, when it holds the target: the wake's steps show wherever it is shown.
  return wake(services, catalog, catalog.find(target) ?? target);
}
