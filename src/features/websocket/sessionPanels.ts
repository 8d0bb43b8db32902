import * as vscode from 'vscode';
import type { SessionTargetRef } from './logic/protocol';
import { BasetenServices } from '../../platform/services';
import type { ColdStartCheck } from '../../platform/coldStart';
import { TargetNode } from '../explorer/targetNode';
import { parseSavedSession } from './logic/panelMessages';
import { WEBSOCKET_VIEW_TYPE, WebSocketPanel, WebSocketPanelHost } from './sessionPanel';
import { pickWebSocketTarget } from './targetPick';
import { createWebviewPanel, registerWebviewPanelSerializer } from '../../platform/webviewPanel';

const MAX_RENDERED_SETTING = 'websocket.maxRenderedMessages';
const DEFAULT_MAX_RENDERED = 500;

function sameTarget(a: SessionTargetRef, b: SessionTargetRef): boolean {
  return a.on.kind === b.on.kind && a.on.id === b.on.id && JSON.stringify(a.target) === JSON.stringify(b.target);
}

/** The target of an environment or deployment node (development has no WebSocket on Baseten). */
export function nodeTarget(node: TargetNode): SessionTargetRef | undefined {
  if (node.kind === 'development') return undefined;
  return { on: { kind: node.on.kind, id: node.on.id, name: node.on.name }, target: node.target, label: node.title };
}

/**
 * WebSocket session panels, one per target: opening a target that has a panel reveals it. Panels
 * restored after a reload come back with their transcript, disconnected.
 */
export class WebSocketPanels implements vscode.Disposable, WebSocketPanelHost {
  private readonly panels = new Set<WebSocketPanel>();
  private readonly disposables: vscode.Disposable[] = [];
  readonly mediaRoot: vscode.Uri;

  constructor(
    context: vscode.ExtensionContext,
    readonly services: BasetenServices,
    readonly coldStart: ColdStartCheck,
  ) {
    this.mediaRoot = vscode.Uri.joinPath(context.extensionUri, 'media');
    this.disposables.push(
      registerWebviewPanelSerializer(WEBSOCKET_VIEW_TYPE, (panel, state) => this.revive(panel, state)),
      vscode.commands.registerCommand('baseten.openWebSocket', (node?: TargetNode) => this.openFor(node)),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (!event.affectsConfiguration(`baseten.${MAX_RENDERED_SETTING}`)) return;
        for (const panel of this.panels) panel.setMaxRendered(this.maxRendered());
      }),
    );
  }

  maxRendered(): number {
    const value = vscode.workspace.getConfiguration('baseten').get<number>(MAX_RENDERED_SETTING, DEFAULT_MAX_RENDERED);
    return Number.isInteger(value) && value >= 10 ? value : DEFAULT_MAX_RENDERED;
  }

  get open(): readonly WebSocketPanel[] {
    return [...this.panels];
  }

  /** A panel VS Code restored after a reload, with the transcript its page had saved; undefined when the state is unusable. */
  revive(panel: vscode.WebviewPanel, state: unknown): WebSocketPanel | undefined {
    const saved = parseSavedSession(state);
    if (!saved) return undefined;
    return this.adopt(new WebSocketPanel(panel, this, saved.target, saved));
  }

  /** `Baseten: Open WebSocket Session`: on a tree node's target, or one picked from a list. */
  async openFor(node?: TargetNode): Promise<WebSocketPanel | undefined> {
    let target: SessionTargetRef | undefined;
    if (node instanceof TargetNode || (node && typeof node === 'object' && 'target' in node && 'on' in node)) {
      target = nodeTarget(node);
      if (!target) {
        void vscode.window.showWarningMessage('Baseten serves WebSockets on environments and deployments, not on the development deployment. Promote it or use its deployment.');
        return undefined;
      }
    } else {
      target = await pickWebSocketTarget(this.services);
    }
    return target ? this.openTarget(target) : undefined;
  }

  /** The panel of a target (revealed), or a new one that connects at once. */
  openTarget(target: SessionTargetRef): WebSocketPanel {
    const existing = [...this.panels].find((panel) => sameTarget(panel.target, target));
    if (existing) {
      existing.reveal();
      if (existing.connection.status === 'closed' && !existing.transcript.length) void existing.connect();
      return existing;
    }
    const webviewPanel = createWebviewPanel(WEBSOCKET_VIEW_TYPE, `WebSocket: ${target.label}`, vscode.ViewColumn.Active, this.mediaRoot);
    const panel = this.adopt(new WebSocketPanel(webviewPanel, this, target));
    void panel.connect();
    return panel;
  }

  private adopt(panel: WebSocketPanel): WebSocketPanel {
    this.panels.add(panel);
    panel.onDidDispose(() => this.panels.delete(panel));
    return panel;
  }

  dispose(): void {
    for (const panel of this.panels) panel.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }
}
