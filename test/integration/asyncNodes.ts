/** What the async suites share: a target of the tree, a submit with a preset, a request's item as drawn. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AsyncRequest } from '../../src/features/async/logic/asyncRequest';
import type { AsyncSubmitOutcome } from '../../src/features/async/submit';
import type { AsyncRequestNode } from '../../src/features/async/requestNodes';
import type { BasetenTestApi } from '../../src/extension';
import type { TargetNode } from '../../src/features/explorer/targetNode';
import { isModel, isTarget } from './nodes';

export async function target(api: BasetenTestApi, model: string, key: string): Promise<TargetNode> {
  const node = (await api.trees.models.getChildren()).filter(isModel).find((m) => m.owner.name === model);
  assert.ok(node, `model ${model} in the tree`);
  const found = (await api.trees.models.getChildren(node)).find((t): t is TargetNode => isTarget(t) && t.key === key);
  assert.ok(found, `${key} of ${model} in the tree`);
  return found;
}

export async function submit(target: TargetNode, preset: Record<string, unknown>): Promise<AsyncRequest> {
  const outcome = await vscode.commands.executeCommand<AsyncSubmitOutcome>('baseten.submitAsyncRequest', target, preset);
  assert.ok(outcome?.request, `submitted: ${outcome?.problem}`);
  return outcome.request;
}

/** A request's node as the view has it (what its context menu passes to a command). */
export async function requestNode(api: BasetenTestApi, requestId: string): Promise<AsyncRequestNode> {
  for (const root of await api.asyncRequests.tree.getChildren()) {
    for (const child of await api.asyncRequests.tree.getChildren(root)) {
      if (child.id === `async/request/${requestId}`) return child as AsyncRequestNode;
    }
  }
  throw new Error(`${requestId} is not in the Async Requests view`);
}

/** The tree item of a request exactly as the view draws it. */
export async function itemOf(api: BasetenTestApi, requestId: string): Promise<vscode.TreeItem> {
  return (await requestNode(api, requestId)).treeItem();
}

/** The tooltip's markdown source. */
export function tooltipOf(item: vscode.TreeItem): string {
  return item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : String(item.tooltip ?? '');
}
