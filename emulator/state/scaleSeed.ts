/**
 * A workspace large enough to benchmark against (`EmulatorOptions.scale`): generated models
 * `scale-model-0001`, `scale-model-0002`, … after the demo seed, served by the management routes like
 * any other model. Deterministic, so every start and reset builds the same IDs, names and statuses.
 *
 * Each model has a production environment on its newest non-development deployment; every odd-numbered
 * model also has a development deployment (its newest). Older deployments cycle through ACTIVE,
 * SCALED_TO_ZERO, INACTIVE, BUILD_FAILED and the transitional WAKING_UP and BUILDING, which stay as they
 * are until something moves them (a management call, `setDeploymentStatus`), as seeded statuses do.
 */
import type { ScaleSeed } from '../types';
import { CPU_SMALL, SEED, autoscaling, buildInitialState, deployment, promotionSettings } from './seed';
import type { DeploymentState, DeploymentStatus, EmulatorState, ModelState } from './state';

/** Keeps generated IDs short and clear of the demo seed's. */
export const SCALE_LIMITS = Object.freeze({ models: 100_000, deploymentsPerModel: 100 });

const OLDER_STATUSES: readonly DeploymentStatus[] = [
  'INACTIVE',
  'ACTIVE',
  'SCALED_TO_ZERO',
  'INACTIVE',
  'BUILD_FAILED',
  'SCALED_TO_ZERO',
  'WAKING_UP',
  'INACTIVE',
  'ACTIVE',
  'BUILDING',
];

const FIRST_CREATED = Date.UTC(2025, 0, 1);
const HOUR = 3_600_000;

export function scaleModelName(index: number): string {
  return `scale-model-${String(index).padStart(4, '0')}`;
}

/** 8 characters, like Baseten's model IDs. */
function modelId(index: number): string {
  return `sc${index.toString(36).padStart(6, '0')}`;
}

/** 7 characters, like Baseten's deployment IDs; numbered across the whole workspace. */
function deploymentId(serial: number): string {
  return `d${serial.toString(36).padStart(6, '0')}`;
}

type Role = 'production' | 'development' | 'older';

function statusFor(role: Role, index: number, slot: number): DeploymentStatus {
  if (role === 'production') return index % 4 === 0 ? 'SCALED_TO_ZERO' : 'ACTIVE';
  if (role === 'development') return index % 3 === 0 ? 'SCALED_TO_ZERO' : 'ACTIVE';
  return OLDER_STATUSES[(index + slot) % OLDER_STATUSES.length];
}

function scaleModel(index: number, deploymentsPerModel: number, now: number): ModelState {
  const createdAt = FIRST_CREATED + index * HOUR;
  const hasDevelopment = deploymentsPerModel >= 2 && index % 2 === 1;
  const productionSlot = hasDevelopment ? deploymentsPerModel - 1 : deploymentsPerModel;
  const deployments: DeploymentState[] = [];
  for (let slot = 1; slot <= deploymentsPerModel; slot++) {
    const role: Role = slot === productionSlot ? 'production' : hasDevelopment && slot === deploymentsPerModel ? 'development' : 'older';
    const spec = {
      id: deploymentId((index - 1) * deploymentsPerModel + slot),
      name: role === 'development' ? 'development' : `deployment-${slot}`,
      createdAt: new Date(createdAt + slot * 60_000).toISOString(),
      status: statusFor(role, index, slot),
      isDevelopment: role === 'development',
      instanceTypeName: CPU_SMALL.id,
    };
    deployments.push(deployment(spec, now));
  }
  const modelCreatedAt = new Date(createdAt).toISOString();
  return {
    id: modelId(index),
    name: scaleModelName(index),
    createdAt: modelCreatedAt,
    teamName: SEED.teamName,
    instanceTypeName: CPU_SMALL.id,
    behaviour: 'echo',
    deployments,
    environments: [
      {
        name: 'production',
        createdAt: modelCreatedAt,
        currentDeploymentId: deployments[productionSlot - 1].id,
        autoscalingSettings: autoscaling(0, 2),
        promotionSettings: promotionSettings(),
        instanceType: structuredClone(CPU_SMALL),
      },
    ],
  };
}

/** The demo seed, followed by `scale.models` generated models when asked for. */
export function buildWorkspace(scale: ScaleSeed | undefined, now = Date.now()): EmulatorState {
  const state = buildInitialState(now);
  if (!scale) return state;
  for (let index = 1; index <= scale.models; index++) state.models.push(scaleModel(index, scale.deploymentsPerModel, now));
  return state;
}
