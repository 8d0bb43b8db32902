import * as vscode from 'vscode';
import { classifyKeyRefusal, dashboardModelUrl } from '../../client';
import type { BasetenEndpoints, DeploymentV1, EnvironmentV1, KeyRefusal, ModelV1 } from '../../client';
import { ConfiguredTarget, configuredModels } from '../../platform/settings';
import { BasetenServices } from '../../platform/services';
import { ExplorerNode, MessageNode, escapeMarkdown } from '../../platform/treeNodes';
import { TargetNode, orderedTargets, stateOf } from './targetNode';
import { BasetenTreeProvider, TreeProviderOptions } from './treeProvider';

/** A deployed model: its environments, its development deployment and its other deployments. */
export class ModelNode implements ExplorerNode {
  readonly id: string;

  constructor(
    readonly model: Pick<ModelV1, 'id' | 'name'> & Partial<ModelV1>,
    private readonly services: BasetenServices,
    /** Set for models configured by hand: their targets come from settings, not the management API. */
    readonly configured?: ConfiguredTarget,
  ) {
    this.id = `model/${model.id}`;
  }

  get owner(): { kind: 'model'; id: string; name: string } {
    return { kind: 'model', id: this.model.id, name: this.model.name };
  }

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.model.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('symbol-class');
    const count = this.model.deployments_count;
    item.description = this.configured ? `${this.model.id} · configured` : `${this.model.id}${count !== undefined ? ` · ${count} ${count === 1 ? 'deployment' : 'deployments'}` : ''}`;
    const md = new vscode.MarkdownString(`**${escapeMarkdown(this.model.name)}** \`${this.model.id}\``);
    if (this.model.instance_type_name) md.appendMarkdown(`\n\nInstance type: ${escapeMarkdown(this.model.instance_type_name)}`);
    if (this.model.team_name) md.appendMarkdown(`  \nTeam: ${escapeMarkdown(this.model.team_name)}`);
    md.appendMarkdown(`\n\n[Open in Baseten](${dashboardModelUrl(this.services.client.endpoints, this.owner)})`);
    item.tooltip = md;
    item.contextValue = this.configured ? 'baseten.model configured' : 'baseten.model';
    return item;
  }

  async children(signal: AbortSignal): Promise<ExplorerNode[]> {
    const endpoints = (): BasetenEndpoints => this.services.client.endpoints;
    if (this.configured) return configuredTargets(this.owner, this.configured, endpoints);
    const management = this.services.client.management;
    const [environments, deployments] = await Promise.all([
      management.listEnvironments(this.model.id, { signal }),
      management.listDeployments(this.model.id, { signal }),
    ]);
    return modelTargets(this.owner, environments, deployments, endpoints);
  }
}

/** Environments (production first), then development, then every deployment no environment serves. */
export function modelTargets(
  owner: { kind: 'model'; id: string; name: string },
  environments: EnvironmentV1[],
  deployments: DeploymentV1[],
  endpoints: () => BasetenEndpoints,
): TargetNode[] {
  return orderedTargets(owner, environments, deployments, deployments.find((d) => d.is_development), stateOf, endpoints);
}

export function configuredTargets(
  owner: { kind: 'model' | 'chain'; id: string; name: string },
  configured: ConfiguredTarget,
  endpoints: () => BasetenEndpoints,
): TargetNode[] {
  const environments = configured.environments?.length ? configured.environments : ['production'];
  const nodes = environments.map((name) => new TargetNode(owner, 'environment', name, {}, endpoints, false));
  if (configured.development) nodes.push(new TargetNode(owner, 'development', 'development', {}, endpoints, false));
  for (const id of configured.deployments ?? []) {
    nodes.push(new TargetNode(owner, 'deployment', id, { deploymentId: id }, endpoints, false));
  }
  return nodes;
}

/**
 * Why the management API refused the key, asking Model APIs when the answer alone cannot tell (a 401);
 * undefined when the error is no refusal of the key.
 */
export function managementRefusal(services: BasetenServices, error: unknown, signal: AbortSignal): Promise<KeyRefusal | undefined> {
  return classifyKeyRefusal(error, () => services.client.modelApis.listModels({ signal }));
}

export class ModelsTreeProvider extends BasetenTreeProvider {
  constructor(
    private readonly services: BasetenServices,
    options: Omit<TreeProviderOptions, 'viewId' | 'what'>,
  ) {
    super({ ...options, viewId: 'baseten.models', what: 'models' });
  }

  protected async loadRoot(signal: AbortSignal): Promise<ExplorerNode[]> {
    const configured = configuredModels();
    const configuredNodes = (exclude: Set<string>): ModelNode[] =>
      configured
        .filter((entry) => !exclude.has(entry.id))
        .map((entry) => new ModelNode({ id: entry.id, name: entry.name || entry.id }, this.services, entry));
    let models: ModelV1[];
    try {
      models = await this.services.client.management.listModels({ signal });
    } catch (error) {
      const refusal = await managementRefusal(this.services, error, signal);
      if (!refusal) throw error;
      if (refusal === 'rejected') {
        this.options.log.failure('Listing models (Baseten rejected the API key)', error);
        return [keyRejectedNode('models')];
      }
      this.options.log.failure('Listing models (the key cannot read the management API; showing models from settings)', error);
      return [managementDeniedNode('models', configured.length), ...configuredNodes(new Set())];
    }
    const listed = models
      .slice()
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((model) => new ModelNode(model, this.services));
    return [...listed, ...configuredNodes(new Set(models.map((m) => m.id)))];
  }
}

export function managementDeniedNode(what: 'models' | 'chains', configuredCount: number): MessageNode {
  return new MessageNode(`${what}/management-denied`, 'This API key cannot read the management API', {
    icon: 'shield',
    description: configuredCount ? `showing ${what} from settings` : `add ${what} in settings`,
    tooltip: `The key was refused by Baseten's management API, as invoke-only workspace keys are. It can still call models. ${
      configuredCount ? `The ${what} below come from the "baseten.${what}" setting.` : `Add the ${what} you call to the "baseten.${what}" setting to see them here.`
    }`,
    command: { command: 'baseten.configureModels', title: 'Configure', arguments: [what] },
  });
}

/** A wrong, revoked or expired key: refused by the management API and by the inference side alike. */
export function keyRejectedNode(what: 'models' | 'chains'): MessageNode {
  return new MessageNode(`${what}/key-rejected`, 'Baseten rejected the API key', {
    icon: 'error',
    description: 'Set API Key…',
    tooltip: 'Baseten refused this API key on the management API and on Model APIs: it is wrong, revoked or expired. Click to set another key.',
    command: { command: 'baseten.setApiKey', title: 'Set API Key' },
  });
}
