/**
 * The one picture of the user's Baseten deployments: models and chains, their environments and deployments,
 * with live status. Every view, picker and check reads it; nothing else lists deployments. Plain Node: the
 * editor side hands in the client, the hand-configured owners and the poll interval.
 */
import { EventEmitter } from 'node:events';
import { BasetenError, targetKey } from '../client';
import type { KeyRefusal, ManagementClient, Owner, TargetRef } from '../client';
import { mapWithLimit } from './mapWithLimit';
import { CatalogTarget, ConfiguredOwner, TargetState, chainDeploymentState, configuredTargets, isChanging, isScaledToZero, modelDeploymentState, orderedTargets } from './targets';

export type OwnerKind = Owner['kind'];

/** A model or chain as listed: what the management API said of it, or its entry in settings. */
export interface CatalogOwner extends Owner {
  deploymentsCount?: number;
  instanceType?: string;
  teamName?: string;
  /** Set for owners configured by hand: their targets come from settings, not the management API. */
  configured?: ConfiguredOwner;
}

export interface OwnerListing {
  /** By name; then the hand-configured ones the API did not list. */
  owners: CatalogOwner[];
  /** Set when the management API refused the key: `owners` are only the hand-configured ones. */
  refusal?: KeyRefusal;
  /** The refusal as it came, for the log. */
  refusalError?: unknown;
}

export interface OwnerTargets {
  owner: CatalogOwner;
  targets: CatalogTarget[];
  /** Why this owner's targets could not be listed. */
  error?: string;
}

export interface EveryTarget {
  listed: OwnerTargets[];
  /** Why the models or chains themselves could not be listed. */
  error?: string;
}

/** What changed: the list of models or chains, or one owner's targets. */
export type CatalogChange = { owners: OwnerKind; owner?: undefined } | { owner: Owner; owners?: undefined };

export interface CatalogSource {
  management(): Pick<ManagementClient, 'listModels' | 'listChains' | 'listEnvironments' | 'listDeployments' | 'listChainEnvironments' | 'listChainDeployments'>;
  /** Why the management API refused the key (asking Model APIs when the answer alone cannot tell); undefined when it did not. */
  refusal(error: unknown, signal: AbortSignal): Promise<KeyRefusal | undefined>;
  configured(kind: OwnerKind): ConfiguredOwner[];
  pollMs(): number;
  /** Owners listed at once while listing every target (two management requests each). */
  concurrency?: number;
}

const DEFAULT_CONCURRENCY = 4;

interface Entry<T> {
  /** The load under way or done; undefined once invalidated. */
  loading?: Promise<T>;
  /** The last value loaded: kept through a refresh until the new one replaces it. */
  value?: T;
  controller?: AbortController;
}

export class DeploymentCatalog {
  private readonly owners = new Map<OwnerKind, Entry<OwnerListing>>();
  private readonly targets = new Map<string, Entry<CatalogTarget[]>>();
  private readonly polls = new Map<string, NodeJS.Timeout>();
  private readonly events = new EventEmitter();

  constructor(private readonly source: CatalogSource) {}

  onDidChange(listener: (change: CatalogChange) => void): { dispose(): void } {
    this.events.on('change', listener);
    return { dispose: () => this.events.off('change', listener) };
  }

  /** The models or chains, loaded once and shared by every caller until refreshed. */
  listOwners(kind: OwnerKind, signal?: AbortSignal): Promise<OwnerListing> {
    const entry = this.entry(this.owners, kind);
    return abortable(entry.loading ?? this.track(entry, (inner) => this.loadOwners(kind, inner)), signal);
  }

  /** One owner's targets, loaded once and shared; polled while any of them is changing by itself. */
  listTargets(owner: CatalogOwner, signal?: AbortSignal): Promise<CatalogTarget[]> {
    const key = ownerKey(owner);
    const entry = this.entry(this.targets, key);
    const load = async (inner: AbortSignal): Promise<CatalogTarget[]> => {
      const targets = await this.loadTargets(owner, inner);
      if (!inner.aborted) this.schedulePoll(owner, targets);
      return targets;
    };
    return abortable(entry.loading ?? this.track(entry, load), signal);
  }

