import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { parseTargetRef } from '../../client';
import { askModel } from './logic/askModel';
import { chatRequest } from './logic/conversation';
import type { AnswerDelta, AssistantTurn, ChatContext, ChatSettings, ChatModel, CodeAction, ConversationState, HostToWebview, UserTurn } from './logic/protocol';
import { emptyConversation, type WebviewToHost } from './logic/protocol';
import { isMissingRoute, noChatRouteMessage } from './logic/chatRoutes';
import { chatEndpoint } from './logic/chatTargets';
import { BasetenServices } from '../../platform/services';
import { WebviewPanelHost, WebviewPanelStats } from '../../platform/webviewPanel';
import { chatPage } from './logic/chatHtml';
import { parseWebviewMessage } from './logic/panelMessages';

export const CHAT_VIEW_TYPE = 'baseten.chat';

export interface ChatPanelHost {
  readonly services: BasetenServices;
  readonly mediaRoot: vscode.Uri;
  pickTarget(current?: ChatModel): Promise<ChatModel | undefined>;
  /** The editor code actions act owner: the last text editor the user was in. */
  lastEditor(): vscode.TextEditor | undefined;
  rememberTarget(target: ChatModel): void;
  /** Says a deployment is asleep, so that the first answer waits for a cold start. */
  isSleeping(target: ChatModel): boolean;
}

/** Counters that tests and the benchmark read. */
export interface ChatPanelStats extends WebviewPanelStats {
  deltas: number;
}

/** One chat panel: the conversation, the running answer, and the webview that shows them. */
export class ChatPanel extends WebviewPanelHost<HostToWebview, WebviewToHost> {
  private state: ConversationState;
  private running?: { controller: AbortController; answer: AssistantTurn; done: Promise<AssistantTurn> };
  /** The model picker while it is open: a second send or pick waits on it instead of opening another. */
  private picking?: Promise<ChatModel | undefined>;
  private readonly ended = new vscode.EventEmitter<AssistantTurn>();
  /** Fires when an answer ends (done, stopped or failed). */
  readonly onDidEndAnswer = this.ended.event;
  readonly stats: ChatPanelStats = { posted: 0, deltas: 0, unexpected: 0 };

  constructor(
    panel: vscode.WebviewPanel,
    private readonly host: ChatPanelHost,
    state?: ConversationState,
  ) {
    super(panel, host.mediaRoot, chatPage(), parseWebviewMessage);
    this.state = state ?? emptyConversation();
    // A restored conversation cannot still be streaming: that request died with the window.
    for (const turn of this.state.turns) if (turn.role === 'assistant' && turn.state === 'streaming') turn.state = 'stopped';
  }

  get conversation(): ConversationState {
    return structuredClone(this.state);
  }

  get target(): ChatModel | undefined {
    return this.state.target;
  }

  get isStreaming(): boolean {
    return !!this.running;
  }

  /** Shows a model as the one that will answer, without remembering it as the user's choice. */
  preselect(target: ChatModel): void {
    this.state.target = target;
    this.post({ type: 'target', target });
  }

  setTarget(target: ChatModel): void {
    this.state.target = target;
    this.host.rememberTarget(target);
    this.post({ type: 'target', target });
  }

  attach(context: ChatContext): void {
    this.state.pending.push(context);
    this.post({ type: 'pending', pending: this.state.pending });
    this.post({ type: 'focusInput' });
  }

  /** Asks the current target; resolves with the answer when it ends, however it ends. */
  async ask(text: string, settings?: ChatSettings): Promise<AssistantTurn | undefined> {
    // The page sends nothing while an answer runs; a send while the picker is open is the same question again.
    if (this.running || this.picking) return undefined;
    if (settings) this.state.settings = settings;
    if (!this.state.target) {
      const picked = await this.pick();
      this.reveal();
      this.post({ type: picked ? 'focusInput' : 'focusTarget' });
      if (!picked) return undefined;
      this.setTarget(picked);
    }
    if (this.running) return undefined;
    const target = this.state.target!;
    const context = this.state.pending;
    const request = chatRequest(this.state, text, context, target.model);
    // vLLM-style servers send usage only when asked; Model APIs send it anyway.
    if (target.kind === 'deployment') request.stream_options = { include_usage: true };
    const user: UserTurn = { role: 'user', id: randomUUID(), text, context };
    const answer: AssistantTurn = { role: 'assistant', id: randomUUID(), model: target.label, text: '', reasoning: '', toolCalls: [], state: 'streaming', stats: {} };
    this.state.turns.push(user, answer);
    this.state.pending = [];
    this.post({ type: 'turns', user, answer });
    const controller = new AbortController();
    const done = this.stream(request, answer, target, controller);
    this.running = { controller, answer, done };
    return done;
  }

