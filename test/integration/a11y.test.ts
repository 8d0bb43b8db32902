import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ChatModel } from '../../src/features/chat/logic/protocol';
import type { ChatPanel } from '../../src/features/chat/chatPanel';
import type { WebSocketPanel } from '../../src/features/websocket/sessionPanel';
import type { TargetNode } from '../../src/features/explorer/targetNode';
import { axeWebviews, emulatorControl, extensionApi, fillInWebview, hasBrowser, queryWebviews, screenshot, waitFor } from './harness';
import type { AxeReport } from '../runner/webviewA11y';
import { isModel, isTarget } from './nodes';
import { restoreTheme, THEMES, useTheme } from './themes';

const REASONING_MODEL: ChatModel = { kind: 'model_api', model: 'openai/gpt-oss-120b', label: 'gpt-oss 120B', features: ['reasoning', 'reasoning_effort'] };

/** An answer with what a model's markdown holds: a heading, emphasis, a link, a quote, a table, a list and two code blocks. */
export const RICH_ANSWER = [
  '## Summary',
  '',
  'Here is **bold**, *italic*, `inline code` and a [link to the docs](https://docs.baseten.co/) in a sentence.',
  '',
  '> A quoted note: check the rate limits first.',
  '',
  '| Model | Context | Input price |',
  '|---|---|---|',
  '| Kimi K2.6 | 262K | $1.74 |',
  '| gpt-oss 120B | 128K | $0.10 |',
  '',
  '1. First step',
  '2. Second step',
  '',
  '```ts',
  'export function add(a: number, b: number): number {',
  '  // the sum, with a constant',
  '  return a + b + 0x10 + parseInt("7", 10);',
  '}',
  '```',
  '',
  '```python',
  'def greet(name: str) -> str:',
  '    return f"Hello {name}"  # a comment',
  '```',
].join('\n');

/** A chat panel with a rich answer (with reasoning), a failed answer, and a selection waiting to be sent. */
export async function filledChat(): Promise<ChatPanel> {
  const api = await extensionApi();
  const document = await vscode.workspace.openTextDocument({ content: 'const total = add(1, 2);\n', language: 'typescript' });
  const editor = await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
  const panel = api.chat.open();
  panel.newConversation();
  panel.setTarget(REASONING_MODEL);
  const answer = await panel.ask(`say: ${RICH_ANSWER}`);
  assert.equal(answer?.state, 'done', answer?.error);
  assert.ok(answer.reasoning, 'the answer has reasoning');
  await emulatorControl('POST', 'faults', { match: { path: '/chat\\/completions$/' }, times: 1, fault: { kind: 'status', status: 400 } });
  const failed = await panel.ask('And once more?');
  assert.equal(failed?.state, 'failed');
  editor.selection = new vscode.Selection(0, 0, 0, 24);
  api.chat.sendSelection(editor);
  panel.reveal();
  if (hasBrowser()) await waitFor(async () => (await queryWebviews(`article[data-answer-id="${failed.id}"] .answer-footer .error`)).length > 0, 10_000, 'the failed answer in the page');
  return panel;
}

async function environmentNode(modelName: string, environment: string): Promise<TargetNode> {
  const api = await extensionApi();
  api.trees.models.reload();
  const model = (await api.trees.models.getChildren()).filter(isModel).find((node) => node.owner.name === modelName);
  assert.ok(model, `model ${modelName} in the tree`);
  const node = (await api.trees.models.getChildren(model)).find((child): child is TargetNode => isTarget(child) && child.place === 'environment' && child.key === environment);
  assert.ok(node, `${environment} of ${modelName}`);
  return node;
}

