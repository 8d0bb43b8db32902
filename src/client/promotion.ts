/**
 * Promotion (docs/baseten-api.md#promotion): a deployment, or development, onto an environment; the
 * promotion in progress read from the environment; cancelling it. One promotion per environment at a time.
 */
import type { HttpClient } from './http';
import type { DeploymentRef, ManagementCallOptions } from './management';
import { managementCall } from './managementCall';
import { cannotHaveRun } from './retrySafety';
import type { DeploymentV1, EnvironmentV1 } from './types';
import type { BasetenEndpoints } from './urls';

export type PromotionStatus = NonNullable<EnvironmentV1['in_progress_promotion']>['status'];

export interface PromoteOptions extends ManagementCallOptions {
  /** The deployment the environment served until now scales down once the promotion ends (Baseten's default: true). */
  scaleDownPrevious?: boolean;
}

/** `CancelPromotionResponseV1`: `CANCELED` at once, or `RAMPING_DOWN` while traffic moves back. */
export interface CancelPromotionResult {
  status: 'CANCELED' | 'RAMPING_DOWN';
  message: string;
}

/** An environment's promotion as the editor shows it. */
export interface PromotionState {
  status: PromotionStatus;
  percentTraffic: number;
  candidate?: { id: string; name: string };
  errorMessage?: string;
}

const ENDED: ReadonlySet<PromotionStatus> = new Set(['SUCCEEDED', 'FAILED', 'CANCELED']);

/** A promotion still moving (releasing, ramping, paused); ended ones are history. */
export function isPromotionInProgress(status: PromotionStatus | undefined): boolean {
  return !!status && !ENDED.has(status);
}

const STATUS_TEXT: Record<PromotionStatus, string> = {
  RELEASING: 'Releasing',
  RAMPING_UP: 'Moving traffic',
  RAMPING_DOWN: 'Moving traffic back',
  PAUSED: 'Paused',
  SUCCEEDED: 'Promoted',
  FAILED: 'Promotion failed',
  CANCELED: 'Promotion cancelled',
};

export function describePromotionStatus(status: PromotionStatus | string): string {
  return STATUS_TEXT[status as PromotionStatus] ?? String(status).toLowerCase().replace(/_/g, ' ');
}

/** The environment's promotion, when one is in progress. */
export function promotionOf(environment: { in_progress_promotion?: EnvironmentV1['in_progress_promotion']; candidate_deployment?: { id: string; name?: string } | null }): PromotionState | undefined {
  const promotion = environment.in_progress_promotion;
  if (!promotion || !isPromotionInProgress(promotion.status)) return undefined;
  const candidate = environment.candidate_deployment;
  return {
    status: promotion.status,
    percentTraffic: promotion.percent_traffic_to_new_version,
    ...(candidate ? { candidate: { id: candidate.id, name: candidate.name ?? candidate.id } } : {}),
    ...(promotion.error_message ? { errorMessage: promotion.error_message } : {}),
  };
}

export class PromotionClient {
  constructor(
    private readonly http: HttpClient,
    private readonly endpoints: () => BasetenEndpoints,
  ) {}

  /** `POST …/environments/{name}/promote`: the deployment (by ID) becomes the environment's candidate. */
  promoteToEnvironment(modelId: string, environmentName: string, deploymentId: string, options: PromoteOptions = {}): Promise<DeploymentV1> {
    return this.post(['models', modelId, 'environments', environmentName, 'promote'], { deployment_id: deploymentId, scale_down_previous_deployment: options.scaleDownPrevious ?? true }, options);
  }

  /** `POST …/deployments/{development|id}/promote`: to production. Promoting development publishes a new deployment from it. */
  promoteToProduction(modelId: string, deployment: Exclude<DeploymentRef, 'production'>, options: PromoteOptions = {}): Promise<DeploymentV1> {
    return this.post(['models', modelId, 'deployments', deployment, 'promote'], { scale_down_previous_production: options.scaleDownPrevious ?? true }, options);
  }

  cancelPromotion(modelId: string, environmentName: string, options: ManagementCallOptions = {}): Promise<CancelPromotionResult> {
    return this.post(['models', modelId, 'environments', environmentName, 'cancel_promotion'], {}, options);
  }

  /** The environment as it is now: what it serves, and its promotion in progress (`promotionOf`). */
  environment(modelId: string, environmentName: string, options: ManagementCallOptions = {}): Promise<EnvironmentV1> {
    return managementCall<EnvironmentV1>(this.http, this.endpoints(), { method: 'GET', segments: ['models', modelId, 'environments', environmentName], signal: options.signal });
  }

  private post<T>(segments: string[], json: unknown, options: ManagementCallOptions): Promise<T> {
    // Sending a promotion twice could start a second one: only failures that cannot have reached Baseten are retried.
    return managementCall<T>(this.http, this.endpoints(), { method: 'POST', segments, json, signal: options.signal, retryWhen: cannotHaveRun });
  }
}
