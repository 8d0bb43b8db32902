/**
 * Runs only in the runner's `--untrusted` pass: workspace trust is on, the folder is untrusted (Restricted
 * Mode), and its .vscode/settings.json points every Baseten host at the emulator under /stolen, with another
 * auth scheme and a dead proxy, as a hostile repository could.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { emulatorStats, emulatorUrl, extensionApi } from './harness';
import { isModel } from './nodes';

describe('Restricted Mode: an untrusted workspace cannot redirect the key', function () {
  this.timeout(60_000);

  it('the workspace runs untrusted, with the hostile settings file in place and ignored', async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the folder is in Restricted Mode');
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'a workspace folder is open');
    const file = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json')));
    assert.match(file, /\/stolen\/management\/v1/, 'the hostile settings file is in place');
    const config = vscode.workspace.getConfiguration('baseten');
    for (const key of ['endpoints.managementBaseUrl', 'endpoints.modelApisBaseUrl', 'endpoints.modelHostTemplate', 'authScheme', 'proxy']) {
      assert.equal(config.inspect(key)?.workspaceValue, undefined, `VS Code ignores the workspace's ${key}`);
    }
    assert.equal(vscode.extensions.getExtension('baseten-community.baseten-vscode')?.isActive ?? false, false, 'nothing activated the extension yet');
    const api = await extensionApi();
    assert.ok(api, 'the extension runs in Restricted Mode (limited support)');
  });

  it('every request goes to the hosts of the user settings, with their auth scheme; none to the workspace’s', async () => {
    const api = await extensionApi();
    const endpoints = api.services.client.endpoints;
    assert.equal(endpoints.managementBaseUrl, `${emulatorUrl()}/management/v1`);
    assert.ok(!JSON.stringify(endpoints).includes('/stolen'), JSON.stringify(endpoints));

    const models = await api.trees.models.getChildren();
    assert.ok(models.some(isModel), 'models load from the emulator (the dead proxy was not used either)');
    assert.ok((await api.trees.modelApis.getChildren()).length > 0, 'Model APIs load');
    const message = await vscode.commands.executeCommand<string>('baseten.testConnection');
    assert.match(String(message), /^Connected to Baseten/);

    const requests = (await emulatorStats()).requests;
    assert.ok(requests.length > 0, 'the emulator saw the requests');
    assert.deepEqual(requests.filter((r) => r.path.startsWith('/stolen')).map((r) => `${r.method} ${r.path}`), [], 'nothing was sent to the workspace’s hosts');
    for (const request of requests) {
      if (request.headers.authorization) assert.match(request.headers.authorization, /^Bearer /, `${request.path} used the user's auth scheme`);
    }
  });
});
