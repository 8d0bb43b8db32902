/**
 * The chat panel over an answer's life: what the page saves while it streams, a panel hidden and shown
 * mid-answer, a new conversation mid-answer, the model picker, and the figures of a deployed model.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SEED } from '../../emulator/state/seed';
import type { AssistantTurn, ChatModel, ConversationState } from '../../src/features/chat/logic/protocol';
import { emptyConversation } from '../../src/features/chat/logic/protocol';
import { CHAT_VIEW_TYPE, type ChatPanel } from '../../src/features/chat/chatPanel';
import { emulatorControl, extensionApi, hasBrowser, queryWebviews, savedWebviewStates, waitFor } from './harness';

const KIMI: ChatModel = { kind: 'model_api', model: 'moonshotai/Kimi-K2.6', label: 'Kimi K2.6', features: ['tools', 'reasoning'] };
const LONG = 'Go on and on. [[tokens:20000]]';

async function freshPanel(): Promise<ChatPanel> {
  const panel = (await extensionApi()).chat.open();
  panel.newConversation();
  panel.setTarget(KIMI);
  return panel;
}

function streamingAnswer(panel: ChatPanel): AssistantTurn {
  const turn = panel.conversation.turns.at(-1);
  assert.ok(turn?.role === 'assistant', 'an answer is running');
  return turn;
}

/** The answer's text as the page shows it. */
async function shownText(answerId: string): Promise<string> {
  return (await queryWebviews(`article[data-answer-id="${answerId}"] .answer`)).map((match) => match.text).join('');
}

/** The saved state of the page that holds `answerId`, if one does. */
async function savedWith(answerId: string): Promise<{ state: ConversationState; saves: number } | undefined> {
  for (const saved of await savedWebviewStates()) {
    const state = saved.state as ConversationState | undefined;
    if (state?.turns?.some((turn) => turn.id === answerId)) return { state, saves: saved.saves };
  }
  return undefined;
}

