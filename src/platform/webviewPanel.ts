import * as vscode from 'vscode';
import { showPage, WebviewPage } from './webviewPage';

/** Counters that tests and the benchmark read. */
export interface WebviewPanelStats {
  /** Messages posted to the page. */
  posted: number;
  /** Messages from the page that were not part of the protocol (a sanitiser failure would show here). */
  unexpected: number;
}

/**
 * A webview panel and its page: the page is shown through `showPage` (nonce CSP, resources only from
 * media/), what the page sends is checked by `parse` before `receive` sees it, `post` is typed and a
 * no-op once the panel is gone, and closing the tab or calling `dispose` ends it once, through `teardown`.
 * Nothing is queued until the page loads: each page says `ready` when it does and is sent its whole state.
 */
export abstract class WebviewPanelHost<ToPage, FromPage> implements vscode.Disposable {
  abstract readonly stats: WebviewPanelStats;
  private readonly closed = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.closed.event;
  private readonly listeners: vscode.Disposable[];
  private isDisposed = false;

  protected constructor(
    readonly panel: vscode.WebviewPanel,
    mediaRoot: vscode.Uri,
    page: WebviewPage,
    private readonly parse: (raw: unknown) => FromPage | undefined,
  ) {
    showPage(panel, mediaRoot, page);
    this.listeners = [
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.take(raw)),
      panel.onDidDispose(() => this.dispose()),
      panel.onDidChangeViewState((event) => {
        if (event.webviewPanel.active) this.becameActive();
      }),
    ];
  }

  /** The user came back to the panel (or it opened focused): pages put the focus where the user types. */
  protected becameActive(): void {}

  /** A message from the page, already checked. */
  protected abstract receive(message: FromPage): Promise<void> | void;

  /** What the panel lets go of when it ends, before `onDidDispose` fires. */
  protected teardown(): void {}

  protected get disposed(): boolean {
    return this.isDisposed;
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  protected post(message: ToPage): void {
    if (this.isDisposed) return;
    this.stats.posted++;
    void this.panel.webview.postMessage(message);
  }

  private async take(raw: unknown): Promise<void> {
    const message = this.parse(raw);
    if (!message) {
      this.stats.unexpected++;
      return;
    }
    await this.receive(message);
  }

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    this.teardown();
    this.closed.fire();
    this.closed.dispose();
    for (const listener of this.listeners) listener.dispose();
    this.panel.dispose();
  }
}

/** A new panel beside the editor or in it, focused; scripts on and resources only from `mediaRoot`. */
export function createWebviewPanel(viewType: string, title: string, viewColumn: vscode.ViewColumn, mediaRoot: vscode.Uri): vscode.WebviewPanel {
  return vscode.window.createWebviewPanel(viewType, title, { viewColumn, preserveFocus: false }, {
    enableScripts: true,
    localResourceRoots: [mediaRoot],
  });
}

/** Brings panels of `viewType` back after a reload with the state their page had saved; one `revive` cannot use is closed. */
export function registerWebviewPanelSerializer(viewType: string, revive: (panel: vscode.WebviewPanel, state: unknown) => unknown): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(viewType, {
    deserializeWebviewPanel: async (panel, state: unknown) => {
      if (!revive(panel, state)) panel.dispose();
    },
  });
}

/**
 * The open panels of one kind, one per subject: a panel leaves the set when it ends, and disposing the set
 * ends them all. Each feature keeps its own rule for which subject a panel shows and what reopening it does.
 */
export class OpenPanels<P extends { readonly onDidDispose: vscode.Event<void>; dispose(): void }> implements vscode.Disposable {
  private readonly panels = new Set<P>();

  get all(): readonly P[] {
    return [...this.panels];
  }

  find(matches: (panel: P) => boolean): P | undefined {
    for (const panel of this.panels) if (matches(panel)) return panel;
    return undefined;
  }

  adopt(panel: P): P {
    this.panels.add(panel);
    panel.onDidDispose(() => this.panels.delete(panel));
    return panel;
  }

  dispose(): void {
    for (const panel of this.panels) panel.dispose();
  }
}
