/**
 * The package users install: the runner's --installed pass installs the .vsix into VS Code and runs only this
 * suite, against that copy (the extension under development is an empty host). A file missing from the package
 * fails here. Everything goes through commands and the UI: outside test mode the extension exports nothing.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { SEED } from '../../emulator/state/seed';
import type { ChatPanel } from '../../src/features/chat/chatPanel';
import type { PredictOutcome } from '../../src/features/predict/predictRun';
import { hasBrowser, screenshot, textsInUi, waitFor } from './harness';

const EXTENSION_ID = 'baseten-community.baseten-vscode';

describe('Installed package (.vsix)', function () {
  this.timeout(60_000);

  it('is the installed copy, activates, and exports nothing outside test mode', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, 'the Baseten extension is installed');
    assert.match(extension.extensionPath, /baseten-community\.baseten-vscode-\d+\.\d+\.\d+$/, `installed from the package, not the source folder: ${extension.extensionPath}`);
    await extension.activate();
    assert.equal(extension.isActive, true);
    assert.equal(extension.exports, undefined);
  });

  it("ships every picture its README shows (the Extensions view renders them from the installed folder)", () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    // vsce stores it as readme.md.
    const name = readdirSync(extension.extensionPath).find((file) => file.toLowerCase() === 'readme.md');
    assert.ok(name, 'the README is in the package');
    const readme = readFileSync(join(extension.extensionPath, name), 'utf8');
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((match) => match[1]);
    assert.ok(images.length >= 6, `the README shows its pictures: ${images.join(', ')}`);
    for (const image of images) {
      assert.doesNotMatch(image, /^[a-z]+:/i, `${image} is relative, so it works offline`);
      assert.ok(existsSync(join(extension.extensionPath, image)), `${image} is in the package`);
    }
  });

  it("the Models view lists the emulator's models", async function () {
    if (!hasBrowser()) this.skip();
    await vscode.commands.executeCommand('workbench.view.extension.baseten');
    await waitFor(async () => (await textsInUi('.monaco-list-row')).some((text) => text.includes('echo')), 20_000, 'the Models view to list echo');
    await screenshot('installed-explorer');
  });

  it('a chat answer streams from a Model API', async () => {
    const panel = await vscode.commands.executeCommand<ChatPanel>('baseten.openChat');
    assert.ok(panel, 'the chat panel');
    panel.setTarget({ kind: 'model_api', model: 'moonshotai/Kimi-K2.6', label: 'Kimi K2.6', features: [] });
    const answer = await panel.ask('say: from the installed package');
    assert.equal(answer?.state, 'done', answer?.error);
    assert.equal(answer?.text, 'from the installed package');
    panel.dispose();
  });

  it('a predict on a deployed model returns its answer', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'json', content: '{"installed": true}' });
    await vscode.window.showTextDocument(document);
    const target = { owner: { kind: 'model', id: SEED.models.echo.id, name: 'echo' }, target: { kind: 'production' } };
    const outcome = await vscode.commands.executeCommand<PredictOutcome>('baseten.predictWithFile', target);
    assert.equal(outcome?.outcome, 'ok', outcome?.message);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
