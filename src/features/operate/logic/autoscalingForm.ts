/**
 * The rows of the Edit Autoscaling form: each setting with its value (changed ones marked), its range and
 * what it does; the Apply row says what will be sent, or what to fix first. Plain data, no editor APIs.
 */
import { AUTOSCALING_RANGES, autoscalingChanges, autoscalingErrors, describeRange, formatSeconds } from '../../../client';
import type { AutoscalingField } from '../../../client';

export type AutoscalingValues = Record<AutoscalingField, number>;

export interface FormRow {
  key: AutoscalingField | 'apply';
  label: string;
  description: string;
  detail: string;
  /** Development deployments keep 0–1 replicas: those rows cannot be edited. */
  locked?: boolean;
}

const LOCKED_FOR_DEVELOPMENT: ReadonlySet<AutoscalingField> = new Set(['min_replica', 'max_replica']);

/** "1 replica", "2 requests per replica", "900 seconds (15 min)". */
export function valueText(field: AutoscalingField, value: number): string {
  switch (field) {
    case 'min_replica':
    case 'max_replica':
      return `${value} ${value === 1 ? 'replica' : 'replicas'}`;
    case 'concurrency_target':
      return `${value} ${value === 1 ? 'request' : 'requests'} per replica`;
    default:
      return value >= 60 && value % 60 === 0 ? `${value} seconds (${formatSeconds(value)})` : `${value} ${value === 1 ? 'second' : 'seconds'}`;
  }
}

export function formRows(current: AutoscalingValues, edited: AutoscalingValues, development: boolean): FormRow[] {
  const changes = autoscalingChanges(current, edited);
  const problems = autoscalingErrors(edited);
  const count = Object.keys(changes).length;
  const apply: FormRow = {
    key: 'apply',
    label: problems.length ? '$(error) Fix the values below first' : count ? `$(check) Apply ${count} ${count === 1 ? 'change' : 'changes'}` : '$(check) Apply',
    description: problems.length ? '' : count ? Object.keys(changes).map((field) => AUTOSCALING_RANGES.find((r) => r.field === field)!.label.toLowerCase()).join(', ') : 'nothing changed yet',
    detail: problems.length ? problems.map((problem) => problem.message).join(' ') : count ? 'Sends the changed settings to Baseten; the node’s tooltip shows the result.' : 'Choose a setting below to change it.',
  };
  const rows = AUTOSCALING_RANGES.map((range): FormRow => {
    const locked = development && LOCKED_FOR_DEVELOPMENT.has(range.field);
    const changed = edited[range.field] !== current[range.field];
    return {
      key: range.field,
      label: `${changed ? '$(edit) ' : ''}${range.label}`,
      description: changed ? `${valueText(range.field, edited[range.field])}, was ${valueText(range.field, current[range.field])}` : valueText(range.field, edited[range.field]),
      detail: locked ? 'Fixed at 0–1 replicas for a development deployment; promote it to scale it further.' : `${describeRange(range)}: ${range.help}`,
      locked,
    };
  });
  return [apply, ...rows];
}
