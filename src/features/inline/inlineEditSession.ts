import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { askModel } from '../chat/logic/askModel';
import { replacementFrom } from './logic/prompt';
import type { AssistantTurn, ChatModel } from '../chat/logic/protocol';
import { chatEndpoint } from '../chat/logic/chatTargets';
import type { ChatCompletionRequest } from '../../client/types';
import { BasetenServices } from '../../platform/services';
import { BlockLine, SelectionLines, blockLines, decidedLines, middleEdit, positionIn, proposedBlockText, splitLines } from './logic/lineDiff';

/** `unchanged`: the answer proposed the selection as it was; the session ended without a diff. */
export type InlineEditState = 'streaming' | 'ready' | 'failed' | 'cancelled' | 'accepted' | 'rejected' | 'unchanged';

const SETTLED: readonly InlineEditState[] = ['accepted', 'rejected', 'unchanged'];

/**
 * One inline prompt, shown in the file itself: the lines the selection touches become a block where the
 * answer streams in as added lines beside the original ones marked removed. Accept keeps the added lines,
 * reject the original ones; every edit of the block, from the first streamed line to the decision, is
 * one undo step.
 */
export class InlineEditSession {
  readonly id = randomUUID();
  /** The selected text, as it was. */
  readonly original: string;
  private readonly parts: SelectionLines;
  private readonly originalLines: string[];
  private readonly eol: string;
  /** The block's first line in the document; moves when lines above it are added or removed. */
  private startLine: number;
  /** What the block holds in the document now, line by line. */
  private shown: BlockLine[];
  /** What the block should hold next. */
  private wanted: BlockLine[];
  private rendering = Promise.resolve();
  private renderQueued = false;
  private applyingOwnEdit = false;
  /** Whether an edit of ours is in the document (the first one closes the undo step before it). */
  private touched = false;
  private readonly cleanBefore: boolean;
  private streamEnded = false;
  private editedByUser = false;
  private readonly controller = new AbortController();
  private stateValue: InlineEditState = 'streaming';
  private readonly answer: AssistantTurn;
  error?: string;
  /** Set when the answer was stopped by something other than the user's Stop. */
  stoppedBecause?: string;
  /** Resolves when the answer has ended (ready, failed, cancelled or unchanged) and the block shows it. */
  readonly done: Promise<InlineEditState>;
  private readonly changed = new vscode.EventEmitter<InlineEditState>();
  readonly onDidChangeState = this.changed.event;
  private readonly rendered = new vscode.EventEmitter<void>();
  /** Fires when the block's lines or position change (the decorations and lenses follow). */
  readonly onDidRender = this.rendered.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    readonly document: vscode.TextDocument,
    selection: vscode.Range,
    readonly instruction: string,
    readonly target: ChatModel,
    request: ChatCompletionRequest,
    private readonly services: BasetenServices,
  ) {
    this.original = document.getText(selection);
    this.cleanBefore = !document.isDirty;
    const endsAtLineStart = selection.end.character === 0 && selection.end.line > selection.start.line;
    const lastLine = endsAtLineStart ? selection.end.line - 1 : selection.end.line;
    const blockEnd = document.lineAt(lastLine).range.end;
    this.startLine = selection.start.line;
    this.parts = {
      before: document.getText(new vscode.Range(this.startLine, 0, selection.start.line, selection.start.character)),
      after: endsAtLineStart ? '' : document.getText(new vscode.Range(selection.end, blockEnd)),
      endsAtLineStart,
    };
    this.eol = document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
    this.originalLines = splitLines(document.getText(new vscode.Range(this.startLine, 0, blockEnd.line, blockEnd.character)));
    this.shown = this.originalLines.map((text) => ({ kind: 'pending', text }));
    this.wanted = this.shown;
    this.answer = { role: 'assistant', id: this.id, model: target.label, text: '', reasoning: '', toolCalls: [], state: 'streaming', stats: {} };
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document === this.document && !this.applyingOwnEdit) this.followEdits(event.contentChanges);
      }),
      vscode.window.onDidChangeVisibleTextEditors(() => {
        if (!this.settled && this.editor()) this.scheduleRender();
      }),
    );
    this.done = this.stream(request);
  }

  get state(): InlineEditState {
    return this.stateValue;
  }

  get settled(): boolean {
    return SETTLED.includes(this.stateValue);
  }

  /** What would replace the selection, as it stands now. */
  get replacement(): string {
    return this.answer.text ? replacementFrom(this.answer.text, this.original) : this.original;
  }

  get answerText(): string {
    return this.answer.text;
  }

  /** The block as the document shows it: each line with whether it is kept, removed, added or not reached yet. */
  get lines(): readonly BlockLine[] {
    return this.shown;
  }

  /** The document lines the block covers. */
  get range(): vscode.Range {
    return new vscode.Range(this.startLine, 0, this.startLine + Math.max(this.shown.length - 1, 0), 0);
  }

  private proposedLines(): string[] {
    return splitLines(proposedBlockText(this.parts, this.replacement));
  }

  private setState(state: InlineEditState): void {
    this.stateValue = state;
    this.changed.fire(state);
  }

  private async stream(request: ChatCompletionRequest): Promise<InlineEditState> {
    const outcome = await askModel(this.services.client.modelApis, request, this.answer, {
      signal: this.controller.signal,
      endpoint: chatEndpoint(this.target),
      flushIntervalMs: 100,
      onDelta: () => {
        if (this.stateValue !== 'streaming' || this.editedByUser) return;
        this.wanted = blockLines(this.originalLines, this.proposedLines(), true);
        this.scheduleRender();
      },
    });
    this.streamEnded = true;
    if (this.stateValue !== 'streaming') return this.stateValue;
    // What streamed stays in the block whatever happened, so a partial answer can still be read and accepted.
    if (!this.editedByUser) this.wanted = blockLines(this.originalLines, this.proposedLines(), false);
    this.scheduleRender();
    await this.rendering;
    if (outcome.answer.state === 'stopped' || this.editedByUser) {
      this.setState('cancelled');
    } else if (outcome.error) {
      this.error = outcome.error.message;
      this.services.log.failure(`Inline prompt with ${this.target.label}`, outcome.error);
      this.setState('failed');
    } else if (this.wanted.every((line) => line.kind === 'same')) {
      await this.decide(false, 'unchanged');
      void vscode.window.showInformationMessage(`Baseten: ${this.target.label} proposed no change to the selection.`);
    } else {
      this.setState('ready');
    }
    return this.stateValue;
  }

  private editor(): vscode.TextEditor | undefined {
    return vscode.window.visibleTextEditors.find((editor) => editor.document === this.document);
  }

  /** Brings the document to what `wanted` holds; renders run one at a time, the latest wins. */
  private scheduleRender(): void {
    if (this.renderQueued) return;
    this.renderQueued = true;
    this.rendering = this.rendering.then(async () => {
      this.renderQueued = false;
      // While the answer streams, a hidden editor catches up when shown; the final frame is written regardless.
      if (this.settled || this.editedByUser || (this.stateValue === 'streaming' && !this.streamEnded && !this.editor())) return;
      const next = this.wanted;
      if (await this.replaceBlock(next.map((line) => line.text), false)) {
        this.shown = next;
        this.rendered.fire();
      }
    });
  }

  /**
   * Replaces the block's text with these lines, changing only what differs. Every edit but the decision
   * leaves the undo stop open, so the stream and the decision undo together; the first one closes the
   * user's own typing before it.
   */
  private async replaceBlock(lines: string[], decision: boolean): Promise<boolean> {
    if (this.document.isClosed) return false;
    const before = this.shown.map((line) => line.text).join(this.eol);
    const edit = middleEdit(before, lines.join(this.eol));
    if (edit.start === edit.end && !edit.text) return true;
    const from = positionIn(before, edit.start);
    const to = positionIn(before, edit.end);
    const range = new vscode.Range(this.startLine + from.line, from.character, this.startLine + to.line, to.character);
    const first = !this.touched;
    this.applyingOwnEdit = true;
    try {
      const editor = this.editor();
      if (editor) {
        const applied = await editor.edit((builder) => builder.replace(range, edit.text), { undoStopBefore: first, undoStopAfter: decision });
        if (applied) this.touched = true;
        return applied;
      }
      const workspaceEdit = new vscode.WorkspaceEdit();
      workspaceEdit.replace(this.document.uri, range, edit.text);
      const applied = await vscode.workspace.applyEdit(workspaceEdit);
      if (applied) this.touched = true;
      return applied;
    } finally {
      this.applyingOwnEdit = false;
    }
  }

  /**
   * Keeps the block in step with edits made by the user or another extension: lines added above move it;
   * an edit inside it stops the answer (it would overwrite the edit) and the edited lines keep their mark.
   */
  private followEdits(changes: readonly vscode.TextDocumentContentChangeEvent[]): void {
    if (this.settled) return;
    const ordered = [...changes].sort((a, b) => b.range.start.compareTo(a.range.start));
    for (const change of ordered) {
      const lineCount = splitLines(change.text).length;
      const { start, end } = change.range;
      const blockEnd = this.startLine + this.shown.length - 1;
      if (end.line < this.startLine) {
        this.startLine += lineCount - 1 - (end.line - start.line);
      } else if (start.line <= blockEnd) {
        // The document lines start..end became lineCount lines; those inside the block keep the mark of the first.
        const first = Math.max(start.line, this.startLine) - this.startLine;
        const last = Math.min(end.line, blockEnd) - this.startLine;
        const kind = this.shown[first].kind;
        this.shown.splice(first, last - first + 1, ...Array.from({ length: lineCount }, () => ({ kind, text: '' })));
        this.startLine = Math.min(this.startLine, start.line);
        if (!this.editedByUser) {
          this.editedByUser = true;
          if (this.stateValue === 'streaming') this.stoppedBecause = 'the lines were edited';
          this.controller.abort();
        }
      }
    }
    // The texts are read back from the document, whatever the edits did inside the block.
    this.shown = this.shown.map((line, index) => ({ kind: line.kind, text: this.lineText(this.startLine + index) }));
    this.wanted = this.shown;
    this.rendered.fire();
  }

  private lineText(line: number): string {
    return line < this.document.lineCount ? this.document.lineAt(line).text : '';
  }

  /** Stops the answer; what streamed stays in the block until the user decides. */
  cancel(): void {
    if (this.stateValue === 'streaming') this.controller.abort();
  }

  /** Keeps the added lines and drops the removed ones: one edit with the stream, one undo step. */
  async accept(): Promise<boolean> {
    if (this.settled) return false;
    this.cancel();
    await this.done;
    if (this.settled) return false;
    return this.decide(true, 'accepted');
  }

  /** Drops the added lines and keeps the original ones: the selection as it was. */
  async reject(): Promise<void> {
    if (this.settled) return;
    this.cancel();
    await this.done;
    if (this.settled) return;
    await this.decide(false, 'rejected');
  }

  private async decide(accept: boolean, state: InlineEditState): Promise<boolean> {
    await this.rendering;
    const applied = await this.replaceBlock(decidedLines(this.shown, accept), true);
    if (!applied) {
      void vscode.window.showWarningMessage('Baseten: the proposed change could not be applied; the file is open elsewhere or closed.');
      return false;
    }
    this.setState(state);
    // A file that had no unsaved changes has none after a reject either: it is the file as saved.
    if (!accept && this.cleanBefore && !this.document.isUntitled && this.document.isDirty) {
      await vscode.commands.executeCommand('workbench.action.files.revert', this.document.uri).then(undefined, () => undefined);
    }
    return true;
  }

  dispose(): void {
    this.cancel();
    this.changed.dispose();
    this.rendered.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }
}
