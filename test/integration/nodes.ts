/**
 * Tree nodes told apart by their `contextValue`. The extension under test runs from the esbuild bundle,
 * which has its own copies of the node classes, so `instanceof` against the compiled sources never matches.
 */
import type { ModelApiNode } from '../../src/features/explorer/modelApisTree';
import type { OwnerNode } from '../../src/features/explorer/ownerNode';
import type { ErrorNode, ExplorerNode, MessageNode } from '../../src/platform/treeNodes';
import type { TargetNode } from '../../src/features/explorer/targetNode';

function kind(node: ExplorerNode): string {
  return String(node.treeItem().contextValue ?? '').split(' ')[0];
}

export const isModelApi = (node: ExplorerNode): node is ModelApiNode => kind(node) === 'baseten.modelApi';
export const isModel = (node: ExplorerNode): node is OwnerNode => kind(node) === 'baseten.model';
export const isChain = (node: ExplorerNode): node is OwnerNode => kind(node) === 'baseten.chain';
export const isTarget = (node: ExplorerNode): node is TargetNode => kind(node) === 'baseten.target';
export const isError = (node: ExplorerNode): node is ErrorNode => kind(node) === 'baseten.error';
export const isMessage = (node: ExplorerNode): node is MessageNode => kind(node) === 'baseten.message';
