import * as vscode from 'vscode';
import { BasetenServices } from '../platform/services';
import { ExplorerTrees } from './explorer/register';
import { TargetNode } from './explorer/targetNode';
import type { ChatPanels } from './chat/chatPanels';
import type { InlineEdits } from './inline/inlineEdits';
import { changeActivation, copyAsCurl, copyEndpointUrl, copyId, openInDashboard } from './explorer/targetCommands';
import { clearApiKey, keyActions, setApiKey, testConnection } from './keys/keyCommands';
import { showLog } from './keys/showLog';
import { wake } from './explorer/wake';
import { shownTargetNodes } from './explorer/targetListing';
import { pickWakeTarget } from './explorer/wakePick';

/** Every command of the extension; each is a thin adapter over a client call or a view. */
/** Features built in `activate` that commands drive. */
export interface CommandFeatures {
  chat: ChatPanels;
  inline: InlineEdits;
}

export function registerCommands(context: vscode.ExtensionContext, services: BasetenServices, trees: ExplorerTrees, features: CommandFeatures): void {
  const register = (id: string, handler: (...args: never[]) => unknown): void => {
    context.subscriptions.push(vscode.commands.registerCommand(id, handler as (...args: unknown[]) => unknown));
  };
  register('baseten.setApiKey', () => setApiKey(services));
  register('baseten.clearApiKey', () => clearApiKey(services));
  register('baseten.testConnection', () => testConnection(services));
  register('baseten.keyActions', () => keyActions(services));
  register('baseten.showLog', (reference?: string) => showLog(services.log, context.logUri, typeof reference === 'string' ? reference : undefined));
  register('baseten.refresh', () => trees.refreshAll());
  register('baseten.refreshModelApis', () => trees.modelApis.refresh());
  register('baseten.refreshModels', () => trees.models.refresh());
  register('baseten.refreshChains', () => trees.chains.refresh());
  register('baseten.wake', async (given?: TargetNode) => {
    // From the palette there is no node: ask which target to wake.
    const node = given instanceof TargetNode ? given : await pickWakeTarget(services, trees);
    if (!node) return undefined;
    // A target picked from the API's listing that the tree does not show has nothing in the view to update.
    const shown = shownTargetNodes(trees.models).includes(node);
    const outcome = await wake(services, node, (changed) => shown && trees.models.refresh(changed));
    // Cancelled, timed out or failed: the node still shows the last step seen (Waking up…). Reload it
    // from Baseten, which also keeps polling it while it is still changing.
    if (outcome !== 'active' && node.statusKnown && shown) trees.models.reloadParentOf(node);
    return outcome;
  });
  register('baseten.copyEndpointUrl', (node: Parameters<typeof copyEndpointUrl>[1]) => copyEndpointUrl(services, node));
  register('baseten.copyAsCurl', (node: Parameters<typeof copyAsCurl>[1]) => copyAsCurl(services, node));
  register('baseten.copyId', (node: Parameters<typeof copyId>[0]) => copyId(node));
  register('baseten.openInDashboard', (node: Parameters<typeof openInDashboard>[1]) => openInDashboard(services, node));
  const treeOf = (node: TargetNode): ExplorerTrees['models'] | ExplorerTrees['chains'] => (node.owner.kind === 'chain' ? trees.chains : trees.models);
  register('baseten.activate', (node: TargetNode) => changeActivation(services, node, 'activate', () => treeOf(node).refresh()));
  register('baseten.deactivate', (node: TargetNode) => changeActivation(services, node, 'deactivate', () => treeOf(node).refresh()));
  register('baseten.configureModels', (what?: 'models' | 'chains') =>
    vscode.commands.executeCommand('workbench.action.openSettings', what === 'chains' ? 'baseten.chains' : 'baseten.models'),
  );
  register('baseten.openChat', () => features.chat.open());
  register('baseten.sendSelectionToChat', () => features.chat.sendSelection());
  register('baseten.chatWith', (node: Parameters<ChatPanels['chatWith']>[0]) => features.chat.chatWith(node));
  register('baseten.newChat', () => features.chat.open().newConversation());
  register('baseten.promptOnSelection', (instruction?: unknown) => features.inline.promptOnSelection(typeof instruction === 'string' ? instruction : undefined));
  register('baseten.acceptProposal', (uri?: vscode.Uri) => features.inline.accept(uri instanceof vscode.Uri ? uri : undefined));
  register('baseten.rejectProposal', (uri?: vscode.Uri) => features.inline.reject(uri instanceof vscode.Uri ? uri : undefined));
}
