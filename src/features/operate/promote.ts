import * as vscode from 'vscode';
import { environmentByName, promotionOf, targetLabel } from '../../client';
import type { DeploymentV1, EnvironmentV1, Owner } from '../../client';
import { DeploymentCatalog } from '../../catalog/deploymentCatalog';
import type { CatalogTarget } from '../../catalog/targets';
import { showFailure } from '../../platform/failureNotice';
import { BasetenServices } from '../../platform/services';
import { pickTarget } from '../../platform/targetPicker';
import { canBePromoted, servesProduction } from '../explorer/logic/operateTokens';
import { TargetNode } from '../explorer/targetNode';
import { PromotionConfirmation, promotionConfirmation } from './logic/promotionPlan';

export interface PromoteDeps {
  services: BasetenServices;
  catalog: DeploymentCatalog;
}

/** Given, nothing is asked (tests, other commands): the environment, and the answer to the confirmation. */
export interface PromotePreset {
  environment?: string;
  confirm?: boolean;
}

export interface PromoteOutcome {
  candidate?: DeploymentV1;
  /** Why nothing was promoted, in words. */
  problem?: string;
  /** The sentence the confirmation showed. */
  change?: string;
}

/** The development deployment, or a deployment by its name: what the user reads. */
function deploymentName(target: CatalogTarget): string | undefined {
  return target.place === 'development' ? undefined : target.state.deploymentName ?? target.state.deploymentId;
}

/**
 * *Promote to Production* / *Promote to Environment…*: the target's deployment (development publishes a new
 * one) onto an environment, after a confirmation that names what will change. The Models view follows the
 * promotion through the catalog's polling until it ends, and says how it ended.
 */
export async function promote(deps: PromoteDeps, destination: 'production' | 'choose', node?: TargetNode, preset: PromotePreset = {}): Promise<PromoteOutcome> {
  const source = node instanceof TargetNode ? node.entry : await pickSource(deps.catalog, destination);
  if (!source) return { problem: 'no deployment chosen' };
  if (!canBePromoted(source)) {
    const problem = `${targetLabel(source)} cannot be promoted: it has no deployment that is built and active. Pick one that is, or activate it first.`;
    void vscode.window.showWarningMessage(problem);
    return { problem };
  }
  const environment = destination === 'production' ? 'production' : (preset.environment ?? (await pickEnvironment(deps.catalog, source)));
  if (!environment) return { problem: 'no environment chosen' };
  const where = targetLabel({ owner: source.owner, target: environmentByName(environment) });
  let now: EnvironmentV1;
  try {
    now = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Reading ${where}` }, () => deps.services.client.promotion.environment(source.owner.id, environment));
  } catch (error) {
    return { problem: showFailure(deps.services.log, `Reading ${where} before promoting`, error).message };
  }
  const running = promotionOf(now);
  if (running) {
    const problem = `A promotion to ${where} is already in progress (${running.candidate?.name ?? 'a new deployment'}). Wait for it to end, or cancel it first.`;
    void Promise.resolve(vscode.window.showWarningMessage(problem, 'Cancel Promotion')).then((choice) => {
      if (choice) void cancelPromotion(deps, { owner: source.owner, environment });
    });
    return { problem };
  }
  if (source.place !== 'development' && now.current_deployment?.id === source.state.deploymentId) {
    const problem = `${where} already serves ${deploymentName(source)}; nothing to promote.`;
    void vscode.window.showInformationMessage(problem);
    return { problem };
  }
  const alsoServes = deps.catalog
    .knownTargets()
    .filter((t) => t.owner.id === source.owner.id && t.place === 'environment' && t.state.deploymentId === now.current_deployment?.id && environmentName(t) !== environment)
    .map(environmentName);
  const confirmation = promotionConfirmation({
    owner: source.owner,
    environment,
    candidate: deploymentName(source),
    candidateAsleep: source.state.status === 'SCALED_TO_ZERO',
    now,
    currentAlsoServes: alsoServes,
  });
  const confirmed = preset.confirm ?? (await confirm(confirmation));
  if (!confirmed) return { problem: 'not confirmed', change: confirmation.change };
  const client = deps.services.client.promotion;
  let candidate: DeploymentV1;
  try {
    candidate = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Promoting to ${where}` }, () =>
      environment === 'production' && source.place !== 'environment'
        ? client.promoteToProduction(source.owner.id, source.place === 'development' ? 'development' : source.state.deploymentId!)
        : client.promoteToEnvironment(source.owner.id, environment, source.state.deploymentId!),
    );
  } catch (error) {
    return { problem: showFailure(deps.services.log, `Promoting to ${where}`, error).message, change: confirmation.change };
  } finally {
    reload(deps.catalog, source.owner);
  }
  followPromotion(deps.catalog, source.owner, environment, candidate);
  void vscode.window.setStatusBarMessage(`Promoting ${candidate.name} to ${where}; the Models view follows it.`, 8000);
  return { candidate, change: confirmation.change };
}

function environmentName(target: CatalogTarget): string {
  return target.target.kind === 'environment' ? target.target.name : 'production';
}

