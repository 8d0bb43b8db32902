import * as vscode from 'vscode';
import { classifyKeyRefusal } from '../../client';
import { describeKeySource } from '../../platform/apiKeyStore';
import { BasetenServices } from '../../platform/services';
import { showFailure } from '../../platform/failureNotice';

export async function setApiKey(services: BasetenServices): Promise<boolean> {
  const key = await vscode.window.showInputBox({
    title: 'Baseten API Key',
    prompt: "Paste a Baseten API key. It is stored in VS Code's secret storage, never in settings.",
    placeHolder: 'abcd1234.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => {
      const trimmed = value.trim();
      if (!trimmed) return 'Enter the key.';
      if (/\s/.test(trimmed)) return 'A Baseten key has no spaces.';
      return undefined;
    },
  });
  if (!key) return false;
  await services.keys.store(key);
  services.log.info("API key stored in VS Code's secret storage.");
  void vscode.window.showInformationMessage("Baseten API key saved in VS Code's secret storage.", 'Test Connection').then((choice) => {
    if (choice) void vscode.commands.executeCommand('baseten.testConnection');
  });
  return true;
}

export async function clearApiKey(services: BasetenServices): Promise<void> {
  await services.keys.clear();
  const { source } = await services.keys.resolve();
  services.log.info('API key removed from secret storage.');
  const still = source === 'none' ? '' : ` A key from ${describeKeySource(source)} is still in use.`;
  void vscode.window.showInformationMessage(`Baseten API key removed from VS Code's secret storage.${still}`);
}

/** users/me on the management API; an invoke-only key is told apart from a bad one through /v1/models. */
export async function testConnection(services: BasetenServices): Promise<string> {
  const { source } = await services.keys.resolve();
  if (source === 'none') {
    const message = 'No Baseten API key is set.';
    void vscode.window.showWarningMessage(message, 'Set API Key').then((choice) => {
      if (choice) void vscode.commands.executeCommand('baseten.setApiKey');
    });
    return message;
  }
  const client = services.client;
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Testing the Baseten connection…', cancellable: true }, async (_progress, token) => {
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    try {
      const me = await client.management.me({ signal: controller.signal });
      const who = me.email || me.name || me.user_id;
      const message = `Connected to Baseten${me.workspace_name ? ` workspace "${me.workspace_name}"` : ''} as ${who} (key from ${describeKeySource(source)}).`;
      void vscode.window.showInformationMessage(message);
      return message;
    } catch (error) {
      const refusal = await classifyKeyRefusal(error, () => client.modelApis.listModels({ signal: controller.signal })).catch(() => undefined);
      if (refusal === 'invoke-only') {
        const message = `The key from ${describeKeySource(source)} can call models but cannot read the management API (an invoke-only workspace key?). Add the models you call to the "baseten.models" setting to see them in the tree.`;
        void vscode.window.showWarningMessage(message);
        return message;
      }
      return showFailure(services.log, 'The Baseten connection test', error).message;
    }
  });
}

export async function keyActions(services: BasetenServices): Promise<void> {
  const { source } = await services.keys.resolve();
  const items: Array<vscode.QuickPickItem & { command: string }> = [
    { label: '$(key) Set API Key', description: 'store a key in secret storage', command: 'baseten.setApiKey' },
    { label: '$(plug) Test Connection', command: 'baseten.testConnection' },
    { label: '$(output) Show Extension Log', command: 'baseten.showLog' },
  ];
  if (source === 'secretStorage') items.splice(1, 0, { label: '$(trash) Clear API Key', command: 'baseten.clearApiKey' });
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Baseten',
    placeHolder: source === 'none' ? 'No API key is set' : `API key from ${describeKeySource(source)}`,
  });
  if (picked) await vscode.commands.executeCommand(picked.command);
}
