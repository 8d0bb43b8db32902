/**
 * The first hour of a new user (issue 14), item by item: the async receiver and view, the status bar, the error
 * style, target labels. Each test leaves a screenshot named after its item in artifacts/screenshots/.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FinishedNotice } from '../../src/features/async/requestCommands';
import type { AsyncSubmitOutcome } from '../../src/features/async/submit';
import type { PredictOutcome } from '../../src/features/predict/predictRun';
import type { BasetenTestApi } from '../../src/extension';
import { clickInUi, emulatorControl, emulatorUrl, emulatorWebhookSecret, extensionApi, fillInUi, hasBrowser, pressInUi, queryWebviews, screenshot, textsInUi, waitFor } from './harness';
import { isModel, isModelApi, isTarget } from './nodes';
import { itemOf, submit, target, tooltipOf } from './asyncNodes';
import { targetLabel } from '../../src/client/target';

/** The tooltip's text as a person reads it (markdown escapes dropped). */
function tooltipText(item: vscode.TreeItem): string {
  return tooltipOf(item).replace(/\\(?=[\\`*_{}[\]()#+\-.!|<>])/g, '');
}

const quickPickRows = (): Promise<string[]> => textsInUi('.quick-input-widget .monaco-list-row');

/** Room for the Async Requests view in a picture: the other Baseten views folded; returns how to undo it. */
async function showAsyncView(): Promise<() => Promise<void>> {
  await vscode.commands.executeCommand('baseten.asyncRequests.focus');
  // With the sidebar focused, decreaseViewWidth narrows the editor, i.e. widens the sidebar.
  for (let i = 0; i < 5; i++) await vscode.commands.executeCommand('workbench.action.decreaseViewWidth');
  for (const title of ['Model APIs', 'Models', 'Chains']) await clickInUi(`.pane-header[aria-expanded="true"]:has-text("${title}")`).catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, 600));
  return async () => {
    for (const title of ['Model APIs', 'Models', 'Chains']) await clickInUi(`.pane-header[aria-expanded="false"]:has-text("${title}")`).catch(() => undefined);
    await vscode.commands.executeCommand('baseten.asyncRequests.focus');
    for (let i = 0; i < 5; i++) await vscode.commands.executeCommand('workbench.action.increaseViewWidth');
  };
}

describe('First hour (issue 14)', function () {
  this.timeout(120_000);
  let api: BasetenTestApi;
  const notices: FinishedNotice[] = [];
  let noticeWatch: vscode.Disposable | undefined;

  before(async () => {
    assert.ok((await fetch(`${emulatorUrl()}/__emulator/reset`, { method: 'POST' })).ok);
    api = await extensionApi();
    noticeWatch = api.asyncRequests.onDidNotifyFinished((notice) => notices.push(notice));
    await vscode.workspace.getConfiguration('baseten.async').update('webhookReceiverPort', 0, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    noticeWatch?.dispose();
    const receiver = api.asyncRequests.receiver;
    await receiver.stop();
    // The suites after this one sign and verify with the run's own webhook secret.
    await emulatorControl('PUT', 'webhook-secret', { secret: emulatorWebhookSecret() });
    await receiver.clearSecrets();
    await receiver.setSecret(emulatorWebhookSecret());
    for (const request of api.asyncRequests.store.list()) api.asyncRequests.store.remove(request.requestId);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('1: the local receiver makes its own webhook secret, the emulator signs with it, and the output arrives', async () => {
    const receiver = api.asyncRequests.receiver;
    await receiver.stop();
    await receiver.clearSecrets();
    const url = await vscode.commands.executeCommand<string>('baseten.startWebhookReceiver');
    assert.match(String(url), /^http:\/\/127\.0\.0\.1:\d+\/baseten\/webhook$/);
    const secret = await receiver.currentSecret();
    assert.match(String(secret), /^whsec_[A-Za-z0-9]{40}$/, 'a secret in Baseten\'s shape was made and stored');
    assert.notEqual(secret, emulatorWebhookSecret());
    const refusedBefore = receiver.rejected.bad_signature ?? 0;
    const submitted = await submit(await target(api, 'echo', 'production'), { input: { first: 'hour' }, webhook: 'receiver' });
    const store = api.asyncRequests.store;
    await waitFor(() => !!store.get(submitted.requestId)?.output, 20_000, 'the output, signed with the new secret');
    assert.equal(receiver.rejected.bad_signature ?? 0, refusedBefore, 'no delivery was refused');
    await waitFor(() => store.get(submitted.requestId)?.ended === 'terminal', 20_000, 'the request to end');
    assert.match(String((await itemOf(api, submitted.requestId)).description), /^Succeeded, output received · \d+ s$/);
    const undo = await showAsyncView();
    await vscode.commands.executeCommand('notifications.showList');
    await screenshot('first-hour-1-async-receiver');
    await vscode.commands.executeCommand('notifications.hideList');
    await undo();
  });

  it('1: a failed webhook says why (bad signature, unreachable) in the view, the tooltip and the notification, in words', async () => {
    const receiver = api.asyncRequests.receiver;
    const good = await receiver.currentSecret();
    await receiver.clearSecrets();
    await receiver.setSecret(`whsec_${'x'.repeat(40)}`);
    const store = api.asyncRequests.store;
    const echo = await target(api, 'echo', 'production');
    const wrong = await submit(echo, { input: { signed: 'wrongly' }, webhook: 'receiver' });
    const unreachable = await submit(echo, { input: { nobody: 'listens' }, webhook: 'http://127.0.0.1:9/hook' });
    await waitFor(() => [wrong, unreachable].every((r) => store.get(r.requestId)?.ended === 'terminal'), 25_000, 'both requests to end');
    assert.equal(store.get(wrong.requestId)?.status, 'WEBHOOK_FAILED');
    const wrongItem = await itemOf(api, wrong.requestId);
    assert.match(String(wrongItem.description), /^Webhook failed: bad signature · \d+ s$/);
    assert.match(tooltipText(wrongItem), /signature does not match the webhook secret/);
    const unreachableItem = await itemOf(api, unreachable.requestId);
    assert.match(String(unreachableItem.description), /^Webhook failed: unreachable · \d+ s$/);
    assert.match(tooltipText(unreachableItem), /Nothing answered at http:\/\/127\.0\.0\.1:9\/hook/);
    await waitFor(() => notices.some((n) => n.requestId === wrong.requestId), 5_000, 'the notification');
    const notice = notices.find((n) => n.requestId === wrong.requestId)!;
    assert.match(notice.message, /ran, but its webhook failed: bad signature\./);
    assert.doesNotMatch(notice.message, /WEBHOOK_FAILED|[A-Z]{2,}_[A-Z]{2,}/, 'no enum names');
    assert.deepEqual(notice.actions, ['Set Webhook Secret']);
    for (const item of [wrongItem, unreachableItem]) assert.doesNotMatch(String(item.description), /webhook failed.*webhook failed/i, 'one status text');
    await receiver.clearSecrets();
    await receiver.setSecret(String(good));
    const undo = await showAsyncView();
    await vscode.commands.executeCommand('notifications.showList');
    await screenshot('first-hour-1-webhook-failed');
    await vscode.commands.executeCommand('notifications.hideList');
    await undo();
  });

  it('10: the submit form: a cancelled sub-step returns to the form, the webhook choice is remembered', async function () {
    if (!hasBrowser()) this.skip();
    const receiver = api.asyncRequests.receiver;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const echo = await target(api, 'echo', 'production');
    const pending = vscode.commands.executeCommand<AsyncSubmitOutcome>('baseten.submitAsyncRequest', echo);
    await waitFor(async () => (await textsInUi('.quick-input-widget')).some((text) => text.includes('model_input')), 10_000, 'the payload box');
    await fillInUi('.quick-input-widget input', '{"form": "kept"}');
    await pressInUi('Enter');
    const formShown = async (): Promise<boolean> => (await quickPickRows()).some((row) => row.includes('Submit')) && (await quickPickRows()).some((row) => row.includes('Priority'));
    await waitFor(formShown, 10_000, 'the form');
    await clickInUi('.quick-input-widget .monaco-list-row:has-text("Webhook")');
    await waitFor(async () => (await quickPickRows()).some((row) => row.includes('Local receiver')), 10_000, 'the webhook step');
    await pressInUi('Escape');
    await waitFor(formShown, 10_000, 'the form again after Escape in the webhook step');
    await clickInUi('.quick-input-widget .monaco-list-row:has-text("Priority")');
    await waitFor(async () => !(await formShown()), 10_000, 'the priority box');
    await pressInUi('Escape');
    await waitFor(formShown, 10_000, 'the form again after Escape in the priority box');
    await clickInUi('.quick-input-widget .monaco-list-row:has-text("Webhook")');
    await waitFor(async () => (await quickPickRows()).some((row) => row.includes('Local receiver')), 10_000, 'the webhook step');
    await clickInUi('.quick-input-widget .monaco-list-row:has-text("Local receiver")');
    await waitFor(async () => (await quickPickRows()).some((row) => /local receiver \(http:\/\/127\.0\.0\.1:\d+/.test(row)), 10_000, 'the form with the receiver started');
    await screenshot('first-hour-10-async-form');
    await clickInUi('.quick-input-widget .monaco-list-row:has-text("Submit")');
    const outcome = await pending;
    assert.ok(outcome?.request, `submitted: ${outcome?.problem}`);
    assert.deepEqual((await fetchState(outcome.request.requestId))?.modelInput, { form: 'kept' }, 'what was typed before the sub-steps was sent');
    assert.equal(outcome.request.webhookEndpoint, receiver.url);

    // The next form starts with the choice made here.
    const again = vscode.commands.executeCommand<AsyncSubmitOutcome>('baseten.submitAsyncRequest', echo);
    await waitFor(async () => (await textsInUi('.quick-input-widget')).some((text) => text.includes('model_input')), 10_000, 'the payload box');
    await pressInUi('Enter');
    await waitFor(formShown, 10_000, 'the second form');
    assert.ok((await quickPickRows()).some((row) => /Webhook.*local receiver/i.test(row)), `the webhook choice is remembered: ${(await quickPickRows()).join(' | ')}`);
    await pressInUi('Escape');
    assert.equal((await again)?.problem, 'cancelled');
  });

  it('10: ages tick, one status text, output tabs titled in words; an empty view offers Submit Async Request', async () => {
    const store = api.asyncRequests.store;
    const submitted = await submit(await target(api, 'echo', 'production'), { input: { ages: 'tick' }, webhook: 'receiver' });
    await waitFor(() => !!store.get(submitted.requestId)?.output && store.get(submitted.requestId)?.ended === 'terminal', 20_000, 'the output');
    let redraws = 0;
    const watch = api.asyncRequests.tree.onDidChangeTreeData(() => redraws++);
    await new Promise((resolve) => setTimeout(resolve, 3200));
    watch.dispose();
    assert.ok(redraws >= 2, `the view redrew ${redraws} times in 3 s with nothing else changing: ages move on by the second`);
    const item = await itemOf(api, submitted.requestId);
    assert.match(String(item.description), /^Succeeded, output received · [3-9] s$/);

    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('baseten.openAsyncOutput', store.get(submitted.requestId));
    const title = path.posix.basename(editor!.document.uri.path);
    assert.match(title, /^echo · production, output of .+\.json$/);
    assert.ok(!title.includes(submitted.requestId), `the tab is titled in words, not by id: ${title}`);
    assert.deepEqual(JSON.parse(editor!.document.getText()), { ages: 'tick' });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');

    for (const request of store.list()) store.remove(request.requestId);
    assert.deepEqual(await api.asyncRequests.tree.getChildren(), [], 'no placeholder node: the welcome content shows');
    if (!hasBrowser()) return;
    const undo = await showAsyncView();
    await waitFor(async () => (await textsInUi('.welcome-view-content')).some((text) => text.includes('Submit Async Request')), 10_000, 'the welcome content with its button');
    await screenshot('first-hour-10-async-empty');
    await clickInUi('.welcome-view-content .monaco-button:has-text("Submit Async Request")');
    await waitFor(async () => (await textsInUi('.quick-input-widget')).some((text) => text.includes('Submit Async Request')), 10_000, 'the button to open the submit flow');
    await pressInUi('Escape');
    await undo();
  });

  it("6: one error style: a short sentence, status and request id on a detail line, the next action as a button", async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'plaintext', content: 'hello' });
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(0, 0, 0, 5);
    const refused = await vscode.commands.executeCommand<PredictOutcome>('baseten.predictWithSelection', await target(api, 'transform', 'production'));
    assert.equal(refused.outcome, 'error');
    assert.match(String(refused.message), /^Predict on transform · production failed: the model refused the input: Input must be a JSON object with a string field "text"/);
    assert.match(String(refused.message), /The text was sent through the input template; the model may expect other JSON\.$/);
    assert.doesNotMatch(String(refused.message), /HTTP|\(400\)|error raised by the model/, 'the status is not repeated in the sentence');
    assert.match(String(refused.detail), /^HTTP 400 from the model · request [0-9a-f]+$/);
    assert.deepEqual(refused.buttons, ['Open Input Template Setting', 'Show Logs']);

    const failing = await vscode.commands.executeCommand<PredictOutcome>('baseten.predictWithSelection', await target(api, 'failing', 'production'));
    assert.equal(String(failing.message), 'Predict on failing · production failed: the model failed: Internal Server Error (in model).');
    assert.match(String(failing.detail), /^HTTP 500 from the model · request [0-9a-f]+/);
    assert.deepEqual(failing.buttons, ['Show Logs']);
    if (!hasBrowser()) return;
    await vscode.commands.executeCommand('notifications.showList');
    await waitFor(async () => (await textsInUi('.notifications-center')).some((text) => text.includes('input template')), 10_000, 'the notifications');
    await screenshot('first-hour-6-error-style');
    await clickInUi('.notifications-center .monaco-button:has-text("Open Input Template Setting")');
    await waitFor(() => vscode.window.tabGroups.activeTabGroup.activeTab?.label === 'Settings', 10_000, 'the settings editor');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it("5: a model's own 400 or 500 leaves the status bar as it is; a refused key turns it red", async () => {
    const { services, statusBar } = api;
    const red = (): boolean => statusBar.item.backgroundColor !== undefined;
    await services.client.management.me();
    assert.equal(services.lastCallSucceeded, true);
    await services.client.inference.predict(api.catalog.knownTargets().find((t) => t.owner.name === 'failing')!.owner, { kind: 'production' }, { kind: 'json', value: {} }).catch(() => undefined);
    assert.equal(services.lastCallSucceeded, true, "the model's 500 says nothing about the key or the connection");
    assert.ok(!red(), statusBar.text);
    assert.match(String(statusBar.item.tooltip), /Baseten answered the last request/);
    await screenshot('first-hour-5-status-bar');

    const refusedPath = '/management/v1/models/first-hour-refused';
    await emulatorControl('POST', 'faults', { match: { path: refusedPath }, fault: { kind: 'status', status: 401, body: '{"error":"bad key"}' } });
    try {
      await services.client.management.getModel('first-hour-refused').catch(() => undefined);
      await waitFor(red, 5_000, 'the status bar to turn red for a refused key');
    } finally {
      await emulatorControl('DELETE', 'faults');
    }
    await services.client.management.me();
    await waitFor(() => !red(), 5_000, 'the status bar back to normal');
  });

  it('7: one naming of targets everywhere, and features and statuses in words', async function () {
    const labels = (await api.predict.targets()).map(targetLabel);
    assert.ok(labels.includes('echo · production'), labels.join(', '));
    assert.ok(labels.includes('echo · staging'), labels.join(', '));
    assert.ok(labels.some((label) => /^pipeline · deployment [a-z0-9]+$/.test(label)), `a chain deployment without a name: ${labels.join(', ')}`);
    const echo = (await api.trees.models.getChildren()).filter(isModel).find((m) => m.owner.name === 'echo')!;
    const titles = (await api.trees.models.getChildren(echo)).filter(isTarget).map((node) => node.title);
    assert.ok(titles.some((title) => /^echo · deployment-\d+ \([a-z0-9]+\)$/.test(title)), `a named deployment: ${titles.join(', ')}`);
    assert.ok(!labels.some((label) => / of /.test(label)), 'no "production of echo"');
    const modelApis = (await api.trees.modelApis.getChildren()).filter(isModelApi);
    const tooltips = modelApis.map((node) => tooltipText(node.treeItem())).join('\n');
    assert.match(tooltips, /JSON mode/);
    assert.doesNotMatch(tooltips, /json_mode|reasoning_effort/);
    if (!hasBrowser()) return;
    const picking = vscode.commands.executeCommand('baseten.predict');
    await waitFor(async () => (await quickPickRows()).some((row) => row.includes('echo · production')), 10_000, 'the target picker');
    await fillInUi('.quick-input-widget input', 'echo');
    await new Promise((resolve) => setTimeout(resolve, 400));
    await screenshot('first-hour-7-target-labels');
    await pressInUi('Escape');
    await picking;
  });

  it("11: a demo model answers like a model (short markdown, a code block for code), not with the user's words", async () => {
    const panel = api.chat.open();
    panel.newConversation();
    panel.setTarget({ kind: 'model_api', model: 'moonshotai/Kimi-K2.6', label: 'Kimi K2.6', features: ['tools', 'reasoning'] });
    const code = await panel.ask('Write a TypeScript helper that retries a failing call');
    assert.equal(code?.state, 'done', code?.error);
    assert.match(code!.text, /```ts\n[\s\S]+\n```/, 'a fenced code block');
    assert.doesNotMatch(code!.text, /You said|Baseten emulator/);
    const list = await panel.ask('List some tips for naming things');
    assert.match(String(list?.text), /^(1\.|-) \*\*/m, 'a list');
    assert.ok(String(list?.text).length < 400, 'short');
    if (!hasBrowser()) return;
    await waitFor(async () => (await queryWebviews('pre code')).length > 0, 15_000, 'the code block in the panel');
    await screenshot('first-hour-11-demo-answers');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});

async function fetchState(requestId: string): Promise<{ modelInput?: unknown } | undefined> {
  const state = await emulatorControl<{ asyncRequests: Array<{ requestId: string; modelInput?: unknown }> }>('GET', 'state');
  return state.asyncRequests.find((request) => request.requestId === requestId);
}
