import * as vscode from 'vscode';
import { BasetenError } from '../../client';
import { BasetenLog } from '../../platform/log';
import { ErrorNode, ExplorerNode, MessageNode } from '../../platform/treeNodes';

export interface TreeProviderOptions {
  viewId: string;
  /** What the root lists, in the user's words ("models"), for errors and placeholders. */
  what: string;
  log: BasetenLog;
  hasKey: () => Promise<boolean>;
}

/**
 * The shared mechanics of the Baseten trees: loading with progress in the view, a failed load as an
 * error node, an empty one as a placeholder, refresh of one node or all. What is loaded, cached and polled
 * is the data's business (the deployment catalog), not the tree's.
 */
export abstract class BasetenTreeProvider implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly loads = new Set<AbortController>();
  private readonly lastChildren = new Map<ExplorerNode | undefined, ExplorerNode[]>();
  private readonly parents = new WeakMap<ExplorerNode, ExplorerNode>();

  constructor(protected readonly options: TreeProviderOptions) {}

  protected abstract loadRoot(signal: AbortSignal): Promise<ExplorerNode[]>;

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    return node.treeItem();
  }

  async getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    if (!node && !(await this.options.hasKey())) return [];
    if (node && !node.children) return [];
    const controller = new AbortController();
    this.loads.add(controller);
    try {
      const load = (): Promise<ExplorerNode[]> => (node?.children ? node.children(controller.signal) : this.loadRoot(controller.signal));
      const children = await vscode.window.withProgress({ location: { viewId: this.options.viewId } }, load);
      const shown = children.length ? children : [this.placeholder(node)];
      this.replaceShown(node, shown);
      if (node) for (const child of shown) this.parents.set(child, node);
      return shown;
    } catch (error) {
      if (error instanceof BasetenError && error.kind === 'aborted') return [];
      const what = node ? `the children of ${String(node.treeItem().label ?? node.id)}` : this.options.what;
      const reference = this.options.log.failure(`Loading ${what}`, error);
      return [new ErrorNode(`${node?.id ?? this.options.viewId}/error`, what, errorMessage(error), reference)];
    } finally {
      this.loads.delete(controller);
    }
  }

  /** Lets `TreeView.reveal` find a node's place; nodes are known once their parent was loaded. */
  getParent(node: ExplorerNode): ExplorerNode | undefined {
    return this.parents.get(node);
  }

  /** The children last shown for a node (the root when undefined); for tests and commands. */
  shownChildren(node?: ExplorerNode): readonly ExplorerNode[] | undefined {
    return this.lastChildren.get(node);
  }

  /**
   * Shows a node again, or the whole tree; `forget` drops what the tree last showed, for when the key or the
   * hosts changed and the old list belongs to someone else.
   */
  refresh(node?: ExplorerNode, options: { forget?: boolean } = {}): void {
    if (!node && options.forget) this.lastChildren.clear();
    this.changed.fire(node);
  }

  /**
   * What a node shows now. Children it showed before and no longer holds (nodes are rebuilt on each load, but for
   * those the provider keeps) are forgotten with everything shown below them.
   */
  private replaceShown(node: ExplorerNode | undefined, shown: ExplorerNode[]): void {
    const kept = new Set(shown);
    const forget = (parent: ExplorerNode | undefined): void => {
      for (const child of this.lastChildren.get(parent) ?? []) {
        if (parent === node && kept.has(child)) continue;
        forget(child);
        this.lastChildren.delete(child);
      }
    };
    forget(node);
    this.lastChildren.set(node, shown);
  }

  protected placeholder(node?: ExplorerNode): ExplorerNode {
    return new MessageNode(`${node?.id ?? this.options.viewId}/empty`, node ? 'Nothing here' : `No ${this.options.what} found`, {
      icon: 'info',
    });
  }

  dispose(): void {
    for (const controller of this.loads) controller.abort();
    this.changed.dispose();
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof BasetenError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