  /** Every target of every model and chain, listing at most `concurrency` owners at a time (two requests each). */
  async everyTarget(signal?: AbortSignal, kinds: readonly OwnerKind[] = ['model', 'chain']): Promise<EveryTarget> {
    const listings = await Promise.allSettled(kinds.map((kind) => this.listOwners(kind, signal)));
    // A kind that could not be listed still offers its hand-configured owners.
    const owners = listings.flatMap((listing, index) => (listing.status === 'fulfilled' ? listing.value.owners : this.configuredOwners(kinds[index])));
    const failed = listings.find((listing): listing is PromiseRejectedResult => listing.status === 'rejected');
    if (failed && isAbort(failed.reason)) throw failed.reason;
    const listed = await mapWithLimit(owners, this.source.concurrency ?? DEFAULT_CONCURRENCY, async (owner): Promise<OwnerTargets> => {
      try {
        return { owner, targets: await this.listTargets(owner, signal) };
      } catch (error) {
        if (isAbort(error) && signal?.aborted) throw error;
        // What was loaded before stays offered.
        return { owner, targets: this.targets.get(ownerKey(owner))?.value ?? [], error: errorText(error) };
      }
    });
    return { listed, error: failed && errorText(failed.reason) };
  }

  /** The targets loaded so far, nothing fetched: for a picker to open with at once. */
  knownTargets(): CatalogTarget[] {
    const found: CatalogTarget[] = [];
    for (const kind of ['model', 'chain'] as const) {
      for (const owner of this.owners.get(kind)?.value?.owners ?? []) found.push(...(this.targets.get(ownerKey(owner))?.value ?? []));
    }
    return found;
  }

  /** The target as last loaded; production and `environments/production` are one. */
  find(ref: TargetRef): CatalogTarget | undefined {
    const key = targetKey(ref);
    return this.targets.get(ownerKey(ref.owner))?.value?.find((target) => targetKey(target) === key);
  }

  /**
   * Whether the target's first request will wait for a cold start, as far as the catalog knows. Baseten is
   * not asked: that would delay every request to say what the request itself will find out.
   */
  isScaledToZero(ref: TargetRef): boolean {
    const target = this.find(ref);
    return !!target && isScaledToZero(target);
  }

  /** A step seen outside a load (a wake's progress): the target shows it at once. */
  updateState(ref: TargetRef, state: Partial<TargetState>): void {
    const key = ownerKey(ref.owner);
    const entry = this.targets.get(key);
    const targets = entry?.value;
    if (!entry || !targets) return;
    const changed = targetKey(ref);
    entry.value = targets.map((target) => (targetKey(target) === changed ? { ...target, state: { ...target.state, ...state } } : target));
    if (entry.loading) entry.loading = Promise.resolve(entry.value);
    this.fire({ owner: ref.owner });
  }

  /**
   * Loads again from Baseten: the list of one kind (with every target under it), or one owner's targets.
   * What was loaded stays known until the new load replaces it, so a picker opened mid-refresh is not empty.
   */
  refresh(scope: { owners: OwnerKind } | { owner: Owner }): void {
    if ('owner' in scope) {
      this.invalidate(this.targets, ownerKey(scope.owner));
      this.fire({ owner: scope.owner });
      return;
    }
    this.invalidate(this.owners, scope.owners);
    for (const key of this.targets.keys()) if (key.startsWith(`${scope.owners}/`)) this.invalidate(this.targets, key);
    this.fire({ owners: scope.owners });
  }

  /** Drops everything at once: the key or the hosts changed, and what was loaded belongs to someone else. */
  forget(): void {
    for (const entry of [...this.owners.values(), ...this.targets.values()]) entry.controller?.abort();
    this.owners.clear();
    this.targets.clear();
    this.clearPolls();
    this.fire({ owners: 'model' });
    this.fire({ owners: 'chain' });
  }

  dispose(): void {
    this.forget();
    this.events.removeAllListeners();
  }

  private entry<T>(map: Map<string, Entry<T>>, key: string): Entry<T> {
    let entry = map.get(key);
    if (!entry) map.set(key, (entry = {}));
    return entry;
  }

  /** Starts the entry's shared load, which no caller's signal can abort (others share it); a refresh or `forget` does. */
  private track<T>(entry: Entry<T>, load: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    entry.controller = controller;
    const loading: Promise<T> = load(controller.signal).then(
      (value) => {
        // A load replaced by a refresh, or dropped by `forget`, leaves what is known alone.
        if (entry.loading === loading) entry.value = value;
        return value;
      },
      (error: unknown) => {
        // A failed load is not kept: the next caller tries again.
        if (entry.loading === loading) entry.loading = undefined;
        throw error;
      },
    );
    entry.loading = loading;
    return loading;
  }

