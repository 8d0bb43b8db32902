import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { InlineEditSession } from '../../src/features/inline/inlineEditSession';
import { emulatorControl, extensionApi, hasBrowser, pressInUi, screenshot, textsInUi, waitFor } from './harness';

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

async function lensTitles(document: vscode.TextDocument): Promise<string[]> {
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri)) ?? [];
  return lenses.map((lens) => lens.command?.title ?? '').filter((title) => title && !title.startsWith('$(references)'));
}

/** The key as a user presses it; where the runner has no browser (test-electron), the command it is bound to. */
async function pressKey(key: string, command: string): Promise<void> {
  if (hasBrowser()) await pressInUi(key);
  else await vscode.commands.executeCommand(command);
}

function kinds(session: InlineEditSession): string {
  return session.lines.map((line) => `${line.kind[0]} ${line.text}`).join('\n');
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

  it('first-hour 3: streams the answer into the file as an inline diff; Ctrl+Enter accepts it in one undo step', async () => {
    const editor = await editorWithSelection();
    const document = editor.document;
    const session = await prompt();
    assert.equal(await session.done, 'ready', session.error);
    // Removed lines stay in place, marked; the added ones follow them; the rest of the file is untouched.
    assert.equal(
      kinds(session),
      ['r function greet(name) {', 'r   return "hi " + name;', 'a function greet(name: string): string {', 'a   return `hi ${name}`;', 's }'].join('\n'),
    );
    assert.equal(document.getText(), 'function greet(name) {\n  return "hi " + name;\nfunction greet(name: string): string {\n  return `hi ${name}`;\n}\n\nconsole.log(greet("you"));\n');
    await waitFor(async () => (await lensTitles(document)).includes('Accept (Ctrl+Enter)'), 10_000, 'the Accept lens');
    assert.deepEqual(await lensTitles(document), ['Accept (Ctrl+Enter)', 'Reject (Esc)', 'Kimi K2.6: 2 lines added, 2 lines removed']);
    // What the user sees: the lenses above the block, in the editor (not a notification that slides away).
    await waitFor(async () => (await textsInUi('.contentWidgets .codelens-decoration')).some((text) => text.includes('Accept')), 10_000, 'the lenses on screen').catch(() => undefined);
    await screenshot('first-hour-3-inline-diff');
    // The same in a dark theme: the theme's own diff colours.
    const workbench = vscode.workspace.getConfiguration('workbench');
    await workbench.update('colorTheme', 'Default Dark Modern', vscode.ConfigurationTarget.Global);
    try {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await screenshot('first-hour-3-inline-diff-dark');
      // High contrast has no diff backgrounds: the borders and the strike-through carry it.
      await workbench.update('colorTheme', 'Default High Contrast', vscode.ConfigurationTarget.Global);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await screenshot('first-hour-3-inline-diff-hc');
    } finally {
      await workbench.update('colorTheme', undefined, vscode.ConfigurationTarget.Global);
    }

    await vscode.window.showTextDocument(document, { preserveFocus: false });
    await pressKey('Control+Enter', 'baseten.acceptProposal');
    await waitFor(() => session.state === 'accepted', 10_000, 'Ctrl+Enter to accept');
    assert.equal(document.getText(), ORIGINAL.replace(SELECTED, REWRITTEN));
    assert.deepEqual(await lensTitles(document), [], 'the lenses go with the decision');

    await waitFor(() => vscode.window.activeTextEditor?.document === document, 10_000, 'the edited file to have focus');
    await vscode.commands.executeCommand('undo');
    await waitFor(() => document.getText() === ORIGINAL, 10_000, 'one undo to restore the original');
  });

  it('Escape rejects: the file is exactly as before, and a saved file is not left modified', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'a workspace folder is open');
    const uri = vscode.Uri.joinPath(folder.uri, 'inline-inputs', 'greet.ts');
    await vscode.workspace.fs.writeFile(uri, Buffer.from(ORIGINAL));
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, preview: false });
    editor.selection = new vscode.Selection(0, 0, 3, 0);
    const session = await prompt();
    assert.equal(await session.done, 'ready', session.error);
    assert.equal(document.isDirty, true, 'the proposal is in the file');
    await vscode.window.showTextDocument(document, { preserveFocus: false });
    await pressKey('Escape', 'baseten.rejectProposal');
    await waitFor(() => session.state === 'rejected', 10_000, 'Escape to reject');
    assert.equal(document.getText(), ORIGINAL);
    await waitFor(() => !document.isDirty, 10_000, 'the file to be as saved again');
  });

  it('while the answer streams, new lines arrive above the original ones (dimmed until reached); Escape stops and restores', async () => {
    const editor = await editorWithSelection();
    const document = editor.document;
    const session = await prompt('Rewrite it [[code:3000]]');
    await waitFor(() => session.lines.filter((line) => line.kind === 'added').length >= 4, 20_000, 'the first streamed lines in the file');
    assert.equal(session.state, 'streaming');
    assert.ok(session.lines.some((line) => line.kind === 'pending'), kinds(session));
    await waitFor(async () => (await lensTitles(document)).some((title) => title.includes('is answering')), 10_000, 'the answering lens');
    assert.ok((await lensTitles(document)).includes('Stop and Reject (Esc)'));
    await screenshot('first-hour-3-inline-streaming');
    await vscode.window.showTextDocument(document, { preserveFocus: false });
    await pressKey('Escape', 'baseten.rejectProposal');
    await waitFor(() => session.state === 'rejected', 10_000, 'Escape to stop and reject');
    assert.equal(document.getText(), ORIGINAL);
  });

  it('an answer that changes nothing says so and ends, with no diff', async () => {
    const editor = await editorWithSelection();
    const session = await prompt(`say: \`\`\`ts\n${SELECTED}\n\`\`\``);
    assert.equal(await session.done, 'unchanged');
    assert.equal(editor.document.getText(), ORIGINAL);
    assert.deepEqual(await lensTitles(editor.document), []);
  });

  it('cancel stops the answer at once; reject restores the original', async () => {
    const editor = await editorWithSelection();
    const session = await prompt('Rewrite at length [[tokens:20000]]');
    await waitFor(() => session.answerText.length > 0, 20_000, 'the first tokens');
    session.cancel();
    assert.equal(await session.done, 'cancelled');
    await session.reject();
    assert.equal(editor.document.getText(), ORIGINAL);
  });

  it('a dropped stream keeps the partial proposal in the file, says so, and leaves it restorable', async () => {
    const editor = await editorWithSelection();
    await emulatorControl('POST', 'faults', { match: { path: '/chat\\/completions$/' }, times: 1, fault: { kind: 'drop', afterEvents: 6 } });
    const session = await prompt();
    assert.equal(await session.done, 'failed');
    assert.ok(session.error);
    assert.ok(
      session.lines.some((line) => line.kind === 'added'),
      `the partial answer is in the file: ${kinds(session)} (answer so far ${JSON.stringify(session.answerText)})`,
    );
    const titles = await lensTitles(editor.document);
    assert.ok(titles.some((title) => title.includes('The answer was cut off')), titles.join(' | '));
    assert.ok(titles.some((title) => title.startsWith('Accept Partial')), titles.join(' | '));
    await session.reject();
    assert.equal(editor.document.getText(), ORIGINAL);
  });

  it('an edit made inside the proposal is kept when it is accepted', async () => {
    const editor = await editorWithSelection();
    const session = await prompt();
    await session.done;
    const added = session.lines.findIndex((line) => line.kind === 'added');
    const edit = new vscode.WorkspaceEdit();
    edit.insert(editor.document.uri, new vscode.Position(session.range.start.line + added + 1, 2), '// edited\n  ');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.equal(await session.accept(), true);
    assert.equal(editor.document.getText(), ORIGINAL.replace(SELECTED, REWRITTEN.replace('  return', '  // edited\n  return')));
  });

  it('keeps recent prompts for the next time', async () => {
    const api = await extensionApi();
    // Most recent first, each prompt once.
    assert.deepEqual(api.inline.history.slice(0, 2), [INSTRUCTION, 'Rewrite at length [[tokens:20000]]']);
    assert.ok(api.inline.history.includes('Rewrite it [[code:3000]]'));
    assert.equal(new Set(api.inline.history).size, api.inline.history.length);
  });
});
