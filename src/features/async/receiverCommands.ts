import * as vscode from 'vscode';
import type { AsyncDeps } from './requestCommands';

/** Starts the receiver; asks for the webhook secret first when none is stored. */
export async function startWebhookReceiver(deps: AsyncDeps): Promise<string | undefined> {
  if (!(await deps.receiver.hasSecret()) && !(await setWebhookSecret(deps))) {
    void vscode.window.showWarningMessage('The webhook receiver needs the webhook secret from Baseten (Settings → Secrets) to verify deliveries.');
    return undefined;
  }
  try {
    const url = await deps.receiver.start();
    void vscode.window.showInformationMessage(`Webhook receiver listening at ${url}. Baseten must be able to reach it (a tunnel to this port, or the emulator).`);
    return url;
  } catch (error) {
    void vscode.window.showErrorMessage(`Could not start the webhook receiver: ${error instanceof Error ? error.message : String(error)}. Change "baseten.async.webhookReceiverPort".`);
    return undefined;
  }
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
