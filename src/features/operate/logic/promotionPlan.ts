/**
 * What a promotion will change, in the words of its confirmation: which deployment the environment serves
 * after it, what becomes of the one it serves now, and how long the switch takes. Plain data, no editor APIs.
 */
import { environmentByName, formatSeconds, targetLabel } from '../../../client';
import type { EnvironmentV1, Owner } from '../../../client';

export interface PromotionPlan {
  owner: Owner;
  environment: string;
  /** The deployment's name; undefined when development is promoted (Baseten publishes a new deployment from it). */
  candidate?: string;
  candidateAsleep?: boolean;
  /** What the environment reads as now (its current deployment, cleanup and ramp settings, other environments). */
  now: Pick<EnvironmentV1, 'current_deployment' | 'promotion_settings'>;
  /** Names of the other environments the current deployment also serves. */
  currentAlsoServes?: string[];
}

export interface PromotionConfirmation {
  title: string;
  /** The sentence that names what will change. */
  change: string;
  /** Its two halves: what the environment serves after, and what becomes of what it serves now (when it serves one). */
  serves: string;
  previous?: string;
  /** Timing and side notes. */
  note: string;
}

function cleanupText(plan: PromotionPlan, current: string): string {
  if (plan.currentAlsoServes?.length) return `${current} keeps serving ${plan.currentAlsoServes.join(', ')}`;
  const strategy = (plan.now.promotion_settings as { promotion_cleanup_strategy?: string | null }).promotion_cleanup_strategy ?? 'SCALE_TO_ZERO';
  if (strategy === 'KEEP') return `${current} keeps running`;
  if (strategy === 'DEACTIVATE') return `${current} will be deactivated`;
  return `${current} will scale down to zero`;
}

/** "echo · production will serve deployment-5 instead of deployment-4; deployment-4 will scale down to zero." */
export function promotionConfirmation(plan: PromotionPlan): PromotionConfirmation {
  const where = targetLabel({ owner: plan.owner, target: environmentByName(plan.environment) });
  const candidate = plan.candidate ?? 'a new deployment published from development';
  const current = plan.now.current_deployment?.name;
  const serves = current ? `${where} will serve ${candidate} instead of ${current}` : `${where} will serve ${candidate}`;
  const previous = current ? cleanupText(plan, current) : 'it serves no deployment now';
  const change = `${serves}; ${previous}.`;
  const settings = plan.now.promotion_settings as { ramp_up_while_promoting?: boolean | null; ramp_up_duration_seconds?: number | null };
  const timing = settings.ramp_up_while_promoting
    ? `Traffic moves over gradually, in about ${formatSeconds(settings.ramp_up_duration_seconds ?? 600)}.`
    : 'Traffic switches once the new deployment is ready; until then the environment serves what it serves now.';
  const wake = plan.candidateAsleep ? ` ${plan.candidate ?? 'Development'} is scaled to zero and starts first (a cold start).` : '';
  return { title: `Promote ${plan.candidate ?? 'development'} to ${where}?`, change, serves, ...(current ? { previous: cleanupText(plan, current) } : {}), note: `${timing}${wake}` };
}
