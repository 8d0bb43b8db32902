import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ChatModel } from '../../src/features/chat/logic/protocol';
import type { WebSocketPanel } from '../../src/features/websocket/sessionPanel';
import { emulatorControl, extensionApi, focusInWebviews, hasBrowser, pressInUi, queryWebviews, runCommandInUi, screenshot, typeInUi, waitFor } from './harness';
import type { FocusReport } from '../runner/webviewA11y';
import { restoreTheme, THEMES, useTheme } from './themes';
import { isModel, isTarget } from './nodes';
import type { TargetNode } from '../../src/features/explorer/targetNode';

const KIMI: ChatModel = { kind: 'model_api', model: 'moonshotai/Kimi-K2.6', label: 'Kimi K2.6', features: ['tools', 'reasoning'] };

/** The element that has the keyboard focus in the focused Baseten page. */
async function focused(panel: string): Promise<FocusReport['active'] | undefined> {
  return (await focusInWebviews()).find((report) => report.panel === panel && report.focused)?.active;
}

async function waitForFocus(panel: string, predicate: (active: FocusReport['active']) => boolean, what: string): Promise<FocusReport['active']> {
  let last: FocusReport['active'] | undefined;
  try {
    await waitFor(async () => !!(last = await focused(panel)) && predicate(last), 10_000, what);
  } catch (error) {
    throw new Error(`${(error as Error).message}; the focus is on ${JSON.stringify(last)}`);
  }
  return last!;
}

/** Presses `key` until the focus is on an element `predicate` accepts (at most `limit` times). */
async function pressUntil(panel: string, key: string, predicate: (active: FocusReport['active']) => boolean, what: string, limit = 25): Promise<FocusReport['active']> {
  const seen: string[] = [];
  for (let i = 0; i < limit; i++) {
    await pressInUi(key);
    const active = await focused(panel);
    if (active && predicate(active)) return active;
    seen.push(active ? `${active.tag}#${active.id}:${active.name}` : '(none)');
  }
  throw new Error(`${limit} × ${key} did not reach ${what}; the focus went ${seen.join(' → ')}`);
}

/**
 * `Baseten: Open Chat` from the command palette (F1). The palette closes when the workbench moves the focus
 * while it opens (an editor or webview settling after the last action): then it is opened once more.
 */
async function openChatFromPalette(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 300));
  try {
    await runCommandInUi('Baseten: Open Chat');
  } catch (error) {
    console.log(`      (the palette closed before it was used: ${(error as Error).message.split('\n')[0]}; once more)`);
    await runCommandInUi('Baseten: Open Chat');
  }
}

/** Shift+Enter for each line break: Enter alone sends. */
async function typeLines(text: string): Promise<void> {
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    if (index) await pressInUi('Shift+Enter');
    if (line) await typeInUi(line);
  }
}

