import { targetLabel } from '../../client';
import type { TargetRef } from '../../client';
import { DeploymentCatalog } from '../../catalog/deploymentCatalog';
import { mapWithLimit } from '../../catalog/mapWithLimit';
import { CatalogTarget, isChanging, isScaledToZero } from '../../catalog/targets';
import { BasetenServices } from '../../platform/services';
import { ChatRoute, chatRouteFrom } from './logic/chatRoutes';

const PROBE_TIMEOUT_MS = 8_000;
const PROBES_AT_ONCE = 6;

/**
 * Which deployments serve chat, found by asking each one's server for `/v1/models` once per deployment
 * (a deployment's server never changes; an environment moves to a new deployment, which is asked anew
 * when the catalog lists it). Targets asleep, changing or of unknown status are not asked: the request
 * would wake them.
 */
export class ChatRoutes {
  private readonly known = new Map<string, ChatRoute>();
  private readonly asking = new Map<string, Promise<ChatRoute | undefined>>();

  constructor(
    private readonly services: BasetenServices,
    private readonly catalog: DeploymentCatalog,
  ) {}

  private key(ref: TargetRef | CatalogTarget): string | undefined {
    const id = ('state' in ref ? ref.state : this.catalog.find(ref)?.state)?.deploymentId;
    return id && `${ref.owner.kind}/${ref.owner.id}/${id}`;
  }

  /** What is known without asking. */
  cached(ref: TargetRef | CatalogTarget): ChatRoute | undefined {
    const key = this.key(ref);
    return key ? this.known.get(key) : undefined;
  }

  /** A target that can be asked now without waking or disturbing it. */
  askable(target: CatalogTarget): boolean {
    return target.owner.kind === 'model' && target.statusKnown && !!target.state.deploymentId && !isScaledToZero(target) && !isChanging(target);
  }

  /** Whether a chat pick offers it: it serves chat, or it cannot be asked yet (asleep, unknown) and so is offered with its status. */
  offered(target: CatalogTarget): boolean {
    const known = this.cached(target);
    return known ? known.serves : !this.askable(target);
  }

  /** Asks the target's server once; undefined when it could not be told (not askable, unreachable, timed out). */
  async check(ref: TargetRef | CatalogTarget, signal?: AbortSignal): Promise<ChatRoute | undefined> {
    const key = this.key(ref);
    // What a deployment's server answered holds whatever its state is now (asleep, changing).
    const known = key && this.known.get(key);
    if (known) return known;
    const target = 'state' in ref ? ref : this.catalog.find(ref);
    if (!target || !key || !this.askable(target)) return undefined;
    let asking = this.asking.get(key);
    if (!asking) {
      // A caller that is gone starts no new probe.
      if (signal?.aborted) return undefined;
      // The probe is shared by every caller and cached, so no one caller's cancellation may end it (a picker
      // closed early would leave the others with "not known"); its own timeout bounds it.
      asking = this.ask(ref, key).finally(() => this.asking.delete(key));
      this.asking.set(key, asking);
    }
    return asking;
  }

  checkAll(targets: readonly CatalogTarget[], signal?: AbortSignal): Promise<unknown> {
    return mapWithLimit(
      targets.filter((target) => this.askable(target)),
      PROBES_AT_ONCE,
      (target) => this.check(target, signal),
    );
  }

  private async ask(ref: TargetRef, key: string): Promise<ChatRoute | undefined> {
    const result = await this.services.client.modelApis
      .listModels({ endpoint: { kind: 'deployment', owner: ref.owner, target: ref.target }, signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) })
      .then((listed) => ({ listed }), (error: unknown) => ({ error }));
    const route = chatRouteFrom(result, ref.owner.name);
    if (route) this.known.set(key, route);
    else this.services.log.info(`Whether ${targetLabel(ref)} serves chat is not known yet (${'error' in result ? String((result.error as Error)?.message ?? result.error) : ''}).`);
    return route;
  }
}
