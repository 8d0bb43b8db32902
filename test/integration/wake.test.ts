import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DeploymentStatus } from '../../src/client';
import { emulatorUrl, extensionApi, screenshot } from './harness';
import type { TargetNode } from '../../src/views/explorer/targetNode';
import { isModel, isTarget } from './nodes';

describe('Wake', function () {
  this.timeout(60_000);

  before(async () => {
    const response = await fetch(`${emulatorUrl()}/__emulator/reset`, { method: 'POST' });
    assert.ok(response.ok);
  });

  it('moves a scaled-to-zero node through Waking up to Active, as the tree shows it', async () => {
    const api = await extensionApi();
    const models = (await api.trees.models.getChildren()).filter(isModel);
    let node: TargetNode | undefined;
    for (const model of models) {
      node ??= (await api.trees.models.getChildren(model)).find((t): t is TargetNode => isTarget(t) && t.state.status === 'SCALED_TO_ZERO');
    }
    assert.ok(node, 'a scaled-to-zero target in the tree');
    const seen: DeploymentStatus[] = [];
    const subscription = api.trees.models.onDidChangeTreeData((changed) => {
      if (changed === node && node.state.status && seen[seen.length - 1] !== node.state.status) seen.push(node.state.status);
    });
    try {
      const outcome = await vscode.commands.executeCommand<string>('baseten.wake', node);
      assert.equal(outcome, 'active');
    } finally {
      subscription.dispose();
    }
    assert.equal(seen[0], 'WAKING_UP', `statuses seen: ${seen.join(' → ')}`);
    assert.equal(seen[seen.length - 1], 'ACTIVE', `statuses seen: ${seen.join(' → ')}`);
    assert.match(String(node.treeItem().description), /^Active · 1 replica/);
    assert.doesNotMatch(String(node.treeItem().contextValue), /\bwakeable\b/);
    await screenshot('after-wake');
  });
});