  private invalidate<T>(map: Map<string, Entry<T>>, key: string): void {
    const entry = map.get(key);
    if (!entry) return;
    entry.controller?.abort();
    entry.loading = undefined;
    const poll = this.polls.get(key);
    if (poll) clearTimeout(poll);
    this.polls.delete(key);
  }

  private configuredOwners(kind: OwnerKind, listed = new Set<string>()): CatalogOwner[] {
    return this.source
      .configured(kind)
      .filter((entry) => !listed.has(entry.id))
      .map((entry) => ({ kind, id: entry.id, name: entry.name || entry.id, configured: entry }));
  }

  private async loadOwners(kind: OwnerKind, signal: AbortSignal): Promise<OwnerListing> {
    const fromSettings = (listed: Set<string>): CatalogOwner[] => this.configuredOwners(kind, listed);
    let owners: CatalogOwner[];
    try {
      const management = this.source.management();
      owners =
        kind === 'model'
          ? (await management.listModels({ signal })).map((model) => ({ kind, id: model.id, name: model.name, deploymentsCount: model.deployments_count, instanceType: model.instance_type_name, teamName: model.team_name }))
          : (await management.listChains({ signal })).map((chain) => ({ kind, id: chain.id, name: chain.name, deploymentsCount: chain.deployments_count, teamName: chain.team_name }));
    } catch (error) {
      const refusal = await this.source.refusal(error, signal);
      if (!refusal) throw error;
      return { owners: refusal === 'rejected' ? [] : fromSettings(new Set()), refusal, refusalError: error };
    }
    owners.sort((a, b) => a.name.localeCompare(b.name));
    return { owners: [...owners, ...fromSettings(new Set(owners.map((owner) => owner.id)))] };
  }

  private async loadTargets(owner: CatalogOwner, signal: AbortSignal): Promise<CatalogTarget[]> {
    const ref: Owner = { kind: owner.kind, id: owner.id, name: owner.name };
    if (owner.configured) return configuredTargets(ref, owner.configured);
    const management = this.source.management();
    if (owner.kind === 'model') {
      const [environments, deployments] = await Promise.all([management.listEnvironments(owner.id, { signal }), management.listDeployments(owner.id, { signal })]);
      return orderedTargets(ref, environments, deployments, deployments.find((d) => d.is_development), modelDeploymentState);
    }
    const [environments, deployments] = await Promise.all([management.listChainEnvironments(owner.id, { signal }), management.listChainDeployments(owner.id, { signal })]);
    return orderedTargets(ref, environments, deployments, undefined, chainDeploymentState);
  }

  /** Only owners with a target changing by itself are fetched again; they stop once everything settled. */
  private schedulePoll(owner: CatalogOwner, targets: CatalogTarget[]): void {
    const key = ownerKey(owner);
    const existing = this.polls.get(key);
    if (existing) clearTimeout(existing);
    this.polls.delete(key);
    if (!targets.some(isChanging)) return;
    const timer = setTimeout(() => {
      this.polls.delete(key);
      this.invalidate(this.targets, key);
      this.listTargets(owner).then(
        () => this.fire({ owner }),
        () => this.fire({ owner }),
      );
    }, this.source.pollMs());
    timer.unref?.();
    this.polls.set(key, timer);
  }

  private clearPolls(): void {
    for (const timer of this.polls.values()) clearTimeout(timer);
    this.polls.clear();
  }

  private fire(change: CatalogChange): void {
    this.events.emit('change', change);
  }
}

export function ownerKey(owner: Pick<Owner, 'kind' | 'id'>): string {
  return `${owner.kind}/${owner.id}`;
}

function isAbort(error: unknown): boolean {
  return (error instanceof BasetenError && error.kind === 'aborted') || (error instanceof Error && error.name === 'AbortError');
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The shared load, or a rejection as soon as this caller's signal aborts (the load goes on for the others). */
function abortable<T>(loading: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return loading;
  if (signal.aborted) return Promise.reject(abortError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortError());
    signal.addEventListener('abort', onAbort, { once: true });
    loading.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function abortError(): BasetenError {
  return new BasetenError({ kind: 'aborted', message: 'The request was cancelled.' });
}
