import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CancelOutcome, FinishedNotice } from '../../src/features/async/requestCommands';
import type { AsyncSubmitOutcome } from '../../src/features/async/submit';
import type { BasetenTestApi } from '../../src/extension';
import { clickInUi, emulatorKeys, emulatorUrl, emulatorWebhookSecret, extensionApi, screenshot, waitFor } from './harness';
import { itemOf, requestNode, submit, target, tooltipOf } from './asyncNodes';

async function statusCalls(method: string, requestId: string): Promise<number> {
  const stats = (await (await fetch(`${emulatorUrl()}/__emulator/stats`)).json()) as { requests: Array<{ method: string; path: string }> };
  return stats.requests.filter((r) => r.method === method && r.path.endsWith(`/async_request/${requestId}`)).length;
}

async function asyncSubmits(): Promise<number> {
  const stats = (await (await fetch(`${emulatorUrl()}/__emulator/stats`)).json()) as { requests: Array<{ path: string }> };
  return stats.requests.filter((r) => r.path.endsWith('/async_predict')).length;
}

describe('Async requests', function () {
  this.timeout(90_000);
  let api: BasetenTestApi;
  const notices: FinishedNotice[] = [];
  let noticeWatch: vscode.Disposable | undefined;

  before(async () => {
    assert.ok((await fetch(`${emulatorUrl()}/__emulator/reset`, { method: 'POST' })).ok);
    api = await extensionApi();
    noticeWatch = api.asyncRequests.onDidNotifyFinished((notice) => notices.push(notice));
    await vscode.workspace.getConfiguration('baseten.async').update('webhookReceiverPort', 0, vscode.ConfigurationTarget.Global);
    await api.asyncRequests.receiver.setSecret(emulatorWebhookSecret());
    const url = await vscode.commands.executeCommand<string>('baseten.startWebhookReceiver');
    assert.match(String(url), /^http:\/\/127\.0\.0\.1:\d+\/baseten\/webhook$/);
    await vscode.commands.executeCommand('baseten.asyncRequests.focus');
  });
  after(async () => {
    noticeWatch?.dispose();
    await vscode.commands.executeCommand('baseten.stopWebhookReceiver');
    // The next suites reset the emulator: a request still watched would end in a 404 there.
    for (const request of api.asyncRequests.store.list()) api.asyncRequests.store.remove(request.requestId);
  });

  it('submit → watch → SUCCEEDED, with the output delivered to the local receiver, attached and opened read-only', async () => {
    const production = await target(api, 'echo', 'production');
    const submitted = await submit(production, { input: { hello: 'async', n: 3 }, webhook: 'receiver', priority: 1 });
    assert.equal(submitted.webhookEndpoint, api.asyncRequests.receiver.url);
    const store = api.asyncRequests.store;
    await waitFor(() => store.get(submitted.requestId)?.ended === 'terminal' && !!store.get(submitted.requestId)?.output, 20_000, 'SUCCEEDED with its output');
    const request = store.get(submitted.requestId)!;
    assert.equal(request.status, 'SUCCEEDED');
    assert.equal(request.webhookStatus, 'SUCCEEDED');
    assert.deepEqual(request.output?.output, { hello: 'async', n: 3 });
    const item = await itemOf(api, submitted.requestId);
    assert.match(String(item.description), /^Succeeded, output received · \d+ s$/);
    assert.match(String(item.contextValue), /\bhasOutput\b/);
    assert.equal(item.command?.command, 'baseten.openAsyncOutput');
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('baseten.openAsyncOutput', await requestNode(api, submitted.requestId));
    assert.ok(editor);
    assert.equal(editor.document.uri.scheme, 'baseten-async-output', 'a read-only document of our own scheme');
    assert.equal(editor.document.languageId, 'json');
    assert.deepEqual(JSON.parse(editor.document.getText()), { hello: 'async', n: 3 });
    assert.equal(api.asyncRequests.receiver.rejected.bad_signature ?? 0, 0);
    assert.ok(!JSON.stringify(store.list()).includes(emulatorKeys().apiKey), 'the key is never in what is persisted');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    const notice = notices.find((n) => n.requestId === submitted.requestId);
    assert.ok(notice, 'a notification said the request finished');
    assert.equal(notice.level, 'info');
    assert.equal(notice.message, `Async request ${submitted.requestId.slice(0, 12)} on echo · production succeeded.`);
    assert.deepEqual(notice.actions, ['Open Output']);
  });

  it('a submit to a target known to be scaled to zero notes that the request waits in the queue while it starts; it then runs', async () => {
    const sleeping = await target(api, 'sleepy', 'production');
    assert.equal(sleeping.state.status, 'SCALED_TO_ZERO');
    const cold = await vscode.commands.executeCommand<AsyncSubmitOutcome>('baseten.submitAsyncRequest', sleeping, { input: { cold: 'start' } });
    assert.ok(cold.request, `submitted: ${cold.problem}`);
    assert.equal(cold.coldStartNote, 'sleepy · production is scaled to zero: the request waits in the queue while the deployment starts (a cold start).');
    const awake = await vscode.commands.executeCommand<AsyncSubmitOutcome>('baseten.submitAsyncRequest', await target(api, 'echo', 'production'), { input: { warm: true } });
    assert.ok(awake.request, `submitted: ${awake.problem}`);
    assert.equal(awake.coldStartNote, undefined, 'no note for an active target');
    const store = api.asyncRequests.store;
    await waitFor(() => store.get(cold.request!.requestId)?.status === 'SUCCEEDED', 20_000, `the cold request to succeed (it is ${store.get(cold.request!.requestId)?.status})`);
  });

  it('an output document opened before the webhook arrives fills in when it does', async () => {
    const production = await target(api, 'echo', 'production');
    const submitted = await submit(production, { input: { late: 'delivery', sleep_ms: 2000 }, webhook: 'receiver' });
    const uri = vscode.Uri.from({ scheme: 'baseten-async-output', path: `/${submitted.requestId}.json` });
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
    assert.match(editor.document.getText(), /No output was received/);
    await waitFor(() => editor.document.getText().includes('"late"'), 20_000, 'the open document to show the delivered output');
    assert.equal((JSON.parse(editor.document.getText()) as { late: string }).late, 'delivery');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('after a window reload the receiver starts again on its port for requests still waiting, and their outputs arrive', async () => {
    const receiver = api.asyncRequests.receiver;
    const store = api.asyncRequests.store;
    const url = receiver.url;
    assert.ok(url, 'the receiver runs');
    const production = await target(api, 'echo', 'production');
    const submitted = await submit(production, { input: { across: 'reload', sleep_ms: 3000 }, webhook: 'receiver' });
    // What a reload does: the receiver stops with the window and the store comes back from workspace state…
    await receiver.suspend();
    assert.equal(receiver.url, undefined);
    await store.reload();
    assert.ok(store.isWatching(submitted.requestId));
    // …then what activation schedules once it has returned.
    assert.equal(await receiver.restore(), url, 'the same port, which the pending request names');
    await waitFor(() => store.get(submitted.requestId)?.ended === 'terminal' && !!store.get(submitted.requestId)?.output, 20_000, 'the output delivered after the reload');
    assert.equal((store.get(submitted.requestId)?.output?.output as { across: string }).across, 'reload');
    assert.equal(store.get(submitted.requestId)?.webhookStatus, 'SUCCEEDED');

    // With nothing left waiting for it, a reload does not start it again.
    await receiver.suspend();
    await store.reload();
    assert.equal(await receiver.restore(), undefined);
    assert.equal(receiver.url, undefined);
    // The later tests run with the receiver started as a user would.
    assert.match(String(await vscode.commands.executeCommand<string>('baseten.startWebhookReceiver')), /^http:\/\/127\.0\.0\.1:\d+\/baseten\/webhook$/);
  });

  it('a finished request is not notified when notifications are turned off', async () => {
    const config = vscode.workspace.getConfiguration('baseten.async');
    await config.update('notifyWhenFinished', false, vscode.ConfigurationTarget.Global);
    try {
      const submitted = await submit(await target(api, 'echo', 'production'), { input: { quiet: true } });
      await waitFor(() => api.asyncRequests.store.get(submitted.requestId)?.ended === 'terminal', 20_000, 'the request to end');
      assert.equal(notices.filter((n) => n.requestId === submitted.requestId).length, 0);
    } finally {
      await config.update('notifyWhenFinished', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('a request outside Baseten\'s ranges is refused before sending, with the client\'s message', async () => {
    const production = await target(api, 'echo', 'production');
    const before = await asyncSubmits();
    const outcome = await vscode.commands.executeCommand<AsyncSubmitOutcome>('baseten.submitAsyncRequest', production, {
      input: { x: 1 },
      priority: 5,
      retry: { max_attempts: 11 },
    });
    assert.equal(outcome?.request, undefined);
    assert.match(String(outcome?.problem), /priority must be an integer from 0 to 2 \(got 5\)/);
    assert.match(String(outcome?.problem), /max_attempts must be an integer from 1 to 10/);
    assert.equal(await asyncSubmits(), before, 'nothing was sent');
  });

  it('FAILED is shown with Baseten\'s error code and message', async () => {
    const failing = await target(api, 'failing', 'production');
    const submitted = await submit(failing, { input: { x: 1 }, retry: { max_attempts: 1 } });
    await waitFor(() => api.asyncRequests.store.get(submitted.requestId)?.ended === 'terminal', 20_000, 'FAILED');
    const request = api.asyncRequests.store.get(submitted.requestId)!;
    assert.equal(request.status, 'FAILED');
    assert.equal(request.errors[0]?.code, 'MODEL_PREDICT_ERROR');
    const item = await itemOf(api, submitted.requestId);
    assert.match(String(item.description), /^Failed: the model raised an error · \d+ s$/);
    assert.ok(tooltipOf(item).includes('`MODEL_PREDICT_ERROR`'), tooltipOf(item));
    assert.ok(tooltipOf(item).includes(request.errors[0].message.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&')), 'the message in the tooltip');
    const notice = notices.find((n) => n.requestId === submitted.requestId);
    assert.equal(notice?.level, 'warning');
    assert.equal(notice?.message, `Async request ${submitted.requestId.slice(0, 12)} on failing · production failed: the model raised an error (${request.errors[0].message.replace(/\.$/, '')}).`);
  });

  it('cancel works on a QUEUED request; on an IN_PROGRESS one it explains and sends nothing; a request left in the queue EXPIRES', async () => {
    const staging = await target(api, 'echo', 'staging');
    const store = api.asyncRequests.store;
    const running = await submit(staging, { input: { sleep_ms: 30_000 } });
    const queued = await submit(staging, { input: { second: true } });
    const expiring = await submit(staging, { input: { third: true }, maxTimeInQueueSeconds: 10 });
    await waitFor(() => store.get(running.requestId)?.status === 'IN_PROGRESS' && store.get(queued.requestId)?.status === 'QUEUED', 15_000, 'one running, one queued');
    assert.doesNotMatch(String((await itemOf(api, running.requestId)).contextValue), /\bcancelable\b/);
    assert.match(String((await itemOf(api, queued.requestId)).contextValue), /\bcancelable\b/);

    const refused = await vscode.commands.executeCommand<CancelOutcome>('baseten.cancelAsyncRequest', await requestNode(api, running.requestId));
    assert.equal(refused, 'not_queued');
    assert.equal(await statusCalls('DELETE', running.requestId), 0, 'no cancel was sent for the running request');

    const canceled = await vscode.commands.executeCommand<CancelOutcome>('baseten.cancelAsyncRequest', await requestNode(api, queued.requestId));
    assert.equal(canceled, 'canceled');
    await waitFor(() => store.get(queued.requestId)?.ended === 'terminal', 10_000, 'the canceled request to end');
    assert.equal(store.get(queued.requestId)?.status, 'CANCELED');

    await waitFor(() => store.get(expiring.requestId)?.ended === 'terminal', 25_000, 'EXPIRED');
    assert.equal(store.get(expiring.requestId)?.status, 'EXPIRED');
    const expired = await itemOf(api, expiring.requestId);
    assert.match(String(expired.description), /^Expired in the queue · /);
    assert.match(tooltipOf(expired), /max time in queue \(10 s\)/);

    // A reload keeps every request, its status and its output, and watches again the one still running.
    const before = JSON.stringify(store.list().map((r) => [r.requestId, r.status, r.output?.output]));
    await store.reload();
    assert.equal(JSON.stringify(store.list().map((r) => [r.requestId, r.status, r.output?.output])), before);
    assert.ok(store.isWatching(running.requestId), 'the running request is watched again');
    assert.ok(!store.isWatching(expiring.requestId), 'an ended one is not');

    const root = api.asyncRequests.tree.shownRoots().find((r) => r.requests.some((q) => q.requestId === running.requestId));
    await api.asyncRequests.store.refreshQueues();
    assert.match(String(root && api.asyncRequests.tree.shownRoots().find((r) => r.id === root.id)?.treeItem().description), /^0 queued · 1 in progress$/);
    // Room for the view in the picture: a wider sidebar, the other Baseten views folded.
    // With the sidebar focused, decreaseViewWidth narrows the editor, i.e. widens the sidebar.
    await vscode.commands.executeCommand('baseten.asyncRequests.focus');
    for (let i = 0; i < 5; i++) await vscode.commands.executeCommand('workbench.action.decreaseViewWidth');
    for (const title of ['Model APIs', 'Models', 'Chains']) await clickInUi(`.pane-header[aria-expanded="true"]:has-text("${title}")`).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 800));
    await screenshot('async-requests');
    // Leave the sidebar as the other suites expect it.
    for (const title of ['Model APIs', 'Models', 'Chains']) await clickInUi(`.pane-header[aria-expanded="false"]:has-text("${title}")`).catch(() => undefined);
    await vscode.commands.executeCommand('baseten.asyncRequests.focus');
    for (let i = 0; i < 5; i++) await vscode.commands.executeCommand('workbench.action.increaseViewWidth');
  });
});
