/**
 * The context tokens a target node carries for the operate commands (metrics, promotion, autoscaling), so
 * menus offer them only where Baseten would take them. Model targets only: chains have no such routes here.
 */
import { isFailedStatus } from '../../../client';
import type { CatalogTarget } from '../../../catalog/targets';

/** A deployment that can be put on an environment: built, not failed and not deactivated. */
export function canBePromoted(target: CatalogTarget): boolean {
  const status = target.state.status;
  if (target.owner.kind !== 'model' || !target.statusKnown || !target.state.deploymentId || !status) return false;
  return !isFailedStatus(status) && status !== 'INACTIVE' && status !== 'DEACTIVATING' && status !== 'BUILDING' && status !== 'DEPLOYING';
}

/** Production is served by it already when it is the production environment. */
export function servesProduction(target: CatalogTarget): boolean {
  return target.place === 'environment' && target.target.kind === 'production';
}

export function operateTokens(target: CatalogTarget): string[] {
  if (target.owner.kind !== 'model' || !target.statusKnown || !target.state.deploymentId) return [];
  const tokens = ['hasMetrics'];
  if (canBePromoted(target)) {
    tokens.push('promotable');
    if (!servesProduction(target)) tokens.push('promotableToProduction');
  }
  if (target.state.promotion) tokens.push('promoting');
  if (target.state.autoscaling) tokens.push('autoscalable');
  return tokens;
}
