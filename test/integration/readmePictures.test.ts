/**
 * The README's pictures: each journey set up as a user would meet it against the emulator, and shot as
 * artifacts/screenshots/readme-<name>.png. `npm run readme-images` runs only this suite and copies them to
 * docs/images/. The checks here make sure a picture shows what its caption says, not an empty or failed state.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TargetRef } from '../../src/client';
import type { BasetenTestApi } from '../../src/extension';
import type { AsyncSubmitOutcome } from '../../src/features/async/submit';
import type { ChatModel } from '../../src/features/chat/logic/protocol';
import type { TargetNode } from '../../src/features/explorer/targetNode';
import type { InlineEditSession } from '../../src/features/inline/inlineEditSession';
import type { PredictOutcome } from '../../src/features/predict/predictRun';
import type { WebSocketPanel } from '../../src/features/websocket/sessionPanel';
import { SEED } from '../../emulator/state/seed';
import { clickInUi, emulatorControl, emulatorWebhookSecret, extensionApi, hasBrowser, queryWebviews, rootAsShown, screenshot, waitFor } from './harness';
import { isChain, isModel, isTarget } from './nodes';

const MODEL_API: ChatModel = { kind: 'model_api', model: 'moonshotai/Kimi-K2.6', label: 'Kimi K2.6', features: ['tools', 'reasoning'] };

const SOURCE = [
  'export interface Config {',
  '  name: string;',
  '  port: number;',
  '}',
  '',
  'export function parseConfig(text: string): Config {',
  '  const value = JSON.parse(text);',
  '  return { name: value.name, port: value.port };',
  '}',
  '',
  'export async function fetchConfig(url: string): Promise<Config> {',
  '  const response = await fetch(url);',
  '  if (!response.ok) throw new Error(`${url} answered ${response.status}`);',
  '  return parseConfig(await response.text());',
  '}',
  '',
].join('\n');
const FUNCTION = { start: 5, end: 8 };
const FETCH = { start: 10, end: 14 };
const REWRITE = [
  'export function parseConfig(text: string): Config {',
  '  const value: unknown = JSON.parse(text);',
  "  if (!value || typeof value !== 'object') throw new Error('the config must be a JSON object');",
  '  const { name, port } = value as Partial<Config>;',
  "  if (typeof name !== 'string') throw new Error('name must be a string');",
  "  if (!Number.isInteger(port)) throw new Error('port must be a whole number');",
  '  return { name, port: port as number };',
  '}',
].join('\n');

const settle = (ms = 800): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function workspaceEditor(name: string, text: string): Promise<vscode.TextEditor> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  const uri = vscode.Uri.joinPath(folder.uri, 'readme', name);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text));
  const document = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, preview: false });
}

function selectLines(editor: vscode.TextEditor, start: number, end: number): void {
  editor.selection = new vscode.Selection(start, 0, end, editor.document.lineAt(end).text.length);
}

async function environmentOf(api: BasetenTestApi, model: string, environment: string): Promise<TargetNode> {
  const owner = (await rootAsShown(api.trees.models)).filter(isModel).find((node) => node.owner.name === model);
  assert.ok(owner, `${model} in the tree`);
  const node = (await api.trees.models.getChildren(owner)).find((child): child is TargetNode => isTarget(child) && child.key === environment);
  assert.ok(node, `${environment} of ${model} in the tree`);
  return node;
}

/** Room for the trees' descriptions: with the sidebar focused, decreaseViewWidth narrows the editor. */
const SIDEBAR_STEPS = 4;
async function widenSidebar(steps: number): Promise<void> {
  await vscode.commands.executeCommand('baseten.models.focus');
  const command = steps > 0 ? 'workbench.action.decreaseViewWidth' : 'workbench.action.increaseViewWidth';
  for (let i = 0; i < Math.abs(steps); i++) await vscode.commands.executeCommand(command);
}

