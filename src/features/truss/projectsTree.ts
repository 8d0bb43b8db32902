import * as vscode from 'vscode';
import { describeDeploymentStatus, isFailedStatus, isTransitionalStatus } from '../../client';
import type { DeploymentStatus } from '../../client';
import type { TrussContext } from './deploy';
import type { TrussProject } from './logic/projects';
import type { ChainProject, DeployRecord } from './projectStore';

type ProjectsNode = ProjectNode | ChainNode | DetailNode;

/** A Truss project of the workspace, named as on Baseten. */
export class ProjectNode extends vscode.TreeItem {
  readonly kind = 'project';
  constructor(
    readonly project: TrussProject,
    readonly record: DeployRecord | undefined,
    readonly onBaseten: boolean,
    readonly watching: boolean,
  ) {
    super(project.name, vscode.TreeItemCollapsibleState.Expanded);
    this.id = `truss:${project.root}`;
    const folder = vscode.workspace.asRelativePath(project.root);
    this.description = record ? `${record.kind === 'development' ? 'development' : record.environment ?? 'published'} · ${statusWords(record.status)}` : onBaseten ? 'on Baseten · not deployed from here yet' : 'not deployed yet';
    this.iconPath = record?.status ? statusIcon(record.status) : new vscode.ThemeIcon('package');
    this.tooltip = new vscode.MarkdownString(
      [
        `**${project.name}** — Truss in \`${folder}\``,
        record ? `Last deploy: ${record.kind === 'development' ? 'development' : 'published'}, ${relativeTime(record.at)} — ${statusWords(record.status)}` : 'Not deployed from this editor yet.',
        watching ? 'Watching: saved changes are patched into the development deployment.' : '',
      ].filter(Boolean).join('\n\n'),
    );
    this.contextValue = ['trussProject', watching ? 'watching' : 'notWatching', record ? 'deployed' : ''].filter(Boolean).join(' ');
    this.resourceUri = vscode.Uri.file(project.root);
  }
}

/** A Chain in the workspace: runnable from the editor, deployed with the truss CLI. */
class ChainNode extends vscode.TreeItem {
  readonly kind = 'chain';
  constructor(chain: ChainProject) {
    super(chain.name, vscode.TreeItemCollapsibleState.None);
    this.id = `chain:${chain.file}`;
    this.description = `Chain · ${vscode.workspace.asRelativePath(chain.file)}`;
    this.iconPath = new vscode.ThemeIcon('type-hierarchy');
    this.tooltip = new vscode.MarkdownString(
      `**${chain.name}** — Chain with entrypoint \`${chain.className}\`\n\nRun it on its development deployment from the CodeLens above \`run_remote\`. Deploy it with \`truss chains push\`; deploying Chains from the editor is not supported yet.`,
    );
    this.contextValue = 'trussChain';
    this.command = { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.file(chain.file), { selection: new vscode.Range(chain.runRemoteLine ?? 0, 0, chain.runRemoteLine ?? 0, 0) }] };
  }
}

class DetailNode extends vscode.TreeItem {
  readonly kind = 'detail';
  constructor(id: string, label: string, description: string, icon: vscode.ThemeIcon, command?: vscode.Command) {
    super(label, vscode.TreeItemCollapsibleState.None);
    this.id = id;
    this.description = description;
    this.iconPath = icon;
    this.command = command;
    this.tooltip = `${label}: ${description}`;
  }
}

function statusWords(status: DeploymentStatus | undefined): string {
  return status ? describeDeploymentStatus(status) : 'status unknown';
}

function statusIcon(status: DeploymentStatus): vscode.ThemeIcon {
  if (status === 'ACTIVE') return new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'));
  if (isFailedStatus(status)) return new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
  if (isTransitionalStatus(status)) return new vscode.ThemeIcon('sync~spin');
  return new vscode.ThemeIcon('circle-outline');
}

export function relativeTime(iso: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'} ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} hour${hours === 1 ? '' : 's'} ago`;
  return new Date(iso).toLocaleDateString();
}

