/**
 * The language-model tools, invoked as agent mode invokes them (`vscode.lm.invokeTool`) against the emulator.
 * Outside a chat turn VS Code asks for no confirmation, so the tools ask themselves, in a picker: the tests
 * answer it in the workbench.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { SEED } from '../../emulator/state/seed';
import { clickInUi, emulatorControl, emulatorStats, emulatorWebhookSecret, extensionApi, hasBrowser, pressInUi, screenshot, textsInUi, waitFor } from './harness';

const TOOLS = ['baseten_list_deployments', 'baseten_call_deployment', 'baseten_wake_deployment', 'baseten_get_logs', 'baseten_submit_async_request', 'baseten_get_async_request'];
const PICKER = '.quick-input-widget';

function resultText(result: vscode.LanguageModelToolResult): string {
  return result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
}

function invoke(name: string, input: object, token?: vscode.CancellationToken): Thenable<vscode.LanguageModelToolResult> {
  return vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }, token);
}

/** Waits for the tool's confirmation titled `title`, returns its text, and answers it as a user would (a click, or Escape). */
async function answerConfirmation(title: RegExp, answer: 'confirm' | 'cancel', shot?: string): Promise<string> {
  const visible = `${PICKER}:visible`;
  await waitFor(async () => (await textsInUi(`${visible} .quick-input-title`)).some((text) => title.test(text)), 15_000, `the confirmation ${title}`);
  if (shot) await screenshot(shot);
  const rows = (await textsInUi(`${visible} .monaco-list-row`)).join('\n');
  if (answer === 'confirm') await clickInUi(`${visible} .monaco-list-row >> nth=0`);
  else await pressInUi('Escape');
  await waitFor(async () => (await textsInUi(visible)).length === 0, 10_000, 'the confirmation to close');
  return rows;
}

const predicts = async (model: keyof typeof SEED.models): Promise<number> => (await emulatorStats()).requests.filter((request) => request.path.startsWith(`/model-${SEED.models[model].id}/`) && request.path.endsWith('/predict')).length;