describe('README pictures', function () {
  this.timeout(120_000);
  let api: BasetenTestApi;

  before(async () => {
    await emulatorControl('POST', 'reset');
    api = await extensionApi();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.view.extension.baseten');
    await widenSidebar(SIDEBAR_STEPS);
  });
  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));
  after(() => widenSidebar(-SIDEBAR_STEPS));

  it('the explorer: Model APIs, a model and a chain with their environments and deployments', async () => {
    // Chains starts collapsed: open it for the picture.
    await vscode.commands.executeCommand('baseten.chains.focus');
    const echo = (await rootAsShown(api.trees.models)).filter(isModel).find((node) => node.owner.name === 'echo');
    const chain = (await rootAsShown(api.trees.chains)).find(isChain);
    assert.ok(echo && chain, 'a model and a chain');
    await api.trees.views.models.reveal(echo, { expand: true, focus: false, select: false });
    await api.trees.views.chains.reveal(chain, { expand: true, focus: false, select: false });
    const targets = (await api.trees.models.getChildren(echo)).filter(isTarget);
    assert.ok(targets.length >= 3, 'echo shows its environments and deployments');
    await workspaceEditor('config.ts', SOURCE);
    await settle(1500);
    await screenshot('readme-explorer');
  });

  it('chat: the selection sent to a Model API, the answer streamed', async () => {
    const editor = await workspaceEditor('config.ts', SOURCE);
    selectLines(editor, FETCH.start, FETCH.end);
    const panel = api.chat.open();
    panel.newConversation();
    panel.setTarget(MODEL_API);
    await vscode.commands.executeCommand('baseten.sendSelectionToChat');
    const answer = await panel.ask('Add retries with exponential backoff to this function.');
    assert.ok(answer && answer.state === 'done', answer?.error);
    if (hasBrowser()) {
      const tail = answer.text.trim().split('\n').pop()?.replace(/[`*_#>]/g, '').trim().slice(-20) ?? '';
      await waitFor(async () => (await queryWebviews(`article[data-answer-id="${answer.id}"] .answer`)).some((match) => match.text.includes(tail)), 15_000, 'the answer in the panel');
    }
    await settle();
    await screenshot('readme-chat');
  });

  it('prompt on selection: the proposal shown as a diff to accept or reject', async () => {
    // Prompt on Selection answers with the chat's model.
    api.chat.open().setTarget(MODEL_API);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const editor = await workspaceEditor('config.ts', SOURCE);
    selectLines(editor, FUNCTION.start, FUNCTION.end);
    // The emulator answers `say: …` with exactly the rest: a model's rewrite, fenced.
    const session = await vscode.commands.executeCommand<InlineEditSession | undefined>('baseten.promptOnSelection', `say: \`\`\`ts\n${REWRITE}\n\`\`\``);
    assert.ok(session, 'a session started');
    assert.equal(await session.done, 'ready', session.error);
    await settle(1500);
    await screenshot('readme-inline-edit');
    await session.reject();
  });

  it('predict: a JSON request sent to a deployment and its answer', async () => {
    const editor = await workspaceEditor('request.json', '{\n  "prompt": "Summarise the release notes in one line",\n  "max_tokens": 64\n}\n');
    selectLines(editor, 0, editor.document.lineCount - 1);
    const echo: TargetRef = { owner: { kind: 'model', id: SEED.models.echo.id, name: 'echo' }, target: { kind: 'production' } };
    const outcome = await vscode.commands.executeCommand<PredictOutcome>('baseten.predictWithSelection', echo);
    assert.equal(outcome.outcome, 'ok', outcome.message);
    await settle();
    await screenshot('readme-predict');
  });

  it('a WebSocket session with a deployment', async () => {
    const node = await environmentOf(api, 'echo', 'production');
    const panel = await vscode.commands.executeCommand<WebSocketPanel | undefined>('baseten.openWebSocket', node);
    assert.ok(panel, 'a session panel');
    try {
      await waitFor(() => panel.connection.status === 'open', 15_000, 'the session to open');
      assert.equal(await panel.send('json', '{"text": "Transcribe this chunk", "chunk": 1}'), undefined);
      assert.equal(await panel.send('text', 'end of stream'), undefined);
      await waitFor(() => panel.transcript.entries.filter((entry) => entry.direction === 'received').length === 2, 10_000, 'both echoes');
      await settle();
      await screenshot('readme-websocket');
    } finally {
      panel.dispose();
    }
  });

  it('async requests submitted, watched and finished, the output delivered to the local receiver', async () => {
    const staging = await environmentOf(api, 'echo', 'staging');
    await vscode.workspace.getConfiguration('baseten.async').update('webhookReceiverPort', 0, vscode.ConfigurationTarget.Global);
    await api.asyncRequests.receiver.setSecret(emulatorWebhookSecret());
    await vscode.commands.executeCommand('baseten.startWebhookReceiver');
    const store = api.asyncRequests.store;
    const submitted: string[] = [];
    try {
      for (const input of [{ document: 'q3-report.pdf', pages: 12 }, { document: 'q4-report.pdf', sleep_ms: 60_000 }]) {
        const outcome = await vscode.commands.executeCommand<AsyncSubmitOutcome>('baseten.submitAsyncRequest', staging, { input, webhook: 'receiver' });
        assert.ok(outcome?.request, `submitted: ${outcome?.problem}`);
        submitted.push(outcome.request.requestId);
      }
      await waitFor(() => !!store.get(submitted[0])?.output && store.get(submitted[1])?.status === 'IN_PROGRESS', 20_000, 'one finished with its output, one running');
      await vscode.commands.executeCommand('baseten.openAsyncOutput', store.get(submitted[0]));
      await vscode.commands.executeCommand('baseten.asyncRequests.focus');
      await clickInUi('.pane-header[aria-expanded="true"]:has-text("Chains")').catch(() => undefined);
      await settle();
      await screenshot('readme-async');
    } finally {
      await clickInUi('.pane-header[aria-expanded="false"]:has-text("Chains")').catch(() => undefined);
      await vscode.commands.executeCommand('baseten.stopWebhookReceiver');
      for (const requestId of submitted) store.remove(requestId);
    }
  });
});
