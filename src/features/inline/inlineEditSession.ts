import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { askModel } from '../chat/logic/askModel';
import { replacementFrom } from './logic/prompt';
import type { AssistantTurn, ChatModel } from '../chat/logic/protocol';
import { chatEndpoint } from '../chat/logic/chatTargets';
import type { ChatCompletionRequest } from '../../client/types';
import { BasetenServices } from '../../platform/services';
import { PROPOSAL_SCHEME, ProposalDocuments } from './proposals';

export type InlineEditState = 'streaming' | 'ready' | 'failed' | 'cancelled' | 'accepted' | 'rejected';

/**
 * One inline prompt: the model's answer streams into a proposal shown as a diff against the file; the
 * user accepts it (one edit, one undo step) or rejects it (the file is never touched).
 */
export class InlineEditSession {
  readonly id = randomUUID();
  readonly proposalUri: vscode.Uri;
  readonly original: string;
  private readonly controller = new AbortController();
  private stateValue: InlineEditState = 'streaming';
  private readonly answer: AssistantTurn;
  error?: string;
  /** Resolves when the answer has ended (ready, failed or cancelled). */
  readonly done: Promise<InlineEditState>;
  private readonly changed = new vscode.EventEmitter<InlineEditState>();
  readonly onDidChangeState = this.changed.event;

  constructor(
    readonly document: vscode.TextDocument,
    readonly range: vscode.Range,
    readonly instruction: string,
    readonly target: ChatModel,
    request: ChatCompletionRequest,
    private readonly services: BasetenServices,
    private readonly proposals: ProposalDocuments,
  ) {
    this.original = document.getText(range);
    const name = document.uri.path.split('/').pop() || 'untitled';
    this.proposalUri = vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${this.id}/${name}` });
    this.answer = { role: 'assistant', id: this.id, model: target.label, text: '', reasoning: '', toolCalls: [], state: 'streaming', stats: {} };
    this.proposals.set(this.proposalUri, this.proposedFileText(this.original), true);
    this.done = this.stream(request);
  }

  get state(): InlineEditState {
    return this.stateValue;
  }

  /** What would replace the selection, as it stands now. */
  get replacement(): string {
    return this.answer.text ? replacementFrom(this.answer.text, this.original) : this.original;
  }

  get answerText(): string {
    return this.answer.text;
  }

  private proposedFileText(replacement: string): string {
    const text = this.document.getText();
    return text.slice(0, this.document.offsetAt(this.range.start)) + replacement + text.slice(this.document.offsetAt(this.range.end));
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
        if (this.stateValue === 'streaming') this.proposals.set(this.proposalUri, this.proposedFileText(this.replacement));
      },
    });
    if (this.stateValue !== 'streaming') return this.stateValue;
    // What streamed stays in the diff whatever happened, so a partial answer can still be read.
    this.proposals.set(this.proposalUri, this.proposedFileText(this.replacement), true);
    if (outcome.answer.state === 'stopped') {
      this.setState('cancelled');
    } else if (outcome.error) {
      this.error = outcome.error.message;
      this.services.log.failure(`Inline prompt with ${this.target.label}`, outcome.error);
      this.setState('failed');
    } else {
      this.setState('ready');
    }
    return this.stateValue;
  }

  /** Stops the answer; the file was never changed. */
  cancel(): void {
    if (this.stateValue === 'streaming') this.controller.abort();
  }

  get settled(): boolean {
    return this.stateValue === 'accepted' || this.stateValue === 'rejected';
  }

  /**
   * Puts the proposal in place of the selection as one edit (one undo step). Refused when the selected
   * text changed meanwhile, so an edit made while the model answered is never overwritten.
   */
  async accept(): Promise<boolean> {
    if (this.settled) return false;
    this.cancel();
    await this.done;
    if (this.document.isClosed || this.document.getText(this.range) !== this.original) {
      void vscode.window.showWarningMessage('Baseten: the selected text changed while the model answered; the proposal was not applied.');
      return false;
    }
    const edit = new vscode.WorkspaceEdit();
    edit.replace(this.document.uri, this.range, this.replacement);
    const applied = await vscode.workspace.applyEdit(edit);
    if (!applied) return false;
    this.setState('accepted');
    await this.closeDiff();
    return true;
  }

  async reject(): Promise<void> {
    if (this.settled) return;
    this.cancel();
    await this.done;
    this.setState('rejected');
    await this.closeDiff();
  }

  private async closeDiff(): Promise<void> {
    const key = this.proposalUri.toString();
    const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === key);
    if (tabs.length) await vscode.window.tabGroups.close(tabs);
    this.proposals.delete(this.proposalUri);
    const shown = vscode.window.visibleTextEditors.find((editor) => editor.document === this.document);
    if (!shown && !this.document.isClosed) await vscode.window.showTextDocument(this.document);
  }

  dispose(): void {
    this.cancel();
    this.changed.dispose();
    this.proposals.delete(this.proposalUri);
  }
}