describe('Agent mode tools', function () {
  this.timeout(90_000);

  before(async () => {
    await emulatorControl('POST', 'reset');
    await extensionApi();
  });
  // Leave the emulator and what the extension knows of it as they were: sleepy was woken here.
  after(async () => {
    await emulatorControl('POST', 'reset');
    const api = await extensionApi();
    for (const owner of (await api.catalog.listOwners('model')).owners) api.catalog.refresh({ owner });
  });

  it('are registered with VS Code, each with a description and an input schema', () => {
    const ours = vscode.lm.tools.filter((tool) => tool.name.startsWith('baseten_'));
    assert.deepEqual(ours.map((tool) => tool.name).sort(), [...TOOLS].sort());
    for (const tool of ours) assert.ok(tool.description.length > 40 && tool.inputSchema, tool.name);
  });

  it("lists the user's models and chains, with each target's status in words, without asking", async () => {
    const listing = resultText(await invoke('baseten_list_deployments', {}));
    assert.match(listing, /- echo \(model, ID \w+\)\n {2}- production: Active/);
    assert.match(listing, /- sleepy \(model, ID \w+\)\n {2}- production: Scaled to zero/);
    assert.match(listing, /Chains \(1\):\n- pipeline/);
  });

  it('calls a deployment after the user confirms a picker that names the target and shows the input', async function () {
    if (!hasBrowser()) this.skip();
    const before = await predicts('echo');
    const calling = invoke('baseten_call_deployment', { model: 'echo', target: 'staging', input: { prompt: 'Hello from agent mode' } });
    const rows = await answerConfirmation(/^Call (echo · staging|staging of echo)\?$/, 'confirm', 'agent-tool-confirmation');
    assert.match(rows, /Hello from agent mode/);
    assert.match(rows, /may cost money/);
    const answer = resultText(await calling);
    assert.match(answer, /^(echo · staging|staging of echo) answered \(HTTP 200, request ID \w+\):\n/);
    assert.deepEqual(JSON.parse(answer.slice(answer.indexOf('\n') + 1)), { prompt: 'Hello from agent mode' });
    assert.equal((await predicts('echo')) - before, 1, 'one predict was sent');
  });

  it('cuts a large answer, saying where the whole of it was saved', async function () {
    if (!hasBrowser()) this.skip();
    const big = 'x'.repeat(40_000);
    const calling = invoke('baseten_call_deployment', { model: 'echo', input: { text: big } });
    await answerConfirmation(/^Call .*echo.*\?$/, 'confirm');
    const answer = resultText(await calling);
    assert.ok(answer.length < 20_000, `${answer.length} characters returned`);
    const file = /saved to (.+?); it begins:/.exec(answer)?.[1];
    assert.ok(file, answer.slice(0, 300));
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { text: big }, 'the file holds the whole answer');
  });

  it('sends nothing when the user cancels the confirmation', async function () {
    if (!hasBrowser()) this.skip();
    const before = await predicts('echo');
    const calling = invoke('baseten_call_deployment', { model: 'echo', input: { prompt: 'never sent' } });
    await answerConfirmation(/^Call .*echo.*\?$/, 'cancel');
    await assert.rejects(Promise.resolve(calling), (error: Error) => /cancel/i.test(error.name + error.message));
    assert.equal(await predicts('echo'), before, 'no predict was sent');
  });

  it('a cancelled call closes its request', async function () {
    if (!hasBrowser()) this.skip();
    const source = new vscode.CancellationTokenSource();
    const calling = invoke('baseten_call_deployment', { model: 'slow', input: { delay_ms: 60_000 } }, source.token);
    await answerConfirmation(/^Call .*slow.*\?$/, 'confirm');
    await waitFor(async () => (await emulatorStats()).openConnections > 0 && (await predicts('slow')) === 1, 10_000, 'the call to reach the model');
    source.cancel();
    await assert.rejects(Promise.resolve(calling), (error: Error) => /cancel/i.test(error.name + error.message));
    await waitFor(async () => (await emulatorStats()).requests.some((request) => request.path.includes(SEED.models.slow.id) && request.clientAborted), 10_000, 'the emulator to see the client leave');
  });

  it('a bad input gets one clear sentence naming what exists, not a stack', async () => {
    const refused = await Promise.resolve(invoke('baseten_call_deployment', { model: 'ehco', input: {} })).then(
      () => assert.fail('the call was accepted'),
      (error: Error) => error.message,
    );
    assert.match(refused, /There is no model or chain named "ehco"\. Known: .*"echo"/);
    assert.doesNotMatch(refused, /\n\s+at /, 'no stack trace');
    const missing = await Promise.resolve(invoke('baseten_get_async_request', {})).then(
      () => 'accepted',
      (error: Error) => error.message,
    );
    assert.match(missing, /"requestId" is required/);
  });

  it("reads a failed request's log lines without asking: its traceback, by request id and level", async () => {
    const api = await extensionApi();
    const failing = api.catalog.knownTargets().find((t) => t.owner.name === 'failing' && t.place === 'environment');
    assert.ok(failing);
    const error = await api.services.client.inference.predict(failing.owner, failing.target, { kind: 'json', value: { n: 1 } }).then(() => undefined, (e: unknown) => e as { requestId?: string });
    assert.ok(error?.requestId, 'the failure carries a request id');
    const logs = resultText(await invoke('baseten_get_logs', { model: 'failing', requestId: error.requestId, level: 'ERROR', minutes: 15 }));
    assert.match(logs, new RegExp(`^Logs of failing · production, last 15 min, request ${error.requestId}, ERROR and above: \\d+ lines, oldest first:`));
    assert.match(logs, /ERROR \w{5} request [0-9a-f]+: Exception while running predict: RuntimeError: this model always fails\nTraceback/);
    assert.doesNotMatch(logs, / INFO /, 'only errors');
    await assert.rejects(Promise.resolve(invoke('baseten_get_logs', { model: 'failing', level: 'LOUD' })), /"level" must be DEBUG, INFO, WARNING or ERROR/);
  });

  it('wakes a scaled-to-zero model after confirmation and returns once it is active', async function () {
    if (!hasBrowser()) this.skip();
    const waking = invoke('baseten_wake_deployment', { model: 'sleepy' });
    await answerConfirmation(/^Wake .*sleepy.*\?$/, 'confirm');
    assert.match(resultText(await waking), /^(sleepy · production|production of sleepy) is active/);
    assert.match(resultText(await invoke('baseten_wake_deployment', { model: 'sleepy' })), /is not scaled to zero \(active\); nothing to wake/);
  });

  it('queues an async request, which the Async Requests view shows, and reads its status and output', async function () {
    if (!hasBrowser()) this.skip();
    const api = await extensionApi();
    await vscode.workspace.getConfiguration('baseten.async').update('webhookReceiverPort', 0, vscode.ConfigurationTarget.Global);
    await api.asyncRequests.receiver.setSecret(emulatorWebhookSecret());
    try {
      const queuing = invoke('baseten_submit_async_request', { model: 'echo', target: 'staging', input: { document: 'agent.pdf' }, deliverOutput: true });
      await answerConfirmation(/^Queue an async request on .*echo.*\?$/, 'confirm');
      const queued = resultText(await queuing);
      const requestId = /Queued async request (\w+)/.exec(queued)?.[1];
      assert.ok(requestId, queued);
      assert.ok(api.asyncRequests.store.get(requestId), 'the request is in the Async Requests view');
      await waitFor(() => !!api.asyncRequests.store.get(requestId)?.output, 20_000, 'the output to reach the receiver');
      const status = resultText(await invoke('baseten_get_async_request', { requestId }));
      assert.match(status, new RegExp(`^Async request ${requestId} on echo: Succeeded, webhook delivered`));
      assert.match(status, /Output:\n[\s\S]*"document": "agent\.pdf"/);
      api.asyncRequests.store.remove(requestId);
    } finally {
      await vscode.commands.executeCommand('baseten.stopWebhookReceiver');
    }
  });
});
