import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DeploymentV1 } from '../../src/client';
import type { TargetNode } from '../../src/features/explorer/targetNode';
import { emulatorKeys, emulatorUrl, extensionApi } from './harness';
import { isChain, isModel, isTarget } from './nodes';

async function deployment(modelId: string, deploymentId: string): Promise<DeploymentV1> {
  const response = await fetch(`${emulatorUrl()}/management/v1/models/${modelId}/deployments/${deploymentId}`, {
    headers: { authorization: `Bearer ${emulatorKeys().apiKey}` },
  });
  return (await response.json()) as DeploymentV1;
}

describe('Activate and deactivate', function () {
  this.timeout(60_000);

  before(async () => {
    assert.ok((await fetch(`${emulatorUrl()}/__emulator/reset`, { method: 'POST' })).ok);
  });

  // VS Code refuses modal dialogs while extension tests run, which stands for a user who dismisses the
  // confirmation: nothing may change. The activate/deactivate calls themselves are covered in test/unit.
  it('deactivation asks first: a dismissed confirmation leaves the deployment running', async () => {
    const api = await extensionApi();
    const echo = (await api.trees.models.getChildren()).filter(isModel).find((m) => m.owner.name === 'echo');
    assert.ok(echo, 'the echo model is listed');
    const staging = (await api.trees.models.getChildren(echo)).find((t): t is TargetNode => isTarget(t) && t.key === 'staging');
    assert.ok(staging?.state.deploymentId, 'its staging environment has a deployment');
    assert.match(String(staging.treeItem().contextValue), /\bdeactivatable\b/);
    const before = await fetch(`${emulatorUrl()}/__emulator/stats`).then((r) => r.json() as Promise<{ requests: Array<{ path: string }> }>);
    const done = await vscode.commands.executeCommand<boolean>('baseten.deactivate', staging);
    assert.equal(done, false, 'nothing was deactivated');
    assert.equal((await deployment(echo.owner.id, staging.state.deploymentId)).status, 'ACTIVE');
    const after = await fetch(`${emulatorUrl()}/__emulator/stats`).then((r) => r.json() as Promise<{ requests: Array<{ path: string }> }>);
    const calls = after.requests.slice(before.requests.length).filter((r) => /\/deactivate$/.test(r.path));
    assert.equal(calls.length, 0, 'no deactivate request was sent');
  });

  it('a chain deployment offers Deactivate (never Activate: the API has none), and it asks first too', async () => {
    const api = await extensionApi();
    const chain = (await api.trees.chains.getChildren()).find(isChain);
    assert.ok(chain, 'a chain is listed');
    const production = (await api.trees.chains.getChildren(chain)).find((t): t is TargetNode => isTarget(t) && t.key === 'production');
    assert.ok(production?.state.deploymentId, 'its production environment has a deployment');
    const context = String(production.treeItem().contextValue);
    assert.match(context, /\bdeactivatable\b/);
    assert.doesNotMatch(context, /\bactivatable\b/);
    const before = await fetch(`${emulatorUrl()}/__emulator/stats`).then((r) => r.json() as Promise<{ requests: Array<{ path: string }> }>);
    assert.equal(await vscode.commands.executeCommand<boolean>('baseten.deactivate', production), false, 'nothing was deactivated');
    assert.equal(await vscode.commands.executeCommand<boolean>('baseten.activate', production), false, 'a chain cannot be activated');
    const after = await fetch(`${emulatorUrl()}/__emulator/stats`).then((r) => r.json() as Promise<{ requests: Array<{ path: string }> }>);
    const calls = after.requests.slice(before.requests.length).filter((r) => /\/(de)?activate$/.test(r.path));
    assert.equal(calls.length, 0, 'no activation request was sent');
  });
});
