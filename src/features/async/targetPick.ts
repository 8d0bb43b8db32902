import * as vscode from 'vscode';
import { BasetenServices } from '../../platform/services';
import type { TargetRef } from '../../client';
import { ModelNode } from '../explorer/modelsTree';
import { listOwners, ownerTargets } from '../explorer/targetListing';

/** A model or chain, then one of its targets, as the explorer lists them. */
export async function pickAsyncTarget(services: BasetenServices): Promise<TargetRef | undefined> {
  const { owners } = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Listing models and chains' }, () => listOwners(services));
  const owner = await vscode.window.showQuickPick(
    owners.map((node) => ({ label: node.owner.name, description: `${node instanceof ModelNode ? 'model' : 'chain'} ${node.owner.id}`, node })),
    { title: 'Submit Async Request: model or chain', placeHolder: owners.length ? 'Where to send it' : 'No models or chains found' },
  );
  if (!owner) return undefined;
  const { targets, error } = await ownerTargets(owner.node);
  if (error) throw new Error(`Could not list the targets of ${owner.label}: ${error}`);
  const target = await vscode.window.showQuickPick(
    targets.map((node) => ({ label: node.label, description: node.kind === 'deployment' ? 'deployment' : node.kind, node })),
    { title: `Submit Async Request: target of ${owner.label}` },
  );
  return target && { owner: target.node.owner, target: target.node.target };
}