/** The "Truss Projects" view: each project, the model it deploys to and its last deploy. */
export class TrussProjectsTree implements vscode.TreeDataProvider<ProjectsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ProjectsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  /** Names of the models the management API listed (to say a project is already on Baseten); empty without a key. */
  private modelNames?: Promise<Set<string>>;

  constructor(private readonly context: TrussContext) {
    this.disposables.push(
      context.projects.onDidChange(() => this.changed.fire(undefined)),
      // The config.yaml row counts its problems.
      vscode.languages.onDidChangeDiagnostics((event) => {
        if (event.uris.some((uri) => uri.path.endsWith('/config.yaml'))) this.changed.fire(undefined);
      }),
      context.catalog.onDidChange((change) => {
        if (change.owners === 'model') {
          this.modelNames = undefined;
          this.changed.fire(undefined);
        }
      }),
    );
  }

  refresh(): void {
    this.modelNames = undefined;
    this.context.projects.refresh();
  }

  getTreeItem(node: ProjectsNode): vscode.TreeItem {
    return node;
  }

  async getChildren(node?: ProjectsNode): Promise<ProjectsNode[]> {
    if (!node) return this.roots();
    if (node.kind !== 'project') return [];
    return this.details(node);
  }

  private async roots(): Promise<Array<ProjectNode | ChainNode>> {
    const [projects, chains] = await Promise.all([this.context.projects.projects(), this.context.projects.chains()]);
    void vscode.commands.executeCommand('setContext', 'baseten.truss.hasProjects', projects.length + chains.length > 0);
    if (projects.length + chains.length === 0) return [];
    const names = projects.length > 0 ? await this.listedNames() : new Set<string>();
    return [
      ...projects.map((project) => new ProjectNode(project, this.context.projects.record(project), names.has(project.name), this.context.projects.watching.has(project.root))),
      ...chains.map((chain) => new ChainNode(chain)),
    ];
  }

  private listedNames(): Promise<Set<string>> {
    this.modelNames ??= (async () => {
      if ((await this.context.services.keys.resolve()).source === 'none') return new Set<string>();
      const listing = await this.context.catalog.listOwners('model').catch(() => undefined);
      return new Set((listing?.owners ?? []).map((owner) => owner.name));
    })();
    return this.modelNames;
  }

  private details(node: ProjectNode): ProjectsNode[] {
    const { project, record } = node;
    const base = `truss:${project.root}`;
    const nodes: ProjectsNode[] = [];
    if (record) {
      const where = record.kind === 'development' ? 'Development' : record.environment ? `Published · ${record.environment}` : 'Published';
      nodes.push(new DetailNode(`${base}:status`, where, statusWords(record.status), record.status ? statusIcon(record.status) : new vscode.ThemeIcon('circle-outline')));
      nodes.push(new DetailNode(`${base}:last`, 'Last deploy', relativeTime(record.at), new vscode.ThemeIcon('history')));
    } else {
      nodes.push(
        new DetailNode(`${base}:deploy`, 'Deploy to Development', 'package, upload and build', new vscode.ThemeIcon('cloud-upload'), {
          command: 'baseten.truss.deployDevelopment',
          title: 'Deploy to Development',
          arguments: [vscode.Uri.file(project.root)],
        }),
      );
    }
    if (node.watching) nodes.push(new DetailNode(`${base}:watch`, 'Watching', 'saved changes are patched live', new vscode.ThemeIcon('eye')));
    const problems = vscode.languages.getDiagnostics(vscode.Uri.file(project.configPath)).filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length;
    nodes.push(
      new DetailNode(`${base}:config`, 'config.yaml', problems ? `${problems} problem${problems === 1 ? '' : 's'}` : 'no problems', new vscode.ThemeIcon(problems ? 'warning' : 'file-code'), {
        command: 'baseten.truss.openConfig',
        title: 'Open config.yaml',
        arguments: [vscode.Uri.file(project.root)],
      }),
    );
    return nodes;
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
