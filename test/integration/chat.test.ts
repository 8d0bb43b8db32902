import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Target } from '../../src/client';
import type { ChatModel, ConversationState } from '../../src/features/chat/logic/protocol';
import { CHAT_VIEW_TYPE, type ChatPanel } from '../../src/features/chat/chatPanel';
import { clickInWebview, emulatorControl, fillInWebview, emulatorStats, extensionApi, hasBrowser, pressInUi, queryWebviews, screenshot, textsInUi, waitFor } from './harness';
import { isModel, isModelApi, isTarget } from './nodes';
import { SEED } from '../../emulator/state/seed';
import type { TargetNode } from '../../src/features/explorer/targetNode';

const KIMI: ChatModel = { kind: 'model_api', model: 'moonshotai/Kimi-K2.6', label: 'Kimi K2.6', features: ['tools', 'reasoning'] };

async function openEditor(content: string, language = 'typescript'): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument({ content, language });
  return vscode.window.showTextDocument(document, vscode.ViewColumn.One);
}

async function freshPanel(): Promise<ChatPanel> {
  const api = await extensionApi();
  const panel = api.chat.open();
  panel.newConversation();
  panel.setTarget(KIMI);
  return panel;
}

/** The text the webview shows for an answer, once it shows `expected`. */
async function shownAnswer(answerId: string, expected: string): Promise<string> {
  let shown = '';
  await waitFor(
    async () => {
      const matches = await queryWebviews(`article[data-answer-id="${answerId}"] .answer`);
      shown = matches.map((match) => match.text).join('');
      return shown.includes(expected);
    },
    15_000,
    `the panel to show "${expected.slice(0, 40)}"`,
  );
  return shown;
}

