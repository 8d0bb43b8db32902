/**
 * Autoscaling settings (docs/baseten-api.md#autoscaling): Baseten's ranges, checking a change against them
 * before it is sent, and the two calls that change them (a deployment's, an environment's).
 */
import type { HttpClient } from './http';
import type { DeploymentRef, ManagementCallOptions } from './management';
import { managementCall } from './managementCall';
import type { AutoscalingSettingsV1 } from './types';
import type { BasetenEndpoints } from './urls';

/** The settings the editor edits, by their wire names. */
export type AutoscalingField = 'min_replica' | 'max_replica' | 'concurrency_target' | 'scale_down_delay' | 'autoscaling_window';

/** `UpdateAutoscalingSettingsV1`: only the fields to change. */
export type AutoscalingUpdate = Partial<Record<AutoscalingField, number>>;

/** `UpdateAutoscalingSettingsResponseV1`. */
export interface AutoscalingUpdateResult {
  status: 'ACCEPTED' | 'QUEUED' | 'UNCHANGED';
  message: string;
}

export interface AutoscalingRange {
  field: AutoscalingField;
  label: string;
  unit: string;
  min: number;
  /** No upper bound when undefined. */
  max?: number;
  /** Baseten's default, used when a current value is unknown. */
  byDefault: number;
  help: string;
}

/** Baseten's documented ranges and defaults (docs/baseten-api.md#wake-and-scale-to-zero). */
export const AUTOSCALING_RANGES: readonly AutoscalingRange[] = [
  { field: 'min_replica', label: 'Min replicas', unit: 'replicas', min: 0, byDefault: 0, help: '0 lets it scale to zero when idle' },
  { field: 'max_replica', label: 'Max replicas', unit: 'replicas', min: 1, byDefault: 1, help: 'the most replicas it scales up to' },
  { field: 'concurrency_target', label: 'Concurrency target', unit: 'requests per replica', min: 1, byDefault: 1, help: 'requests a replica takes before another is added' },
  { field: 'scale_down_delay', label: 'Scale-down delay', unit: 'seconds', min: 0, max: 3600, byDefault: 900, help: 'how long traffic stays low before replicas are removed' },
  { field: 'autoscaling_window', label: 'Autoscaling window', unit: 'seconds', min: 10, max: 3600, byDefault: 60, help: 'the time over which traffic is averaged' },
];

export function autoscalingRange(field: AutoscalingField): AutoscalingRange {
  return AUTOSCALING_RANGES.find((range) => range.field === field)!;
}

/** The five settings as they are, Baseten's defaults where a value is not set. */
export function currentAutoscaling(settings: Partial<AutoscalingSettingsV1> | null | undefined): Record<AutoscalingField, number> {
  const values = {} as Record<AutoscalingField, number>;
  for (const range of AUTOSCALING_RANGES) {
    const value = settings?.[range.field];
    values[range.field] = typeof value === 'number' ? value : range.byDefault;
  }
  return values;
}

/** "from 10 to 3600 seconds", "1 or more". */
export function describeRange(range: AutoscalingRange): string {
  return range.max === undefined ? `${range.min} or more` : `from ${range.min} to ${range.max} ${range.unit}`;
}

/**
 * Why a text typed for a field is not a value Baseten takes, saying what to type instead; undefined when it is
 * fine. `others` are the other fields' values, for min ≤ max.
 */
export function autoscalingValueError(field: AutoscalingField, text: string, others: Partial<Record<AutoscalingField, number>> = {}): string | undefined {
  const range = autoscalingRange(field);
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return `${range.label} must be a whole number ${describeRange(range)}; type digits only.`;
  const value = Number(trimmed);
  if (value < range.min || (range.max !== undefined && value > range.max)) return `${range.label} must be ${describeRange(range)}; ${value} is outside that range.`;
  if (field === 'min_replica' && others.max_replica !== undefined && value > others.max_replica) {
    return `Min replicas (${value}) cannot be more than max replicas (${others.max_replica}); raise max replicas first or type ${others.max_replica} or less.`;
  }
  if (field === 'max_replica' && others.min_replica !== undefined && value < others.min_replica) {
    return `Max replicas (${value}) cannot be fewer than min replicas (${others.min_replica}); lower min replicas first or type ${others.min_replica} or more.`;
  }
  return undefined;
}

/** Every problem of a whole set of values, field by field; empty when Baseten would take them. */
export function autoscalingErrors(values: Record<AutoscalingField, number>): Array<{ field: AutoscalingField; message: string }> {
  const problems: Array<{ field: AutoscalingField; message: string }> = [];
  for (const range of AUTOSCALING_RANGES) {
    const message = autoscalingValueError(range.field, String(values[range.field]), values);
    if (message) problems.push({ field: range.field, message });
  }
  return problems;
}

/** The fields whose value differs from the current one. */
export function autoscalingChanges(current: Record<AutoscalingField, number>, next: Record<AutoscalingField, number>): AutoscalingUpdate {
  const update: AutoscalingUpdate = {};
  for (const range of AUTOSCALING_RANGES) if (current[range.field] !== next[range.field]) update[range.field] = next[range.field];
  return update;
}

export class AutoscalingClient {
  constructor(
    private readonly http: HttpClient,
    private readonly endpoints: () => BasetenEndpoints,
  ) {}

  /** `PATCH …/deployments/{id|production|development}/autoscaling_settings`. */
  updateDeployment(modelId: string, deployment: DeploymentRef, update: AutoscalingUpdate, options: ManagementCallOptions = {}): Promise<AutoscalingUpdateResult> {
    return managementCall(this.http, this.endpoints(), { method: 'PATCH', segments: ['models', modelId, 'deployments', deployment, 'autoscaling_settings'], json: update, signal: options.signal });
  }

  /** `PATCH …/environments/{name}` with `autoscaling_settings`: the environment's, applied to what it serves. */
  updateEnvironment(modelId: string, environmentName: string, update: AutoscalingUpdate, options: ManagementCallOptions = {}): Promise<AutoscalingUpdateResult> {
    return managementCall(this.http, this.endpoints(), { method: 'PATCH', segments: ['models', modelId, 'environments', environmentName], json: { autoscaling_settings: update }, signal: options.signal });
  }
}

/** "15 min", "90 s", "1 h". */
export function formatSeconds(seconds: number): string {
  if (seconds >= 3600 && seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds >= 60 && seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/** "1–2 replicas · 1 request per replica · scale down after 15 min idle · 60 s window", for tooltips. */
export function describeAutoscaling(settings: Partial<AutoscalingSettingsV1>): string {
  const values = currentAutoscaling(settings);
  const replicas = values.min_replica === values.max_replica ? `${values.min_replica}` : `${values.min_replica}–${values.max_replica}`;
  return [
    `${replicas} ${values.max_replica === 1 ? 'replica' : 'replicas'}`,
    `${values.concurrency_target} ${values.concurrency_target === 1 ? 'request' : 'requests'} per replica`,
    `scale down after ${formatSeconds(values.scale_down_delay)} idle`,
    `${formatSeconds(values.autoscaling_window)} window`,
  ].join(' · ');
}
