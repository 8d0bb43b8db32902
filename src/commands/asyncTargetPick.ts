import * as vscode from 'vscode';
import type { ChainV1, ModelV1 } from '../client';
import { configuredChains, configuredModels } from '../config/settings';
import { BasetenServices } from '../services';
import { AsyncTarget } from '../async/asyncRequest';
import { ChainNode } from '../views/explorer/chainsTree';
import { ModelNode } from '../views/explorer/modelsTree';
import { TargetNode } from '../views/explorer/targetNode';

/** A model or chain, then one of its targets, as the explorer lists them. */
export async function pickAsyncTarget(services: BasetenServices): Promise<AsyncTarget | undefined> {
  const owners = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Listing models and chains' }, () => listOwners(services));
  const owner = await vscode.window.showQuickPick(
    owners.map((node) => ({ label: node instanceof ModelNode ? node.model.name : node.chain.name, description: `${node instanceof ModelNode ? 'model' : 'chain'} ${node.on.id}`, node })),
    { title: 'Submit Async Request: model or chain', placeHolder: owners.length ? 'Where to send it' : 'No models or chains found' },
  );
  if (!owner) return undefined;
  const targets = (await owner.node.children(new AbortController().signal)).filter((node): node is TargetNode => node instanceof TargetNode);
  const target = await vscode.window.showQuickPick(
    targets.map((node) => ({ label: node.label, description: node.kind === 'deployment' ? 'deployment' : node.kind, node })),
    { title: `Submit Async Request: target of ${owner.label}` },
  );
  return target && { on: target.node.on, target: target.node.target, label: target.node.label };
}

async function listOwners(services: BasetenServices): Promise<Array<ModelNode | ChainNode>> {
  const management = services.client.management;
  const [models, chains] = await Promise.all([management.listModels().catch((): ModelV1[] => []), management.listChains().catch((): ChainV1[] => [])]);
  const modelIds = new Set(models.map((m) => m.id));
  const chainIds = new Set(chains.map((c) => c.id));
  return [
    ...models.map((model) => new ModelNode(model, services)),
    ...configuredModels().filter((c) => !modelIds.has(c.id)).map((c) => new ModelNode({ id: c.id, name: c.name || c.id }, services, c)),
    ...chains.map((chain) => new ChainNode(chain, services)),
    ...configuredChains().filter((c) => !chainIds.has(c.id)).map((c) => new ChainNode({ id: c.id, name: c.name || c.id }, services, c)),
  ];
}
