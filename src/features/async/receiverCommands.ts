import * as vscode from 'vscode';
import { dashboardSettingsUrl, registerEmulatorWebhookSecret } from '../../client';
import type { AsyncDeps } from './requestCommands';

/**
 * Starts the receiver. Without a stored secret it makes one: with the emulator it is registered there (the
 * demo's Settings → Secrets); with Baseten the user is told to store Baseten's own secret instead.
 */
export async function startWebhookReceiver(deps: AsyncDeps): Promise<string | undefined> {
  const created = await deps.receiver.ensureSecret();
  let url: string;
  try {
    url = await deps.receiver.start();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    void vscode.window.showErrorMessage(`The webhook receiver could not start: ${reason}.`, 'Change Port').then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'baseten.async.webhookReceiverPort');
    });
    return undefined;
  }
  if (!created) {
    void vscode.window.setStatusBarMessage(`Webhook receiver listening at ${url}`, 5000);
    return url;
  }
  if (await registerEmulatorWebhookSecret(deps.services.client.endpoints, created)) {
    deps.services.log.info('Registered the new webhook secret with the Baseten emulator.');
    void vscode.window.showInformationMessage(`Webhook receiver listening at ${url}, with a new webhook secret that the Baseten emulator now signs deliveries with.`);
    return url;
  }
  void vscode.window
    .showInformationMessage(
      `Webhook receiver listening at ${url}. Baseten signs deliveries with the webhook secret from its Settings → Secrets: store that secret here, or deliveries will fail with a bad signature.`,
      'Set Webhook Secret',
      'Open Baseten Settings',
    )
    .then((choice) => {
      if (choice === 'Set Webhook Secret') void setWebhookSecret(deps);
      if (choice === 'Open Baseten Settings') void vscode.env.openExternal(vscode.Uri.parse(dashboardSettingsUrl(deps.services.client.endpoints, 'secrets')));
    });
  return url;
}

export async function stopWebhookReceiver(deps: AsyncDeps): Promise<void> {
  await deps.receiver.stop();
  void vscode.window.setStatusBarMessage('Webhook receiver stopped', 3000);
}

export async function setWebhookSecret(deps: AsyncDeps): Promise<boolean> {
  const secret = await vscode.window.showInputBox({
    title: 'Baseten webhook secret',
    prompt: 'From Baseten: Settings → Secrets → webhook secret. Kept in VS Code secret storage; the previous one stays valid while you rotate.',
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() ? undefined : 'Enter the secret'),
  });
  if (!secret?.trim()) return false;
  await deps.receiver.setSecret(secret.trim());
  return true;
}