/** A confirmation that stays until the user answers; Escape is a no. Each line short enough to be read whole. */
async function confirm(confirmation: PromotionConfirmation): Promise<boolean> {
  const items: Array<vscode.QuickPickItem & { yes: boolean }> = [
    { label: '$(rocket) Promote', description: confirmation.serves, detail: confirmation.previous ? `Then ${confirmation.previous}. ${confirmation.note}` : confirmation.note, yes: true },
    { label: '$(close) Cancel', description: 'nothing changes', yes: false },
  ];
  const choice = await vscode.window.showQuickPick(items, { title: confirmation.title, placeHolder: 'Promote, or Cancel (Escape) to change nothing; a promotion can be cancelled until it ends', ignoreFocusOut: true });
  return !!choice?.yes;
}

async function pickSource(catalog: DeploymentCatalog, destination: 'production' | 'choose'): Promise<CatalogTarget | undefined> {
  return pickTarget(catalog, {
    title: destination === 'production' ? 'Baseten: Promote to Production' : 'Baseten: Promote to Environment…',
    placeholder: 'Promote which deployment? (development publishes a new deployment)',
    kinds: ['model'],
    offers: (target) => canBePromoted(target) && (destination === 'choose' || !servesProduction(target)),
    empty: { label: 'Nothing to promote', description: 'no model has a built, active deployment' },
  });
}

/** The model's environments, except the one the deployment is; each says what it serves now. */
async function pickEnvironment(catalog: DeploymentCatalog, source: CatalogTarget): Promise<string | undefined> {
  const own = source.place === 'environment' ? environmentName(source) : undefined;
  const environments = catalog.knownTargets().filter((t) => t.owner.id === source.owner.id && t.place === 'environment' && environmentName(t) !== own);
  if (!environments.length) {
    void vscode.window.showWarningMessage(`${source.owner.name} has no other environment to promote to. Create one in the Baseten dashboard, or use Promote to Production.`);
    return undefined;
  }
  const items = environments.map((t) => ({
    label: environmentName(t),
    description: t.state.promotion ? 'a promotion is in progress' : t.state.deploymentName ? `serves ${t.state.deploymentName}` : 'serves no deployment yet',
    name: environmentName(t),
  }));
  const choice = await vscode.window.showQuickPick(items, { title: `Promote ${deploymentName(source) ?? 'development'} of ${source.owner.name} to…`, placeHolder: 'Which environment?' });
  return choice?.name;
}

/** Says how the promotion ended once the catalog (which polls while it runs) sees it end; gives up after an hour. */
function followPromotion(catalog: DeploymentCatalog, owner: Owner, environment: string, candidate: DeploymentV1): void {
  const ref = { owner, target: environmentByName(environment) };
  let seenRunning = false;
  const stop = (): void => {
    subscription.dispose();
    clearTimeout(timer);
  };
  const subscription = catalog.onDidChange((change) => {
    if (change.owner?.id !== owner.id) return;
    const now = catalog.find(ref);
    if (!now) return;
    if (now.state.promotion) {
      seenRunning = true;
      return;
    }
    if (now.state.deploymentId === candidate.id) {
      stop();
      void vscode.window.showInformationMessage(`${targetLabel(ref)} now serves ${candidate.name}.`);
    } else if (seenRunning) {
      stop();
      void vscode.window.showWarningMessage(`The promotion to ${targetLabel(ref)} ended without switching: it still serves ${now.state.deploymentName ?? 'its previous deployment'}.`);
    }
  });
  const timer = setTimeout(stop, 3_600_000);
  timer.unref?.();
}

/** *Cancel Promotion* on an environment that is promoting: traffic stays with (or moves back to) what it served. */
export async function cancelPromotion(deps: PromoteDeps, node?: TargetNode | { owner: Owner; environment: string }): Promise<{ status?: string; problem?: string }> {
  let owner: Owner;
  let environment: string;
  if (node instanceof TargetNode) {
    owner = node.owner;
    environment = environmentName(node.entry);
  } else if (node) {
    ({ owner, environment } = node);
  } else {
    const picked = await pickTarget(deps.catalog, {
      title: 'Baseten: Cancel Promotion',
      placeholder: 'Cancel the promotion to which environment?',
      kinds: ['model'],
      offers: (target) => !!target.state.promotion,
      empty: { label: 'No promotion in progress', description: 'nothing to cancel' },
    });
    if (!picked) return { problem: 'no environment chosen' };
    owner = picked.owner;
    environment = environmentName(picked);
  }
  const where = targetLabel({ owner, target: environmentByName(environment) });
  try {
    const result = await deps.services.client.promotion.cancelPromotion(owner.id, environment);
    void vscode.window.showInformationMessage(
      result.status === 'CANCELED' ? `Cancelled the promotion to ${where}; it keeps serving what it served.` : `Cancelling the promotion to ${where}: traffic is moving back to what it served.`,
    );
    return { status: result.status };
  } catch (error) {
    return { problem: showFailure(deps.services.log, `Cancelling the promotion to ${where}`, error).message };
  } finally {
    reload(deps.catalog, owner);
  }
}

/**
 * Loads the owner's targets again now, shown or not: the load sees the promotion and the catalog keeps polling
 * that owner until it ends (no poller of its own here).
 */
export function reload(catalog: DeploymentCatalog, owner: Owner): void {
  catalog.refresh({ owner });
  catalog.listTargets(owner).catch(() => undefined);
}
