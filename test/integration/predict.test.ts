import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SEED } from '../../emulator/state/seed';
import type { PredictOutcome } from '../../src/features/predict/predictRun';
import type { TargetRef } from '../../src/client';
import type { TargetNode } from '../../src/features/explorer/targetNode';
import { clickInUi, emulatorKeys, fillInUi, emulatorUrl, extensionApi, hasBrowser, pressInUi, screenshot, textsInUi, waitFor } from './harness';
import { isModel, isTarget } from './nodes';

const atProduction = (name: keyof typeof SEED.models): TargetRef => ({ owner: { kind: 'model', id: SEED.models[name].id, name }, target: { kind: 'production' } });
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

async function emulatorRequests(): Promise<Array<{ path: string; clientAborted: boolean; status?: number }>> {
  const response = await fetch(`${emulatorUrl()}/__emulator/stats`);
  return ((await response.json()) as { requests: Array<{ path: string; clientAborted: boolean; status?: number }> }).requests;
}

function workspaceFile(...segments: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, ...segments);
}

/** Writes a file in the workspace, opens it and selects all of it (or nothing). */
async function editorWith(name: string, text: string, select = true): Promise<vscode.TextEditor> {
  const uri = workspaceFile('predict-inputs', name);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text));
  const document = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, preview: false });
  const end = document.lineAt(document.lineCount - 1).range.end;
  editor.selection = select ? new vscode.Selection(new vscode.Position(0, 0), end) : new vscode.Selection(0, 0, 0, 0);
  return editor;
}

async function responseDocument(outcome: PredictOutcome): Promise<vscode.TextDocument> {
  assert.equal(outcome.outcome, 'ok', outcome.message);
  assert.ok(outcome.uri, 'a response document');
  return vscode.workspace.openTextDocument(vscode.Uri.parse(outcome.uri));
}

const title = (document: vscode.TextDocument): string => path.posix.basename(document.uri.path);

