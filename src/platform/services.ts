import * as vscode from 'vscode';
import { BasetenClient, callOutcome } from '../client';
import { ApiKeyStore } from './apiKeyStore';
import { CLIENT_SETTINGS, clientSettings } from './settings';
import { BasetenLog } from './log';

/**
 * Holds the current client. A client is built lazily on first use (no network at activation) and
 * rebuilt when a setting it depends on changes; the key is read from the key store on every request.
 */
export class BasetenServices implements vscode.Disposable {
  private current?: BasetenClient;
  private currentSettings = '';
  /** Clients replaced by a settings change; flows that started on them finish there, then they are destroyed on dispose. */
  private readonly retired = new Set<BasetenClient>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the client was rebuilt or the key changed: views reload. */
  readonly onDidChangeClient = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private lastCallOk?: boolean;
  private readonly callState = new vscode.EventEmitter<boolean | undefined>();
  /** Whether the last request succeeded (undefined: none yet with this key); drives the status bar. */
  readonly onDidCallComplete = this.callState.event;

  constructor(
    readonly keys: ApiKeyStore,
    readonly log: BasetenLog,
    private readonly userAgent: string,
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (CLIENT_SETTINGS.some((section) => event.affectsConfiguration(section))) this.rebuild();
      }),
      keys.onDidChange(() => {
        // The last call was made with the previous key; it says nothing about this one.
        this.setLastCall(undefined);
        this.changed.fire();
      }),
    );
  }

  get client(): BasetenClient {
    if (this.current) return this.current;
    const settings = clientSettings();
    this.currentSettings = JSON.stringify(settings);
    this.current = new BasetenClient({
      ...settings,
      apiKey: () => this.keys.key(),
      userAgent: this.userAgent,
      onLog: (entry) => {
        this.log.request(entry);
        const ok = callOutcome(entry);
        if (ok !== undefined) this.setLastCall(ok);
      },
    });
    return this.current;
  }

  get lastCallSucceeded(): boolean | undefined {
    return this.lastCallOk;
  }

  /** Whether a client was built yet; none is at activation, so nothing can have been sent. */
  get hasClient(): boolean {
    return this.current !== undefined || this.retired.size > 0;
  }

  private setLastCall(ok: boolean | undefined): void {
    if (ok === this.lastCallOk) return;
    this.lastCallOk = ok;
    this.callState.fire(ok);
  }

  private rebuild(): void {
    // A settings event that changes nothing the client uses (a workspace value we ignore) keeps the client.
    if (!this.current || JSON.stringify(clientSettings()) === this.currentSettings) return;
    // Not closed: a wake or a stream that started on it must finish. Its idle sockets close by themselves.
    this.retired.add(this.current);
    this.current = undefined;
    this.changed.fire();
  }

  dispose(): void {
    void this.current?.destroy();
    for (const client of this.retired) void client.destroy();
    this.changed.dispose();
    this.callState.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }
}
