import * as vscode from 'vscode';
import type { BasetenEndpoints, ChainDeploymentV1, ChainEnvironmentV1, ChainV1 } from '../../client';
import { ConfiguredTarget, configuredChains } from '../../platform/settings';
import { BasetenServices } from '../../platform/services';
import { configuredTargets, keyRejectedNode, managementDeniedNode, managementRefusal } from './modelsTree';
import { ExplorerNode, escapeMarkdown } from '../../platform/treeNodes';
import { TargetNode, TargetState, orderedTargets } from './targetNode';
import { BasetenTreeProvider, TreeProviderOptions } from './treeProvider';

function chainState(deployment: ChainDeploymentV1 | null | undefined): TargetState {
  if (!deployment) return {};
  return {
    status: deployment.status,
    deploymentId: deployment.id,
    replicas: deployment.chainlets.reduce((sum, chainlet) => sum + chainlet.active_replica_count, 0),
    createdAt: deployment.created_at,
    chainlets: deployment.chainlets,
  };
}

/** A chain: its environments and its other deployments, each with its chainlets. */
export class ChainNode implements ExplorerNode {
  readonly id: string;

  constructor(
    readonly chain: Pick<ChainV1, 'id' | 'name'> & Partial<ChainV1>,
    private readonly services: BasetenServices,
    private readonly configured?: ConfiguredTarget,
  ) {
    this.id = `chain/${chain.id}`;
  }

  get owner(): { kind: 'chain'; id: string; name: string } {
    return { kind: 'chain', id: this.chain.id, name: this.chain.name };
  }

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.chain.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('type-hierarchy');
    const count = this.chain.deployments_count;
    item.description = this.configured ? `${this.chain.id} · configured` : `${this.chain.id}${count !== undefined ? ` · ${count} ${count === 1 ? 'deployment' : 'deployments'}` : ''}`;
    item.tooltip = new vscode.MarkdownString(`**${escapeMarkdown(this.chain.name)}** \`${this.chain.id}\`${this.chain.team_name ? `\n\nTeam: ${escapeMarkdown(this.chain.team_name)}` : ''}`);
    item.contextValue = this.configured ? 'baseten.chain configured' : 'baseten.chain';
    return item;
  }

  async children(signal: AbortSignal): Promise<ExplorerNode[]> {
    const endpoints = (): BasetenEndpoints => this.services.client.endpoints;
    if (this.configured) return configuredTargets(this.owner, this.configured, endpoints);
    const management = this.services.client.management;
    const [environments, deployments] = await Promise.all([
      management.listChainEnvironments(this.chain.id, { signal }),
      management.listChainDeployments(this.chain.id, { signal }),
    ]);
    return chainTargets(this.owner, environments, deployments, endpoints);
  }
}

export function chainTargets(
  owner: { kind: 'chain'; id: string; name: string },
  environments: ChainEnvironmentV1[],
  deployments: ChainDeploymentV1[],
  endpoints: () => BasetenEndpoints,
): TargetNode[] {
  return orderedTargets(owner, environments, deployments, undefined, chainState, endpoints);
}

export class ChainsTreeProvider extends BasetenTreeProvider {
  constructor(
    private readonly services: BasetenServices,
    options: Omit<TreeProviderOptions, 'viewId' | 'what'>,
  ) {
    super({ ...options, viewId: 'baseten.chains', what: 'chains' });
  }

  protected async loadRoot(signal: AbortSignal): Promise<ExplorerNode[]> {
    const configured = configuredChains();
    const fromSettings = (exclude: Set<string>): ChainNode[] =>
      configured.filter((c) => !exclude.has(c.id)).map((c) => new ChainNode({ id: c.id, name: c.name || c.id }, this.services, c));
    let chains: ChainV1[];
    try {
      chains = await this.services.client.management.listChains({ signal });
    } catch (error) {
      const refusal = await managementRefusal(this.services, error, signal);
      if (!refusal) throw error;
      if (refusal === 'rejected') {
        this.options.log.failure('Listing chains (Baseten rejected the API key)', error);
        return [keyRejectedNode('chains')];
      }
      this.options.log.failure('Listing chains (the key cannot read the management API; showing chains from settings)', error);
      return [managementDeniedNode('chains', configured.length), ...fromSettings(new Set())];
    }
    const listed = chains
      .slice()
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((chain) => new ChainNode(chain, this.services));
    return [...listed, ...fromSettings(new Set(chains.map((c) => c.id)))];
  }
}
