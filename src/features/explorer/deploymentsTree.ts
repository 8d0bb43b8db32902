import * as vscode from 'vscode';
import { CatalogChange, DeploymentCatalog, OwnerKind, OwnerListing, ownerKey } from '../../catalog/deploymentCatalog';
import type { BasetenEndpoints } from '../../client';
import { ExplorerNode, MessageNode } from '../../platform/treeNodes';
import { OwnerNode } from './ownerNode';
import { TargetNode } from './targetNode';
import { BasetenTreeProvider, TreeProviderOptions } from './treeProvider';

const WHAT: Record<OwnerKind, 'models' | 'chains'> = { model: 'models', chain: 'chains' };

/** Markdown another feature adds to a target's hover text when it is shown (the metrics of the last hour). */
export type TooltipPart = (node: TargetNode, signal: AbortSignal) => Promise<string | undefined>;

/** The Models or the Chains view: the catalog's owners of one kind, each with its targets. */
export class DeploymentsTreeProvider extends BasetenTreeProvider {
  private readonly subscription: { dispose(): void };
  /** The listing whose refusal was last logged: the tree renders a cached listing many times. */
  private loggedListing?: OwnerListing;
  /** One node per model or chain for the life of the view: VS Code finds nodes (reveal, refresh) by object. */
  private readonly ownerNodes = new Map<string, OwnerNode>();
  private readonly tooltipParts = new Set<TooltipPart>();

  constructor(
    readonly kind: OwnerKind,
    private readonly catalog: DeploymentCatalog,
    private readonly endpoints: () => BasetenEndpoints,
    options: Omit<TreeProviderOptions, 'viewId' | 'what'>,
  ) {
    super({ ...options, viewId: `baseten.${WHAT[kind]}`, what: WHAT[kind] });
    this.subscription = catalog.onDidChange((change) => this.catalogChanged(change));
  }

  /** Adds to the hover text of every target; the text is then built when the user hovers (`resolveTreeItem`). */
  addTooltipPart(part: TooltipPart): vscode.Disposable {
    this.tooltipParts.add(part);
    return new vscode.Disposable(() => this.tooltipParts.delete(part));
  }

  override getTreeItem(node: ExplorerNode): vscode.TreeItem {
    const item = super.getTreeItem(node);
    // Only a tooltip left undefined is resolved on hover.
    if (node instanceof TargetNode && this.tooltipParts.size) item.tooltip = undefined;
    return item;
  }

  async resolveTreeItem(item: vscode.TreeItem, node: ExplorerNode, token: vscode.CancellationToken): Promise<vscode.TreeItem> {
    if (!(node instanceof TargetNode)) return item;
    item.tooltip = await this.tooltipOf(node, token);
    return item;
  }

  /** The node's hover text with what the other features add; a part that fails is left out. */
  async tooltipOf(node: TargetNode, token?: vscode.CancellationToken): Promise<vscode.MarkdownString> {
    const tooltip = node.tooltip();
    const controller = new AbortController();
    const cancelled = token?.onCancellationRequested(() => controller.abort());
    try {
      const parts = await Promise.all([...this.tooltipParts].map((part) => part(node, controller.signal).catch(() => undefined)));
      for (const part of parts) if (part) tooltip.appendMarkdown(`\n\n${part}`);
    } finally {
      cancelled?.dispose();
    }
    return tooltip;
  }

  /** Loads this view's models or chains again from Baseten, with every target under them. */
  reload(): void {
    this.catalog.refresh({ owners: this.kind });
  }

  protected async loadRoot(signal: AbortSignal): Promise<ExplorerNode[]> {
    const listing = await this.catalog.listOwners(this.kind, signal);
    const owners = listing.owners.map((owner) => {
      const id = ownerKey(owner);
      const node = this.ownerNodes.get(id);
      if (node) {
        node.owner = owner;
        return node;
      }
      const created = new OwnerNode(owner, this.catalog, this.endpoints);
      this.ownerNodes.set(id, created);
      return created;
    });
    const listed = new Set(owners.map((node) => node.id));
    for (const id of this.ownerNodes.keys()) if (!listed.has(id)) this.ownerNodes.delete(id);
    if (!listing.refusal) return owners;
    const what = WHAT[this.kind];
    if (this.loggedListing !== listing) {
      this.loggedListing = listing;
      const why = listing.refusal === 'rejected' ? 'Baseten rejected the API key' : `the key cannot read the management API; showing ${what} from settings`;
      this.options.log.failure(`Listing ${what} (${why})`, listing.refusalError);
    }
    return listing.refusal === 'rejected' ? [keyRejectedNode(what)] : [managementDeniedNode(what, owners.length), ...owners];
  }

  private catalogChanged(change: CatalogChange): void {
    if (change.owners) {
      if (change.owners === this.kind) this.refresh();
      return;
    }
    if (change.owner.kind !== this.kind) return;
    const shown = this.ownerNodes.get(ownerKey(change.owner));
    if (shown) this.refresh(shown);
  }

  override dispose(): void {
    this.subscription.dispose();
    super.dispose();
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
