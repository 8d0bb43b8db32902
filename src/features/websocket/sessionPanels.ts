import * as vscode from 'vscode';
import { deployment, sameTarget, targetLabel } from '../../client';
import type { TargetRef } from '../../client';
import { BasetenServices } from '../../platform/services';
import { DeploymentCatalog } from '../../catalog/deploymentCatalog';
import { canAnswer, type CatalogTarget } from '../../catalog/targets';
import { pickTarget } from '../../platform/targetPicker';
import { TargetNode } from '../explorer/targetNode';
import { parseSavedSession } from './logic/panelMessages';
import { WEBSOCKET_VIEW_TYPE, WebSocketPanel, WebSocketPanelHost } from './sessionPanel';
import { OpenPanels, createWebviewPanel, registerWebviewPanelSerializer } from '../../platform/webviewPanel';

const MAX_RENDERED_SETTING = 'websocket.maxRenderedMessages';
const DEFAULT_MAX_RENDERED = 500;

/**
 * Where a session with a target connects. Baseten documents WebSockets on environments, deployments and
 * regional hosts, not on `/development/websocket`: the development deployment is reached by its deployment
 * id (`/deployment/{id}/websocket`), labelled "development". Undefined when that id is not known.
 */
export function websocketTarget(target: Pick<CatalogTarget, 'owner' | 'target' | 'place' | 'state'>): TargetRef | undefined {
  if (target.place !== 'development') return { owner: target.owner, target: target.target };
  return target.state.deploymentId ? { owner: target.owner, target: deployment(target.state.deploymentId, 'development') } : undefined;
}

/**
 * WebSocket session panels, one per target: opening a target that has a panel reveals it. Panels
 * restored after a reload come back with their transcript, disconnected.
 */
export class WebSocketPanels implements vscode.Disposable, WebSocketPanelHost {
  private readonly panels = new OpenPanels<WebSocketPanel>();
  private readonly disposables: vscode.Disposable[] = [];
  readonly mediaRoot: vscode.Uri;

  constructor(
    context: vscode.ExtensionContext,
    readonly services: BasetenServices,
    private readonly catalog: DeploymentCatalog,
  ) {
    this.mediaRoot = vscode.Uri.joinPath(context.extensionUri, 'media');
    this.disposables.push(
      registerWebviewPanelSerializer(WEBSOCKET_VIEW_TYPE, (panel, state) => this.revive(panel, state)),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (!event.affectsConfiguration(`baseten.${MAX_RENDERED_SETTING}`)) return;
        for (const panel of this.panels.all) panel.setMaxRendered(this.maxRendered());
      }),
    );
  }

  /** Whether the target is known to be scaled to zero, so connecting waits for a cold start. */
  coldStart(target: TargetRef): boolean {
    return this.catalog.isScaledToZero(target);
  }

  maxRendered(): number {
    const value = vscode.workspace.getConfiguration('baseten').get<number>(MAX_RENDERED_SETTING, DEFAULT_MAX_RENDERED);
    return Number.isInteger(value) && value >= 10 ? value : DEFAULT_MAX_RENDERED;
  }

  get open(): readonly WebSocketPanel[] {
    return this.panels.all;
  }

  /** A panel VS Code restored after a reload, with the transcript its page had saved; undefined when the state is unusable. */
  revive(panel: vscode.WebviewPanel, state: unknown): WebSocketPanel | undefined {
    const saved = parseSavedSession(state);
    if (!saved) return undefined;
    return this.panels.adopt(new WebSocketPanel(panel, this, saved.target, saved));
  }

  /** `Baseten: Open WebSocket Session`: on a tree node's target, or one picked from a list. */
  async openFor(node?: TargetNode): Promise<WebSocketPanel | undefined> {
    let target: TargetRef | undefined;
    if (node instanceof TargetNode || (node && typeof node === 'object' && 'target' in node && 'owner' in node)) {
      const ref: TargetRef = node;
      const entry = node instanceof TargetNode ? node.entry : this.catalog.find(ref);
      target = entry ? websocketTarget(entry) : ref.target.kind === 'development' ? undefined : ref;
      if (!target) {
        void vscode.window.showWarningMessage('The development deployment has no deployment id to connect to yet (Baseten serves WebSockets by deployment id, not on /development). Refresh the Models view and try again.');
        return undefined;
      }
    } else {
      const picked = await pickTarget(this.catalog, {
        title: 'Open a WebSocket session with…',
        placeholder: 'Choose an environment or deployment of a model or chain',
        offers: (candidate) => canAnswer(candidate) && websocketTarget(candidate) !== undefined,
        empty: { label: 'Nothing to connect to', description: 'no models or chains' },
      });
      target = picked && websocketTarget(picked);
    }
    return target ? this.openTarget(target) : undefined;
  }

  /** The panel of a target (revealed), or a new one that connects at once. */
  openTarget(target: TargetRef): WebSocketPanel {
    const existing = this.panels.find((panel) => sameTarget(panel.target, target));
    if (existing) {
      existing.reveal();
      if (existing.connection.status === 'closed' && !existing.transcript.length) void existing.connect();
      return existing;
    }
    const webviewPanel = createWebviewPanel(WEBSOCKET_VIEW_TYPE, `WebSocket: ${targetLabel(target)}`, vscode.ViewColumn.Active, this.mediaRoot);
    const panel = this.panels.adopt(new WebSocketPanel(webviewPanel, this, target));
    void panel.connect();
    return panel;
  }

  dispose(): void {
    this.panels.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }
}
