/**
 * The targets of one model or chain as the catalog holds them: each a `TargetRef` with the state Baseten
 * reported for the deployment behind it, in the order users read them.
 */
import { DEVELOPMENT, deployment, environmentByName, isFailedStatus, isSleeping, isTransitionalStatus, promotionOf } from '../client';
import type { AutoscalingSettingsV1, ChainDeploymentV1, ChainletV1, DeploymentStatus, DeploymentV1, EnvironmentV1, Owner, PromotionState, TargetRef } from '../client';

/** Where on its owner a target is: an environment, the development deployment, or another deployment. */
export type TargetPlace = 'environment' | 'development' | 'deployment';

/** What the management API said of the deployment behind a target, when it could be read. */
export interface TargetState {
  status?: DeploymentStatus;
  deploymentId?: string;
  deploymentName?: string;
  replicas?: number;
  instanceType?: string | null;
  minReplicas?: number;
  maxReplicas?: number;
  createdAt?: string;
  chainlets?: ChainletV1[];
  /** The deployment's autoscaling settings as Baseten reported them. */
  autoscaling?: AutoscalingSettingsV1;
  /** An environment's promotion in progress, with its candidate. */
  promotion?: PromotionState;
}

export interface CatalogTarget extends TargetRef {
  place: TargetPlace;
  state: TargetState;
  /** False for targets configured by hand in settings: the management API could not be read for them. */
  statusKnown: boolean;
}

/** A model or chain configured by hand (`baseten.models`, `baseten.chains`), for keys that cannot list them. */
export interface ConfiguredOwner {
  id: string;
  name?: string;
  environments?: string[];
  deployments?: string[];
  development?: boolean;
}

export function modelDeploymentState(deployment: DeploymentV1 | null | undefined): TargetState {
  if (!deployment) return {};
  return {
    status: deployment.status,
    deploymentId: deployment.id,
    deploymentName: deployment.name,
    replicas: deployment.active_replica_count,
    instanceType: deployment.instance_type_name,
    minReplicas: deployment.autoscaling_settings?.min_replica,
    maxReplicas: deployment.autoscaling_settings?.max_replica,
    createdAt: deployment.created_at,
    ...(deployment.autoscaling_settings ? { autoscaling: deployment.autoscaling_settings } : {}),
  };
}

export function chainDeploymentState(deployment: ChainDeploymentV1 | null | undefined): TargetState {
  if (!deployment) return {};
  return {
    status: deployment.status,
    deploymentId: deployment.id,
    replicas: deployment.chainlets.reduce((sum, chainlet) => sum + chainlet.active_replica_count, 0),
    createdAt: deployment.created_at,
    chainlets: deployment.chainlets,
  };
}

interface ListedDeployment {
  id: string;
  name?: string;
  created_at: string;
}

/**
 * Environments (production first), then development, then every deployment no environment serves,
 * newest first.
 */
export function orderedTargets<D extends ListedDeployment>(
  owner: Owner,
  environments: Array<{ name: string; current_deployment: D | null; in_progress_promotion?: EnvironmentV1['in_progress_promotion']; candidate_deployment?: { id: string; name?: string } | null }>,
  deployments: D[],
  development: D | undefined,
  state: (deployment: D | null | undefined) => TargetState,
): CatalogTarget[] {
  const byId = new Map(deployments.map((d) => [d.id, d]));
  const served = new Set<string>();
  const targets: CatalogTarget[] = environments
    .slice()
    .sort((a, b) => (a.name === 'production' ? -1 : b.name === 'production' ? 1 : a.name.localeCompare(b.name)))
    .map((environment) => {
      const current = environment.current_deployment ? (byId.get(environment.current_deployment.id) ?? environment.current_deployment) : null;
      if (current) served.add(current.id);
      const promotion = promotionOf(environment);
      return { owner, target: environmentByName(environment.name), place: 'environment', state: { ...state(current), ...(promotion ? { promotion } : {}) }, statusKnown: true };
    });
  if (development) {
    served.add(development.id);
    targets.push({ owner, target: DEVELOPMENT, place: 'development', state: state(development), statusKnown: true });
  }
  const others = deployments
    .filter((d) => !served.has(d.id))
    .sort((a, b) => b.created_at.localeCompare(a.created_at))
    .map((d): CatalogTarget => ({ owner, target: deployment(d.id, d.name), place: 'deployment', state: state(d), statusKnown: true }));
  return [...targets, ...others];
}

/** The targets of a hand-configured model or chain: its environments (production when none), development, deployments. */
export function configuredTargets(owner: Owner, configured: ConfiguredOwner): CatalogTarget[] {
  const environments = configured.environments?.length ? configured.environments : ['production'];
  const targets: CatalogTarget[] = environments.map((name) => ({ owner, target: environmentByName(name), place: 'environment', state: {}, statusKnown: false }));
  if (configured.development) targets.push({ owner, target: DEVELOPMENT, place: 'development', state: {}, statusKnown: false });
  for (const id of configured.deployments ?? []) targets.push({ owner, target: deployment(id), place: 'deployment', state: { deploymentId: id }, statusKnown: false });
  return targets;
}

/** Its status changes by itself (building, waking up…), one of its chainlets' does, or a promotion to it is under way. */
export function isChanging(target: CatalogTarget): boolean {
  const { status, chainlets, promotion } = target.state;
  return (!!status && isTransitionalStatus(status)) || !!chainlets?.some((chainlet) => isTransitionalStatus(chainlet.status)) || !!promotion;
}

export function isScaledToZero(target: CatalogTarget): boolean {
  return !!target.state.status && isSleeping(target.state.status);
}

/** A model target that can be woken: scaled to zero, or of unknown status (configured by hand). */
export function isWakeable(target: CatalogTarget): boolean {
  return target.owner.kind === 'model' && (isScaledToZero(target) || !target.statusKnown);
}

/** Inactive or failed deployments answer every request with an error: pickers for requests leave them out. */
export function canAnswer(target: CatalogTarget): boolean {
  const status = target.state.status;
  return !status || !(status === 'INACTIVE' || status === 'DEACTIVATING' || isFailedStatus(status));
}

/**
 * A request sent now is answered, if need be after a cold start: there is a deployment, and it is not
 * failed, inactive or still being built. A target configured by hand (status unknown) is given the benefit of the doubt.
 */
export function acceptsRequests(target: CatalogTarget): boolean {
  if (!target.statusKnown) return true;
  if (!target.state.deploymentId) return false;
  const status = target.state.status;
  return canAnswer(target) && status !== 'BUILDING' && status !== 'DEPLOYING';
}
