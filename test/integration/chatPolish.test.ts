import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ChatModel } from '../../src/features/chat/logic/protocol';
import type { ChatPanel } from '../../src/features/chat/chatPanel';
import { EXAMPLE_PROMPTS } from '../../src/features/chat/logic/chatHtml';
import type { TargetNode } from '../../src/features/explorer/targetNode';
import { emulatorControl, extensionApi, focusInWebviews, hasBrowser, pressInUi, queryWebviews, screenshot, waitFor } from './harness';
import { isModel, isModelApi, isTarget } from './nodes';

const KIMI: ChatModel = { kind: 'model_api', model: 'moonshotai/Kimi-K2.6', label: 'Kimi K2.6', features: ['tools', 'reasoning'] };
const chat = (selector: string): string => `body:not([data-panel]) ${selector}`;

/** The chat panel, shown and focused, with a new conversation with Kimi, once its page shows it empty. */
async function emptyShownPanel(): Promise<ChatPanel> {
  const api = await extensionApi();
  const panel = api.chat.open();
  panel.newConversation();
  panel.setTarget(KIMI);
  panel.reveal();
  await waitFor(async () => (await queryWebviews(chat('#empty:not([hidden])'))).length === 1, 10_000, 'the empty conversation in the page');
  return panel;
}

