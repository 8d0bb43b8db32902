import * as vscode from 'vscode';
import { BasetenError } from '../../client';
import { statusPollMs, wakeTimeoutMs } from '../../platform/settings';
import { BasetenServices } from '../../platform/services';
import { statusLabel } from '../../platform/deploymentStatus';
import { DeploymentCatalog } from '../../catalog/deploymentCatalog';
import { CatalogTarget, modelDeploymentState } from '../../catalog/targets';
import { targetLabel } from '../../client';
import { failureLogs, showFailure } from '../../platform/failureNotice';

export type WakeOutcome = 'active' | 'requested' | 'failed' | 'cancelled';

/**
 * POST wake (202), then watch the management status until the deployment is ACTIVE, showing each step
 * in the catalog (so in the tree) and in a cancellable notification. Keys that cannot read the management
 * API only get the wake request.
 */
export async function wake(services: BasetenServices, catalog: DeploymentCatalog, target: CatalogTarget, options: { signal?: AbortSignal } = {}): Promise<WakeOutcome> {
  const client = services.client;
  const title = targetLabel(target);
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Waking ${title}`, cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      // A caller's own cancellation (a language-model tool's) stops it too.
      options.signal?.addEventListener('abort', () => controller.abort(), { once: true });
      if (options.signal?.aborted) controller.abort();
      try {
        await client.inference.wake(target.owner, target.target, { signal: controller.signal });
        if (!target.statusKnown) {
          void vscode.window.showInformationMessage(
            `Wake requested for ${title}. Baseten is starting it; requests sent meanwhile wait until it is ready.`,
          );
          return 'requested';
        }
        catalog.updateState(target, { status: 'WAKING_UP' });
        progress.report({ message: statusLabel('WAKING_UP') });
        const deploymentId = target.place === 'development' ? 'development' : target.state.deploymentId;
        if (!deploymentId) return 'requested';
        const deployment = await vscode.window.withProgress({ location: { viewId: 'baseten.models' } }, () =>
          client.management.waitForDeploymentStatus(target.owner.id, deploymentId, {
            until: (d) => d.status === 'ACTIVE',
            intervalMs: Math.min(statusPollMs(), 2000),
            timeoutMs: wakeTimeoutMs(),
            signal: controller.signal,
            onStatus: (d) => {
              catalog.updateState(target, modelDeploymentState(d));
              progress.report({ message: statusLabel(d.status) });
            },
          }),
        );
        catalog.updateState(target, modelDeploymentState(deployment));
        void vscode.window.showInformationMessage(`${title} is active.`);
        return 'active';
      } catch (error) {
        // Cancelled, timed out or failed: the last step seen (Waking up…) may be one Baseten has left.
        if (target.statusKnown) catalog.refresh({ owner: target.owner });
        if (error instanceof BasetenError && error.kind === 'aborted') return 'cancelled';
        showFailure(services.log, `Waking ${title}`, error, undefined, failureLogs(target, error, { deploymentId: target.state.deploymentId }));
        return 'failed';
      }
    },
  );
}
