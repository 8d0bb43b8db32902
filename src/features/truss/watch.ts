import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PatchOutcome } from '../../client';
import { showFailure } from '../../platform/failureNotice';
import { TrussContext, checkConfig, deployProject } from './deploy';
import { hashProjectFiles } from './logic/contentHashes';
import { planPatch } from './logic/patchPlan';
import { listProjectFiles } from './logic/projectFiles';
import type { TrussProject } from './logic/projects';
import { readTrussConfig } from './logic/trussConfig';

/** How often a watched development deployment is kept from scaling to zero, as `truss watch` does. */
const KEEP_WARM_MS = 30_000;
const DEBOUNCE_MS = 300;

export type WatchState = 'starting' | 'synced' | 'patching' | 'deploying' | 'problem';

export interface SyncResult {
  outcome: PatchOutcome['kind'] | 'invalid' | 'error' | 'redeployed';
  message: string;
}

class WatchSession implements vscode.Disposable {
  state: WatchState = 'starting';
  detail = '';
  syncs = 0;
  last?: SyncResult;
  private timer?: ReturnType<typeof setTimeout>;
  private running?: Promise<SyncResult>;
  private again = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly context: TrussContext,
    readonly project: TrussProject,
    private modelId: string,
    private deploymentId: string,
    private readonly changed: () => void,
  ) {
    const files = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(project.root), '**/*'));
    const schedule = (): void => this.schedule();
    // Saves in the editor also schedule a round: the file watcher can report them late, or not at all.
    const inProject = (document: vscode.TextDocument): boolean => {
      const relative = path.relative(project.root, document.uri.fsPath);
      return !relative.startsWith('..') && !path.isAbsolute(relative);
    };
    this.disposables.push(
      files,
      files.onDidChange(schedule),
      files.onDidCreate(schedule),
      files.onDidDelete(schedule),
      vscode.workspace.onDidSaveTextDocument((document) => {
        if (document.uri.scheme === 'file' && inProject(document)) schedule();
      }),
    );
    const warm = setInterval(() => void this.context.services.client.patches.keepWarm(this.modelId).catch(() => undefined), KEEP_WARM_MS);
    this.disposables.push({ dispose: () => clearInterval(warm) }, { dispose: () => this.timer && clearTimeout(this.timer) });
  }

  schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.sync(), DEBOUNCE_MS);
  }

  /** Sends what changed since the deployment's newest patch point; one round at a time, the next queued. */
  sync(): Promise<SyncResult> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.round().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.sync();
      }
    });
    return this.running;
  }

  private set(state: WatchState, detail: string): void {
    this.state = state;
    this.detail = detail;
    this.changed();
  }

  private async round(): Promise<SyncResult> {
    const result = await this.patchOnce();
    this.syncs += 1;
    this.last = result;
    this.changed();
    return result;
  }

  private async patchOnce(): Promise<SyncResult> {
    const { project, context } = this;
    try {
      // One snapshot of the files: the plan's config.yaml and its hash must describe the same bytes, even when a
      // save lands while this round reads.
      const hashed = await hashProjectFiles(project.root, await listProjectFiles(project.root));
      const snapshot = hashed.contents.get(path.basename(project.configPath));
      const configText = (snapshot ?? Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.file(project.configPath)))).toString('utf8');
      const read = readTrussConfig(configText);
      if (read.issues.some((issue) => issue.severity === 'error')) {
        await checkConfig(context, project);
        this.set('problem', 'config.yaml has problems; fix them to go on syncing');
        return { outcome: 'invalid', message: this.detail };
      }
      this.set('patching', 'sending changes');
      const local = { ...hashed, configText, config: read.config, requirements: read.requirements };
      const outcome = await context.services.client.patches.patch(this.modelId, this.deploymentId, (base) => planPatch(base, local));
      if (outcome.kind === 'needs_full_deploy') return this.redeploy(outcome.reason);
      const time = new Date().toLocaleTimeString();
      this.set('synced', outcome.kind === 'applied' ? `patched at ${time}` : `up to date at ${time}`);
      return { outcome: outcome.kind, message: this.detail };
    } catch (error) {
      const shown = showFailure(context.services.log, `Watch ${project.name}`, error);
      this.set('problem', shown.message);
      return { outcome: 'error', message: shown.message };
    }
  }

  /** Baseten (or the plan) says only a rebuild applies the change: deploy to development, then go on watching it. */
  private async redeploy(reason: string): Promise<SyncResult> {
    this.set('deploying', `full deploy: ${reason}`);
    void vscode.window.showInformationMessage(`${this.project.name}: ${reason}. Deploying to development again; Watch goes on after.`);
    const outcome = await deployProject(this.context, this.project, { kind: 'development' });
    if (outcome.outcome === 'active' && outcome.record) {
      this.modelId = outcome.record.modelId;
      this.deploymentId = outcome.record.deploymentId;
      this.set('synced', `redeployed at ${new Date().toLocaleTimeString()}`);
      return { outcome: 'redeployed', message: outcome.message };
    }
    this.set('problem', outcome.message);
    return { outcome: 'error', message: outcome.message };
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}

