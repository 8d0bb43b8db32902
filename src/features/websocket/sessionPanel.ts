import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { targetLabel } from '../../client';
import type { TargetRef } from '../../client';
import type { WebSocketEvent, WebSocketSession } from '../../client/websocket';
import { describeJsonError, parseJsonInput } from './logic/jsonInput';
import type { ConnectionState, HostToWebview, SavedSession, SendMode, TranscriptEntry, WebviewToHost } from './logic/protocol';
import { EntryBatcher, Transcript } from './logic/transcript';
import { BasetenServices } from '../../platform/services';
import { errorMessage } from '../explorer/treeProvider';
import { parseWebviewMessage } from './logic/panelMessages';
import { WebviewPanelHost, WebviewPanelStats } from '../../platform/webviewPanel';
import { sessionPage } from './logic/sessionHtml';

export const WEBSOCKET_VIEW_TYPE = 'baseten.websocket';

export interface WebSocketPanelHost {
  readonly services: BasetenServices;
  readonly mediaRoot: vscode.Uri;
  /** How many messages the page keeps in its DOM (`baseten.websocket.maxRenderedMessages`). */
  maxRendered(): number;
  /** Whether the target is known to be scaled to zero, so connecting waits for a cold start. */
  coldStart(target: TargetRef): boolean;
}

/** Counters that tests read. */
export interface WebSocketPanelStats extends WebviewPanelStats {
  /** Of the messages posted, batches of transcript entries. */
  batches: number;
}

/**
 * One WebSocket session panel. The connection lives here, in the extension host, through the client
 * (a webview cannot set the Authorization header); the page shows the transcript and sends intents.
 */
export class WebSocketPanel extends WebviewPanelHost<HostToWebview, WebviewToHost> {
  readonly transcript = new Transcript();
  readonly stats: WebSocketPanelStats = { posted: 0, batches: 0, unexpected: 0 };
  private session?: WebSocketSession;
  private connecting?: Promise<void>;
  private connectController?: AbortController;
  private state: ConnectionState = { status: 'closed' };
  private readonly batcher: EntryBatcher;

  constructor(
    panel: vscode.WebviewPanel,
    private readonly host: WebSocketPanelHost,
    readonly target: TargetRef,
    saved?: SavedSession,
  ) {
    super(panel, host.mediaRoot, sessionPage(), parseWebviewMessage);
    this.batcher = new EntryBatcher((entries, skipped) => {
      this.stats.batches++;
      this.post({ type: 'entries', entries, skipped });
    }, host.maxRendered());
    if (saved) {
      this.transcript.restore(saved.entries, saved.hidden);
      // The connection died with the window; the transcript says so and the page offers Reconnect.
      this.transcript.event('Disconnected: the window was reloaded.');
    }
    panel.title = `WebSocket: ${targetLabel(target)}`;
  }

  get connection(): ConnectionState {
    return { ...this.state };
  }