describe('Chat panel', function () {
  this.timeout(90_000);

  before(() => emulatorControl('POST', 'reset'));
  afterEach(() => emulatorControl('DELETE', 'faults'));

  it('sends the selection to chat and streams the answer into the panel', async () => {
    const editor = await openEditor('export function add(a: number, b: number) {\n  return a + b;\n}\n');
    editor.selection = new vscode.Selection(0, 0, 2, 1);
    const api = await extensionApi();
    await vscode.commands.executeCommand('baseten.sendSelectionToChat');
    const panel = api.chat.current;
    assert.ok(panel, 'a chat panel is open');
    panel.newConversation();
    panel.setTarget(KIMI);
    await vscode.commands.executeCommand('baseten.sendSelectionToChat');
    assert.equal(panel.conversation.pending.length, 1, 'the selection waits as context');
    assert.match(panel.conversation.pending[0].text, /return a \+ b/);

    const deltasBefore = panel.stats.deltas;
    const answer = await panel.ask('What does this do? [[tokens:300]]');
    assert.ok(answer);
    assert.equal(answer.state, 'done', answer.error);
    const state = panel.conversation;
    const user = state.turns[0];
    assert.equal(user.role, 'user');
    assert.equal(user.role === 'user' && user.context.length, 1);
    assert.equal(state.pending.length, 0);
    assert.ok(answer.text.length > 300, 'the whole answer was assembled');
    assert.ok(answer.stats.requestId, 'the request id is kept');
    assert.ok(answer.stats.timeToFirstTokenMs !== undefined && answer.stats.completionTokens === 300, JSON.stringify(answer.stats));
    // Batched: fewer messages than tokens, and at most one per 50 ms of streaming, however slowly the
    // tokens came (a loaded machine stretches the emulator's 15 ms between tokens, not the batcher's cap).
    const deltas = panel.stats.deltas - deltasBefore;
    const streamingMs = (answer.stats.durationMs ?? 0) - (answer.stats.timeToFirstTokenMs ?? 0);
    assert.ok(deltas < 300, `${deltas} delta messages for 300 tokens`);
    assert.ok(deltas <= Math.ceil(streamingMs / 50) + 2, `${deltas} delta messages in ${streamingMs.toFixed(0)} ms of streaming`);

    const chat = (await emulatorStats()).requests.filter((request) => /chat\/completions$/.test(request.path));
    const sent = chat[chat.length - 1];
    assert.equal(sent.status, 200);
    if (hasBrowser()) {
      const shown = await shownAnswer(answer.id, answer.text.slice(-30).trim());
      assert.ok(shown.length > 0);
      await screenshot('chat-panel');
    }
  });

  it('stop aborts the request, the emulator sees the disconnect, and the partial text stays', async () => {
    const panel = await freshPanel();
    const before = (await emulatorStats()).requests.length;
    const answering = panel.ask('Tell me everything. [[tokens:20000]]');
    const streamed = (): string => {
      const turn = panel.conversation.turns[1];
      return turn?.role === 'assistant' ? turn.text : '';
    };
    await waitFor(() => streamed().length > 0, 20_000, 'the first tokens');
    panel.stop();
    const answer = await answering;
    assert.ok(answer);
    assert.equal(answer.state, 'stopped');
    assert.ok(answer.text.length > 0, 'the partial answer is kept');
    await waitFor(async () => {
      const stats = await emulatorStats();
      const chat = stats.requests.slice(before).filter((request) => /chat\/completions$/.test(request.path));
      return chat.length === 1 && chat[0].clientAborted;
    }, 10_000, 'the emulator to see the client leave');
    if (hasBrowser()) {
      await shownAnswer(answer.id, answer.text.slice(0, 20).trim());
      const stopped = await queryWebviews(`article[data-answer-id="${answer.id}"] .stopped`);
      assert.equal(stopped.length, 1, 'the answer says it was stopped');
    }
  });

  it('a 20,000-token answer that is one code block streams without re-highlighting it per batch', async function () {
    if (!hasBrowser()) this.skip();
    this.timeout(180_000);
    const panel = await freshPanel();
    // 1,000 chunks of 20 tokens, 15 ms apart: about 15 s of streaming, ~100 KB of TypeScript in one fence.
    const answering = panel.ask('Rewrite the file. [[code:20000]] [[chunk:20]]');
    const streaming = (): { id: string; length: number } | undefined => {
      const turn = panel.conversation.turns[1];
      return turn?.role === 'assistant' && turn.state === 'streaming' ? { id: turn.id, length: turn.text.length } : undefined;
    };
    await waitFor(() => streaming() !== undefined, 20_000, 'the answer to start');
    // The page's own figure for its last render, with the answer's length then, read while it streams.
    const samples = new Map<number, number>();
    let footerHtml = '';
    let streamingBlock: { text: string; html: string } | undefined;
    for (let current = streaming(); current; current = streaming()) {
      const [footer] = await queryWebviews(`article[data-answer-id="${current.id}"] footer`);
      footerHtml = footer?.html ?? footerHtml;
      const ms = /data-render-ms="([\d.]+)"/.exec(footerHtml)?.[1];
      const length = /data-rendered-length="(\d+)"/.exec(footerHtml)?.[1];
      if (ms && length) samples.set(Number(length), Number(ms));
      if (samples.size === 5 && !streamingBlock) {
        // While its fence is open the block is plain text (highlighted only once it is complete).
        [streamingBlock] = await queryWebviews(`article[data-answer-id="${current.id}"] .answer pre > code`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const answer = await answering;
    assert.equal(answer?.state, 'done', answer?.error);
    assert.equal(answer.stats.completionTokens, 20_000);
    assert.ok(streamingBlock, 'the open block was shown while streaming');
    assert.match(streamingBlock.text, /^export function handler0\(request: Request, limit = 0\)/);
    assert.ok(!streamingBlock.html.includes('hljs'), 'not highlighted while open');
    assert.ok(answer.text.includes(streamingBlock.text), 'the code as it came');
    const total = answer.text.length;
    const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
    const early = [...samples].filter(([length]) => length < total * 0.25).map(([, ms]) => ms);
    const late = [...samples].filter(([length]) => length > total * 0.75).map(([, ms]) => ms);
    const streamed = `${samples.size} samples of ${total} chars; per-batch render median ${median(early)} ms in the first quarter, ${median(late)} ms in the last`;
    const ended = Date.now();
    await waitFor(async () => (await queryWebviews(`article[data-answer-id="${answer.id}"] footer[data-final-render-ms]`)).length === 1, 20_000, 'the final render').catch((error: Error) => {
      throw new Error(`${error.message} (${streamed})`);
    });
    const caughtUp = Date.now() - ended;
    const [footer] = await queryWebviews(`article[data-answer-id="${answer.id}"] footer`);
    const figure = (name: string): number => Number(new RegExp(`data-${name}="([\\d.]+)"`).exec(footer.html)?.[1]);
    const report = `${streamed}; max ${figure('render-max-ms')} ms; final render ${figure('final-render-ms')} ms, shown ${caughtUp} ms after the stream ended`;
    console.log(`      chat page: ${report}`);
    assert.ok(early.length >= 3 && late.length >= 3, report);
    // Work per batch must not grow with the answer: re-rendering and re-highlighting the open block
    // made the last quarter's batches cost tens of times the first quarter's.
    assert.ok(median(late) <= Math.max(3 * median(early), 8), report);
    assert.ok(figure('render-max-ms') < 250, report);
    // The final rendering is the whole answer, highlighted, in one code block with its actions.
    const blocks = await queryWebviews(`article[data-answer-id="${answer.id}"] .code-block code.language-typescript`);
    assert.equal(blocks.length, 1);
    assert.ok(blocks[0].html.includes('<span class="hljs-keyword">export</span>'), 'highlighted');
    assert.equal(blocks[0].text, answer.text.slice(answer.text.indexOf('\n') + 1, answer.text.lastIndexOf('```')));
  });

  it('renders a script, an onerror handler and a javascript: link from the model as text; none of them runs', async () => {
    const panel = await freshPanel();
    const payload =
      'say: Look <script>document.body.dataset.xss = "script"</script> and <img src=x onerror="document.body.dataset.xss = \'img\'"> ' +
      'and [click me](javascript:document.body.dataset.xss=1) and <a href="javascript:alert(1)">raw</a>\n\n```html\n<script>alert(1)</script>\n```';
    const answer = await panel.ask(payload);
    assert.ok(answer);
    assert.equal(answer.state, 'done', answer.error);
    assert.match(answer.text, /<script>/);
    assert.equal(panel.stats.unexpected, 0, 'no unexpected message came from the page');
    if (!hasBrowser()) return;
    const shown = await shownAnswer(answer.id, 'Look');
    assert.match(shown, /<script>document\.body\.dataset\.xss/, 'the script shows as text');
    assert.deepEqual(await queryWebviews(`article[data-answer-id="${answer.id}"] script`), []);
    assert.deepEqual(await queryWebviews(`article[data-answer-id="${answer.id}"] img`), []);
    assert.deepEqual(await queryWebviews(`article[data-answer-id="${answer.id}"] [onerror]`), []);
    assert.deepEqual(await queryWebviews(`article[data-answer-id="${answer.id}"] a[href^="javascript"]`), []);
    assert.deepEqual(await queryWebviews('body[data-xss]'), [], 'no payload ran');
    const code = await queryWebviews(`article[data-answer-id="${answer.id}"] .code-block code`);
    assert.equal(code.length, 1);
    assert.match(code[0].text, /<script>alert\(1\)<\/script>/);
    await screenshot('chat-xss-as-text');
  });

  it('a stream dropped mid-answer keeps the text and says what went wrong', async () => {
    const panel = await freshPanel();
    await emulatorControl('POST', 'faults', { match: { path: '/chat\\/completions$/' }, times: 1, fault: { kind: 'drop', afterEvents: 8 } });
    const answer = await panel.ask('Keep talking. [[tokens:200]]');
    assert.ok(answer);
    assert.equal(answer.state, 'failed');
    assert.ok(answer.text.length > 0, 'the streamed text is kept');
    assert.ok(answer.error && answer.error.length > 10, `a clear error: ${answer.error}`);
    if (hasBrowser()) {
      await waitFor(async () => (await queryWebviews(`article[data-answer-id="${answer.id}"] .error-box`)).length === 1, 10_000, 'the error in the panel');
      await shownAnswer(answer.id, answer.text.slice(0, 20).trim());
      await screenshot('chat-dropped-stream');
    }
  });

  it('a model that is not enabled answers with the human message, in the conversation', async () => {
    const panel = await freshPanel();
    panel.setTarget({ kind: 'model_api', model: 'nobody/not-a-model', label: 'Nobody', features: [] });
    const answer = await panel.ask('Hello?');
    assert.ok(answer);
    assert.equal(answer.state, 'failed');
    assert.match(answer.error ?? '', /not found|not enabled/i);
  });

  it('a 429 is retried and, when it persists, explained with the retry time', async () => {
    const panel = await freshPanel();
    await emulatorControl('POST', 'faults', { match: { path: '/chat\\/completions$/' }, fault: { kind: 'status', status: 429, retryAfter: '0' } });
    const answer = await panel.ask('Hello?');
    assert.ok(answer);
    assert.equal(answer.state, 'failed');
    assert.match(answer.error ?? '', /429|rate|too many/i);
  });

  it('a second turn carries the conversation so far', async () => {
    const panel = await freshPanel();
    panel.newConversation();
    const first = await panel.ask('say: first answer');
    assert.equal(first?.text, 'first answer');
    const before = (await emulatorStats()).requests.length;
    const second = await panel.ask('[[echo]] and again');
    assert.equal(second?.state, 'done');
    assert.match(second?.text ?? '', /You said: and again/);
    assert.equal(panel.conversation.turns.length, 4);
    const seen = (await emulatorStats()).requests.slice(before).filter((request) => /chat\/completions$/.test(request.path));
    assert.equal(seen.length, 1);
  });

  it('shows reasoning in a collapsible block apart from the answer', async () => {
    const panel = await freshPanel();
    panel.setTarget({ kind: 'model_api', model: 'openai/gpt-oss-120b', label: 'gpt-oss', features: ['reasoning', 'reasoning_effort'] });
    const answer = await panel.ask('Think about it.');
    assert.ok(answer && answer.reasoning.length > 0 && answer.text.length > 0);
    if (!hasBrowser()) return;
    await waitFor(async () => {
      const blocks = await queryWebviews(`article[data-answer-id="${answer.id}"] details.reasoning`);
      return blocks.length === 1 && blocks[0].text.includes(answer.reasoning.slice(0, 20));
    }, 10_000, 'the reasoning block');
    const shown = await shownAnswer(answer.id, answer.text.slice(0, 20));
    assert.ok(!shown.includes(answer.reasoning.slice(0, 40)), 'reasoning is not mixed into the answer');
  });

  it('a restored panel (after a reload) shows the saved conversation', async () => {
    const api = await extensionApi();
    const saved: ConversationState = {
      version: 1,
      settings: { system: 'Be brief.' },
      target: KIMI,
      pending: [],
      turns: [
        { role: 'user', id: 'restored-q', text: 'What was it?', context: [] },
        { role: 'assistant', id: 'restored-a', model: 'Kimi K2.6', text: 'It was **restored** text.', reasoning: '', toolCalls: [], state: 'streaming', stats: { requestId: 'abc' } },
      ],
    };
    const webviewPanel = vscode.window.createWebviewPanel(CHAT_VIEW_TYPE, 'Baseten Chat', vscode.ViewColumn.Beside);
    const panel = api.chat.revive(webviewPanel, saved);
    try {
      const turns = panel.conversation.turns;
      assert.equal(turns.length, 2);
      assert.equal(turns[1].role === 'assistant' && turns[1].state, 'stopped', 'an answer cut by the reload is marked stopped');
      assert.equal(panel.conversation.settings.system, 'Be brief.');
      if (hasBrowser()) await shownAnswer('restored-a', 'It was restored text.');
      const next = await panel.ask('say: continued');
      assert.equal(next?.text, 'continued');
    } finally {
      panel.dispose();
    }
  });

  it("a code block's Insert at Cursor, Replace Selection and Copy act on the editor, clicked in the panel", async function () {
    if (!hasBrowser()) this.skip();
    const editor = await openEditor('// start\nold();\n', 'javascript');
    editor.selection = new vscode.Selection(1, 0, 1, 6);
    const panel = await freshPanel();
    const answer = await panel.ask('say: Try:\n\n```js\nnext();\n```');
    assert.equal(answer?.state, 'done');
    const block = `article[data-answer-id="${answer!.id}"] .code-block`;
    await waitFor(async () => (await queryWebviews(block)).length === 1, 10_000, 'the code block');

    await clickInWebview(`${block} button[data-code-action="replace"]`);
    await waitFor(() => editor.document.getText() === '// start\nnext();\n', 10_000, 'the selection to be replaced (without the fence\'s final newline)');

    await clickInWebview(`${block} button[data-code-action="copy"]`);
    await waitFor(async () => (await vscode.env.clipboard.readText()) === 'next();\n', 10_000, 'the code on the clipboard');

    const shown = await vscode.window.showTextDocument(editor.document, vscode.ViewColumn.One);
    shown.selection = new vscode.Selection(0, 0, 0, 0);
    await clickInWebview(`${block} button[data-code-action="insert"]`);
    await waitFor(() => editor.document.getText() === 'next();\n// start\nnext();\n', 10_000, 'the code inserted at the cursor');
  });

  it("the tree's chat action targets a Model API, or a deployed model's OpenAI-compatible route with its served name", async () => {
    const api = await extensionApi();
    const modelApi = (await api.trees.modelApis.getChildren()).filter(isModelApi).find((node) => node.model.id === KIMI.model);
    assert.ok(modelApi);
    const panel = (await vscode.commands.executeCommand<ChatPanel>('baseten.chatWith', modelApi)) ?? api.chat.current!;
    assert.equal(panel.target?.kind, 'model_api');
    assert.equal(panel.target?.model, KIMI.model);

    const llm = (await api.trees.models.getChildren()).filter(isModel).find((node) => node.owner.name === 'llm');
    assert.ok(llm, 'the emulator has an LLM deployment');
    const production = (await api.trees.models.getChildren(llm)).find((node): node is TargetNode => isTarget(node) && node.place === 'environment' && node.key === 'production');
    assert.ok(production);
    await vscode.commands.executeCommand('baseten.chatWith', production);
    const target = api.chat.current!.target;
    assert.equal(target?.kind, 'deployment');
    assert.equal(target?.model, 'llm', 'the served model name read from …/sync/v1/models');
    const before = (await emulatorStats()).requests.length;
    const answer = await api.chat.current!.ask('say: from the deployment');
    assert.equal(answer?.state, 'done', answer?.error);
    assert.equal(answer?.text, 'from the deployment');
    const sent = (await emulatorStats()).requests.slice(before).filter((request) => /chat\/completions$/.test(request.path));
    assert.match(sent[0]?.path ?? '', /production\/sync\/v1\/chat\/completions$/);
  });

  it('first-hour 2: the chat picker lists only deployments that serve chat; the others are refused in words that name the route', async () => {
    const api = await extensionApi();
    const before = (await emulatorStats()).requests.length;
    const picking = api.chat.pickTarget();
    const rows = (): Promise<string[]> => textsInUi('.quick-input-widget .monaco-list-row');
    try {
      if (hasBrowser()) {
        await waitFor(async () => (await rows()).some((text) => /llm/.test(text)), 20_000, 'the pick to list the LLM deployment');
        await waitFor(async () => (await rows()).some((text) => /sleepy/.test(text)), 10_000, 'the sleeping model, offered unasked');
        const shown = await rows();
        for (const name of ['echo', 'binary', 'transform', 'chunked']) assert.ok(!shown.some((text) => text.includes(name)), `${name} is not offered: ${shown.join(' | ')}`);
        await screenshot('first-hour-2-chat-picker');
        await pressInUi('Escape');
      } else {
        await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      }
    } catch (error) {
      throw new Error(`${(error as Error).message}; the pick showed: ${(await rows()).join(' | ')}`);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      await picking;
    }
    // Each deployment is asked once (by this pick, or earlier by VS Code's model picker, which shares the answers);
    // a second pick asks none again, and nothing asleep was asked (it would wake).
    const asked = (await emulatorStats()).requests.slice(before).filter((request) => /sync\/v1\/models$/.test(request.path));
    assert.ok(!asked.some((request) => request.path.includes(`model-${SEED.models.sleepy.id}`)), asked.map((request) => request.path).join(', '));
    const again = api.chat.pickTarget();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await again;
    const askedAgain = (await emulatorStats()).requests.slice(before).filter((request) => /sync\/v1\/models$/.test(request.path));
    assert.equal(askedAgain.length, asked.length, `the answers are kept per deployment: ${askedAgain.slice(asked.length).map((request) => `${request.path} ${request.status}`).join(', ')}; first ${asked.map((request) => `${request.path} ${request.status}`).join(', ')}`);

    // The tree's chat action on a model without the route says why, and opens nothing.
    const echo = (await api.trees.models.getChildren()).filter(isModel).find((node) => node.owner.name === 'echo');
    assert.ok(echo);
    const production = (await api.trees.models.getChildren(echo)).find((node): node is TargetNode => isTarget(node) && node.place === 'environment' && node.key === 'production');
    assert.ok(production);
    assert.deepEqual(api.chat.routes.cached(production), { serves: false }, "echo's answer is known after the pick");
    assert.equal(await vscode.commands.executeCommand('baseten.chatWith', production), undefined);

    // A chat already aimed at it (say, restored from before) gets the same words, not a generic "not found".
    const panel = api.chat.open();
    panel.setTarget({ kind: 'deployment', owner: production.owner, target: production.target, model: 'echo', label: 'echo', features: [] });
    const answer = await panel.ask('hello');
    assert.equal(answer?.state, 'failed');
    assert.match(answer?.error ?? '', /^echo has no OpenAI-compatible \/v1\/chat\/completions route/);
    panel.setTarget(KIMI);
  });

  it('a deployed model the tree shows as scaled to zero is known to need a cold start (the check predict, WebSocket and async share)', async () => {
    await emulatorControl('POST', 'reset');
    const api = await extensionApi();
    const deployed = (name: string, target: Target): ChatModel => {
      const model = api.trees.models.shownChildren()?.filter(isModel).find((node) => node.owner.name === name);
      assert.ok(model, `${name} in the tree`);
      return { kind: 'deployment', owner: { kind: 'model', id: model.owner.id, name }, target, model: name, label: name, features: [] };
    };
    for (const model of (await api.trees.models.getChildren()).filter(isModel)) await api.trees.models.getChildren(model);
    assert.equal(api.chat.isSleeping(deployed('sleepy', { kind: 'production' })), true);
    assert.equal(api.chat.isSleeping(deployed('sleepy', { kind: 'environment', name: 'production' })), true, 'production named as an environment');
    assert.equal(api.chat.isSleeping(deployed('llm', { kind: 'production' })), false);
  });

  it('a question typed in the panel and sent with the Send button is answered there', async function () {
    if (!hasBrowser()) this.skip();
    const panel = await freshPanel();
    // The page has the host's state (the new conversation, its model) before anything is typed: a state arriving
    // later would reset the box.
    await waitFor(async () => (await queryWebviews('body:not([data-panel]) #target'))[0]?.text === KIMI.label, 10_000, 'the panel page to show the model');
    await fillInWebview('body:not([data-panel]) #input', 'say: typed in the page');
    const ended = new Promise<void>((resolve) => panel.onDidEndAnswer(() => resolve()));
    await clickInWebview('body:not([data-panel]) #send');
    await ended;
    const turns = panel.conversation.turns;
    assert.equal(turns.length, 2);
    const answer = turns[1];
    assert.equal(answer.role === 'assistant' && answer.text, 'typed in the page');
    await shownAnswer(answer.id, 'typed in the page');
    const input = await queryWebviews('#input');
    assert.equal(input[0]?.value, '', 'the box is cleared once the question is taken');
  });

  it('the system prompt typed in the page reaches the host and stays set for the next question', async function () {
    if (!hasBrowser()) this.skip();
    const panel = await freshPanel();
    await waitFor(async () => (await queryWebviews('body:not([data-panel]) #system')).length > 0, 10_000, 'the panel page');
    await clickInWebview('body:not([data-panel]) #options summary');
    await fillInWebview('body:not([data-panel]) #system', 'Answer in French.');
    // The form reports a change when the field loses focus, as a user moving on would.
    await clickInWebview('body:not([data-panel]) #input');
    await waitFor(() => panel.conversation.settings.system === 'Answer in French.', 10_000, 'the host to take the system prompt');
    const answer = await panel.ask('say: oui');
    assert.equal(answer?.state, 'done');
    assert.equal(panel.conversation.settings.system, 'Answer in French.');
  });
});
