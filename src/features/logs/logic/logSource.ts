/**
 * Whose logs a tab shows, from what the user opened it on: a model environment (Baseten's environment logs,
 * whichever deployment served), a deployment (by ID, or `development`), or a chainlet of a chain deployment.
 * Plain Node.
 */
import type { LogSource } from '../../../client/logs';
import type { Owner, Target, TargetRef } from '../../../client/target';
import { targetKey, targetLabel } from '../../../client/target';

export interface Chainlet {
  id: string;
  name: string;
}

/** What a logs tab is opened on; a chain target needs its chain deployment and one chainlet. */
export interface LogsSubject {
  ref: TargetRef;
  /** The deployment behind the target, when known. */
  deploymentId?: string;
  chainlet?: Chainlet;
}

/** Undefined when Baseten has no logs route for it yet (a chain without a known deployment or chainlet). */
export function logSourceOf(subject: LogsSubject): LogSource | undefined {
  const { owner, target } = subject.ref;
  if (owner.kind === 'chain') {
    if (!subject.chainlet) return undefined;
    const deploymentId = target.kind === 'deployment' ? target.id : subject.deploymentId;
    return deploymentId ? { kind: 'chainlet', chainId: owner.id, deploymentId, chainletId: subject.chainlet.id } : undefined;
  }
  return modelSource(owner, target, subject.deploymentId);
}

function modelSource(owner: Owner, target: Target, deploymentId: string | undefined): LogSource | undefined {
  switch (target.kind) {
    case 'production':
      return { kind: 'environment', modelId: owner.id, environment: 'production' };
    case 'environment':
      return { kind: 'environment', modelId: owner.id, environment: target.name };
    case 'regional':
      return { kind: 'environment', modelId: owner.id, environment: target.environment };
    case 'development':
      return { kind: 'deployment', modelId: owner.id, deploymentId: deploymentId ?? 'development' };
    case 'deployment':
      return { kind: 'deployment', modelId: owner.id, deploymentId: target.id };
  }
}

/** "echo · production", "pipeline · production · Entrypoint". */
export function subjectLabel(subject: LogsSubject): string {
  const label = targetLabel(subject.ref);
  return subject.chainlet ? `${label} · ${subject.chainlet.name}` : label;
}

/** One tab per subject: the target, and the chainlet of a chain. */
export function subjectKey(subject: LogsSubject): string {
  return `${targetKey(subject.ref)}${subject.chainlet ? `/chainlet/${subject.chainlet.id}` : ''}`;
}