  /** Connects unless connected; resolves once open or failed (the failure is in the transcript and the state). */
  connect(): Promise<void> {
    if (this.session?.state === 'open') return Promise.resolve();
    this.connecting ??= this.open().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async open(): Promise<void> {
    const controller = new AbortController();
    this.connectController = controller;
    this.setState(this.host.coldStart(this.target) ? { status: 'connecting', coldStart: true } : { status: 'connecting' });
    try {
      const session = await this.host.services.client.openWebSocket(this.target.owner, this.target.target, { signal: controller.signal });
      if (this.disposed) {
        session.terminate();
        return;
      }
      this.session = session;
      session.onEvent((event) => this.onSessionEvent(session, event));
      this.add(this.transcript.event(`Connected to ${session.url}${session.requestId ? ` (request ${session.requestId})` : ''}`));
      this.setState({ status: 'open', url: session.url, requestId: session.requestId });
    } catch (error) {
      const message = errorMessage(error);
      this.host.services.log.failure(`WebSocket to ${targetLabel(this.target)}`, error);
      this.add(this.transcript.event(`Could not connect: ${message}`, 'error'));
      this.setState({ status: 'closed', error: message });
    } finally {
      if (this.connectController === controller) this.connectController = undefined;
    }
  }

  private onSessionEvent(session: WebSocketSession, event: WebSocketEvent): void {
    if (session !== this.session) return;
    switch (event.type) {
      case 'message':
        if (typeof event.data === 'string') this.add(this.transcript.text('received', event.data, event.size));
        else this.add(this.transcript.binary('received', event.data));
        return;
      case 'error':
        this.add(this.transcript.event(event.error.message, 'error'));
        return;
      case 'close': {
        const normal = event.code === 1000;
        const reason = event.reason ? ` Reason: “${event.reason}”.` : '';
        this.add(this.transcript.event(`Closed ${event.code}: ${event.explanation}.${reason}`, normal ? 'info' : 'error', event.code));
        this.session = undefined;
        this.setState({ status: 'closed', close: { code: event.code, reason: event.reason, explanation: event.explanation } });
        return;
      }
    }
  }

  /** Closes the connection with 1000, or cancels a connection being made. */
  async disconnect(): Promise<void> {
    this.connectController?.abort();
    const session = this.session;
    if (!session) return;
    this.setState({ ...this.state, status: 'closing' });
    await session.close(1000, 'Closed by the user');
  }

  async reconnect(): Promise<void> {
    await this.disconnect();
    await this.connecting;
    await this.connect();
  }

  /** Sends text or JSON (checked first); resolves with the error shown to the user, if any. */
  async send(mode: SendMode, text: string): Promise<string | undefined> {
    if (mode === 'json') {
      const parsed = parseJsonInput(text);
      if (!parsed.ok) return this.sendFailed(describeJsonError(parsed));
    }
    return this.deliver((session) => session.sendText(text), () => this.transcript.text('sent', text));
  }

  sendBinary(bytes: Uint8Array, file?: string): Promise<string | undefined> {
    return this.deliver((session) => session.sendBinary(bytes), () => this.transcript.binary('sent', bytes, file));
  }

  /** Sends on the open connection, then adds what went to the transcript; resolves with the error shown to the user, if any. */
  private async deliver(send: (session: WebSocketSession) => Promise<void>, sent: () => TranscriptEntry): Promise<string | undefined> {
    const session = this.openSession();
    if (!session) return this.sendFailed('Not connected: connect first.');
    try {
      await send(session);
    } catch (error) {
      return this.sendFailed(errorMessage(error));
    }
    this.add(sent());
    this.post({ type: 'sent', ok: true });
    return undefined;
  }

  /** Sends a file as one binary message; asks for it when no URI is given. */
  async sendFile(uri?: vscode.Uri): Promise<string | undefined> {
    const chosen = uri ?? (await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Send as Binary', title: `Send a file to ${targetLabel(this.target)}` }))?.[0];
    if (!chosen) return undefined;
    let bytes: Uint8Array;
    try {
      bytes = await vscode.workspace.fs.readFile(chosen);
    } catch (error) {
      return this.sendFailed(`Could not read ${chosen.fsPath}: ${errorMessage(error)}`);
    }
    return this.sendBinary(bytes, chosen.path.split('/').pop());
  }

  /** Pings and resolves with the round trip in milliseconds (undefined when not connected or no pong came). */
  async ping(): Promise<number | undefined> {
    const session = this.openSession();
    if (!session) return undefined;
    try {
      const ms = await session.ping();
      this.add(this.transcript.event(`Pong in ${ms} ms`));
      this.setState({ ...this.state, rttMs: ms });
      return ms;
    } catch (error) {
      this.add(this.transcript.event(`Ping failed: ${errorMessage(error)}`, 'error'));
      return undefined;
    }
  }

  /** Writes the transcript as JSON lines; asks where when no URI is given. */
  async exportTranscript(uri?: vscode.Uri): Promise<vscode.Uri | undefined> {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const target = uri ?? (await vscode.window.showSaveDialog({
      title: 'Export the WebSocket transcript',
      saveLabel: 'Export',
      filters: { 'JSON Lines': ['jsonl'] },
      defaultUri: vscode.Uri.joinPath(vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir()), `websocket-${this.target.owner.name}-${stamp}.jsonl`),
    }));
    if (!target) return undefined;
    await vscode.workspace.fs.writeFile(target, Buffer.from(this.transcript.toJsonLines(), 'utf8'));
    vscode.window.setStatusBarMessage(`Baseten: transcript exported (${this.transcript.length} entries)`, 3000);
    return target;
  }

  clear(): void {
    this.transcript.clear();
    this.batcher.reset();
    this.postInit();
  }

  /** The page's DOM cap changed (setting). */
  setMaxRendered(maxRendered: number): void {
    this.batcher.limit = maxRendered;
    this.post({ type: 'maxRendered', maxRendered });
  }

  private openSession(): WebSocketSession | undefined {
    return this.session?.state === 'open' ? this.session : undefined;
  }

  private sendFailed(error: string): string {
    this.post({ type: 'sent', ok: false, error });
    return error;
  }

  private add(entry: TranscriptEntry): void {
    this.batcher.push(entry);
  }

  private setState(state: ConnectionState): void {
    // Entries before the change reach the page first, so the transcript and the status agree.
    this.batcher.flush();
    this.state = state.rttMs === undefined && this.state.rttMs !== undefined && state.status === 'open' ? { ...state, rttMs: this.state.rttMs } : state;
    this.post({ type: 'connection', connection: this.connection });
  }

  private postInit(): void {
    const limit = this.host.maxRendered();
    const all = this.transcript.entries;
    const shown = all.slice(-limit);
    this.batcher.reset();
    this.post({ type: 'init', target: this.target, entries: shown, hidden: this.transcript.dropped + all.length - shown.length, connection: this.connection, maxRendered: limit });
  }

  protected override async receive(message: WebviewToHost): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.postInit();
        if (this.panel.active) this.post({ type: 'returned' });
        return;
      case 'connect':
        return this.connect();
      case 'disconnect':
        return this.disconnect();
      case 'reconnect':
        return this.reconnect();
      case 'ping':
        await this.ping();
        return;
      case 'clear':
        this.clear();
        return;
      case 'export':
        await this.exportTranscript();
        return;
      case 'sendFile':
        await this.sendFile();
        return;
      case 'send':
        await this.send(message.mode, message.text);
        return;
    }
  }

  protected override becameActive(): void {
    this.post({ type: 'returned' });
  }

  protected override teardown(): void {
    this.connectController?.abort();
    void this.session?.close(1000, 'Panel closed').catch(() => this.session?.terminate());
    this.batcher.dispose();
  }
}
