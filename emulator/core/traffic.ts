/**
 * The traffic each deployment really served (every predict and sync request: when it started, ended and
 * how it was answered) and its replica count over time: what the metrics routes compute Baseten's
 * metrics from.
 */

interface Served {
  start: number;
  end?: number;
  status?: number;
}

interface ReplicaSample {
  at: number;
  count: number;
  /** The count before this sample, for times before the first one. */
  before: number;
}

interface DeploymentTraffic {
  requests: Served[];
  replicas: ReplicaSample[];
}

/** Kept per deployment; the oldest go first (Baseten's metrics window is at most 7 days, tests run minutes). */
const LIMIT = 50_000;

export class TrafficRecorder {
  private readonly byDeployment = new Map<string, DeploymentTraffic>();

  /** A request reached the deployment; call the returned function with its status once answered (later calls do nothing). */
  begin(deploymentId: string, at = Date.now()): (status: number, end?: number) => void {
    const served: Served = { start: at };
    const requests = this.entry(deploymentId).requests;
    requests.push(served);
    if (requests.length > LIMIT) requests.splice(0, requests.length - LIMIT);
    return (status, end = Date.now()) => {
      if (served.end !== undefined) return;
      served.end = end;
      served.status = status;
    };
  }

  /** The deployment's replica count changed. */
  replicas(deploymentId: string, count: number, before: number, at = Date.now()): void {
    if (count === before) return;
    const samples = this.entry(deploymentId).replicas;
    samples.push({ at, count, before });
    if (samples.length > LIMIT) samples.splice(0, samples.length - LIMIT);
  }

  requestsOf(deploymentId: string): readonly Served[] {
    return this.byDeployment.get(deploymentId)?.requests ?? [];
  }

  /** The replica count at `at`; `now` when nothing changed since. */
  replicasAt(deploymentId: string, at: number, now: number): number {
    const samples = this.byDeployment.get(deploymentId)?.replicas ?? [];
    let count: number | undefined;
    for (const sample of samples) {
      if (sample.at > at) return count ?? sample.before;
      count = sample.count;
    }
    return count ?? now;
  }

  reset(): void {
    this.byDeployment.clear();
  }

  private entry(deploymentId: string): DeploymentTraffic {
    let entry = this.byDeployment.get(deploymentId);
    if (!entry) this.byDeployment.set(deploymentId, (entry = { requests: [], replicas: [] }));
    return entry;
  }
}
