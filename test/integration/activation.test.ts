import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activationNetwork, activationTiming, EXTENSION_ID, emulatorEndpoints, extensionApi, runCommandInUi, screenshot, textsInUi, waitFor } from './harness';

describe('Activation', function () {
  it('the extension is installed in this VS Code', () => {
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID), `${EXTENSION_ID} present`);
  });

  it('activates and returns its API with version and activation time', async () => {
    const api = await extensionApi();
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
    assert.match(api.version, /^\d+\.\d+\.\d+/);
    assert.equal(typeof api.activationMs, 'number');
    assert.ok(api.activationMs >= 0 && api.activationMs < 5000, `activate() took ${api.activationMs} ms`);
    console.log(`    activate(): ${api.activationMs.toFixed(1)} ms inside, ${activationTiming.wallMs?.toFixed(1) ?? 'n/a (already active)'} ms wall`);
  });

  it('activation sends no request: nothing reached the emulator and no client was built', async () => {
    await extensionApi();
    assert.ok(activationNetwork.requests, 'the first activation was watched (the extension was not active before the tests)');
    assert.deepEqual(activationNetwork.requests, [], 'requests that arrived during activation');
    assert.equal(activationNetwork.clientBuilt, false, 'no client existed right after activation');
  });

  it('the machine-scoped endpoint settings point at the emulator', () => {
    const config = vscode.workspace.getConfiguration('baseten');
    const endpoints = emulatorEndpoints();
    for (const [key, url] of Object.entries(endpoints)) assert.equal(config.get(`endpoints.${key}`), url, `baseten.endpoints.${key}`);
  });

  it('the Baseten view container opens (screenshot)', async () => {
    await extensionApi();
    await vscode.commands.executeCommand('workbench.view.extension.baseten');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await screenshot('explorer');
  });

  it('first-hour 8: the sidebar gives Models the room; Chains starts collapsed; Model API descriptions fit', async () => {
    const api = await extensionApi();
    await vscode.commands.executeCommand('workbench.view.extension.baseten');
    await api.trees.modelApis.getChildren();
    await waitFor(async () => (await textsInUi('.part.sidebar .pane-header h3.title')).length >= 5, 10_000, 'the five panes');
    const collapsed = await textsInUi('.part.sidebar .pane-header[aria-expanded="false"] h3.title');
    const expanded = await textsInUi('.part.sidebar .pane-header[aria-expanded="true"] h3.title');
    if (collapsed.length + expanded.length) {
      // Truss Projects too: most workspaces hold none, and opening it (or a Truss command) expands it.
      assert.deepEqual(collapsed.map((title) => title.toLowerCase()), ['chains', 'truss projects']);
      assert.deepEqual(expanded.map((title) => title.toLowerCase()), ['model apis', 'models', 'async requests']);
    }
    // Every Model API's description is short enough for the default width (the longest name, Deepseek V4 Pro, with its description fits in 300 px).
    for (const node of await api.trees.modelApis.getChildren()) {
      const item = node.treeItem();
      const name = typeof item.label === 'string' ? item.label : item.label?.label ?? '';
      assert.ok(`${name} ${String(item.description ?? '')}`.length <= 36, `${name}: ${String(item.description)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await screenshot('first-hour-8-sidebar');
  });

  it('a command runs from the command palette (Baseten: Show Extension Log)', async () => {
    await runCommandInUi('Baseten: Show Extension Log');
    await waitFor(() => vscode.window.visibleTextEditors.some((e) => e.document.uri.scheme === 'output'), 10_000, 'the log in the Output panel');
    await screenshot('log');
    await vscode.commands.executeCommand('workbench.action.closePanel');
  });
});
