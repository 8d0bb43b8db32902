import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { emulatorControl, emulatorKeys, emulatorStats, emulatorUrl, extensionApi, fillInUi, hasBrowser, pressInUi, runCommandInUi, screenshot, textsInUi, waitFor } from './harness';
import { isMessage, isModel } from './nodes';

async function readAll(dir: string): Promise<string> {
  let text = '';
  for (const entry of await fs.readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) text += await readAll(file);
    else if (/\.(json|log|txt)$/.test(entry.name)) text += await fs.readFile(file, 'utf8').catch(() => '');
  }
  return text;
}

describe('API keys', function () {
  this.timeout(60_000);
  const envKey = process.env.BASETEN_API_KEY;

  afterEach(async () => {
    const api = await extensionApi();
    process.env.BASETEN_API_KEY = envKey;
    await api.services.keys.clear();
    await vscode.workspace.getConfiguration('baseten').update('models', undefined, vscode.ConfigurationTarget.Global);
  });

  it('without any key the views show the welcome content and the status bar says so', async () => {
    const api = await extensionApi();
    delete process.env.BASETEN_API_KEY;
    const resolved = await api.services.keys.reload();
    assert.equal(resolved.source, 'none');
    assert.deepEqual(await api.trees.models.getChildren(), [], 'no nodes: the welcome view shows');
    await waitFor(() => api.statusBar.text.includes('no key'), 10_000);
    await vscode.commands.executeCommand('workbench.view.extension.baseten');
    if (hasBrowser()) {
      // What the user sees: the welcome content with its Set API Key button, in the Baseten views.
      await waitFor(async () => (await textsInUi('.welcome-view-content')).some((text) => text.includes('secret storage')), 10_000, 'the welcome content');
      const buttons = await textsInUi('.welcome-view-content .monaco-button');
      assert.ok(buttons.some((text) => text.includes('Set API Key')), `welcome buttons: ${buttons.join(', ')}`);
    }
    await screenshot('welcome-no-key');
  });

  it('the environment key is used when secret storage has none, and a stored key takes precedence', async () => {
    const api = await extensionApi();
    assert.equal((await api.services.keys.reload()).source, 'environment');
    await waitFor(() => api.statusBar.text.endsWith('Baseten (env)'), 10_000, 'the status bar to name the environment');
    await api.services.keys.store(emulatorKeys().apiKey);
    assert.equal((await api.services.keys.resolve()).source, 'secretStorage');
    await waitFor(() => api.statusBar.text.endsWith('Baseten (secret storage)'), 10_000, 'the status bar to name secret storage');
  });

  it('Set API Key from the command palette keeps the typed key in secret storage only; Clear API Key falls back to the environment key', async function () {
    if (!hasBrowser()) this.skip();
    const api = await extensionApi();
    assert.equal((await api.services.keys.reload()).source, 'environment');
    await waitFor(() => api.statusBar.text.endsWith('Baseten (env)'), 10_000, 'the status bar to name the environment');
    const typed = `emu1demo.TypedInThePalette${Date.now()}`;
    await runCommandInUi('Baseten: Set API Key');
    await fillInUi('.quick-input-widget .quick-input-box input[type="password"]', typed);
    await screenshot('set-api-key-input');
    await pressInUi('Enter');
    await waitFor(() => api.statusBar.text.endsWith('Baseten (secret storage)'), 10_000, `the status bar to name secret storage (it says ${api.statusBar.text})`);
    const stored = await api.services.keys.resolve();
    assert.equal(stored.source, 'secretStorage');
    assert.equal(stored.key, typed, 'the key typed in the input box');
    assert.ok(!JSON.stringify(vscode.workspace.getConfiguration('baseten')).includes(typed), 'the key is not in the settings');
    const userData = process.env.BASETEN_TEST_USER_DATA_DIR;
    if (userData) assert.ok(!(await readAll(path.join(userData, 'User'))).includes(typed), 'the key is not in user settings');
    const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (workspace) assert.ok(!(await readAll(workspace)).includes(typed), 'the key is not in the workspace');

    await runCommandInUi('Baseten: Clear API Key');
    await waitFor(() => api.statusBar.text.endsWith('Baseten (env)'), 10_000, `the status bar to name the environment again (it says ${api.statusBar.text})`);
    const after = await api.services.keys.resolve();
    assert.equal(after.source, 'environment');
    assert.equal(after.key, envKey);
  });

  it('a cancelled request leaves the status bar as it was; a failed one turns it red until the key changes', async () => {
    const api = await extensionApi();
    const { services, statusBar } = api;
    const failed = (): boolean => statusBar.text.startsWith('$(warning)') && statusBar.item.backgroundColor !== undefined;
    await services.keys.store(emulatorKeys().apiKey);
    await services.client.management.me();
    assert.equal(services.lastCallSucceeded, true);
    // A path only this test asks for, so no view's reload takes the delay instead.
    const slow = '/management/v1/models/cancelled-by-the-user';
    await emulatorControl('POST', 'faults', { match: { path: slow }, fault: { kind: 'delay', ms: 10_000 } });
    try {
      const before = (await emulatorStats()).requests.length;
      const controller = new AbortController();
      const pending = services.client.management.getModel('cancelled-by-the-user', { signal: controller.signal }).then(
        () => assert.fail('the request was cancelled'),
        (error: { kind?: string }) => error.kind,
      );
      await waitFor(async () => (await emulatorStats()).requests.slice(before).some((r) => r.path === slow), 10_000, 'the request to arrive');
      controller.abort();
      assert.equal(await pending, 'aborted');
    } finally {
      await emulatorControl('DELETE', 'faults');
    }
    assert.equal(services.lastCallSucceeded, true, 'a cancel is not a failure');
    assert.ok(!failed(), statusBar.text);

    await services.keys.store('emu1demo.NotAKey0000');
    assert.equal(services.lastCallSucceeded, undefined, 'a new key starts with no last call');
    await services.client.management.me().catch(() => undefined);
    await waitFor(failed, 5_000, 'the status bar to show the failure');
    await services.keys.store(emulatorKeys().apiKey);
    assert.equal(services.lastCallSucceeded, undefined);
    await waitFor(() => !failed() && statusBar.text === '$(cloud) Baseten (secret storage)', 5_000, 'the status bar to forget the failure');
  });

  it('a stored key never lands in settings, the workspace or the log', async () => {
    const api = await extensionApi();
    const secret = `emu1demo.NeverInSettings${Date.now()}`;
    await api.services.keys.store(secret);
    // A request with the (wrong) key: it is logged, with Authorization redacted.
    await api.trees.modelApis.getChildren();
    let logText = '';
    await waitFor(async () => (logText = await readAll(api.logUri.fsPath)).includes('/models'), 10_000, 'the request in the log file');
    assert.ok(!logText.includes(secret), 'the key is not in the log');
    const settings = JSON.stringify(vscode.workspace.getConfiguration('baseten'));
    assert.ok(!settings.includes(secret), 'the key is not in the settings');
    const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (workspace) assert.ok(!(await readAll(workspace)).includes(secret), 'the key is not in the workspace');
    const userData = process.env.BASETEN_TEST_USER_DATA_DIR;
    if (userData) assert.ok(!(await readAll(path.join(userData, 'User'))).includes(secret), 'the key is not in user settings');
  });

  it('an invoke-only key shows the hand-configured models and says why', async () => {
    const api = await extensionApi();
    await vscode.workspace
      .getConfiguration('baseten')
      .update('models', [{ id: 'handmade', name: 'hand-configured', environments: ['production', 'staging'], development: true }], vscode.ConfigurationTarget.Global);
    await api.services.keys.store(emulatorKeys().invokeOnlyApiKey);
    const nodes = await api.trees.models.getChildren();
    assert.ok(isMessage(nodes[0]), 'a note comes first');
    assert.match(String(nodes[0].treeItem().label), /cannot read the management API/);
    const configured = nodes.find(isModel);
    assert.equal(configured?.owner.name, 'hand-configured');
    const targets = await api.trees.models.getChildren(configured);
    assert.deepEqual(
      targets.map((t) => String(t.treeItem().label)),
      ['production', 'staging', 'development'],
    );
    assert.match(String(targets[0].treeItem().contextValue), /\bwakeable\b/, 'status unknown: wake is offered');
    await screenshot('invoke-only-key');
  });

  it('a wrong key is not mistaken for an invoke-only one: the views say it was rejected and offer Set API Key', async () => {
    const api = await extensionApi();
    await vscode.workspace
      .getConfiguration('baseten')
      .update('models', [{ id: 'handmade', name: 'hand-configured' }], vscode.ConfigurationTarget.Global);
    await api.services.keys.store('emu1demo.WrongOrExpired000000');
    for (const tree of [api.trees.models, api.trees.chains]) {
      const nodes = await tree.getChildren();
      assert.equal(nodes.length, 1, 'only the rejection, no configured entries');
      const item = nodes[0].treeItem();
      assert.ok(isMessage(nodes[0]));
      assert.match(String(item.label), /rejected the API key/);
      assert.equal(item.command?.command, 'baseten.setApiKey');
    }
    await screenshot('key-rejected');
  });

  it('Test Connection reports the workspace of the key', async () => {
    await extensionApi();
    const message = await vscode.commands.executeCommand<string>('baseten.testConnection');
    assert.match(String(message), /^Connected to Baseten/);
    assert.ok(!String(message).includes(emulatorKeys().apiKey));
  });

  it('workspace settings cannot send the key to another host', async () => {
    const api = await extensionApi();
    const manifest = vscode.extensions.getExtension('baseten-community.baseten-vscode')!.packageJSON as {
      capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
      contributes: { configuration: { properties: Record<string, { scope?: string }> } };
    };
    const restricted = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
    for (const [name, schema] of Object.entries(manifest.contributes.configuration.properties)) {
      if (name.startsWith('baseten.endpoints.') || name.startsWith('baseten.timeouts.') || name === 'baseten.retry.maxAttempts' || name === 'baseten.predict.responseFolder') {
        assert.ok(restricted.includes(name), `${name} is restricted in untrusted workspaces`);
        assert.equal(schema.scope, 'machine', `${name} is machine-scoped`);
      }
    }
    // A repository's own settings file points the management API somewhere else…
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'a workspace folder is open');
    const settingsFile = vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json');
    const evil = 'http://127.0.0.1:9/steal';
    await vscode.workspace.fs.writeFile(settingsFile, Buffer.from(JSON.stringify({ 'baseten.endpoints.managementBaseUrl': evil })));
    try {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      // …but the client keeps using the host from user settings.
      assert.equal(api.services.client.endpoints.managementBaseUrl, `${emulatorUrl()}/management/v1`);
      const nodes = await api.trees.models.getChildren();
      assert.ok(nodes.some(isModel), 'models still load from the emulator');
    } finally {
      await vscode.workspace.fs.delete(settingsFile);
    }
  });
});
