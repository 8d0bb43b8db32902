import * as vscode from 'vscode';
import { BasetenError } from '../../client';
import { statusPollMs, wakeTimeoutMs } from '../../platform/settings';
import { BasetenServices } from '../../platform/services';
import { statusLabel } from '../../platform/deploymentStatus';
import { TargetNode, stateOf } from './targetNode';

export type WakeOutcome = 'active' | 'requested' | 'failed' | 'cancelled';

/**
 * POST wake (202), then watch the management status until the deployment is ACTIVE, showing each step
 * in the tree and in a cancellable notification. Keys that cannot read the management API only get the
 * wake request.
 */
export async function wake(services: BasetenServices, node: TargetNode, onChange: (node: TargetNode) => void): Promise<WakeOutcome> {
  const client = services.client;
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Waking ${node.title}`, cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      try {
        await client.inference.wake(node.owner, node.target, { signal: controller.signal });
        if (!node.statusKnown) {
          void vscode.window.showInformationMessage(
            `Wake requested for ${node.title}. Baseten is starting it; requests sent meanwhile wait until it is ready.`,
          );
          return 'requested';
        }
        node.state = { ...node.state, status: 'WAKING_UP' };
        onChange(node);
        progress.report({ message: statusLabel('WAKING_UP') });
        const deploymentId = node.kind === 'development' ? 'development' : node.state.deploymentId;
        if (!deploymentId) return 'requested';
        const deployment = await vscode.window.withProgress({ location: { viewId: 'baseten.models' } }, () =>
          client.management.waitForDeploymentStatus(node.owner.id, deploymentId, {
            until: (d) => d.status === 'ACTIVE',
            intervalMs: Math.min(statusPollMs(), 2000),
            timeoutMs: wakeTimeoutMs(),
            signal: controller.signal,
            onStatus: (d) => {
              node.state = stateOf(d);
              onChange(node);
              progress.report({ message: statusLabel(d.status) });
            },
          }),
        );
        node.state = stateOf(deployment);
        onChange(node);
        void vscode.window.showInformationMessage(`${node.title} is active.`);
        return 'active';
      } catch (error) {
        onChange(node);
        if (error instanceof BasetenError && error.kind === 'aborted') return 'cancelled';
        const reference = services.log.failure(`Waking ${node.title}`, error);
        void vscode.window.showErrorMessage(`Could not wake ${node.title}: ${error instanceof Error ? error.message : String(error)}`, 'Show Log').then((choice) => {
          if (choice) void vscode.commands.executeCommand('baseten.showLog', reference);
        });
        return 'failed';
      }
    },
  );
}