  private async stream(request: ReturnType<typeof chatRequest>, answer: AssistantTurn, target: ChatModel, controller: AbortController): Promise<AssistantTurn> {
    const coldStart = target.kind === 'deployment' && this.host.isSleeping(target);
    const progress = coldStart ? this.coldStartNotice(controller) : undefined;
    try {
      const outcome = await askModel(this.host.services.client.modelApis, request, answer, {
        signal: controller.signal,
        endpoint: chatEndpoint(target),
        onStarted: () => progress?.resolve(),
        onDelta: (delta: AnswerDelta) => {
          this.stats.deltas++;
          this.post({ type: 'delta', answerId: answer.id, delta });
        },
      });
      if (outcome.error && outcome.answer.state === 'failed') {
        this.host.services.log.failure(`Chat with ${target.label}`, outcome.error);
        if (target.kind === 'deployment' && isMissingRoute(outcome.error)) answer.error = noChatRouteMessage(target.label);
        if (target.kind === 'deployment') answer.logs = { owner: target.owner, target: target.target, atMs: Date.now() };
      }
      return outcome.answer;
    } finally {
      progress?.resolve();
      // A new conversation may already have let go of this answer and started another.
      if (this.running?.answer === answer) this.running = undefined;
      this.post({ type: 'answerEnded', answer });
      this.ended.fire(answer);
    }
  }

  private coldStartNotice(controller: AbortController): { resolve: () => void } {
    let resolve = (): void => undefined;
    const finished = new Promise<void>((done) => (resolve = done));
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Baseten: the deployment is scaled to zero; waiting for a cold start…', cancellable: true },
      (progress, token) => {
        token.onCancellationRequested(() => controller.abort());
        const started = Date.now();
        const ticker = setInterval(() => progress.report({ message: `${Math.round((Date.now() - started) / 1000)} s` }), 1000);
        return finished.finally(() => clearInterval(ticker));
      },
    );
    return { resolve };
  }

  /** Aborts the running answer (its socket closes); what streamed stays. */
  stop(): void {
    this.running?.controller.abort();
  }

  /** Resolves when no answer is running. */
  async idle(): Promise<void> {
    await this.running?.done;
  }

  /** Opens the model picker, or joins the one already open. */
  private pick(current?: ChatModel): Promise<ChatModel | undefined> {
    this.picking ??= this.host.pickTarget(current).finally(() => (this.picking = undefined));
    return this.picking;
  }

  /** Stops the running answer and lets go of it at once, so that the next question is not refused while it ends. */
  newConversation(): void {
    const running = this.running;
    this.running = undefined;
    running?.controller.abort();
    this.state = { ...emptyConversation(this.state.settings), target: this.state.target };
    this.post({ type: 'state', state: this.state });
  }

  protected override async receive(message: WebviewToHost): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.post({ type: 'state', state: this.state });
        if (this.panel.active) this.post({ type: 'returned' });
        return;
      case 'send':
        await this.ask(message.text, message.settings);
        return;
      case 'stop':
        this.stop();
        return;
      case 'pickTarget': {
        if (this.picking) return;
        const picked = await this.pick(this.state.target);
        if (picked) this.setTarget(picked);
        // The picker took the focus: give it back to the page, on the message box once a model is chosen.
        this.reveal();
        this.post({ type: picked ? 'focusInput' : 'focusTarget' });
        return;
      }
      case 'newConversation':
        this.newConversation();
        return;
      case 'removeContext':
        this.state.pending = this.state.pending.filter((piece) => piece.id !== message.id);
        this.post({ type: 'pending', pending: this.state.pending });
        return;
      case 'code':
        await this.codeAction(message.action, message.code);
        return;
      case 'openLink':
        if (/^(https?|mailto):/i.test(message.href)) await vscode.env.openExternal(vscode.Uri.parse(message.href, true));
        return;
      case 'settings':
        this.state.settings = message.settings;
        return;
      case 'showLogs': {
        // The host's own copy of the answer says where: the page only names which answer.
        const answer = this.state.turns.find((turn): turn is AssistantTurn => turn.role === 'assistant' && turn.id === message.answerId);
        const ref = parseTargetRef(answer?.logs);
        if (answer?.logs && ref) await vscode.commands.executeCommand('baseten.showLogs', { ...ref, atMs: answer.logs.atMs, ...(answer.stats.requestId ? { requestId: answer.stats.requestId } : {}) });
        return;
      }
    }
  }

  private async codeAction(action: CodeAction, code: string): Promise<void> {
    if (action === 'copy') {
      await vscode.env.clipboard.writeText(code);
      vscode.window.setStatusBarMessage('Baseten: code copied', 2000);
      return;
    }
    const remembered = this.host.lastEditor();
    if (!remembered) {
      void vscode.window.showWarningMessage('Open a text editor to insert the code into.');
      return;
    }
    // An editor object goes stale once its tab is hidden; the document's visible editor (or a new one) is live.
    const editor =
      vscode.window.visibleTextEditors.find((candidate) => candidate.document === remembered.document) ??
      (await vscode.window.showTextDocument(remembered.document, { viewColumn: remembered.viewColumn, preserveFocus: true }));
    await editor.edit((edit) => {
      for (const selection of editor.selections) {
        if (action === 'insert') {
          edit.insert(selection.active, code);
          continue;
        }
        // A fenced block always ends with a newline; a selection inside a line does not.
        const selected = editor.document.getText(selection);
        edit.replace(selection, /\n$/.test(selected) ? code : code.replace(/\r?\n$/, ''));
      }
    });
    await vscode.window.showTextDocument(editor.document, editor.viewColumn);
  }

  protected override becameActive(): void {
    this.post({ type: 'returned' });
  }

  protected override teardown(): void {
    this.stop();
    this.ended.dispose();
  }
}