/** A WebSocket session with an echo, a server-side error close, a new session after it, and invalid JSON typed. */
export async function filledSession(): Promise<WebSocketPanel> {
  await emulatorControl('POST', 'faults', { match: { path: '/\\/websocket$/' }, times: 1, fault: { kind: 'ws-close', code: 1011, reason: 'model crashed', afterMessages: 1 } });
  const panel = await vscode.commands.executeCommand<WebSocketPanel | undefined>('baseten.openWebSocket', await environmentNode('echo', 'staging'));
  assert.ok(panel);
  await waitFor(() => panel.connection.status === 'open', 15_000, 'the session to open');
  await panel.send('text', '{"prompt": "hello"}');
  await waitFor(() => panel.connection.status === 'closed', 10_000, 'the server to close');
  await panel.reconnect();
  await waitFor(() => panel.connection.status === 'open', 10_000, 'the new session');
  await panel.send('text', 'after the error');
  await waitFor(() => panel.transcript.entries.some((entry) => entry.direction === 'received' && entry.text === 'after the error'), 10_000, 'the echo');
  if (hasBrowser()) {
    await waitFor(async () => (await queryWebviews('body[data-panel="websocket"] .entry')).length >= 4, 10_000, 'the transcript in the page');
    await fillInWebview('body[data-panel="websocket"] #mode', 'json');
    await fillInWebview('body[data-panel="websocket"] #input', '{"prompt": "hi",');
    await waitFor(async () => (await queryWebviews('body[data-panel="websocket"] #json-error:not([hidden])')).length === 1, 10_000, 'the JSON error');
  }
  return panel;
}

function seriousOnes(reports: AxeReport[]): AxeReport['violations'] {
  return reports.flatMap((report) => report.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical'));
}

function listed(reports: AxeReport[]): string {
  return reports
    .flatMap((report) => report.violations.map((v) => `  [${report.panel} ${report.theme}] ${v.impact} ${v.id} ×${v.nodes}: ${v.help} — ${v.targets.join(' | ')} — ${v.summary}`))
    .join('\n');
}

describe('Accessibility of the panels (axe-core, four themes)', function () {
  this.timeout(240_000);

  before(async function () {
    if (!hasBrowser()) this.skip();
    await emulatorControl('POST', 'reset');
  });
  afterEach(() => emulatorControl('DELETE', 'faults'));
  after(restoreTheme);

  it('the chat and WebSocket panels, filled, have no serious or critical axe violation in Light, Dark, Dark HC and Light HC', async () => {
    const session = await filledSession();
    const chat = await filledChat();
    const counts: string[] = [];
    const all: AxeReport[] = [];
    try {
      for (const theme of THEMES) {
        chat.reveal();
        await useTheme(theme);
        const chatReports = await axeWebviews('chat');
        assert.equal(chatReports.length, 1, 'one chat page');
        await screenshot(`a11y-chat-${theme.name}`);
        session.reveal();
        await waitFor(async () => (await queryWebviews(`body.${theme.body}[data-panel="websocket"] #transcript`)).length > 0, 10_000, 'the WebSocket page');
        const sessionReports = await axeWebviews('websocket');
        assert.equal(sessionReports.length, 1, 'one WebSocket page');
        await screenshot(`a11y-websocket-${theme.name}`);
        for (const report of [...chatReports, ...sessionReports]) {
          const serious = seriousOnes([report]).reduce((sum, v) => sum + v.nodes, 0);
          const rules = seriousOnes([report]).map((v) => `${v.id}×${v.nodes}`).join(', ');
          counts.push(`${theme.name} ${report.panel}: ${serious} serious/critical nodes${rules ? ` (${rules})` : ''}; others: ${report.violations.filter((v) => !seriousOnes([{ ...report, violations: [v] }]).length).map((v) => `${v.impact} ${v.id}×${v.nodes}`).join(', ') || 'none'}`);
        }
        all.push(...chatReports, ...sessionReports);
      }
    } finally {
      session.dispose();
    }
    console.log(`      axe-core:\n        ${counts.join('\n        ')}`);
    const serious = all.map((report) => ({ ...report, violations: seriousOnes([report]) })).filter((report) => report.violations.length);
    assert.equal(serious.length, 0, `serious or critical violations:\n${listed(serious)}`);
  });
});
