/**
 * Promotion over time, as Baseten runs it: the deployment becomes the environment's candidate (RELEASING,
 * woken if asleep), traffic moves to it in steps (RAMPING_UP 25 → 50 → 75 %), then it serves the environment
 * and the one it replaces scales down (per `promotion_cleanup_strategy`). It takes `promotionMs`, or
 * `ramp_up_duration_seconds` × `queueSecondsScale` when the environment ramps up while promoting; 0 promotes at
 * once. Cancelling before traffic moved ends it (CANCELED); after, traffic moves back first (RAMPING_DOWN).
 */
import { newResourceId } from '../core/ids';
import type { EmulatorCore } from '../core/core';
import type { DeploymentState, EnvironmentState, ModelState, PromotionRun } from '../state/state';
import { isServing } from '../state/state';

export type PromotionCore = Pick<EmulatorCore, 'lifecycle' | 'timers' | 'options'>;

const STEPS = [25, 50, 75];
/** Cancels the timers of each environment's promotion in progress. */
const running = new WeakMap<EnvironmentState, () => void>();

function stopTimers(environment: EnvironmentState): void {
  running.get(environment)?.();
  running.delete(environment);
}

function durationMs(core: PromotionCore, environment: EnvironmentState): number {
  const settings = environment.promotionSettings;
  if (settings.ramp_up_while_promoting) return (settings.ramp_up_duration_seconds ?? 600) * core.options.queueSecondsScale;
  return core.options.promotionMs;
}

/** Promoting development publishes a copy of it; the development deployment stays. */
function promotable(model: ModelState, deployment: DeploymentState): DeploymentState {
  if (!deployment.isDevelopment) return deployment;
  const number = model.deployments.filter((candidate) => !candidate.isDevelopment).length + 1;
  const copy: DeploymentState = { ...structuredClone(deployment), id: newResourceId(7), name: `deployment-${number}`, createdAt: new Date().toISOString(), isDevelopment: false, logs: [] };
  model.deployments.push(copy);
  return copy;
}

/** Starts promoting `deployment` to the environment; a message when it cannot be. Returns the candidate. */
export function startPromotion(core: PromotionCore, model: ModelState, environment: EnvironmentState, deployment: DeploymentState, scaleDown: boolean): DeploymentState | string {
  if (environment.promotion) return `A promotion to "${environment.name}" is already in progress; cancel it first.`;
  if (!deployment.isDevelopment && environment.currentDeploymentId === deployment.id) return `Deployment ${deployment.id} already serves "${environment.name}".`;
  const candidate = promotable(model, deployment);
  const total = durationMs(core, environment);
  core.lifecycle.log(candidate, `Promoting to ${environment.name}`);
  if (total <= 0) {
    finish(core, model, environment, candidate, scaleDown);
    return candidate;
  }
  environment.promotion = { candidateId: candidate.id, status: 'RELEASING', percent: 0, scaleDown };
  if (candidate.status === 'SCALED_TO_ZERO') core.lifecycle.wake(candidate);
  const cancels = STEPS.map((percent, index) =>
    core.timers.after(Math.round(((index + 1) * total) / (STEPS.length + 1)), () => {
      if (environment.promotion?.status === 'RAMPING_DOWN') return;
      environment.promotion = { candidateId: candidate.id, status: 'RAMPING_UP', percent, scaleDown };
    }),
  );
  cancels.push(core.timers.after(total, () => finish(core, model, environment, candidate, scaleDown)));
  running.set(environment, () => cancels.forEach((cancel) => cancel()));
  return candidate;
}

function finish(core: PromotionCore, model: ModelState, environment: EnvironmentState, candidate: DeploymentState, scaleDown: boolean): void {
  stopTimers(environment);
  environment.promotion = undefined;
  const previous = model.deployments.find((d) => d.id === environment.currentDeploymentId);
  environment.currentDeploymentId = candidate.id;
  core.lifecycle.log(candidate, `Promoted to ${environment.name}`);
  const strategy = environment.promotionSettings.promotion_cleanup_strategy;
  if (!previous || previous === candidate || !scaleDown || !isServing(previous.status) || strategy === 'KEEP') return;
  if (model.environments.some((other) => other.currentDeploymentId === previous.id)) return;
  if (strategy === 'DEACTIVATE') core.lifecycle.deactivate(previous);
  else core.lifecycle.setStatus(previous, 'SCALED_TO_ZERO');
}

/** `cancel_promotion`: `CANCELED` at once before traffic moved, else `RAMPING_DOWN` until it moved back. */
export function cancelPromotion(core: PromotionCore, environment: EnvironmentState): { status: 'CANCELED' | 'RAMPING_DOWN'; message: string } | string {
  const promotion: PromotionRun | undefined = environment.promotion;
  if (!promotion || promotion.status === 'RAMPING_DOWN') return `No promotion to "${environment.name}" is in progress.`;
  stopTimers(environment);
  if (promotion.percent === 0) {
    environment.promotion = undefined;
    return { status: 'CANCELED', message: `The promotion to "${environment.name}" was cancelled.` };
  }
  environment.promotion = { ...promotion, status: 'RAMPING_DOWN' };
  const back = Math.max(1, Math.round(durationMs(core, environment) / (STEPS.length + 1)));
  const cancel = core.timers.after(back, () => {
    running.delete(environment);
    environment.promotion = undefined;
  });
  running.set(environment, cancel);
  return { status: 'RAMPING_DOWN', message: `Traffic is moving back to the current deployment of "${environment.name}"; the promotion ends once it has.` };
}
