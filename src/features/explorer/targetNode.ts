import * as vscode from 'vscode';
import { actionUrl, describeAutoscaling, describePromotionStatus, predictAction, targetLabel } from '../../client';
import type { BasetenEndpoints, ChainletV1, Owner, Target, TargetRef } from '../../client';
import { CatalogTarget, TargetPlace, TargetState, acceptsRequests, isScaledToZero, isWakeable } from '../../catalog/targets';
import { ExplorerNode, escapeMarkdown } from '../../platform/treeNodes';
import { statusIcon, statusLabel } from '../../platform/deploymentStatus';
import { operateTokens } from './logic/operateTokens';

const NOT_DEACTIVATABLE: ReadonlySet<string> = new Set(['INACTIVE', 'DEACTIVATING', 'BUILD_FAILED', 'BUILD_STOPPED', 'DEPLOY_FAILED']);

/**
 * A catalog target in the tree: an environment, the development deployment, or a deployment of a model or
 * chain, with its live status.
 */
export class TargetNode implements ExplorerNode {
  readonly id: string;

  constructor(
    readonly entry: CatalogTarget,
    private readonly endpoints: () => BasetenEndpoints,
  ) {
    this.id = `${entry.owner.kind}/${entry.owner.id}/${entry.place}/${this.key}`;
  }

  get owner(): Owner {
    return this.entry.owner;
  }

  get target(): Target {
    return this.entry.target;
  }

  get ref(): TargetRef {
    return { owner: this.entry.owner, target: this.entry.target };
  }

  get place(): TargetPlace {
    return this.entry.place;
  }

  get state(): TargetState {
    return this.entry.state;
  }

  get statusKnown(): boolean {
    return this.entry.statusKnown;
  }

  /** The environment name, `development`, or the deployment ID. */
  get key(): string {
    const target = this.entry.target;
    if (target.kind === 'deployment') return target.id;
    if (target.kind === 'environment') return target.name;
    return target.kind === 'regional' ? target.environment : target.kind;
  }

  get label(): string {
    if (this.place === 'deployment') return this.state.deploymentName || this.key;
    return this.key;
  }

  /** How the user names it: "my-model · production". */
  get title(): string {
    return targetLabel(this.entry);
  }

  get sleeping(): boolean {
    return isScaledToZero(this.entry);
  }

  get wakeable(): boolean {
    return isWakeable(this.entry);
  }

