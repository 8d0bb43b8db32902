import * as vscode from 'vscode';
import { dashboardModelUrl } from '../../client';
import type { BasetenEndpoints } from '../../client';
import { CatalogOwner, DeploymentCatalog, ownerKey } from '../../catalog/deploymentCatalog';
import { ExplorerNode, escapeMarkdown } from '../../platform/treeNodes';
import { TargetNode } from './targetNode';

/** A model or a chain: its environments, development deployment and other deployments, from the catalog. */
export class OwnerNode implements ExplorerNode {
  readonly id: string;

  constructor(
    /** Replaced when the catalog lists the owner again; the node stays the same object. */
    public owner: CatalogOwner,
    private readonly catalog: DeploymentCatalog,
    private readonly endpoints: () => BasetenEndpoints,
  ) {
    this.id = ownerKey(owner);
  }

  treeItem(): vscode.TreeItem {
    const owner = this.owner;
    const item = new vscode.TreeItem(owner.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(owner.kind === 'model' ? 'symbol-class' : 'type-hierarchy');
    const count = owner.deploymentsCount;
    item.description = owner.configured ? `${owner.id} · configured` : `${owner.id}${count !== undefined ? ` · ${count} ${count === 1 ? 'deployment' : 'deployments'}` : ''}`;
    const md = new vscode.MarkdownString(`**${escapeMarkdown(owner.name)}** \`${owner.id}\``);
    if (owner.instanceType) md.appendMarkdown(`\n\nInstance type: ${escapeMarkdown(owner.instanceType)}`);
    if (owner.teamName) md.appendMarkdown(owner.kind === 'model' ? `  \nTeam: ${escapeMarkdown(owner.teamName)}` : `\n\nTeam: ${escapeMarkdown(owner.teamName)}`);
    if (owner.kind === 'model') md.appendMarkdown(`\n\n[Open in Baseten](${dashboardModelUrl(this.endpoints(), owner)})`);
    item.tooltip = md;
    item.contextValue = `baseten.${owner.kind}${owner.configured ? ' configured' : ''}`;
    return item;
  }

  async children(signal: AbortSignal): Promise<ExplorerNode[]> {
    const targets = await this.catalog.listTargets(this.owner, signal);
    return targets.map((target) => new TargetNode(target, this.endpoints));
  }
}
