import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DeploymentStatus } from '../../src/client';
import { clickInUi, describeShown, emulatorControl, emulatorStats, emulatorUrl, extensionApi, hasBrowser, rootAsShown, runCommandInUi, screenshot, shownNode, waitFor } from './harness';
import type { TargetNode } from '../../src/features/explorer/targetNode';
import { isModel, isTarget } from './nodes';
import { SEED } from '../../emulator/state/seed';

type ExtensionApi = Awaited<ReturnType<typeof extensionApi>>;

/**
 * Opens the Baseten view and has it show the seed's scaled-to-zero "sleepy" model with its production
 * environment, loaded by the view itself as for a user; `shown()` reads the node the view holds now.
 */
async function sleepyProductionAsShown(api: ExtensionApi) {
  const tree = api.trees.models;
  await vscode.commands.executeCommand('workbench.view.extension.baseten');
  const model = (await rootAsShown(tree)).filter(isModel).find((m) => m.owner.name === 'sleepy');
  assert.ok(model, 'the view shows the sleepy model');
  await api.trees.views.models.reveal(model, { expand: true, focus: false, select: false });
  const targetId = `model/${model.owner.id}/environment/production`;
  const shown = (): TargetNode | undefined => shownNode(tree, model.id, targetId) as TargetNode | undefined;
  await waitFor(() => shown()?.state.status === 'SCALED_TO_ZERO', 10_000, `the view to show production scaled to zero (${describeShown(tree)})`);
  return { model, shown, node: shown()! };
}

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
    const target = node;
    // Each step is a change of the catalog, which the tree is told of and shows.
    const seen: DeploymentStatus[] = [];
    const subscription = api.trees.models.onDidChangeTreeData(() => {
      const status = api.catalog.find(target.ref)?.state.status;
      if (status && seen[seen.length - 1] !== status) seen.push(status);
    });
    try {
      const outcome = await vscode.commands.executeCommand<string>('baseten.wake', node);
      assert.equal(outcome, 'active');
    } finally {
      subscription.dispose();
    }
    assert.equal(seen[0], 'WAKING_UP', `statuses seen: ${seen.join(' → ')}`);
    assert.equal(seen[seen.length - 1], 'ACTIVE', `statuses seen: ${seen.join(' → ')}`);
    const owner = models.find((model) => model.owner.id === target.owner.id)!;
    const now = (await api.trees.models.getChildren(owner)).find((t) => t.id === target.id)!;
    assert.match(String(now.treeItem().description), /^Active · 1 replica/);
    assert.doesNotMatch(String(now.treeItem().contextValue), /\bwakeable\b/);
    await screenshot('after-wake');
  });

  it('a wake that fails part-way does not leave the node Waking up: the tree reloads it and polls until it settles', async () => {
    await emulatorControl('POST', 'reset');
    const api = await extensionApi();
    const settings = vscode.workspace.getConfiguration('baseten');
    await settings.update('statusPollSeconds', 1, vscode.ConfigurationTarget.Global);
    try {
      const { model, shown, node } = await sleepyProductionAsShown(api);
      // The first status read after the wake request fails: the wake ends while the node says Waking up.
      await emulatorControl('POST', 'faults', { match: { path: `/\\/management\\/v1\\/models\\/${model.owner.id}\\/deployments\\/[^/]+$/` }, times: 1, fault: { kind: 'status', status: 404, body: { message: 'emulated' } } });
      const outcome = await vscode.commands.executeCommand<string>('baseten.wake', node);
      assert.equal(outcome, 'failed');
      await waitFor(() => shown()?.state.status === 'ACTIVE', 20_000, `the node to reach Active (it shows ${shown()?.state.status})`);
      assert.notEqual(shown(), node, 'a fresh node from a reload');
    } finally {
      await emulatorControl('DELETE', 'faults');
      await settings.update('statusPollSeconds', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('from the command palette, asks which target to wake, scaled-to-zero ones first, and wakes it as the tree shows it', async function () {
    if (!hasBrowser()) this.skip();
    await emulatorControl('POST', 'reset');
    const api = await extensionApi();
    const tree = api.trees.models;
    const { model, node, shown } = await sleepyProductionAsShown(api);
    const seen: DeploymentStatus[] = [];
    const subscription = tree.onDidChangeTreeData(() => {
      const status = api.catalog.find(node.ref)?.state.status;
      if (status && seen[seen.length - 1] !== status) seen.push(status);
    });
    const wakes = async (): Promise<number> => (await emulatorStats()).requests.filter((r) => r.method === 'POST' && r.path.endsWith('/production/wake') && r.path.includes(model.owner.id)).length;
    const before = await wakes();
    try {
      await runCommandInUi('Baseten: Wake');
      // The first row: what sleeps comes before anything else.
      await clickInUi('.quick-input-widget .monaco-list-row[data-index="0"]:has-text("sleepy · production")');
      await waitFor(() => seen.includes('ACTIVE'), 20_000, `the shown node to reach Active (statuses seen: ${seen.join(' → ')})`);
    } finally {
      subscription.dispose();
    }
    assert.equal(await wakes(), before + 1, 'one wake request');
    // The pick loads every target again first (Scaled to zero), then the wake's steps follow.
    assert.ok(seen.includes('WAKING_UP'), `statuses seen: ${seen.join(' → ')}`);
    assert.ok(seen.slice(0, seen.indexOf('WAKING_UP')).every((status) => status === 'SCALED_TO_ZERO'), `statuses seen: ${seen.join(' → ')}`);
    await waitFor(() => /^Active · 1 replica/.test(String(shown()?.treeItem().description)), 5_000, 'the view to show the node Active');
    await screenshot('after-wake-from-palette');
  });

  it('from the command palette, says so when nothing is scaled to zero', async function () {
    if (!hasBrowser()) this.skip();
    await emulatorControl('POST', 'reset');
    const sleepy = SEED.models.sleepy;
    for (const deployment of sleepy.deploymentIds) await emulatorControl('POST', `deployments/${sleepy.id}/${deployment}/status`, { status: 'ACTIVE' });
    await runCommandInUi('Baseten: Wake');
    // Once the listing replaces what the tree showed, the note is the first (and only) row: no target is offered.
    await clickInUi('.quick-input-widget .monaco-list-row[data-index="0"]:has-text("Nothing is scaled to zero")');
    await screenshot('wake-nothing-asleep');
  });
});