  /** Predict, chat, WebSocket and async requests are offered only where they can be answered. */
  get invokable(): boolean {
    return acceptsRequests(this.entry);
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
    item.iconPath = this.state.promotion
      ? new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('charts.blue'))
      : this.statusKnown
        ? statusIcon(this.state.status)
        : new vscode.ThemeIcon('circle-large-outline');
    item.description = this.description();
    item.tooltip = this.tooltip();
    // Read aloud with its model: a row says only "production", its place under the model shows the rest.
    item.accessibilityInformation = { label: `${this.title}, ${item.description}` };
    item.contextValue = this.contextTokens().join(' ');
    return item;
  }

  async children(): Promise<ExplorerNode[]> {
    return (this.state.chainlets ?? []).map((chainlet) => new ChainletNode(this.id, chainlet, this.ref, this.state.deploymentId));
  }

  private description(): string {
    if (!this.statusKnown) return 'configured in settings';
    const parts: string[] = [statusLabel(this.state.status)];
    if (this.state.replicas !== undefined && this.state.status !== undefined) {
      parts.push(`${this.state.replicas} ${this.state.replicas === 1 ? 'replica' : 'replicas'}`);
    }
    if (this.place !== 'deployment' && this.state.deploymentName) parts.push(this.state.deploymentName);
    if (this.place !== 'deployment' && !this.state.deploymentId) return 'no deployment';
    // First, so a narrow sidebar still shows it.
    if (this.state.promotion) parts.unshift(`Promoting ${this.promotionText()}`);
    return parts.join(' · ');
  }

  /** "deployment-5 (25 % of traffic)", "deployment-5 (releasing)". */
  private promotionText(): string {
    const promotion = this.state.promotion!;
    const candidate = promotion.candidate?.name ?? 'a new deployment';
    return promotion.status === 'RAMPING_UP' ? `${candidate} (${promotion.percentTraffic} % of traffic)` : `${candidate} (${describePromotionStatus(promotion.status).toLowerCase()})`;
  }

  /** The hover text; the Models view may add to it when it is shown (metrics). */
  tooltip(): vscode.MarkdownString {
    const state = this.state;
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${escapeMarkdown(this.title)}**\n\n| | |\n|---|---|\n`);
    md.appendMarkdown(`| Status | ${this.statusKnown ? statusLabel(state.status) : 'unknown (configured in settings)'} |\n`);
    if (state.deploymentId) md.appendMarkdown(`| Deployment | ${escapeMarkdown(state.deploymentName ?? '')} \`${state.deploymentId}\` |\n`);
    if (state.replicas !== undefined) md.appendMarkdown(`| Active replicas | ${state.replicas} |\n`);
    if (state.autoscaling) md.appendMarkdown(`| Autoscaling | ${escapeMarkdown(describeAutoscaling(state.autoscaling))} |\n`);
    else if (state.minReplicas !== undefined) md.appendMarkdown(`| Autoscaling | ${state.minReplicas}–${state.maxReplicas} replicas |\n`);
    if (state.promotion) md.appendMarkdown(`| Promotion | ${escapeMarkdown(`${describePromotionStatus(state.promotion.status)}: ${this.promotionText()}`)} |\n`);
    if (state.instanceType) md.appendMarkdown(`| Instance type | ${escapeMarkdown(state.instanceType)} |\n`);
    if (state.createdAt) md.appendMarkdown(`| Created | ${new Date(state.createdAt).toLocaleString()} |\n`);
    md.appendMarkdown(`\n\`${this.endpointUrl}\``);
    if (this.sleeping) md.appendMarkdown('\n\nScaled to zero: the next request starts a replica (a cold start). *Wake* starts it now.');
    else if (!this.invokable) md.appendMarkdown(`\n\n${this.whyNoRequests()}`);
    return md;
  }

  private whyNoRequests(): string {
    const status = this.state.status;
    if (!this.state.deploymentId) return 'No deployment: nothing can answer requests here yet.';
    if (status === 'INACTIVE' || status === 'DEACTIVATING') return 'Inactive: it takes no requests until it is activated again.';
    if (status === 'BUILDING' || status === 'DEPLOYING') return 'Not deployed yet: requests can be sent once it is active.';
    return `${statusLabel(status)}: it cannot answer requests. *Show Logs* shows why.`;
  }

  private contextTokens(): string[] {
    const tokens = ['baseten.target', `kind-${this.place}`, this.owner.kind === 'model' ? 'onModel' : 'onChain'];
    if (this.state.deploymentId) tokens.push('hasDeployment');
    if (this.wakeable) tokens.push('wakeable');
    if (this.wakeable && this.sleeping) tokens.push('sleeping');
    if (this.invokable) tokens.push('invokable');
    if (this.owner.kind === 'model' && this.statusKnown && this.state.status) {
      if (this.state.status === 'INACTIVE') tokens.push('activatable');
      else if (!NOT_DEACTIVATABLE.has(this.state.status)) tokens.push('deactivatable');
    }
    // Baseten's API deactivates a chain deployment but has no way to activate one again (docs/baseten-api.md#chains).
    if (this.owner.kind === 'chain' && this.statusKnown && this.state.status && this.state.deploymentId && !NOT_DEACTIVATABLE.has(this.state.status)) {
      tokens.push('deactivatable');
    }
    if (this.state.status) tokens.push(`status-${this.state.status}`);
    tokens.push(...operateTokens(this.entry));
    return tokens;
  }
}

export class ChainletNode implements ExplorerNode {
  readonly id: string;

  constructor(
    parentId: string,
    readonly chainlet: ChainletV1,
    /** The chain target it runs on, and the chain deployment behind it (its logs are read by both). */
    readonly ref?: TargetRef,
    readonly deploymentId?: string,
  ) {
    this.id = `${parentId}/chainlet/${chainlet.id}`;
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
