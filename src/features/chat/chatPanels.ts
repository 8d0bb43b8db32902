import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { ChatContext, ChatModel, ConversationState } from './logic/protocol';
import { modelApiChatModel, readChatModel } from './logic/chatTargets';
import { BasetenServices } from '../../platform/services';
import { CHAT_VIEW_TYPE, ChatPanel, ChatPanelHost } from './chatPanel';
import { readConversationState } from './logic/panelMessages';
import { pickChatModel, readServedChatModel } from './chatTargetPick';
import { ChatRoutes } from './chatRoutes';
import { ModelApiNode } from '../explorer/modelApisTree';
import { DeploymentCatalog } from '../../catalog/deploymentCatalog';
import { TargetNode } from '../explorer/targetNode';
import { createWebviewPanel, registerWebviewPanelSerializer } from '../../platform/webviewPanel';

const LAST_TARGET_KEY = 'baseten.chat.lastTarget';

/** The selection of an editor as chat context, with the file and lines it came from. */
export function selectionContext(editor: vscode.TextEditor): ChatContext | undefined {
  const selection = editor.selection;
  const document = editor.document;
  const range = selection.isEmpty ? undefined : selection;
  const text = range ? document.getText(range) : '';
  if (!text.trim()) return undefined;
  return {
    id: randomUUID(),
    file: vscode.workspace.asRelativePath(document.uri, false),
    language: document.languageId,
    startLine: range!.start.line + 1,
    endLine: range!.end.character === 0 && range!.end.line > range!.start.line ? range!.end.line : range!.end.line + 1,
    text,
  };
}

/**
 * The chat panel(s): one is reused for every "send to chat"; panels restored after a reload come back
 * with their conversation.
 */
export class ChatPanels implements vscode.Disposable, ChatPanelHost {
  private panels = new Set<ChatPanel>();
  private active?: ChatPanel;
  private editor?: vscode.TextEditor;
  private readonly disposables: vscode.Disposable[] = [];
  readonly mediaRoot: vscode.Uri;
  /** Which deployments serve chat, asked once per deployment. */
  readonly routes: ChatRoutes;

  constructor(
    private readonly context: vscode.ExtensionContext,
    readonly services: BasetenServices,
    private readonly catalog: DeploymentCatalog,
  ) {
    this.mediaRoot = vscode.Uri.joinPath(context.extensionUri, 'media');
    this.routes = new ChatRoutes(services, catalog);
    this.editor = vscode.window.activeTextEditor;
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor) this.editor = editor;
      }),
      registerWebviewPanelSerializer(CHAT_VIEW_TYPE, (panel, state) => this.revive(panel, state)),
    );
  }

  /** A panel VS Code restored after a reload, with the conversation its page had saved. */
  revive(panel: vscode.WebviewPanel, state: unknown): ChatPanel {
    return this.adopt(new ChatPanel(panel, this, readConversationState(state)));
  }

  /** The panel used last, if one is open. */
  get current(): ChatPanel | undefined {
    return this.active;
  }

  lastEditor(): vscode.TextEditor | undefined {
    const editor = this.editor;
    return editor && !editor.document.isClosed ? editor : undefined;
  }

  pickTarget(current?: ChatModel): Promise<ChatModel | undefined> {
    return pickChatModel(this.services, this.catalog, this.routes, current);
  }

  /** The target chosen last in any chat panel (remembered across reloads). */
  lastTarget(): ChatModel | undefined {
    return this.active?.target ?? readChatModel(this.context.globalState.get(LAST_TARGET_KEY));
  }

  rememberTarget(target: ChatModel): void {
    void this.context.globalState.update(LAST_TARGET_KEY, target);
  }

  isSleeping(target: ChatModel): boolean {
    return target.kind === 'deployment' && this.catalog.isScaledToZero(target);
  }

  /** The open panel, or a new one with the last target used. */
  open(): ChatPanel {
    if (this.active) {
      this.active.reveal();
      return this.active;
    }
    const panel = createWebviewPanel(CHAT_VIEW_TYPE, 'Baseten Chat', vscode.ViewColumn.Beside, this.mediaRoot);
    const last = readChatModel(this.context.globalState.get(LAST_TARGET_KEY));
    const state: ConversationState | undefined = last ? { version: 1, settings: { system: '' }, turns: [], pending: [], target: last } : undefined;
    const opened = this.adopt(new ChatPanel(panel, this, state));
    if (!last) void this.preselectFirstModelApi(opened);
    return opened;
  }

  /** No model used yet: the first Model API, so that the first question needs no pick. */
  private async preselectFirstModelApi(panel: ChatPanel): Promise<void> {
    const first = await this.firstModelApi().catch(() => undefined);
    // No key or no network yet: the first question asks which model, as before.
    if (first && !panel.target) panel.preselect(first);
  }

  /** The first Model API as the Model APIs view lists them (by name). */
  async firstModelApi(): Promise<ChatModel | undefined> {
    const models = await this.services.client.modelApis.listModels();
    const first = models.slice().sort((a, b) => (a.name || a.id).localeCompare(b.name || b.id))[0];
    return first && modelApiChatModel(first);
  }

  /** `Baseten: Send Selection to Chat`: the selection goes along with the next question. */
  sendSelection(editor = vscode.window.activeTextEditor): ChatPanel | undefined {
    const context = editor && selectionContext(editor);
    if (!context) {
      void vscode.window.showInformationMessage('Select some text to send to Baseten Chat.');
      return undefined;
    }
    this.editor = editor;
    const panel = this.open();
    panel.attach(context);
    return panel;
  }

  /** Opens the chat with the model of a tree node (a Model API, or an environment or deployment). */
  async chatWith(node: ModelApiNode | TargetNode): Promise<ChatPanel | undefined> {
    let target: ChatModel | undefined;
    if (node instanceof ModelApiNode) target = modelApiChatModel(node.model);
    else if (node instanceof TargetNode) {
      target = await readServedChatModel(this.services, this.routes, node);
      if (!target) return undefined;
    }
    const panel = this.open();
    if (target) panel.setTarget(target);
    return panel;
  }

  private adopt(panel: ChatPanel): ChatPanel {
    this.panels.add(panel);
    this.active = panel;
    panel.panel.onDidChangeViewState((event) => {
      if (event.webviewPanel.active) this.active = panel;
    });
    panel.onDidDispose(() => {
      this.panels.delete(panel);
      if (this.active === panel) this.active = [...this.panels].pop();
    });
    return panel;
  }

  dispose(): void {
    for (const panel of this.panels) panel.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }
}
