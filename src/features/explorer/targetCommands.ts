import * as vscode from 'vscode';
import { curlCommand, dashboardModelUrl, modelApisUrl } from '../../client';
import { authScheme } from '../../platform/settings';
import { BasetenServices } from '../../platform/services';
import { ModelApiNode } from './modelApisTree';
import { OwnerNode } from './ownerNode';
import { TargetNode } from './targetNode';
import { showFailure } from '../../platform/failureNotice';

export type CopyableNode = TargetNode | ModelApiNode | OwnerNode;

/** The default body for a copied predict: Baseten models take arbitrary JSON; a prompt is the usual start. */
const SAMPLE_INPUT = { prompt: 'Hello' };

export function endpointUrl(services: BasetenServices, node: TargetNode | ModelApiNode): string {
  if (node instanceof ModelApiNode) return modelApisUrl(services.client.endpoints, 'chat/completions');
  return node.endpointUrl;
}

export function curlFor(services: BasetenServices, node: TargetNode | ModelApiNode): string {
  const scheme = authScheme();
  if (node instanceof ModelApiNode) {
    return curlCommand(endpointUrl(services, node), {
      authScheme: scheme,
      json: { model: node.model.id, messages: [{ role: 'user', content: 'Hello' }], stream: true },
      stream: true,
    });
  }
  return curlCommand(node.endpointUrl, { authScheme: scheme, json: SAMPLE_INPUT });
}

export async function copyEndpointUrl(services: BasetenServices, node: TargetNode | ModelApiNode): Promise<string> {
  const url = endpointUrl(services, node);
  await vscode.env.clipboard.writeText(url);
  void vscode.window.setStatusBarMessage(`Copied ${url}`, 3000);
  return url;
}

export async function copyAsCurl(services: BasetenServices, node: TargetNode | ModelApiNode): Promise<string> {
  const command = curlFor(services, node);
  await vscode.env.clipboard.writeText(command);
  void vscode.window.setStatusBarMessage('Copied a cURL command (the key is read from $BASETEN_API_KEY)', 3000);
  return command;
}

export async function copyId(node: CopyableNode): Promise<string> {
  const id =
    node instanceof ModelApiNode
      ? node.model.id
      : node instanceof TargetNode
        ? node.state.deploymentId ?? node.key
        : node.owner.id;
  await vscode.env.clipboard.writeText(id);
  void vscode.window.setStatusBarMessage(`Copied ${id}`, 3000);
  return id;
}

export async function openInDashboard(services: BasetenServices, node: TargetNode | OwnerNode): Promise<void> {
  await vscode.env.openExternal(vscode.Uri.parse(dashboardModelUrl(services.client.endpoints, node.owner)));
}

/**
 * Activate or deactivate an environment or deployment, after the user confirms. Chains can only be
 * deactivated, one deployment at a time (the management API has no chain activate).
 */
export async function changeActivation(
  services: BasetenServices,
  node: TargetNode,
  action: 'activate' | 'deactivate',
  onDone: () => void,
): Promise<boolean> {
  const chainDeployment = node.owner.kind === 'chain' ? node.state.deploymentId : undefined;
  if (node.owner.kind === 'chain' && (action !== 'deactivate' || !chainDeployment)) return false;
  const consequence =
    action === 'activate'
      ? 'It starts using compute again (billed while replicas run).'
      : chainDeployment
        ? `Chain deployment ${chainDeployment} stops using compute and every request to it returns 404. Baseten's API cannot activate a chain deployment again: that takes a new deployment or the dashboard.`
        : 'It stops using compute and every request to it returns 404 until it is activated again.';
  const verb = action === 'activate' ? 'Activate' : 'Deactivate';
  // A confirmation that cannot be shown counts as a "no": nothing changes without an explicit yes.
  const answer = await Promise.resolve(vscode.window.showWarningMessage(`${verb} ${node.title}?`, { modal: true, detail: consequence }, verb)).catch(
    () => undefined,
  );
  if (answer !== verb) return false;
  const management = services.client.management;
  try {
    if (chainDeployment) {
      await management.deactivateChainDeployment(node.owner.id, chainDeployment);
    } else if (node.place === 'environment') {
      await (action === 'activate' ? management.activateEnvironment(node.owner.id, node.key) : management.deactivateEnvironment(node.owner.id, node.key));
    } else {
      const id = node.place === 'development' ? 'development' : node.key;
      await (action === 'activate' ? management.activateDeployment(node.owner.id, id) : management.deactivateDeployment(node.owner.id, id));
    }
    void vscode.window.showInformationMessage(`${verb}d ${node.title}.`);
    return true;
  } catch (error) {
    showFailure(services.log, `${verb === 'Activate' ? 'Activating' : 'Deactivating'} ${node.title}`, error);
    return false;
  } finally {
    onDone();
  }
}
