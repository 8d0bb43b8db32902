/**
 * Live patches of a development deployment (API reference §9.3): read the patch state, send the changed files
 * as patch operations against the hash they were computed from, then ask Baseten to apply them. A stale base is
 * a 409 (re-read and retry, up to five times as the CLI does); a 503 from sync is retryable; Baseten may answer
 * that only a full deploy can apply the change.
 */
import { BasetenError } from './errors';
import { HttpClient, sleep } from './http';
import { BasetenEndpoints, actionUrl, managementResourceUrl } from './urls';

/** `DeploymentPatchPointV1`: blake3 hex of every file by its path in the Truss (null: deleted), config.yaml's text, requirements. */
export interface PatchPoint {
  content_hashes: Record<string, string | null>;
  config: string;
  requirements?: string[];
}

export interface PatchPointWithHash extends PatchPoint {
  hash: string;
}

export interface PatchState {
  running_patch_point: PatchPointWithHash;
  pending_patch_point?: PatchPointWithHash | null;
}

export type PatchAction = 'ADD' | 'UPDATE' | 'REMOVE';

export type PatchOp =
  | { type: 'model_code'; action: PatchAction; path: string; content?: string | null; content_bytes?: string | null; hot_reload?: boolean }
  | { type: 'package'; action: PatchAction; path: string; content?: string | null; content_bytes?: string | null }
  | { type: 'config'; config: Record<string, unknown>; path?: string }
  | { type: 'python_requirement'; action: PatchAction; requirement: string }
  | { type: 'environment_variable'; action: PatchAction; name: string; value?: string | null };

export interface PatchCallOptions {
  signal?: AbortSignal;
}

/** What a patch round ended with. */
export type PatchOutcome =
  | { kind: 'applied'; point: PatchPointWithHash; attempts: number }
  | { kind: 'unchanged' }
  | { kind: 'needs_full_deploy'; reason: string };

/** Patches are computed against a base; this builds them from the state Baseten reports. */
export type PatchPlanner = (base: PatchPointWithHash) => { next: PatchPoint; ops: PatchOp[] } | { needsFullDeploy: string } | undefined;

const STALE_RETRIES = 5;
const SYNC_RETRIES = 5;

export class PatchClient {
  constructor(
    private readonly http: HttpClient,
    private readonly endpoints: () => BasetenEndpoints,
  ) {}

  async state(modelId: string, deploymentId: string, options: PatchCallOptions = {}): Promise<PatchState> {
    const response = await this.http.send({ method: 'GET', url: this.url(modelId, deploymentId, 'patches', 'state'), area: 'management', signal: options.signal });
    return response.json<PatchState>(undefined, options.signal);
  }

  async create(modelId: string, deploymentId: string, prevHash: string, next: PatchPoint, ops: PatchOp[], options: PatchCallOptions = {}): Promise<PatchPointWithHash> {
    const response = await this.http.send({
      method: 'POST',
      url: this.url(modelId, deploymentId, 'patches'),
      area: 'management',
      json: { prev_patch_hash: prevHash, next_patch_point: next, patch_ops: ops },
      signal: options.signal,
      // A 409 is handled by re-reading the base, not by sending the same stale patch again.
      retry: false,
    });
    return (await response.json<{ patch_point: PatchPointWithHash }>(undefined, options.signal)).patch_point;
  }

  /** Applies pending patches; null, or why only a full deploy can apply them. 503s are retried. */
  async sync(modelId: string, deploymentId: string, options: PatchCallOptions = {}): Promise<string | null> {
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await this.http.send({ method: 'POST', url: this.url(modelId, deploymentId, 'patches', 'sync'), area: 'management', json: {}, signal: options.signal, retry: false });
        const body = await response.json<{ needs_full_deploy_reason?: string | null }>(undefined, options.signal);
        return body?.needs_full_deploy_reason ?? null;
      } catch (error) {
        if (!(error instanceof BasetenError) || error.status !== 503 || attempt >= SYNC_RETRIES) throw error;
        await sleep(Math.min(4000, 250 * 2 ** attempt), options.signal);
      }
    }
  }

  /**
   * One patch round: read the state, plan against the newest point (pending before running), send, retry a
   * stale base, then sync. `plan` returns undefined when nothing changed.
   */
  async patch(modelId: string, deploymentId: string, plan: PatchPlanner, options: PatchCallOptions = {}): Promise<PatchOutcome> {
    for (let attempt = 1; ; attempt++) {
      const state = await this.state(modelId, deploymentId, options);
      const base = state.pending_patch_point ?? state.running_patch_point;
      const planned = plan(base);
      if (!planned) {
        if (!state.pending_patch_point) return { kind: 'unchanged' };
        const reason = await this.sync(modelId, deploymentId, options);
        return reason ? { kind: 'needs_full_deploy', reason } : { kind: 'applied', point: base, attempts: attempt };
      }
      if ('needsFullDeploy' in planned) return { kind: 'needs_full_deploy', reason: planned.needsFullDeploy };
      let point: PatchPointWithHash;
      try {
        point = await this.create(modelId, deploymentId, base.hash, planned.next, planned.ops, options);
      } catch (error) {
        if (error instanceof BasetenError && error.status === 409 && attempt < STALE_RETRIES) continue;
        throw error;
      }
      const reason = await this.sync(modelId, deploymentId, options);
      return reason ? { kind: 'needs_full_deploy', reason } : { kind: 'applied', point, attempts: attempt };
    }
  }

  /** Keeps a development deployment from scaling to zero while it is watched: Truss's readiness route, as the CLI does. */
  async keepWarm(modelId: string, options: PatchCallOptions = {}): Promise<void> {
    const url = actionUrl(this.endpoints(), { kind: 'model', id: modelId }, { kind: 'development' }, 'sync/v1/models/model');
    const response = await this.http.send({ method: 'GET', url, area: 'inference', signal: options.signal, retry: false });
    await response.text(undefined, options.signal);
  }

  private url(modelId: string, deploymentId: string, ...rest: string[]): string {
    return managementResourceUrl(this.endpoints(), 'models', modelId, 'deployments', deploymentId, ...rest);
  }
}
