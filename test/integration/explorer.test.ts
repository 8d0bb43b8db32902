import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ChainDeploymentV1, DeploymentV1, EnvironmentV1, ModelV1, ChainV1 } from '../../src/client';
import type { ExplorerNode } from '../../src/platform/treeNodes';
import { describeShown, emulatorKeys, emulatorUrl, extensionApi, rootAsShown, screenshot, shownNode, waitFor } from './harness';
import type { TargetNode } from '../../src/features/explorer/targetNode';
import { isChain, isError, isModel, isModelApi, isTarget } from './nodes';

/** Reads the emulator's management API directly, to compare the tree against. */
async function management<T>(path: string): Promise<T> {
  const response = await fetch(`${emulatorUrl()}/management/v1/${path}`, {
    headers: { authorization: `Bearer ${emulatorKeys().apiKey}` },
  });
  assert.equal(response.status, 200, `GET ${path}`);
  return (await response.json()) as T;
}

async function control(method: string, path: string, body?: unknown): Promise<void> {
  const response = await fetch(`${emulatorUrl()}/__emulator/${path}`, {
    method,
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(response.ok, `${method} /__emulator/${path} → ${response.status}`);
}

function label(node: ExplorerNode): string {
  const itemLabel = node.treeItem().label;
  return typeof itemLabel === 'string' ? itemLabel : itemLabel?.label ?? '';
}

describe('Baseten explorer', function () {
  this.timeout(60_000);

  before(async () => {
    await control('POST', 'reset');
  });
  afterEach(async () => {
    await control('DELETE', 'faults');
  });

  it('Model APIs list the live catalogue with context, price and features', async () => {
    const api = await extensionApi();
    const nodes = await api.trees.modelApis.getChildren();
    const catalogue = (await (await fetch(`${emulatorUrl()}/inference/v1/models`, { headers: { authorization: `Bearer ${emulatorKeys().apiKey}` } })).json()) as {
      data: Array<{ id: string; name?: string; context_length?: number }>;
    };
    const modelApis = nodes.filter(isModelApi);
    assert.deepEqual(modelApis.map((n) => n.model.id).sort(), catalogue.data.map((m) => m.id).sort());
    const first = modelApis[0].treeItem();
    assert.match(String(first.description), /^\d+(\.\d)?[KM] · \$\d+\.\d\d\/\$\d+\.\d\d$/);
    assert.ok(first.tooltip instanceof vscode.MarkdownString && /Features/.test(first.tooltip.value));
  });

  it("Models show every model with its environments, development and other deployments and their statuses", async () => {
    const api = await extensionApi();
    const { models } = await management<{ models: ModelV1[] }>('models');
    const nodes = (await api.trees.models.getChildren()).filter(isModel);
    assert.deepEqual(nodes.map((n) => n.owner.id).sort(), models.map((m) => m.id).sort());

    for (const node of nodes) {
      const [{ environments }, { deployments }] = await Promise.all([
        management<{ environments: EnvironmentV1[] }>(`models/${node.owner.id}/environments`),
        management<{ deployments: DeploymentV1[] }>(`models/${node.owner.id}/deployments`),
      ]);
      const targets = (await api.trees.models.getChildren(node)).filter(isTarget);
      for (const environment of environments) {
        const target = targets.find((t) => t.place === 'environment' && t.key === environment.name);
        assert.ok(target, `${node.owner.name}: environment ${environment.name} shown`);
        assert.equal(target.state.status, environment.current_deployment?.status, `${node.owner.name}/${environment.name} status`);
      }
      const development = deployments.find((d) => d.is_development);
      if (development) {
        const target = targets.find((t) => t.place === 'development');
        assert.equal(target?.state.status, development.status, `${node.owner.name} development status`);
      }
      // Every deployment appears: as an environment's, as development, or on its own.
      const shownIds = targets.filter((t) => t.place !== 'environment' || t.state.deploymentId).map((t) => t.state.deploymentId);
      for (const deployment of deployments) {
        assert.ok(shownIds.includes(deployment.id), `${node.owner.name}: deployment ${deployment.id} shown`);
      }
      if (environments.some((e) => e.name === 'production')) assert.equal(targets[0].key, 'production', 'production first');
    }
  });

  it('a sleeping deployment says so, offers Wake inline, and its tooltip explains the cold start', async () => {
    const api = await extensionApi();
    const nodes = (await api.trees.models.getChildren()).filter(isModel);
    let sleeping: TargetNode | undefined;
    for (const node of nodes) {
      sleeping ??= (await api.trees.models.getChildren(node)).find((t): t is TargetNode => isTarget(t) && t.state.status === 'SCALED_TO_ZERO');
    }
    assert.ok(sleeping, 'the seed has a scaled-to-zero deployment');
    const item = sleeping.treeItem();
    assert.match(String(item.description), /^Scaled to zero · 0 replicas/);
    assert.match(String(item.contextValue), /\bwakeable\b/);
    assert.ok(item.tooltip instanceof vscode.MarkdownString && /cold start/.test(item.tooltip.value));
  });

  it('Chains show environments and deployments with their chainlets', async () => {
    const api = await extensionApi();
    const { chains } = await management<{ chains: ChainV1[] }>('chains');
    const nodes = (await api.trees.chains.getChildren()).filter(isChain);
    assert.deepEqual(nodes.map((n) => n.owner.id).sort(), chains.map((c) => c.id).sort());
    const targets = await api.trees.chains.getChildren(nodes[0]);
    const production = targets.find((t): t is TargetNode => isTarget(t) && t.key === 'production');
    assert.ok(production, 'chain production environment shown');
    const chainlets = await api.trees.chains.getChildren(production);
    assert.ok(chainlets.length >= 2, 'chainlets listed under the environment');
    assert.match(String(chainlets[0].treeItem().description), /replica/);
  });

  it('a chainlet still loading in an active chain is polled with fresh data until it settles', async () => {
    const api = await extensionApi();
    const tree = api.trees.chains;
    const { chains } = await management<{ chains: ChainV1[] }>('chains');
    const chainId = chains[0].id;
    const { deployments } = await management<{ deployments: ChainDeploymentV1[] }>(`chains/${chainId}/deployments`);
    const deployment = deployments.find((d) => d.environment === 'production');
    assert.ok(deployment && deployment.chainlets.length >= 2, 'a production deployment with chainlets');
    const chainlet = deployment.chainlets[1];
    const setChainlet = (status: string): Promise<void> =>
      control('POST', `chains/${chainId}/deployments/${deployment.id}/chainlets/${chainlet.id}/status`, { status });
    const settings = vscode.workspace.getConfiguration('baseten');
    await settings.update('statusPollSeconds', 1, vscode.ConfigurationTarget.Global);
    try {
      await setChainlet('LOADING_MODEL');
      await vscode.commands.executeCommand('workbench.view.extension.baseten');
      const chain = (await rootAsShown(tree)).find((node) => node.id === `chain/${chainId}`);
      assert.ok(chain, 'the view shows the chain');
      await api.trees.views.chains.reveal(chain, { expand: 2, focus: false, select: false });
      const production = `chain/${chainId}/environment/production`;
      const shownChainlet = (): string =>
        String(shownNode(tree, chain.id, production, `${production}/chainlet/${chainlet.id}`)?.treeItem().description ?? '');
      await waitFor(() => /^Loading/.test(shownChainlet()), 10_000, `the chainlet shown loading (shown: "${shownChainlet()}"; ${describeShown(tree)})`);
      await setChainlet('ACTIVE');
      await waitFor(() => /^Active/.test(shownChainlet()), 15_000, `the chainlet shown active without a refresh (shown: "${shownChainlet()}"; ${describeShown(tree)})`);
    } finally {
      await settings.update('statusPollSeconds', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('a failed load becomes an error node that opens the log at that error', async () => {
    const api = await extensionApi();
    await control('POST', 'faults', { match: { path: '/management/v1/models' }, fault: { kind: 'status', status: 500, body: { message: 'emulated outage' } } });
    // What the catalog holds is shown until a refresh loads it again.
    api.trees.models.reload();
    const nodes = await api.trees.models.getChildren();
    assert.equal(nodes.length, 1);
    assert.ok(isError(nodes[0]), 'an error node');
    const item = nodes[0].treeItem();
    assert.equal(label(nodes[0]), 'Failed to load models');
    assert.match(String(item.description), /emulated outage/);
    assert.equal(item.command?.command, 'baseten.showLog');
    const reference = String(item.command?.arguments?.[0]);
    await vscode.commands.executeCommand('baseten.showLog', reference);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'the log opened in an editor');
    assert.ok(editor.document.lineAt(editor.selection.active.line).text.includes(reference), 'at the line of the error');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('Copy as cURL and Copy Endpoint URL never contain the key', async () => {
    const api = await extensionApi();
    const model = (await api.trees.models.getChildren()).find(isModel)!;
    const target = (await api.trees.models.getChildren(model)).find(isTarget)!;
    const curl = (await vscode.commands.executeCommand<string>('baseten.copyAsCurl', target))!;
    assert.ok(curl.includes('$BASETEN_API_KEY'), curl);
    assert.ok(!curl.includes(emulatorKeys().apiKey), 'the key itself is not in the command');
    assert.ok(curl.includes(`${emulatorUrl()}/model-${model.owner.id}/`), curl);
    const url = await vscode.commands.executeCommand<string>('baseten.copyEndpointUrl', target);
    assert.match(String(url), /\/predict$/);
    const modelApi = (await api.trees.modelApis.getChildren()).find(isModelApi)!;
    const chatCurl = (await vscode.commands.executeCommand<string>('baseten.copyAsCurl', modelApi))!;
    assert.ok(chatCurl.includes('/chat/completions') && !chatCurl.includes(emulatorKeys().apiKey));
  });

  it('shows the explorer to the user, a model and a chain expanded (screenshot)', async () => {
    const api = await extensionApi();
    await vscode.commands.executeCommand('workbench.view.extension.baseten');
    // The nodes the views hold (an earlier test left the models view showing a failed load).
    const echo = (await rootAsShown(api.trees.models)).filter(isModel).find((m) => m.owner.name === 'echo');
    const chain = (await rootAsShown(api.trees.chains)).find(isChain);
    assert.ok(echo && chain);
    await api.trees.views.models.reveal(echo, { expand: true, focus: false, select: false });
    const staging = (await api.trees.models.getChildren(echo)).find((t): t is TargetNode => isTarget(t) && t.key === 'staging');
    assert.ok(staging);
    // getParent lets the view find a child by itself.
    assert.equal(api.trees.models.getParent(staging), echo);
    await api.trees.views.chains.reveal(chain, { expand: 2, focus: false, select: false });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await screenshot('explorer-tree');
  });
});
