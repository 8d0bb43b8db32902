import * as vscode from 'vscode';
import { targetKey } from '../../client';
import { AsyncRequestStore } from './store';
import { ExplorerNode } from '../../platform/treeNodes';
import { AsyncRequestNode, AsyncTargetNode } from './requestNodes';

/** Ages in descriptions move on by themselves: seconds while a request is under a minute old, else minutes. */
const SECOND_MS = 1000;
const MINUTE_AGES_REFRESH_MS = 15_000;

/** The Async Requests view: one node per target (with its queue), its requests under it. */
export class AsyncRequestsTreeProvider implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;
  private readonly timer: NodeJS.Timeout;
  private roots: AsyncTargetNode[] = [];
  private readonly parents = new Map<string, AsyncTargetNode>();

  constructor(private readonly store: AsyncRequestStore) {
    this.subscription = store.onDidChange(() => this.refresh());
    let lastDrawn = 0;
    this.timer = setInterval(() => {
      const newest = store.list()[0];
      if (!newest) return;
      const now = Date.now();
      if (now - newest.submittedAt < 60 * SECOND_MS || now - lastDrawn >= MINUTE_AGES_REFRESH_MS) {
        lastDrawn = now;
        this.refresh();
      }
    }, SECOND_MS);
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    return node.treeItem();
  }

  async getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    if (node) return node.children ? node.children(new AbortController().signal) : [];
    this.roots = this.targets();
    this.parents.clear();
    for (const root of this.roots) for (const request of root.requests) this.parents.set(request.requestId, root);
    // Empty, the view shows its welcome content (package.json viewsWelcome) with a Submit button.
    return this.roots;
  }

  getParent(node: ExplorerNode): ExplorerNode | undefined {
    return node instanceof AsyncRequestNode ? this.parents.get(node.request.requestId) : undefined;
  }

  /** The nodes as the view shows them now; for tests and commands. */
  shownRoots(): readonly AsyncTargetNode[] {
    return this.targets();
  }

  private targets(): AsyncTargetNode[] {
    const groups = new Map<string, AsyncTargetNode['requests']>();
    for (const request of this.store.list()) {
      const key = targetKey(request);
      groups.set(key, [...(groups.get(key) ?? []), request]);
    }
    return [...groups.values()].map((requests) => new AsyncTargetNode(requests[0], requests, this.store.queueStatus(requests[0])));
  }

  dispose(): void {
    clearInterval(this.timer);
    this.subscription.dispose();
    this.changed.dispose();
  }
}
