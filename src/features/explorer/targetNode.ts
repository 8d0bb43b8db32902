import * as vscode from 'vscode';
import {
  DEVELOPMENT,
  DeploymentStatus,
  Owner,
  Target,
  actionUrl,
  deployment as deploymentTarget,
  environmentByName,
  isSleeping,
  isTransitionalStatus,
  predictAction,
} from '../../client';
import type { BasetenEndpoints, ChainletV1, DeploymentV1 } from '../../client';
import { ExplorerNode, escapeMarkdown } from '../../platform/treeNodes';
import { statusIcon, statusLabel } from '../../platform/deploymentStatus';

export type TargetKind = 'environment' | 'development' | 'deployment';

/** The state shown for a target; what the management API said of its deployment, when it could be read. */
export interface TargetState {
  status?: DeploymentStatus;
  deploymentId?: string;
  deploymentName?: string;
  replicas?: number;
  instanceType?: string | null;
  minReplicas?: number;
  maxReplicas?: number;
  createdAt?: string;
  chainlets?: ChainletV1[];
}

const NOT_DEACTIVATABLE: ReadonlySet<DeploymentStatus> = new Set(['INACTIVE', 'DEACTIVATING', 'BUILD_FAILED', 'BUILD_STOPPED', 'DEPLOY_FAILED']);

export function stateOf(deployment: DeploymentV1 | null | undefined): TargetState {
  if (!deployment) return {};
  return {
    status: deployment.status,
    deploymentId: deployment.id,
    deploymentName: deployment.name,
    replicas: deployment.active_replica_count,
    instanceType: deployment.instance_type_name,
    minReplicas: deployment.autoscaling_settings?.min_replica,
    maxReplicas: deployment.autoscaling_settings?.max_replica,
    createdAt: deployment.created_at,
  };
}

/**
 * Something requests can be sent to: an environment, the development deployment, or a deployment of a
 * model or chain, with its live status.
 */
export class TargetNode implements ExplorerNode {
  readonly id: string;

  constructor(
    readonly owner: Owner,
    readonly kind: TargetKind,
    /** The environment name or deployment ID. */
    readonly key: string,
    public state: TargetState,
    private readonly endpoints: () => BasetenEndpoints,
    /** False for hand-configured targets: the management API could not be read. */
    readonly statusKnown = true,
  ) {
    this.id = `${owner.kind}/${owner.id}/${kind}/${key}`;
  }

  get target(): Target {
    if (this.kind === 'development') return DEVELOPMENT;
    if (this.kind === 'deployment') return deploymentTarget(this.key, this.state.deploymentName);
    return environmentByName(this.key);
  }

  get label(): string {
    if (this.kind === 'development') return 'development';
    if (this.kind === 'deployment') return this.state.deploymentName || this.key;
    return this.key;
  }

  /** How the user names it: "production of my-model". */
  get title(): string {
    return `${this.label} of ${this.owner.name}`;
  }

  get transitional(): boolean {
    return !!this.state.status && isTransitionalStatus(this.state.status);
  }

  get sleeping(): boolean {
    return !!this.state.status && isSleeping(this.state.status);
  }

  get wakeable(): boolean {
    return this.owner.kind === 'model' && (this.sleeping || !this.statusKnown);
  }

  get endpointUrl(): string {
    return actionUrl(this.endpoints(), this.owner, this.target, predictAction(this.owner));
  }

  treeItem(): vscode.TreeItem {
    const chainlets = this.state.chainlets ?? [];
    const item = new vscode.TreeItem(
      this.label,
      chainlets.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.id = this.id;
    item.iconPath = this.statusKnown ? statusIcon(this.state.status) : new vscode.ThemeIcon('circle-large-outline');
    item.description = this.description();
    item.tooltip = this.tooltip();
    item.contextValue = this.contextTokens().join(' ');
    return item;
  }

  readonly childrenLoadedWithIt = true;

  async children(): Promise<ExplorerNode[]> {
    return (this.state.chainlets ?? []).map((chainlet) => new ChainletNode(this.id, chainlet));
  }

  private description(): string {
    if (!this.statusKnown) return 'configured in settings';
    const parts: string[] = [statusLabel(this.state.status)];
    if (this.state.replicas !== undefined && this.state.status !== undefined) {
      parts.push(`${this.state.replicas} ${this.state.replicas === 1 ? 'replica' : 'replicas'}`);
    }
    if (this.kind !== 'deployment' && this.state.deploymentName) parts.push(this.state.deploymentName);
    if (this.kind !== 'deployment' && !this.state.deploymentId) return 'no deployment';
    return parts.join(' · ');
  }

  private tooltip(): vscode.MarkdownString {
    const state = this.state;
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${escapeMarkdown(this.title)}**\n\n| | |\n|---|---|\n`);
    md.appendMarkdown(`| Status | ${this.statusKnown ? statusLabel(state.status) : 'unknown (configured in settings)'} |\n`);
    if (state.deploymentId) md.appendMarkdown(`| Deployment | ${escapeMarkdown(state.deploymentName ?? '')} \`${state.deploymentId}\` |\n`);
    if (state.replicas !== undefined) md.appendMarkdown(`| Active replicas | ${state.replicas} |\n`);
    if (state.minReplicas !== undefined) md.appendMarkdown(`| Autoscaling | ${state.minReplicas}–${state.maxReplicas} replicas |\n`);
    if (state.instanceType) md.appendMarkdown(`| Instance type | ${escapeMarkdown(state.instanceType)} |\n`);
    if (state.createdAt) md.appendMarkdown(`| Created | ${new Date(state.createdAt).toLocaleString()} |\n`);
    md.appendMarkdown(`\n\`${this.endpointUrl}\``);
    if (this.sleeping) md.appendMarkdown('\n\nScaled to zero: the next request starts a replica (a cold start). *Wake* starts it now.');
    return md;
  }

