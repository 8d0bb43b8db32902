import * as vscode from 'vscode';
import { DEFAULT_INLINE_SYSTEM_PROMPT, DEFAULT_INLINE_TEMPLATE, fillTemplate } from './logic/prompt';
import type { ChatModel } from '../chat/logic/protocol';
import type { ChatCompletionRequest } from '../../client/types';
import { BasetenServices } from '../../platform/services';
import { InlineEditSession } from './inlineEditSession';
import { InlineDiffDecorations } from './inlineDiffDecorations';
import { InlineDiffLenses } from './inlineDiffLenses';
import type { ChatPanels } from '../chat/chatPanels';

const HISTORY_KEY = 'baseten.inline.history';
const HISTORY_SIZE = 20;
const PENDING_CONTEXT = 'baseten.inlineProposalPending';

interface InlineSettings {
  template: string;
  systemPrompt: string;
  model?: string;
}

function inlineSettings(): InlineSettings {
  const config = vscode.workspace.getConfiguration('baseten.inline');
  const template = config.get<string>('promptTemplate')?.trim();
  const systemPrompt = config.get<string>('systemPrompt');
  return {
    template: template || DEFAULT_INLINE_TEMPLATE,
    systemPrompt: systemPrompt === undefined ? DEFAULT_INLINE_SYSTEM_PROMPT : systemPrompt,
    model: config.get<string>('model')?.trim() || undefined,
  };
}

/** `Baseten: Prompt on Selection` and the proposals it leaves in the file to accept or reject. */
export class InlineEdits implements vscode.Disposable {
  private readonly sessions = new Set<InlineEditSession>();
  private latest?: InlineEditSession;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly decorations = new InlineDiffDecorations(() => this.sessions);
  private readonly lenses = new InlineDiffLenses(() => this.sessions);

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly services: BasetenServices,
    private readonly chat: ChatPanels,
  ) {
    this.disposables.push(
      this.decorations,
      this.lenses,
      vscode.languages.registerCodeLensProvider({ scheme: '*' }, this.lenses),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateContext()),
      vscode.workspace.onDidCloseTextDocument((document) => {
        // A closed document takes its block with it (an untitled one is gone; a file asked to be saved or not).
        const session = this.pendingIn(document);
        if (!session) return;
        session.cancel();
        this.sessions.delete(session);
        session.dispose();
        this.updateContext();
      }),
    );
  }

  /** The session started last, for tests and the accept/reject commands run from the palette. */
  get current(): InlineEditSession | undefined {
    return this.latest;
  }

  get history(): string[] {
    return this.context.globalState.get<string[]>(HISTORY_KEY) ?? [];
  }

  private async remember(instruction: string): Promise<void> {
    const history = [instruction, ...this.history.filter((item) => item !== instruction)].slice(0, HISTORY_SIZE);
    await this.context.globalState.update(HISTORY_KEY, history);
  }

  /** Asks for the instruction; recent ones are offered first and can be picked or edited. */
  private askInstruction(): Promise<string | undefined> {
    const pick = vscode.window.createQuickPick<vscode.QuickPickItem>();
    pick.title = 'Baseten: Prompt on Selection';
    pick.placeholder = 'What should the model do with the selection? (recent prompts below)';
    const recent = this.history.map((label) => ({ label, description: 'recent' }));
    pick.items = recent;
    pick.onDidChangeValue((value) => {
      pick.items = value.trim() ? [{ label: value, alwaysShow: true }, ...recent.filter((item) => item.label !== value)] : recent;
    });
    return new Promise((resolve) => {
      pick.onDidAccept(() => {
        resolve((pick.selectedItems[0]?.label ?? pick.value).trim() || undefined);
        pick.hide();
      });
      pick.onDidHide(() => {
        resolve(undefined);
        pick.dispose();
      });
      pick.show();
    });
  }

  private async target(): Promise<ChatModel | undefined> {
    const model = inlineSettings().model;
    if (model) return { kind: 'model_api', model, label: model, features: [] };
    return this.chat.lastTarget() ?? (await this.chat.pickTarget());
  }

  /** Runs the prompt on the editor's selection; resolves with the session once its block is in the file. */
  async promptOnSelection(instruction?: string, editor = vscode.window.activeTextEditor): Promise<InlineEditSession | undefined> {
    if (!editor || editor.selection.isEmpty) {
      void vscode.window.showInformationMessage('Select the code the model should work on, then run Baseten: Prompt on Selection.');
      return undefined;
    }
    const document = editor.document;
    if (this.pendingIn(document)) {
      void vscode.window.showInformationMessage('Baseten: accept or reject the proposed change in this file first.');
      return undefined;
    }
    const range = new vscode.Range(editor.selection.start, editor.selection.end);
    const asked = typeof instruction === 'string' && instruction.trim() ? instruction.trim() : await this.askInstruction();
    if (!asked) return undefined;
    const target = await this.target();
    if (!target) return undefined;
    await this.remember(asked);
    const settings = inlineSettings();
    const prompt = fillTemplate(settings.template, {
      instruction: asked,
      selection: document.getText(range),
      file: vscode.workspace.asRelativePath(document.uri, false),
      language: document.languageId,
    });
    const request: ChatCompletionRequest = {
      model: target.model,
      messages: [...(settings.systemPrompt.trim() ? [{ role: 'system' as const, content: settings.systemPrompt }] : []), { role: 'user', content: prompt }],
    };
    // The block replaces the selection; the cursor goes to its first line, where Accept and Reject are.
    editor.selection = new vscode.Selection(range.start, range.start);
    const session = new InlineEditSession(document, range, asked, target, request, this.services);
    this.track(session);
    return session;
  }

  private pendingIn(document: vscode.TextDocument): InlineEditSession | undefined {
    return [...this.sessions].find((session) => session.document === document);
  }

  private track(session: InlineEditSession): void {
    this.sessions.add(session);
    this.latest = session;
    this.updateContext();
    this.lenses.refresh();
    session.onDidRender(() => {
      this.decorations.paintAll();
      this.lenses.refresh();
    });
    session.onDidChangeState(() => {
      if (session.settled) {
        this.sessions.delete(session);
        session.dispose();
      }
      this.decorations.paintAll();
      this.lenses.refresh();
      this.updateContext();
    });
  }

  /** `baseten.inlineProposalPending`: the active editor's file has a proposal waiting (the keys' `when`). */
  private updateContext(): void {
    const active = vscode.window.activeTextEditor?.document;
    void vscode.commands.executeCommand('setContext', PENDING_CONTEXT, !!active && !!this.pendingIn(active));
  }

  /** The session a lens (its id), the keys or the palette (the active file's, else the latest) acts on. */
  private sessionFor(id?: string): InlineEditSession | undefined {
    if (id) return [...this.sessions].find((session) => session.id === id);
    const active = vscode.window.activeTextEditor?.document;
    return (active && this.pendingIn(active)) ?? (this.latest && this.sessions.has(this.latest) ? this.latest : undefined);
  }

  accept(id?: string): Promise<boolean> {
    return this.sessionFor(id)?.accept() ?? Promise.resolve(false);
  }

  async reject(id?: string): Promise<void> {
    await this.sessionFor(id)?.reject();
  }

  dispose(): void {
    for (const session of this.sessions) session.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }
}
