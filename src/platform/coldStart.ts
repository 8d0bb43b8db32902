import { isSleeping } from '../client';
import type { Target } from '../client';
import { ExplorerTrees } from '../features/explorer/register';
import { knownStatus } from '../features/predict/predictTargets';

/** A target as every feature names it: the model or chain it belongs to and the environment or deployment. */
export interface ColdStartTarget {
  owner: { id: string };
  target: Target;
}

/** Whether a target's first request will wait for a cold start, as far as the explorer knows. */
export type ColdStartCheck = (target: ColdStartTarget) => boolean;

/**
 * The explorer last showed the target as scaled to zero. Only what the tree already knows is used: asking
 * Baseten first would delay every request to say something the request itself will find out.
 */
export function coldStartCheck(trees: ExplorerTrees): ColdStartCheck {
  return (target) => {
    const status = knownStatus(trees, target);
    return !!status && isSleeping(status);
  };
}
