import * as vscode from 'vscode';
import { ApiKeySourceKind, ResolvedApiKey, describeKeySource } from '../../platform/apiKeyStore';
import { BasetenServices } from '../../platform/services';

/** The key source, as briefly as the status bar allows. */
const SHORT_SOURCE: Record<Exclude<ApiKeySourceKind, 'none'>, string> = {
  secretStorage: 'secret storage',
  environment: 'env',
  trussrc: '~/.trussrc',
};

/** Which key is in use and whether the last call worked; a click offers the key actions. */
export class KeyStatusBar implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private resolved: ResolvedApiKey = { source: 'none' };

  constructor(private readonly services: BasetenServices) {
    this.item = vscode.window.createStatusBarItem('baseten.status', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'Baseten';
    this.item.command = 'baseten.keyActions';
    this.disposables.push(
      services.keys.onDidChange((resolved) => this.update(resolved)),
      services.onDidCallComplete(() => this.render()),
    );
  }

  async initialize(): Promise<void> {
    this.update(await this.services.keys.resolve());
  }

  private update(resolved: ResolvedApiKey): void {
    this.resolved = resolved;
    this.render();
  }

  private render(): void {
    const { source } = this.resolved;
    const ok = this.services.lastCallSucceeded;
    if (source === 'none') {
      this.item.text = '$(key) Baseten: no key';
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      this.item.tooltip = 'No Baseten API key is set. Click to set one.';
    } else {
      this.item.text = `${ok === false ? '$(warning)' : '$(cloud)'} Baseten (${SHORT_SOURCE[source]})`;
      this.item.backgroundColor = ok === false ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
      const last = ok === undefined ? 'No request yet.' : ok ? 'Baseten answered the last request.' : 'The last request failed: the key, the network or Baseten (see the Baseten log).';
      this.item.tooltip = `Baseten API key from ${describeKeySource(source)}. ${last}`;
    }
    this.item.show();
  }

  get text(): string {
    return this.item.text;
  }

  dispose(): void {
    this.item.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }
}
