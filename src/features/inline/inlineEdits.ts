import * as vscode from 'vscode';
import { DEFAULT_INLINE_SYSTEM_PROMPT, DEFAULT_INLINE_TEMPLATE, fillTemplate } from './logic/prompt';
import type { ChatModel } from '../chat/logic/protocol';
import type { ChatCompletionRequest } from '../../client/types';
import { BasetenServices } from '../../platform/services';
import { InlineEditSession } from './inlineEditSession';
import { PROPOSAL_SCHEME, ProposalDocuments } from './proposals';
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

/** `Baseten: Prompt on Selection` and the proposals it leaves to accept or reject. */
export class InlineEdits implements vscode.Disposable {
  private readonly proposals = new ProposalDocuments();
  private readonly sessions = new Set<InlineEditSession>();
  private latest?: InlineEditSession;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly services: BasetenServices,
    private readonly chat: ChatPanels,
  ) {
    this.disposables.push(this.proposals, vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, this.proposals));
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

  /** Runs the prompt on the editor's selection; resolves with the session once its diff is open. */
  async promptOnSelection(instruction?: string, editor = vscode.window.activeTextEditor): Promise<InlineEditSession | undefined> {
    if (!editor || editor.selection.isEmpty) {
      void vscode.window.showInformationMessage('Select the code the model should work on, then run Baseten: Prompt on Selection.');
      return undefined;
    }
    const document = editor.document;
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
    const session = new InlineEditSession(document, range, asked, target, request, this.services, this.proposals);
    this.track(session);
    // The proposal reads in the file's language (highlighting, bracket matching) rather than plain text.
    await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(session.proposalUri), document.languageId).then(undefined, () => undefined);
    const short = asked.replace(/\s+/g, ' ');
    await vscode.commands.executeCommand('vscode.diff', document.uri, session.proposalUri, `Baseten: ${short.length > 40 ? `${short.slice(0, 40)}…` : short} (${target.label})`, {
      preview: true,
    } satisfies vscode.TextDocumentShowOptions);
    // A fast answer may have ended while the diff was opening; what it shows must be the latest.
    this.proposals.refresh(session.proposalUri);
    void this.showProgress(session);
    return session;
  }

  private track(session: InlineEditSession): void {
    this.sessions.add(session);
    this.latest = session;
    void vscode.commands.executeCommand('setContext', PENDING_CONTEXT, true);
    session.onDidChangeState((state) => {
      if (state !== 'accepted' && state !== 'rejected') return;
      this.sessions.delete(session);
      session.dispose();
      if (!this.sessions.size) void vscode.commands.executeCommand('setContext', PENDING_CONTEXT, false);
    });
  }

  private async showProgress(session: InlineEditSession): Promise<void> {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Baseten: ${session.target.label} is answering…`, cancellable: true },
      (_progress, token) => {
        token.onCancellationRequested(() => void session.reject());
        return session.done;
      },
    );
    if (session.settled) return;
    const choice =
      session.state === 'ready'
        ? await vscode.window.showInformationMessage('Baseten: apply the proposed change?', 'Accept', 'Reject')
        : session.state === 'failed'
          ? await vscode.window.showErrorMessage(`Baseten: the answer is incomplete. ${session.error ?? ''}`, 'Accept Partial', 'Reject')
          : 'Reject';
    if (session.settled) return;
    if (choice === 'Accept' || choice === 'Accept Partial') await session.accept();
    else if (choice === 'Reject') await session.reject();
  }

  /** The session a command from the diff's title bar (or the palette) acts on. */
  private sessionFor(uri?: vscode.Uri): InlineEditSession | undefined {
    const key = (uri ?? vscode.window.activeTextEditor?.document.uri)?.toString();
    return [...this.sessions].find((session) => session.proposalUri.toString() === key) ?? this.latest;
  }

  accept(uri?: vscode.Uri): Promise<boolean> {
    return this.sessionFor(uri)?.accept() ?? Promise.resolve(false);
  }

  async reject(uri?: vscode.Uri): Promise<void> {
    await this.sessionFor(uri)?.reject();
  }

  dispose(): void {
    for (const session of this.sessions) session.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }
}