describe('Keyboard journeys in the panels (key presses only)', function () {
  this.timeout(180_000);

  before(async function () {
    if (!hasBrowser()) this.skip();
    await emulatorControl('POST', 'reset');
  });
  afterEach(() => emulatorControl('DELETE', 'faults'));
  after(restoreTheme);

  it('chat: send with Enter, stop with Escape, copy and insert a code block, come back with Alt+I and to the panel', async () => {
    const document = await vscode.workspace.openTextDocument({ content: '// start\n', language: 'javascript' });
    const editor = await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    const api = await extensionApi();
    const panel = api.chat.open();
    panel.newConversation();
    panel.setTarget(KIMI);
    panel.reveal();
    // The panel takes the focus on the message box.
    await waitForFocus('chat', (active) => active.id === 'input', 'the message box to have the focus');

    // Send: typed and Enter.
    await typeInUi('say: hello from the keyboard');
    let ended = new Promise((resolve) => panel.onDidEndAnswer(resolve));
    await pressInUi('Enter');
    await ended;
    assert.equal(panel.conversation.turns.length, 2);
    await waitForFocus('chat', (active) => active.id === 'input', 'the focus to stay in the message box');

    // Stop: Escape while the answer streams; the focus stays where the next question is typed.
    await typeInUi('Tell me everything. [[tokens:20000]]');
    ended = new Promise((resolve) => panel.onDidEndAnswer(resolve));
    await pressInUi('Enter');
    await waitFor(() => {
      const turn = panel.conversation.turns[3];
      return turn?.role === 'assistant' && turn.text.length > 0;
    }, 20_000, 'the long answer to start');
    await waitFor(async () => (await queryWebviews('body:not([data-panel]) #transcript[aria-busy="true"]')).length === 1, 5000, 'aria-busy while streaming');
    await pressInUi('Escape');
    await ended;
    const stopped = panel.conversation.turns[3];
    assert.equal(stopped.role === 'assistant' && stopped.state, 'stopped');
    await waitForFocus('chat', (active) => active.id === 'input', 'the message box after Stop');
    await waitFor(async () => (await queryWebviews('body:not([data-panel]) #status'))[0]?.text === 'Stopped', 5000, 'the status to say Stopped');

    // Copy: Shift+Tab back from the message box to the last code block's Copy, then Enter.
    await typeLines('say: Try:\n\n```js\nnext();\n```');
    ended = new Promise((resolve) => panel.onDidEndAnswer(resolve));
    await pressInUi('Enter');
    await ended;
    await waitFor(async () => (await queryWebviews('body:not([data-panel]) .code-block')).length >= 1, 10_000, 'the code block');
    const copy = await pressUntil('chat', 'Shift+Tab', (active) => /^Copy code block \d+$/.test(active.name), 'a Copy button');
    assert.match(copy.outline, /solid/, `a visible focus outline: ${copy.outline}`);
    await screenshot('a11y-focus-light');
    await vscode.env.clipboard.writeText('');
    await pressInUi('Enter');
    await waitFor(async () => (await vscode.env.clipboard.readText()) === 'next();\n', 10_000, 'the code on the clipboard');
    await waitFor(async () => (await queryWebviews('body:not([data-panel]) button[data-copied]')).length === 1, 5000, 'the Copied feedback in the panel');
    await waitFor(async () => /^Copied code block \d+$/.test((await queryWebviews('body:not([data-panel]) #status'))[0]?.text ?? ''), 5000, 'the status to say Copied');
    await screenshot('chat-copy-feedback');
    await useTheme(THEMES[1]);
    await waitForFocus('chat', (active) => /^Copy code block \d+$/.test(active.name), 'the focus to stay on Copy');
    await screenshot('a11y-focus-dark');
    await restoreTheme();

    // Insert: Tab to Insert at Cursor, Enter: the code goes into the editor at its cursor.
    await pressUntil('chat', 'Tab', (active) => /^Insert at Cursor: code block \d+$/.test(active.name), 'Insert at Cursor', 3);
    await pressInUi('Enter');
    await waitFor(() => document.getText() === '// start\nnext();\n', 10_000, 'the code inserted at the cursor');

    // Back to the panel from the editor (which Insert focused) by its command: the focus lands on the message box.
    await waitFor(() => vscode.window.activeTextEditor?.document === document, 5000, 'the editor to have the focus');
    await openChatFromPalette();
    await waitForFocus('chat', (active) => active.id === 'input', 'the message box on returning to the panel');
    // Alt+I from anywhere in the page.
    await pressUntil('chat', 'Shift+Tab', (active) => active.id !== 'input', 'somewhere else', 2);
    await pressInUi('Alt+I');
    await waitForFocus('chat', (active) => active.id === 'input', 'the message box after Alt+I');
  });

  it('WebSocket: disconnect, reconnect and send, by keys; the focus follows', async () => {
    const api = await extensionApi();
    // Opened beside the chat, not over it: closing it then leaves no page reloading while the next test opens a pick.
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ content: '' }), vscode.ViewColumn.One);
    api.trees.models.reload();
    const model = (await api.trees.models.getChildren()).filter(isModel).find((node) => node.owner.name === 'echo');
    assert.ok(model);
    const node = (await api.trees.models.getChildren(model)).find((child): child is TargetNode => isTarget(child) && child.place === 'environment' && child.key === 'production');
    assert.ok(node);
    const panel = await vscode.commands.executeCommand<WebSocketPanel | undefined>('baseten.openWebSocket', node);
    assert.ok(panel);
    try {
      await waitFor(() => panel.connection.status === 'open', 15_000, 'the session');
      await waitFor(async () => (await queryWebviews('body[data-panel="websocket"] #status'))[0]?.text === 'Connected', 10_000, 'Connected in the page');
      await waitForFocus('websocket', (active) => active.id === 'input', 'the message box');
      await pressUntil('websocket', 'Shift+Tab', (active) => active.id === 'disconnect', 'Disconnect');
      await pressInUi('Enter');
      await waitFor(() => panel.connection.status === 'closed', 10_000, 'the session to close');
      await waitForFocus('websocket', (active) => active.id === 'reconnect', 'Reconnect, which took Disconnect\'s place');
      await pressInUi('Enter');
      await waitFor(() => panel.connection.status === 'open', 10_000, 'the new session');
      await waitForFocus('websocket', (active) => active.id === 'input', 'the message box once connected');
      await typeInUi('typed and sent by keys');
      await pressInUi('Control+Enter');
      await waitFor(() => panel.transcript.entries.some((entry) => entry.direction === 'received' && entry.text === 'typed and sent by keys'), 10_000, 'the echo');
    } finally {
      panel.dispose();
    }
  });
});