  private contextTokens(): string[] {
    const tokens = ['baseten.target', `kind-${this.kind}`, this.owner.kind === 'model' ? 'onModel' : 'onChain'];
    if (this.state.deploymentId) tokens.push('hasDeployment');
    if (this.wakeable) tokens.push('wakeable');
    if (this.owner.kind === 'model' && this.statusKnown && this.state.status) {
      if (this.state.status === 'INACTIVE') tokens.push('activatable');
      else if (!NOT_DEACTIVATABLE.has(this.state.status)) tokens.push('deactivatable');
    }
    // Baseten's API deactivates a chain deployment but has no way to activate one again (reference §7.1).
    if (this.owner.kind === 'chain' && this.statusKnown && this.state.status && this.state.deploymentId && !NOT_DEACTIVATABLE.has(this.state.status)) {
      tokens.push('deactivatable');
    }
    if (this.state.status) tokens.push(`status-${this.state.status}`);
    return tokens;
  }
}

export class ChainletNode implements ExplorerNode {
  readonly id: string;

  constructor(
    parentId: string,
    private readonly chainlet: ChainletV1,
  ) {
    this.id = `${parentId}/chainlet/${chainlet.id}`;
  }

  get transitional(): boolean {
    return isTransitionalStatus(this.chainlet.status);
  }

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.chainlet.name, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = statusIcon(this.chainlet.status);
    item.description = `${statusLabel(this.chainlet.status)} · ${this.chainlet.active_replica_count} ${this.chainlet.active_replica_count === 1 ? 'replica' : 'replicas'}`;
    item.tooltip = new vscode.MarkdownString(
      `**Chainlet ${escapeMarkdown(this.chainlet.name)}**\n\n| | |\n|---|---|\n| Status | ${statusLabel(this.chainlet.status)} |\n| Instance type | ${escapeMarkdown(this.chainlet.instance_type_name)} |\n| Active replicas | ${this.chainlet.active_replica_count} |`,
    );
    item.contextValue = 'baseten.chainlet';
    return item;
  }
}

interface ListedDeployment {
  id: string;
  created_at: string;
}

/**
 * The targets of a model or chain in the order users read them: environments (production first), then
 * development, then every deployment no environment serves, newest first.
 */
export function orderedTargets<D extends ListedDeployment>(
  owner: Owner,
  environments: Array<{ name: string; current_deployment: D | null }>,
  deployments: D[],
  development: D | undefined,
  state: (deployment: D | null | undefined) => TargetState,
  endpoints: () => BasetenEndpoints,
): TargetNode[] {
  const byId = new Map(deployments.map((d) => [d.id, d]));
  const served = new Set<string>();
  const nodes = environments
    .slice()
    .sort((a, b) => (a.name === 'production' ? -1 : b.name === 'production' ? 1 : a.name.localeCompare(b.name)))
    .map((environment) => {
      const current = environment.current_deployment ? byId.get(environment.current_deployment.id) ?? environment.current_deployment : null;
      if (current) served.add(current.id);
      return new TargetNode(owner, 'environment', environment.name, state(current), endpoints);
    });
  if (development) {
    served.add(development.id);
    nodes.push(new TargetNode(owner, 'development', 'development', state(development), endpoints));
  }
  const others = deployments
    .filter((d) => !served.has(d.id))
    .sort((a, b) => b.created_at.localeCompare(a.created_at))
    .map((d) => new TargetNode(owner, 'deployment', d.id, state(d), endpoints));
  return [...nodes, ...others];
}
