import * as vscode from 'vscode';
import { readTrussrcApiKey, trussrcPath } from './trussrc';

const SECRET_KEY = 'baseten.apiKey';

export type ApiKeySourceKind = 'secretStorage' | 'environment' | 'trussrc' | 'none';

export interface ResolvedApiKey {
  key?: string;
  source: ApiKeySourceKind;
}

export function describeKeySource(source: ApiKeySourceKind): string {
  switch (source) {
    case 'secretStorage':
      return "VS Code's secret storage";
    case 'environment':
      return 'the BASETEN_API_KEY environment variable';
    case 'trussrc':
      return trussrcPath();
    case 'none':
      return 'no API key';
  }
}

/**
 * Where the API key comes from, in order: VS Code's SecretStorage, `BASETEN_API_KEY`, `~/.trussrc`.
 * The key is never written to settings or logs.
 */
export class ApiKeyStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ResolvedApiKey>();
  readonly onDidChange = this.changed.event;
  private cached?: Promise<ResolvedApiKey>;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.subscription = secrets.onDidChange((event) => {
      if (event.key === SECRET_KEY) void this.reload();
    });
  }

  /** The key and its source; cached until the key changes. */
  resolve(): Promise<ResolvedApiKey> {
    this.cached ??= this.lookup();
    return this.cached;
  }

  async key(): Promise<string | undefined> {
    return (await this.resolve()).key;
  }

  async store(key: string): Promise<void> {
    await this.secrets.store(SECRET_KEY, key.trim());
    await this.reload();
  }

  async clear(): Promise<void> {
    await this.secrets.delete(SECRET_KEY);
    await this.reload();
  }

  async reload(): Promise<ResolvedApiKey> {
    this.cached = this.lookup();
    const resolved = await this.cached;
    this.changed.fire(resolved);
    return resolved;
  }

  private async lookup(): Promise<ResolvedApiKey> {
    const stored = (await this.secrets.get(SECRET_KEY))?.trim();
    if (stored) return { key: stored, source: 'secretStorage' };
    const fromEnv = this.env.BASETEN_API_KEY?.trim();
    if (fromEnv) return { key: fromEnv, source: 'environment' };
    const fromTruss = await readTrussrcApiKey(this.env);
    if (fromTruss) return { key: fromTruss, source: 'trussrc' };
    return { source: 'none' };
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