describe('Predict', function () {
  this.timeout(60_000);
  const settings = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('baseten.predict');

  before(async () => {
    assert.ok((await fetch(`${emulatorUrl()}/__emulator/reset`, { method: 'POST' })).ok);
    await (await extensionApi()).predict.controller.clearHistory();
  });
  afterEach(async () => {
    await settings().update('responseSizeLimitMB', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('inputTemplates', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('treeActionInput', undefined, vscode.ConfigurationTarget.Global);
    await fetch(`${emulatorUrl()}/__emulator/faults`, { method: 'DELETE' });
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Predict with Selection sends JSON as it is and opens the answer as a read-only JSON document titled with status, latency, size and request id', async () => {
    const api = await extensionApi();
    await editorWith('input.json', '{\n  "prompt": "Hello from the editor",\n  "max_tokens": 16\n}\n');
    const outcome = await vscode.commands.executeCommand<PredictOutcome>('baseten.predictWithSelection', atProduction('echo'));
    const document = await responseDocument(outcome);
    assert.equal(document.uri.scheme, 'baseten-response');
    assert.equal(document.languageId, 'json');
    assert.deepEqual(JSON.parse(document.getText()), { prompt: 'Hello from the editor', max_tokens: 16 });
    assert.match(document.getText(), /^\{\n {2}"prompt"/, 'pretty-printed');
    assert.match(title(document), /^echo · production · 200 · \d+ ms · \d+ B · req [0-9a-f]{12}\.json$/);
    const entry = api.predict.controller.history()[0];
    assert.equal(entry.status, 200);
    assert.match(String(entry.requestId), /^[0-9a-f]+$/);
    assert.ok(title(document).includes(String(entry.requestId).slice(0, 12)));
    await new Promise((resolve) => setTimeout(resolve, 500));
    await screenshot('predict-response-json');
  });

  it('text that is not JSON is wrapped by the input template; a per-model template wins', async () => {
    await editorWith('prompt.txt', 'Say "hi" \\ twice\nplease');
    const wrapped = await responseDocument(await vscode.commands.executeCommand<PredictOutcome>('baseten.predictWithSelection', atProduction('echo')));
    assert.deepEqual(JSON.parse(wrapped.getText()), { prompt: 'Say "hi" \\ twice\nplease' });

    await settings().update('inputTemplates', { transform: '{"text": "${selection}"}' }, vscode.ConfigurationTarget.Global);
    await editorWith('loud.txt', 'make me loud');
    const transformed = await responseDocument(await vscode.commands.executeCommand<PredictOutcome>('baseten.predictWithSelection', atProduction('transform')));
    assert.deepEqual(JSON.parse(transformed.getText()), { text: 'MAKE ME LOUD', length: 12 });
  });

  it('invalid JSON is reported at its line and column, and nothing is sent', async () => {
    const before = (await emulatorRequests()).length;
    await editorWith('broken.json', '{\n  "prompt": "hi",\n  "n": 2,\n}\n', false);
    const outcome = await vscode.commands.executeCommand<PredictOutcome>('baseten.predictWithFile', atProduction('echo'));
    assert.equal(outcome.outcome, 'invalid');
    assert.match(String(outcome.message), /^The file is not valid JSON: .* at line 4, column 1\.$/);
    // A selection inside the file is reported in the file's own lines and columns.
    const editor = await editorWith('broken-selection.json', '[\n  1,\n  {"a": 1 "b": 2}\n]\n');
    editor.selection = new vscode.Selection(2, 2, 2, 18);
    const selected = await vscode.commands.executeCommand<PredictOutcome>('baseten.predictWithSelection', atProduction('echo'));
    assert.equal(selected.outcome, 'invalid');
    assert.match(String(selected.message), /^The selection is not valid JSON: .* at line 3, column 11\.$/);
    assert.equal((await emulatorRequests()).length, before, 'no request went out');
  });

  it('an SSE predict fills the document live, in batches, then takes its final title', async () => {
    // 200 events, 15 ms apart: long enough for a cold VS Code to have opened the streaming document before the end.
    await editorWith('sse.json', '{"events": 200}');
    const changes: string[] = [];
    const watch = vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document.uri.scheme === 'baseten-response') changes.push(title(event.document));
    });
    let outcome: PredictOutcome;
    try {
      outcome = await vscode.commands.executeCommand<PredictOutcome>('baseten.predictWithFile', atProduction('sse'));
    } finally {
      watch.dispose();
    }
    const document = await responseDocument(outcome);
    const lines = document.getText().trim().split('\n');
    assert.equal(lines.length, 200);
    assert.deepEqual(JSON.parse(lines[199]), { index: 199, text: 'event 200 of 200', done: true });
    assert.ok(outcome.liveUpdates! >= 2 && outcome.liveUpdates! < 200, `${outcome.liveUpdates} updates for 200 events`);
    assert.ok(changes.length >= 1 && changes.every((t) => t.includes('streaming')), `the streaming document changed while events arrived: ${changes.join(', ')}`);
    assert.match(title(document), /^sse · production · 200 · \d+ ms · [\d.]+ K?B · req [0-9a-f]{12}\.jsonl$/);
    assert.ok(!vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.path.includes('streaming'))), 'the streaming tab was replaced');
    await screenshot('predict-response-sse');
  });

  it('a chunked predict streams its text into the document', async () => {
    await editorWith('chunked.json', '{"chunks": 30}');
    const outcome = await vscode.commands.executeCommand<PredictOutcome>('baseten.predictWithFile', atProduction('chunked'));
    const document = await responseDocument(outcome);
    assert.match(document.getText(), /^chunk 1 of 30: [\s\S]*chunk 30 of 30: streamed by the Baseten emulator\n$/);
    assert.ok(outcome.liveUpdates! >= 2 && outcome.liveUpdates! < 30, `${outcome.liveUpdates} updates for 30 chunks`);
    assert.equal((await extensionApi()).predict.controller.history()[0].kind, 'stream');
  });

  it('binary output is saved to a file; a base64 PNG in JSON is offered as a preview', async () => {
    await editorWith('binary.json', '{"bytes": 5000}');
    const raw = await vscode.commands.executeCommand<PredictOutcome>('baseten.predictWithFile', atProduction('binary'));
    assert.equal(raw.outcome, 'ok', raw.message);
    assert.ok(raw.file);
    const bytes = await fs.readFile(raw.file);
    assert.equal(bytes.length, 5000);
    assert.equal(bytes[1], (31 + 7) & 0xff);
    const summary = JSON.parse((await responseDocument(raw)).getText()) as { size: number; savedTo: string; contentType: string };
    assert.equal(summary.size, 5000);
    assert.equal(summary.savedTo, raw.file);
    assert.match(String(raw.message), /application\/octet-stream \(4\.9 KB\), saved to/);

    await editorWith('png.json', '{"format": "png", "size": 96}');
    const png = await vscode.commands.executeCommand<PredictOutcome>('baseten.predictWithFile', atProduction('binary'));
    assert.equal(png.outcome, 'ok', png.message);
    assert.equal(png.media?.length, 1);
    assert.equal(png.media![0].mime, 'image/png');
    assert.equal(png.media![0].path, '$.image');
    assert.deepEqual((await fs.readFile(png.media![0].file)).subarray(0, 8), PNG_SIGNATURE);
    assert.match(String(png.message), /holds a PNG image at \$\.image/);
    await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(png.media![0].file), vscode.ViewColumn.Beside);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    await screenshot('predict-png-preview');
  });

  it('above the size limit the response is written to a file, not rendered', async () => {
    await settings().update('responseSizeLimitMB', 0.05, vscode.ConfigurationTarget.Global);
    await editorWith('big.json', JSON.stringify({ text: 'z'.repeat(120_000) }));
    const json = await vscode.commands.executeCommand<PredictOutcome>('baseten.predictWithFile', atProduction('echo'));
    assert.equal(json.outcome, 'ok', json.message);
    assert.equal(json.uri, undefined, 'no document for a JSON body over the limit');
    assert.ok(json.file && json.file.endsWith('.json'));
    assert.equal((JSON.parse(await fs.readFile(json.file, 'utf8')) as { text: string }).text.length, 120_000);
    assert.match(String(json.message), /larger than the 51\.2 KB limit, so it was saved to .* instead of being shown/);

    await editorWith('big-stream.json', '{"bytes": 300000}');
    const stream = await vscode.commands.executeCommand<PredictOutcome>('baseten.predictWithFile', atProduction('chunked'));
    assert.equal(stream.outcome, 'ok', stream.message);
    assert.equal((await fs.stat(stream.file!)).size, 300_000);
    const shown = await responseDocument(stream);
    assert.ok(shown.getText().length < 60_000, 'the document keeps only what was shown before the limit');
    assert.match(shown.getText(), /over the 51\.2 KB limit: the whole response is in /);
  });

  it('history re-runs a request, opens its response and copies it as cURL without the key', async () => {
    const api = await extensionApi();
    await editorWith('history.json', '{"prompt": "again"}');
    await vscode.commands.executeCommand<PredictOutcome>('baseten.predictWithFile', atProduction('echo'));
    const first = api.predict.controller.history()[0];
    assert.deepEqual(first.payload, { prompt: 'again' });
    const rerun = (await api.predict.historyAction(first, 'rerun')) as PredictOutcome;
    const document = await responseDocument(rerun);
    assert.deepEqual(JSON.parse(document.getText()), { prompt: 'again' });
    const history = api.predict.controller.history();
    assert.equal(history[0].id, rerun.entry?.id);
    assert.equal(history[1].id, first.id);
    assert.notEqual(history[0].requestId, first.requestId, 'a new request went out');

    assert.equal(await api.predict.historyAction(first, 'open'), first.responseUri);
    const curl = String(await api.predict.historyAction(first, 'curl'));
    assert.match(curl, /^curl -X POST '.*\/model-adyqnviz\/production\/predict'/);
    assert.match(curl, /Authorization: Bearer \$BASETEN_API_KEY/);
    assert.match(curl, /-d '\{"prompt":"again"\}'/);
    assert.equal(await vscode.env.clipboard.readText(), curl);
    const stored = JSON.stringify(history);
    assert.ok(!stored.includes(emulatorKeys().apiKey) && !curl.includes(emulatorKeys().apiKey), 'the key is neither in the history nor in the command');
    assert.ok(!/authorization/i.test(stored), 'no headers in the history');

    // A payload too large for the history is not kept: its cURL is refused, not copied with another body.
    await settings().update('responseSizeLimitMB', 0.05, vscode.ConfigurationTarget.Global);
    await editorWith('history-large.json', JSON.stringify({ text: 'h'.repeat(300_000) }));
    await vscode.commands.executeCommand<PredictOutcome>('baseten.predictWithFile', atProduction('echo'));
    const large = api.predict.controller.history()[0];
    assert.equal(large.payload, undefined, 'the payload was not kept');
    const refused = (await api.predict.historyAction(large, 'curl')) as PredictOutcome;
    assert.equal(refused.outcome, 'none');
    assert.match(String(refused.message), /too large to keep in the history, so it cannot be copied as cURL/);
    assert.equal(await vscode.env.clipboard.readText(), curl, 'the clipboard still holds the previous command');
  });

  it('a request saved after a call runs again from .baseten/requests, and a hand-written one runs a chain', async () => {
    const api = await extensionApi();
    await editorWith('saved.json', '{"prompt": "saved"}');
    await vscode.commands.executeCommand<PredictOutcome>('baseten.predictWithFile', atProduction('echo'));
    const saved = await vscode.commands.executeCommand<vscode.Uri>('baseten.saveAsRequest', api.predict.controller.history()[0].id, 'Echo saved');
    assert.equal(vscode.workspace.asRelativePath(saved), '.baseten/requests/echo-saved.json');
    const outcome = await vscode.commands.executeCommand<PredictOutcome>('baseten.runSavedRequest', saved);
    assert.deepEqual(JSON.parse((await responseDocument(outcome)).getText()), { prompt: 'saved' });

    const chainFile = workspaceFile('.baseten', 'requests', 'pipeline.json');
    const chain = { name: 'Pipeline', owner: { kind: 'chain', id: SEED.chains.pipeline.id, name: 'pipeline' }, target: { kind: 'production' }, payload: { items: [1, 2] } };
    await vscode.workspace.fs.writeFile(chainFile, Buffer.from(JSON.stringify(chain)));
    const ran = await vscode.commands.executeCommand<PredictOutcome>('baseten.runSavedRequest', chainFile);
    assert.deepEqual(JSON.parse((await responseDocument(ran)).getText()), { output: { items: [1, 2] } });
    assert.ok((await emulatorRequests()).some((r) => r.path.endsWith(`/chain-${SEED.chains.pipeline.id}/production/run_remote`)), 'chains use run_remote');
  });

  it('the inline predict action on a tree target sends the open JSON file', async () => {
    const api = await extensionApi();
    const models = (await api.trees.models.getChildren()).filter(isModel);
    const echo = models.find((m) => m.owner.id === SEED.models.echo.id);
    assert.ok(echo);
    const node = (await api.trees.models.getChildren(echo)).find((t): t is TargetNode => isTarget(t) && t.place === 'environment' && t.key === 'staging');
    assert.ok(node, 'the staging environment of echo');
    const manifest = vscode.extensions.getExtension('baseten-community.baseten-vscode')!.packageJSON as { contributes: { menus: Record<string, Array<{ command: string; group?: string }>> } };
    assert.ok(manifest.contributes.menus['view/item/context'].some((m) => m.command === 'baseten.predict' && m.group?.startsWith('inline')), 'predict is an inline action');
    await editorWith('tree.json', '{"from": "the tree"}');
    // The user chose to always send the current file (baseten.predict.treeActionInput), so nothing is asked.
    await settings().update('treeActionInput', 'file', vscode.ConfigurationTarget.Global);
    const outcome = await vscode.commands.executeCommand<PredictOutcome>('baseten.predict', node);
    const document = await responseDocument(outcome);
    assert.deepEqual(JSON.parse(document.getText()), { from: 'the tree' });
    assert.match(title(document), /^echo · staging · 200/);
  });

  it('first-hour 4: node actions follow the status: no Predict or Chat on a failed or inactive deployment, Wake only when asleep', async () => {
    const api = await extensionApi();
    const models = (await api.trees.models.getChildren()).filter(isModel);
    const targetsOf = async (name: string): Promise<TargetNode[]> =>
      (await api.trees.models.getChildren(models.find((m) => m.owner.name === name))).filter((t): t is TargetNode => isTarget(t));
    const echo = await targetsOf('echo');
    const byDeployment = (id: string): TargetNode => echo.find((t) => t.state.deploymentId === id && t.place === 'deployment')!;
    const tokens = (node: TargetNode): string => String(node.treeItem().contextValue);
    const failed = byDeployment(SEED.models.echo.deployments.buildFailed);
    const inactive = byDeployment(SEED.models.echo.deployments.inactive);
    const production = echo.find((t) => t.key === 'production')!;
    const sleepy = (await targetsOf('sleepy')).find((t) => t.key === 'production')!;
    assert.doesNotMatch(tokens(failed), /\binvokable\b/);
    assert.doesNotMatch(tokens(inactive), /\binvokable\b/);
    assert.match(tokens(production), /\binvokable\b/);
    assert.doesNotMatch(tokens(production), /\bsleeping\b/);
    assert.match(tokens(sleepy), /\bsleeping\b.*\binvokable\b/);
    const tooltip = failed.treeItem().tooltip;
    assert.ok(tooltip instanceof vscode.MarkdownString && /Build failed: it cannot answer requests/.test(tooltip.value), 'the tooltip says why nothing can be sent');

    // What a user sees: the selected Build failed row offers no ▷ Predict and no Chat; the active one does.
    if (!hasBrowser()) return;
    const inlineActions = (title: string): Promise<string[]> => textsInUi(`.part.sidebar .monaco-list-row.selected .actions .action-label[aria-label^="${title}"]`);
    await vscode.commands.executeCommand('baseten.models.focus');
    await api.trees.views.models.reveal(production, { select: true, focus: true, expand: false });
    await waitFor(async () => (await inlineActions('Predict')).length === 1, 10_000, 'Predict on the active production row');
    await api.trees.views.models.reveal(failed, { select: true, focus: true, expand: false });
    await waitFor(async () => (await textsInUi('.part.sidebar .monaco-list-row.selected')).some((text) => text.includes('deployment-2')), 10_000, 'the Build failed row to be selected');
    assert.deepEqual(await inlineActions('Predict'), [], 'no Predict on a failed build');
    assert.deepEqual(await inlineActions('Chat'), [], 'no Chat on a failed build');
    await screenshot('first-hour-4-node-actions');
  });

  it('first-hour 4: ▷ Predict asks what to send (selection, current file, saved request, typed JSON) unless a default is set', async function () {
    if (!hasBrowser()) this.skip();
    const api = await extensionApi();
    const echo = (await api.trees.models.getChildren()).filter(isModel).find((m) => m.owner.id === SEED.models.echo.id);
    const production = (await api.trees.models.getChildren(echo)).find((t): t is TargetNode => isTarget(t) && t.key === 'production');
    assert.ok(production);
    await editorWith('asks.json', '{"from": "the file"}', false);
    const rows = (): Promise<string[]> => textsInUi('.quick-input-widget .monaco-list-row');

    let running = vscode.commands.executeCommand<PredictOutcome>('baseten.predict', production);
    await waitFor(async () => (await rows()).some((text) => text.includes('Type JSON')), 10_000, 'the question what to send');
    const offered = await rows();
    assert.ok(offered.some((text) => text.includes('Current File') && text.includes('asks.json')), offered.join(' | '));
    assert.ok(!offered.some((text) => text.includes('Selection')), 'no selection, so it is not offered');
    assert.ok(offered.some((text) => text.includes('Saved Request')));
    await screenshot('first-hour-4-predict-asks');
    await clickInUi('.quick-input-widget .monaco-list-row:has-text("Current File")');
    assert.deepEqual(JSON.parse((await responseDocument(await running)).getText()), { from: 'the file' });

    running = vscode.commands.executeCommand<PredictOutcome>('baseten.predict', production);
    await waitFor(async () => (await rows()).some((text) => text.includes('Type JSON')), 10_000, 'the question again');
    await clickInUi('.quick-input-widget .monaco-list-row:has-text("Type JSON")');
    // The pick closes and the input box opens in the same widget: wait for the box's own prompt.
    await waitFor(async () => (await textsInUi('.quick-input-widget .quick-input-message')).some((text) => text.includes('JSON to send')), 10_000, 'the input box');
    await fillInUi('.quick-input-widget .quick-input-box input', '{"typed": 1}');
    await pressInUi('Enter');
    assert.deepEqual(JSON.parse((await responseDocument(await running)).getText()), { typed: 1 });
  });

  it('without a target, a quick pick offers every model\'s and chain\'s targets that can answer, and the hand-configured ones', async () => {
    const api = await extensionApi();
    await vscode.workspace.getConfiguration('baseten').update('models', [{ id: 'handmade', name: 'hand-configured', environments: ['staging'] }], vscode.ConfigurationTarget.Global);
    try {
      const titlesOf = (targets: Awaited<ReturnType<typeof api.predict.targets>>): string[] =>
        targets.map((t) => `${t.owner.name}/${JSON.stringify(t.target.kind === 'deployment' ? { kind: 'deployment', id: t.target.id } : t.target)}`);
      // Loaded from the management API, whether or not the explorer ever showed them.
      const targets = await api.predict.targets();
      const titles = titlesOf(targets);
      // As the explorer orders them: models by name, hand-configured models, then chains.
      const owners = [...new Set(targets.map((t) => t.owner.name))];
      assert.deepEqual(owners, [...Object.keys(SEED.models).sort(), 'hand-configured', 'pipeline']);
      for (const name of Object.keys(SEED.models)) assert.ok(titles.includes(`${name}/{"kind":"production"}`), `production of ${name} is offered: ${titles.join(', ')}`);
      for (const expected of [
        'echo/{"kind":"environment","name":"staging"}',
        'echo/{"kind":"development"}',
        'sleepy/{"kind":"development"}',
        'pipeline/{"kind":"production"}',
        `pipeline/{"kind":"deployment","id":"${SEED.chains.pipeline.developmentDeploymentId}"}`,
        'hand-configured/{"kind":"environment","name":"staging"}',
      ]) {
        assert.ok(titles.includes(expected), `${expected} is offered: ${titles.join(', ')}`);
      }
      const echo = SEED.models.echo.deployments;
      for (const id of [echo.inactive, echo.buildFailed]) assert.ok(!titles.includes(`echo/{"kind":"deployment","id":"${id}"}`), `deployment ${id} cannot answer and is not offered`);
      assert.equal(targets.find((t) => t.owner.name === 'echo' && t.target.kind === 'production')?.state.status, 'ACTIVE');
      assert.equal(targets.find((t) => t.owner.name === 'sleepy' && t.target.kind === 'production')?.state.status, 'SCALED_TO_ZERO');
      assert.equal(targets.find((t) => t.owner.name === 'hand-configured')?.state.status, undefined, 'no status is known for a hand-configured target');

      await editorWith('picked.json', '{"picked": true}');
      const running = vscode.commands.executeCommand<PredictOutcome>('baseten.predictWithSelection');
      // The list is longer than the pick shows: filtered as a user would, then the row clicked by its label.
      await fillInUi('.quick-input-widget .quick-input-box input', 'pipeline');
      await clickInUi('.quick-input-widget .monaco-list-row:has-text("pipeline · production")');
      const outcome = await running;
      assert.deepEqual(JSON.parse((await responseDocument(outcome)).getText()), { output: { picked: true } });
      assert.match(title(await responseDocument(outcome)), /^pipeline · production · 200/);
    } finally {
      await vscode.workspace.getConfiguration('baseten').update('models', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('a predict to a deployment known to be scaled to zero says a cold start is under way, and answers', async () => {
    const api = await extensionApi();
    const sleepy = (await api.trees.models.getChildren()).filter(isModel).find((m) => m.owner.id === SEED.models.sleepy.id);
    assert.ok(sleepy);
    const production = (await api.trees.models.getChildren(sleepy)).find((t): t is TargetNode => isTarget(t) && t.key === 'production');
    assert.equal(production?.state.status, 'SCALED_TO_ZERO');
    await editorWith('cold.json', '{"prompt": "wake up"}');
    const outcome = await vscode.commands.executeCommand<PredictOutcome>('baseten.predictWithFile', atProduction('sleepy'));
    assert.equal(outcome.coldStart, true);
    assert.deepEqual(JSON.parse((await responseDocument(outcome)).getText()), { prompt: 'wake up' });
  });

  it('cancelling a predict aborts it at once and closes its socket', async () => {
    const api = await extensionApi();
    await editorWith('slow.json', '{"delay_ms": 20000}');
    const slowPath = `/model-${SEED.models.slow.id}/production/predict`;
    const before = (await emulatorRequests()).filter((r) => r.path.endsWith(slowPath)).length;
    const running = vscode.commands.executeCommand<PredictOutcome>('baseten.predictWithFile', atProduction('slow'));
    // Cancel once the request is at the model, however long a loaded machine takes to send it.
    await waitFor(async () => (await emulatorRequests()).filter((r) => r.path.endsWith(slowPath)).length > before, 10_000, 'the emulator to receive the predict');
    const cancelledAt = Date.now();
    api.predict.controller.cancelAll();
    const outcome = await running;
    assert.equal(outcome.outcome, 'cancelled');
    assert.ok(Date.now() - cancelledAt < 10_000, 'it did not wait for the model (20 s)');
    await waitFor(async () => (await emulatorRequests()).some((r) => r.path.endsWith(slowPath) && r.clientAborted), 10_000, 'the emulator to see the client leave');
    assert.equal(api.predict.controller.history()[0].outcome, 'cancelled');
  });
});