describe('Chat panel, polished (issue 14 item 9) and the trees read aloud (issue 17)', function () {
  this.timeout(120_000);

  before(() => emulatorControl('POST', 'reset'));

  it('with no model used yet, the first Model API (as the view lists them) answers', async () => {
    const api = await extensionApi();
    const first = (await api.trees.modelApis.getChildren()).filter(isModelApi)[0];
    assert.ok(first);
    const chosen = await api.chat.firstModelApi();
    assert.equal(chosen?.kind, 'model_api');
    assert.equal(chosen?.model, first.model.id);
  });

  it('an empty conversation offers three example prompts; one picked by keyboard is asked', async function () {
    if (!hasBrowser()) this.skip();
    const panel = await emptyShownPanel();
    await waitFor(async () => (await queryWebviews(chat('#empty:not([hidden]) button.example'))).length === 3, 10_000, 'the example prompts');
    const shown = (await queryWebviews(chat('#empty button.example'))).map((match) => match.text);
    assert.deepEqual(shown, EXAMPLE_PROMPTS);
    await screenshot('chat-empty-state');
    // From the message box, back to the last example and Enter.
    await waitFor(async () => (await focusInWebviews()).some((report) => report.focused && report.active.id === 'input'), 10_000, 'the message box');
    let name = '';
    for (let i = 0; i < 8 && name !== EXAMPLE_PROMPTS[2]; i++) {
      await pressInUi('Shift+Tab');
      name = (await focusInWebviews()).find((report) => report.focused)?.active.name ?? '';
    }
    assert.equal(name, EXAMPLE_PROMPTS[2], 'the last example is reachable by Shift+Tab');
    const ended = new Promise((resolve) => panel.onDidEndAnswer(resolve));
    await pressInUi('Enter');
    await ended;
    const question = panel.conversation.turns[0];
    assert.equal(question?.role === 'user' && question.text, EXAMPLE_PROMPTS[2]);
    await waitFor(async () => (await queryWebviews(chat('#empty[hidden]'))).length === 1, 5000, 'the empty state to go');
  });

  it('a long paragraph with no blank line streams as one paragraph, in kept pieces, with no gap between them', async function () {
    if (!hasBrowser()) this.skip();
    const panel = await emptyShownPanel();
    const words = 'a replica scales down after the idle window and a cold start loads the weights again before the first token'.split(' ');
    let paragraph = '';
    for (let i = 0; paragraph.length < 40_000; i++) paragraph += words[i % words.length] + (i % 97 === 96 ? '\n' : ' ');
    const answering = panel.ask(`say: ${paragraph.trim()} [[chunk:15]]`);
    const streaming = (): string | undefined => {
      const turn = panel.conversation.turns[1];
      return turn?.role === 'assistant' && turn.state === 'streaming' ? turn.id : undefined;
    };
    await waitFor(() => streaming() !== undefined, 10_000, 'the answer to start');
    let mostParagraphs = 0;
    let mostPieces = 0;
    let mostSealed = 0;
    for (let id = streaming(); id; id = streaming()) {
      const blocks = await queryWebviews(`article[data-answer-id="${id}"] .answer p`);
      mostParagraphs = Math.max(mostParagraphs, blocks.length);
      const open = await queryWebviews(`article[data-answer-id="${id}"] .answer p.open-paragraph > span`);
      mostPieces = Math.max(mostPieces, open.length);
      const sealed = await queryWebviews(`article[data-answer-id="${id}"] .answer p.open-paragraph > .sealed-lines`);
      mostSealed = Math.max(mostSealed, sealed.length);
      if (sealed.length >= 2 && mostSealed === sealed.length) await screenshot('chat-long-paragraph-streaming');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const answer = await answering;
    assert.equal(answer?.state, 'done', answer?.error);
    assert.ok(mostPieces >= 2, `the open paragraph was shown in kept pieces (at most ${mostPieces} seen)`);
    assert.equal(mostParagraphs, 1, 'one paragraph all along: no gap at a piece boundary');
    assert.ok(mostSealed >= 1, 'lines laid out for good were sealed off while it streamed');
    const final = await queryWebviews(`article[data-answer-id="${answer.id}"] .answer p`);
    assert.equal(final.length, 1);
    const words_ = (text: string): string => text.replace(/\s+/g, ' ').trim();
    assert.ok(words_(final[0].text) === words_(answer.text), 'the paragraph shows the answer word for word');
    // The statistics: a short line, every figure on hover.
    const [stats] = await queryWebviews(`article[data-answer-id="${answer.id}"] .stats`);
    assert.match(stats.text, /to first token · [\d.]+ tok\/s · [\d,]+ tokens$/);
    assert.match(stats.html, /title="[^"]*Time to first token: \d+ ms[^"]*Completion tokens: \d+/);
  });

  it('a reopened panel shows the latest question and its answer, not the top of the conversation', async function () {
    if (!hasBrowser()) this.skip();
    const api = await extensionApi();
    const panel = api.chat.open();
    panel.newConversation();
    panel.setTarget(KIMI);
    for (const question of ['First. [[tokens:400]]', 'Second. [[tokens:400]]', 'Third. [[tokens:400]]']) assert.equal((await panel.ask(question))?.state, 'done');
    const latest = panel.conversation.turns[4];
    // Hidden behind an editor in its group (the page is dropped), then shown again (the page is rebuilt from its state).
    const document = await vscode.workspace.openTextDocument({ content: 'elsewhere' });
    await vscode.window.showTextDocument(document, panel.panel.viewColumn);
    await waitFor(() => !panel.panel.visible, 5000, 'the panel to be hidden');
    panel.reveal();
    let scrolled = '';
    await waitFor(async () => !!(scrolled = (await queryWebviews(chat('#transcript[data-scrolled-to]')))[0]?.html.match(/data-scrolled-to="([^"]*)"/)?.[1] ?? ''), 10_000, 'the reopened page to scroll');
    const [top, turn] = scrolled.split(' ');
    assert.equal(turn, latest.id, 'scrolled to the latest question');
    assert.ok(Number(top) > 0, `scrolled down (${top} px)`);
    await screenshot('chat-reopened-latest');
  });

  it('Model API rows and environment rows read aloud in words, naming their model', async () => {
    const api = await extensionApi();
    const modelApi = (await api.trees.modelApis.getChildren()).filter(isModelApi).find((node) => node.model.id === KIMI.model);
    assert.ok(modelApi);
    const spoken = modelApi.treeItem().accessibilityInformation?.label ?? '';
    assert.match(spoken, /^Kimi K2\.6, Model API, \d+ thousand token context, \$[\d.]+ input, \$[\d.]+ output per million tokens/);
    assert.doesNotMatch(spoken, /ctx|per M\b|\//);
    const echo = (await api.trees.models.getChildren()).filter(isModel).find((node) => node.owner.name === 'echo');
    assert.ok(echo);
    const production = (await api.trees.models.getChildren(echo)).find((node): node is TargetNode => isTarget(node) && node.place === 'environment' && node.key === 'production');
    assert.ok(production);
    const row = production.treeItem().accessibilityInformation?.label ?? '';
    assert.match(row, /echo/, `the row names its model: ${row}`);
    assert.match(row, /production/);
  });
});
