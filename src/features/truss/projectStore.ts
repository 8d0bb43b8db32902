import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DeploymentStatus } from '../../client';
import { ChainSource, findChainEntrypoint } from './logic/chains';
import { TrussProject, readProject } from './logic/projects';

/** A Chain's entrypoint file in the workspace. */
export interface ChainProject extends ChainSource {
  file: string;
}

/** What the last deploy of a project made, kept per workspace. */
export interface DeployRecord {
  modelId: string;
  modelName: string;
  deploymentId: string;
  kind: 'development' | 'published';
  /** ISO time the deploy started. */
  at: string;
  status?: DeploymentStatus;
  /** The environment it was promoted to, for Publish and Promote. */
  environment?: string;
}

const RECORDS_KEY = 'baseten.truss.deploys';
const EXCLUDE = '{**/node_modules/**,**/.venv/**,**/venv/**,**/.git/**,**/site-packages/**}';

/**
 * The Truss projects of the open folders (every config.yaml beside a model class file), kept current as
 * config.yaml files come and go, and what each one's last deploy made.
 */
export class TrussProjects implements vscode.Disposable {
  private list: TrussProject[] = [];
  private loaded?: Promise<TrussProject[]>;
  private chainsLoaded?: Promise<ChainProject[]>;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  /** Project roots being watched (set by the watch feature). */
  readonly watching = new Set<string>();

  constructor(private readonly state: vscode.Memento) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/config.yaml');
    const reload = (): void => {
      if (!this.loaded) return;
      this.loaded = undefined;
      void this.projects().then(() => this.changed.fire());
    };
    this.disposables.push(watcher, watcher.onDidCreate(reload), watcher.onDidDelete(reload), watcher.onDidChange(reload), vscode.workspace.onDidChangeWorkspaceFolders(reload));
    const python = vscode.workspace.createFileSystemWatcher('**/*.py', false, true, false);
    const reloadChains = (): void => {
      if (!this.chainsLoaded) return;
      this.chainsLoaded = undefined;
      void this.chains().then(() => this.changed.fire());
    };
    this.disposables.push(
      python,
      python.onDidCreate(reloadChains),
      python.onDidDelete(reloadChains),
      vscode.workspace.onDidSaveTextDocument((document) => {
        if (document.languageId === 'python') reloadChains();
      }),
    );
  }

  /** The Chains of the open folders: Python files with a chainlet marked as the entrypoint. */
  chains(): Promise<ChainProject[]> {
    this.chainsLoaded ??= (async () => {
      const files = await vscode.workspace.findFiles('**/*.py', EXCLUDE, 1000);
      const found: ChainProject[] = [];
      for (const uri of files) {
        const text = await fs.readFile(uri.fsPath, 'utf8').catch(() => '');
        const entrypoint = text.includes('mark_entrypoint') ? findChainEntrypoint(text) : undefined;
        if (entrypoint) found.push({ ...entrypoint, file: uri.fsPath });
      }
      return found.sort((a, b) => a.name.localeCompare(b.name));
    })();
    return this.chainsLoaded;
  }

  async chainOf(uri: vscode.Uri): Promise<ChainProject | undefined> {
    return (await this.chains()).find((chain) => chain.file === uri.fsPath);
  }

  /** Discovers the projects once; later calls return the same list until a config.yaml changes. */
  projects(): Promise<TrussProject[]> {
    this.loaded ??= (async () => {
      const configs = await vscode.workspace.findFiles('**/config.yaml', EXCLUDE, 500);
      const found = (await Promise.all(configs.map((uri) => readProject(uri.fsPath)))).filter((project): project is TrussProject => !!project);
      this.list = found.sort((a, b) => a.name.localeCompare(b.name) || a.root.localeCompare(b.root));
      return this.list;
    })();
    return this.loaded;
  }

  refresh(): void {
    this.loaded = undefined;
    this.chainsLoaded = undefined;
    void this.projects().then(() => this.changed.fire());
  }

  /** The project a file belongs to: the innermost project folder that holds it. */
  async projectOf(uri: vscode.Uri): Promise<TrussProject | undefined> {
    const file = uri.fsPath;
    const matches = (await this.projects()).filter((project) => file === project.root || file.startsWith(project.root + path.sep));
    return matches.sort((a, b) => b.root.length - a.root.length)[0];
  }

  record(project: TrussProject): DeployRecord | undefined {
    return this.state.get<Record<string, DeployRecord>>(RECORDS_KEY, {})[project.root];
  }

  async saveRecord(project: TrussProject, record: DeployRecord): Promise<void> {
    const records = { ...this.state.get<Record<string, DeployRecord>>(RECORDS_KEY, {}), [project.root]: record };
    await this.state.update(RECORDS_KEY, records);
    this.changed.fire();
  }

  setWatching(project: TrussProject, on: boolean): void {
    if (on) this.watching.add(project.root);
    else this.watching.delete(project.root);
    this.changed.fire();
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
