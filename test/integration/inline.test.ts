import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { InlineEditSession } from '../../src/features/inline/inlineEditSession';
import { emulatorControl, extensionApi, screenshot, waitFor } from './harness';

const ORIGINAL = 'function greet(name) {\n  return "hi " + name;\n}\n\nconsole.log(greet("you"));\n';
const SELECTED = 'function greet(name) {\n  return "hi " + name;\n}';
const REWRITTEN = 'function greet(name: string): string {\n  return `hi ${name}`;\n}';

async function editorWithSelection(): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument({ content: ORIGINAL, language: 'typescript' });
  const editor = await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
  editor.selection = new vscode.Selection(0, 0, 2, 1);
  assert.equal(document.getText(editor.selection), SELECTED);
  return editor;
}

/** The emulator answers a message starting with `say:` with exactly the rest: here, a fenced rewrite and a note. */
const INSTRUCTION = `say: Here you go:\n\`\`\`ts\n${REWRITTEN}\n\`\`\`\nAnything else?`;

async function prompt(instruction = INSTRUCTION): Promise<InlineEditSession> {
  const api = await extensionApi();
  const session = await vscode.commands.executeCommand<InlineEditSession | undefined>('baseten.promptOnSelection', instruction);
  assert.ok(session, 'a session started');
  assert.equal(api.inline.current, session);
  return session;
}

function diffTabOpen(session: InlineEditSession): boolean {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .some((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === session.proposalUri.toString());
}

describe('Prompt on selection', function () {
  this.timeout(60_000);

  before(async () => {
    await emulatorControl('POST', 'reset');
    const api = await extensionApi();
    // The inline prompt answers with the chat's last model; make it a Model API of the emulator.
    api.chat.open().setTarget({ kind: 'model_api', model: 'moonshotai/Kimi-K2.6', label: 'Kimi K2.6', features: [] });
  });
  afterEach(() => emulatorControl('DELETE', 'faults'));

  it('streams the answer into a diff; accept replaces the selection in one undo step', async () => {
    const editor = await editorWithSelection();
    const document = editor.document;
    const session = await prompt();
    assert.equal(await session.done, 'ready', session.error);
    assert.ok(diffTabOpen(session), 'the proposal is shown as a diff');
    // The diff's right side is refreshed by VS Code after the provider announces a change: wait for it.
    const proposal = await vscode.workspace.openTextDocument(session.proposalUri);
    await waitFor(() => proposal.getText() === ORIGINAL.replace(SELECTED, REWRITTEN), 10_000, 'the diff to show the file with only the selection replaced');
    assert.equal(document.getText(), ORIGINAL, 'nothing changes before accepting');
    await screenshot('inline-diff');

    assert.equal(await vscode.commands.executeCommand('baseten.acceptProposal', session.proposalUri), true);
    assert.equal(document.getText(), ORIGINAL.replace(SELECTED, REWRITTEN));
    assert.equal(session.state, 'accepted');
    await waitFor(() => !diffTabOpen(session), 10_000, 'the diff to close');

    await vscode.window.showTextDocument(document, { preserveFocus: false });
    await waitFor(() => vscode.window.activeTextEditor?.document === document, 10_000, 'the edited file to have focus');
    await vscode.commands.executeCommand('undo');
    await waitFor(() => document.getText() === ORIGINAL, 10_000, 'one undo to restore the original');
  });

  it('reject leaves the file untouched and closes the diff', async () => {
    const editor = await editorWithSelection();
    const session = await prompt();
    await session.done;
    await vscode.commands.executeCommand('baseten.rejectProposal', session.proposalUri);
    assert.equal(session.state, 'rejected');
    assert.equal(editor.document.getText(), ORIGINAL);
    assert.equal(editor.document.isDirty, true, 'an untitled document stays as it was');
    await waitFor(() => !diffTabOpen(session), 10_000, 'the diff to close');
  });

  it('cancel stops the answer at once and changes nothing', async () => {
    const editor = await editorWithSelection();
    const session = await prompt('Rewrite at length [[tokens:20000]]');
    await waitFor(() => session.answerText.length > 0, 20_000, 'the first tokens');
    session.cancel();
    assert.equal(await session.done, 'cancelled');
    await session.reject();
    assert.equal(editor.document.getText(), ORIGINAL);
  });

  it('a dropped stream keeps the partial proposal visible and says so', async () => {
    const editor = await editorWithSelection();
    await emulatorControl('POST', 'faults', { match: { path: '/chat\\/completions$/' }, times: 1, fault: { kind: 'drop', afterEvents: 6 } });
    const session = await prompt();
    assert.equal(await session.done, 'failed');
    assert.ok(session.error);
    const proposal = await vscode.workspace.openTextDocument(session.proposalUri);
    await waitFor(() => proposal.getText() !== ORIGINAL && proposal.getText().length > 0, 10_000, 'the partial answer in the diff').catch((error: Error) => {
      throw new Error(`${error.message}; answer so far ${JSON.stringify(session.answerText)}, replacement ${JSON.stringify(session.replacement)}, shown ${JSON.stringify(proposal.getText().slice(0, 80))}`);
    });
    await session.reject();
    assert.equal(editor.document.getText(), ORIGINAL);
  });

  it('refuses to apply when the selected text was edited meanwhile', async () => {
    const editor = await editorWithSelection();
    const session = await prompt();
    await session.done;
    // The diff took the editor's place; the document is edited as another extension or a collaborator would.
    const edit = new vscode.WorkspaceEdit();
    edit.insert(editor.document.uri, new vscode.Position(1, 2), '// edited\n  ');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.equal(await session.accept(), false);
    assert.match(editor.document.getText(), /\/\/ edited/);
    assert.doesNotMatch(editor.document.getText(), /name: string/);
    await session.reject();
  });

  it('keeps recent prompts for the next time', async () => {
    const api = await extensionApi();
    // Most recent first, each prompt once.
    assert.deepEqual(api.inline.history.slice(0, 2), [INSTRUCTION, 'Rewrite at length [[tokens:20000]]']);
    assert.equal(new Set(api.inline.history).size, api.inline.history.length);
  });
});