describe('Chat panel over an answer’s life', function () {
  this.timeout(90_000);

  before(() => emulatorControl('POST', 'reset'));

  it('the page saves the question and the partial answer while it streams, throttled (not per batch)', async function () {
    if (!hasBrowser()) this.skip();
    const panel = await freshPanel();
    await waitFor(async () => (await queryWebviews('#input')).length > 0, 10_000, 'the panel page');
    const answering = panel.ask(LONG);
    const answer = streamingAnswer(panel);
    try {
      let first: { state: ConversationState; saves: number; at: number } | undefined;
      await waitFor(async () => {
        const saved = await savedWith(answer.id);
        const turn = saved?.state.turns.find((candidate) => candidate.id === answer.id);
        if (saved && turn?.role === 'assistant' && turn.text.length > 0) first = { ...saved, at: Date.now() };
        return !!first;
      }, 20_000, 'a saved state with part of the answer');
      const [question, saved] = first!.state.turns;
      assert.equal(question.role === 'user' && question.text, LONG);
      assert.equal(saved.role === 'assistant' && saved.state, 'streaming');
      assert.ok(streamingAnswer(panel).text.startsWith(saved.role === 'assistant' ? saved.text : '?'), 'what was saved is what streamed');
      // Batches arrive every 50 ms; saves at most once a second (SAVE_INTERVAL_MS), plus one to spare.
      const batchesBefore = panel.stats.deltas;
      await waitFor(() => panel.stats.deltas - batchesBefore >= 30, 30_000, '30 more batches');
      const later = await savedWith(answer.id);
      assert.ok(later, 'the page still has a saved state');
      const seconds = (Date.now() - first!.at) / 1000;
      const saves = later.saves - first!.saves;
      assert.ok(saves >= 1 && saves <= Math.ceil(seconds) + 1, `${saves} saves in ${seconds.toFixed(1)} s`);
    } finally {
      panel.stop();
      await answering;
    }
  });

  it('a panel hidden and shown again mid-answer keeps streaming into the answer, with Stop', async function () {
    if (!hasBrowser()) this.skip();
    const panel = await freshPanel();
    panel.reveal();
    const answering = panel.ask(LONG);
    const answer = streamingAnswer(panel);
    try {
      await waitFor(async () => (await shownText(answer.id)).length > 0, 20_000, 'the first text in the page');
      const document = await vscode.workspace.openTextDocument({ content: 'hides the chat', language: 'plaintext' });
      await vscode.window.showTextDocument(document, { viewColumn: panel.panel.viewColumn, preserveFocus: false });
      await waitFor(() => !panel.panel.visible, 10_000, 'the panel to be hidden');
      panel.reveal();
      await waitFor(() => panel.panel.visible, 10_000, 'the panel to be shown again');
      // The page was rebuilt: the answer must keep growing past what had streamed when it came back.
      const whenShown = streamingAnswer(panel).text.length;
      await waitFor(async () => (await shownText(answer.id)).length > whenShown + 20, 20_000, 'the shown answer to keep growing');
      assert.ok(panel.isStreaming);
      assert.deepEqual(await queryWebviews(`article[data-answer-id="${answer.id}"] .stopped`), [], 'not marked stopped while it streams');
      assert.equal((await queryWebviews('#stop:not([hidden])')).length, 1, 'the Stop button shows');
      assert.equal((await queryWebviews('#send:not([hidden])')).length, 0);
    } finally {
      panel.stop();
      await answering;
    }
    await waitFor(async () => (await queryWebviews(`article[data-answer-id="${answer.id}"] .stopped`)).length === 1, 10_000, 'Stopped. once stopped');
  });

  it('a question asked right after New Conversation, while the old answer is ending, is answered', async () => {
    const panel = await freshPanel();
    const old = panel.ask(LONG);
    await waitFor(() => streamingAnswer(panel).text.length > 0, 20_000, 'the first tokens');
    panel.newConversation();
    const next = await panel.ask('say: a fresh start');
    assert.equal(next?.state, 'done', next?.error);
    assert.equal(next?.text, 'a fresh start');
    assert.equal((await old)?.state, 'stopped');
    assert.deepEqual(panel.conversation.turns.map((turn) => turn.role), ['user', 'assistant'], 'only the new question and its answer');
  });

  it('a second question while the model picker is open opens no second picker', async () => {
    const api = await extensionApi();
    const panel = api.chat.revive(vscode.window.createWebviewPanel(CHAT_VIEW_TYPE, 'Baseten Chat', vscode.ViewColumn.Beside), emptyConversation());
    try {
      let firstSettled = false;
      const first = panel.ask('say: one').finally(() => (firstSettled = true));
      // Refused at once (not after a second picker is left): the open picker belongs to the first question.
      const refused = new Promise<'still waiting'>((resolve) => setTimeout(() => resolve('still waiting'), 5_000));
      assert.equal(await Promise.race([panel.ask('say: two'), refused]), undefined);
      await waitFor(async () => {
        await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
        return firstSettled;
      }, 10_000, 'the picker to close');
      assert.equal(await first, undefined);
      assert.equal(panel.conversation.turns.length, 0);
    } finally {
      panel.dispose();
    }
  });

  it("a deployed model's answer shows its token figures (the panel asks its server for usage)", async () => {
    const panel = await freshPanel();
    panel.setTarget({ kind: 'deployment', owner: { kind: 'model', id: SEED.models.llm.id, name: 'llm' }, target: { kind: 'production' }, model: 'llm', label: 'production of llm', features: [] });
    const answer = await panel.ask('say: from the deployment');
    assert.equal(answer?.state, 'done', answer?.error);
    assert.equal(answer?.stats.completionTokens, 3, JSON.stringify(answer?.stats));
    assert.ok((answer?.stats.promptTokens ?? 0) > 0, JSON.stringify(answer?.stats));
    assert.ok(answer?.stats.tokensPerSecond !== undefined);
  });
});