const ICONS: Record<WatchState, string> = { starting: '$(sync~spin)', patching: '$(sync~spin)', deploying: '$(sync~spin)', synced: '$(eye)', problem: '$(warning)' };

/** Watch sessions (one per project) and their status bar item. */
export class TrussWatcher implements vscode.Disposable {
  private readonly sessions = new Map<string, WatchSession>();
  private readonly item = vscode.window.createStatusBarItem('baseten.truss.watch', vscode.StatusBarAlignment.Left, 49);

  constructor(private readonly context: TrussContext) {
    this.item.name = 'Baseten Truss Watch';
    this.item.command = 'baseten.truss.stopWatch';
  }

  session(project: TrussProject): WatchSession | undefined {
    return this.sessions.get(project.root);
  }

  /** Starts watching the project's development deployment and sends what changed since it was deployed. */
  async start(project: TrussProject, modelId: string, deploymentId: string): Promise<SyncResult> {
    this.sessions.get(project.root)?.dispose();
    const session = new WatchSession(this.context, project, modelId, deploymentId, () => this.render());
    this.sessions.set(project.root, session);
    this.context.projects.setWatching(project, true);
    this.render();
    return session.sync();
  }

  stop(project: TrussProject): boolean {
    const session = this.sessions.get(project.root);
    if (!session) return false;
    session.dispose();
    this.sessions.delete(project.root);
    this.context.projects.setWatching(project, false);
    this.render();
    return true;
  }

  watchedProjects(): TrussProject[] {
    return [...this.sessions.values()].map((session) => session.project);
  }

  private render(): void {
    const sessions = [...this.sessions.values()];
    if (sessions.length === 0) {
      this.item.hide();
      return;
    }
    const worst = sessions.find((session) => session.state === 'problem') ?? sessions.find((session) => session.state !== 'synced') ?? sessions[0];
    const names = sessions.map((session) => session.project.name).join(', ');
    this.item.text = `${ICONS[worst.state]} Watching ${names}`;
    this.item.tooltip = new vscode.MarkdownString(
      `${sessions.map((session) => `**${session.project.name}** (development): ${session.detail || 'starting'}`).join('\n\n')}\n\nSaved changes are patched into the development deployment. Click to stop watching.`,
    );
    this.item.backgroundColor = worst.state === 'problem' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.accessibilityInformation = { label: `Baseten Watch: ${sessions.map((session) => `${session.project.name}, ${session.detail || 'starting'}`).join('; ')}. Activate to stop watching.` };
    this.item.show();
  }

  dispose(): void {
    for (const session of this.sessions.values()) session.dispose();
    this.sessions.clear();
    this.item.dispose();
  }
}
