import * as vscode from 'vscode';
import { inputTemplate } from './settings';
import { HistoryEntry, requestOf } from './logic/history';
import { buildPayload } from './logic/payload';
import { targetLabel } from '../../client';
import type { DeploymentStatus, TargetRef } from '../../client';
import { PredictRequest, parseSavedRequest } from './logic/request';
import { choosePredictSource } from './predictSource';
import { formatMs, formatSize } from './logic/format';
import { DeploymentCatalog } from '../../catalog/deploymentCatalog';
import { CatalogTarget, canAnswer } from '../../catalog/targets';
import { offeredTargets, pickTarget } from '../../platform/targetPicker';
import { TargetNode } from '../explorer/targetNode';
import { PredictController, PredictOutcome } from './predictRun';

/** What a predict command is given: a tree node, a target (from another feature or a test), or nothing (pick one). */
export type TargetArgument = TargetNode | TargetRef | undefined;

function resolveTarget(argument: TargetArgument): TargetRef | undefined {
  if (argument instanceof TargetNode) return argument.ref;
  if (argument && typeof argument === 'object' && 'owner' in argument && 'target' in argument) return { owner: argument.owner, target: argument.target };
  return undefined;
}

/** The status the catalog last read for the target: a request to one scaled to zero says it waits for a cold start. */
function knownStatus(catalog: DeploymentCatalog, ref: TargetRef): DeploymentStatus | undefined {
  const target = catalog.find(ref);
  return target?.statusKnown ? target.state.status : undefined;
}

/** Targets that can answer: inactive and failed deployments are left out (the tree still shows them). */
const REQUEST_TARGETS = { offers: canAnswer };

function pickRequestTarget(catalog: DeploymentCatalog, title: string): Promise<CatalogTarget | undefined> {
  return pickTarget(catalog, {
    ...REQUEST_TARGETS,
    title,
    placeholder: 'Send to which environment or deployment?',
    empty: { label: 'No models or chains to send to', description: 'add them to the "baseten.models" or "baseten.chains" setting' },
  });
}

/** What the predict target pick offers once loaded. */
export async function requestTargets(catalog: DeploymentCatalog): Promise<CatalogTarget[]> {
  return (await offeredTargets(catalog, REQUEST_TARGETS)).targets;
}

function isJsonDocument(document: vscode.TextDocument): boolean {
  return document.languageId === 'json' || document.languageId === 'jsonc' || /\.json$/i.test(document.fileName);
}

/**
 * The payload from the active editor (the selection, or the whole file), then the request. Invalid JSON is
 * reported at its line and column in the document, with a button that puts the cursor there.
 */
export async function predictFromEditor(
  controller: PredictController,
  catalog: DeploymentCatalog,
  from: 'selection' | 'file',
  argument?: TargetArgument,
): Promise<PredictOutcome> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    const message = 'Open a file (or select text) to send to Baseten.';
    void vscode.window.showWarningMessage(message);
    return { outcome: 'none', message };
  }
  const document = editor.document;
  const range = from === 'selection' && !editor.selection.isEmpty ? editor.selection : new vscode.Range(0, 0, document.lineCount, 0);
  const text = document.getText(range);
  const target = resolveTarget(argument) ?? (await pickRequestTarget(catalog, from === 'selection' ? 'Predict with Selection' : 'Predict with Current File'));
  if (!target) return { outcome: 'none' };
  const payload = buildPayload(text, { template: inputTemplate(target.owner), isJsonFile: isJsonDocument(document) });
  if (!payload.ok) {
    const what = from === 'selection' && !editor.selection.isEmpty ? 'The selection' : 'The file';
    if (payload.position) {
      const start = document.offsetAt(range.start);
      const at = document.positionAt(start + payload.position.offset);
      const message = `${what} is not valid JSON: ${payload.message.replace(/^The input is not valid JSON: /, '').replace(/ at line \d+, column \d+$/, '')} at line ${at.line + 1}, column ${at.character + 1}.`;
      void Promise.resolve(vscode.window.showErrorMessage(message, 'Go to Error')).then((choice) => {
        if (choice) {
          editor.selection = new vscode.Selection(at, at);
          editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.InCenter);
        }
      }, () => undefined);
      return { outcome: 'invalid', message };
    }
    void vscode.window.showErrorMessage(payload.message);
    return { outcome: 'invalid', message: payload.message };
  }
  return controller.run({ owner: target.owner, target: target.target, payload: payload.value }, { status: knownStatus(catalog, target), wrappedText: payload.wrapped });
}

/**
 * The ▷ action on a target in the tree: asks what to send (the selection, the current file, a saved
 * request or typed JSON) unless `baseten.predict.treeActionInput` chose a default.
 */
export async function predictTarget(controller: PredictController, catalog: DeploymentCatalog, node?: TargetArgument): Promise<PredictOutcome> {
  const target = resolveTarget(node) ?? (await pickRequestTarget(catalog, 'Predict'));
  if (!target) return { outcome: 'none' };
  const editor = vscode.window.activeTextEditor;
  const saved = await savedRequests();
  switch (await choosePredictSource(target, editor, saved.length)) {
    case 'selection':
      return predictFromEditor(controller, catalog, 'selection', target);
    case 'file':
      return predictFromEditor(controller, catalog, 'file', target);
    case 'savedRequest':
      return predictSavedPayload(controller, catalog, target, saved);
    case 'typed':
      return predictTyped(controller, catalog, target);
    default:
      return { outcome: 'none' };
  }
}

async function predictTyped(controller: PredictController, catalog: DeploymentCatalog, target: TargetRef): Promise<PredictOutcome> {
  const last = controller.history().find((entry) => entry.owner.id === target.owner.id && 'payload' in entry);
  const text = await vscode.window.showInputBox({
    title: `Predict: ${targetLabel(target)}`,
    prompt: 'JSON to send, or text to wrap in the input template',
    value: last ? JSON.stringify(last.payload) : '{"prompt": "Hello"}',
    ignoreFocusOut: true,
    validateInput: (value) => {
      const result = buildPayload(value, { template: inputTemplate(target.owner) });
      return result.ok ? undefined : result.message;
    },
  });
  if (text === undefined) return { outcome: 'none' };
  const payload = buildPayload(text, { template: inputTemplate(target.owner) });
  if (!payload.ok) return { outcome: 'invalid', message: payload.message };
  return controller.run({ owner: target.owner, target: target.target, payload: payload.value }, { status: knownStatus(catalog, target), wrappedText: payload.wrapped });
}

/** A saved request's payload, sent to the tree's target (whatever target the file names). */
async function predictSavedPayload(controller: PredictController, catalog: DeploymentCatalog, target: TargetRef, files: vscode.Uri[]): Promise<PredictOutcome> {
  if (!files.length) {
    const message = 'No saved requests yet: after a predict, choose "Save as Request" (they are kept in .baseten/requests/ of the workspace).';
    void vscode.window.showInformationMessage(message);
    return { outcome: 'none', message };
  }
  const picked = await pickSavedRequest(files, `Predict: ${targetLabel(target)}`, target);
  if (!picked) return { outcome: 'none' };
  if (picked.open) {
    await vscode.window.showTextDocument(picked.uri);
    return { outcome: 'none' };
  }
  const parsed = await readSavedRequest(picked.uri);
  if (!parsed.ok) return parsed.failure;
  return controller.run({ owner: target.owner, target: target.target, payload: parsed.request.payload }, { status: knownStatus(catalog, target) });
}

export async function savedRequests(): Promise<vscode.Uri[]> {
  return (await vscode.workspace.findFiles('.baseten/requests/*.json', undefined, 500)).sort((a, b) => a.fsPath.localeCompare(b.fsPath));
}

export async function runSavedRequest(controller: PredictController, catalog: DeploymentCatalog, uri?: vscode.Uri): Promise<PredictOutcome> {
  let file = uri instanceof vscode.Uri ? uri : undefined;
  if (!file) {
    const files = await savedRequests();
    if (!files.length) {
      const message = 'No saved requests: after a predict, choose "Save as Request" (they are kept in .baseten/requests/ of the workspace).';
      void vscode.window.showInformationMessage(message);
      return { outcome: 'none', message };
    }
    const picked = await pickSavedRequest(files, 'Run Saved Request');
    if (!picked) return { outcome: 'none' };
    if (picked.open) {
      await vscode.window.showTextDocument(picked.uri);
      return { outcome: 'none' };
    }
    file = picked.uri;
  }
  const parsed = await readSavedRequest(file);
  if (!parsed.ok) return parsed.failure;
  return controller.run(parsed.request, { status: knownStatus(catalog, parsed.request) });
}

async function readSavedRequest(file: vscode.Uri): Promise<{ ok: true; request: PredictRequest } | { ok: false; failure: PredictOutcome }> {
  const parsed = parseSavedRequest(Buffer.from(await vscode.workspace.fs.readFile(file)).toString('utf8'));
  if (parsed.ok) return parsed;
  const message = `${vscode.workspace.asRelativePath(file)} is not a saved request: ${parsed.message}.`;
  void vscode.window.showErrorMessage(message);
  return { ok: false, failure: { outcome: 'invalid', message } };
}

/** A pick of saved requests (those for `first`'s model or chain first); each row's button opens its file. */
async function pickSavedRequest(files: vscode.Uri[], title: string, first?: TargetRef): Promise<{ uri: vscode.Uri; open: boolean } | undefined> {
  const items: Array<vscode.QuickPickItem & { uri: vscode.Uri; mine: boolean }> = [];
  for (const candidate of files) {
    const parsed = parseSavedRequest(Buffer.from(await vscode.workspace.fs.readFile(candidate)).toString('utf8'));
    items.push({
      label: parsed.ok ? parsed.name ?? vscode.workspace.asRelativePath(candidate) : vscode.workspace.asRelativePath(candidate),
      description: parsed.ok ? targetLabel(parsed.request) : `invalid: ${parsed.message}`,
      detail: vscode.workspace.asRelativePath(candidate),
      uri: candidate,
      mine: !!first && parsed.ok && parsed.request.owner.id === first.owner.id,
      buttons: [{ iconPath: new vscode.ThemeIcon('go-to-file'), tooltip: 'Open the request file' }],
    });
  }
  items.sort((a, b) => Number(b.mine) - Number(a.mine));
  return new Promise((resolve) => {
    const pick = vscode.window.createQuickPick<(typeof items)[number]>();
    pick.title = title;
    pick.placeholder = 'Choose a request from .baseten/requests/';
    pick.items = items;
    pick.onDidAccept(() => {
      resolve(pick.selectedItems[0] ? { uri: pick.selectedItems[0].uri, open: false } : undefined);
      pick.hide();
    });
    pick.onDidTriggerItemButton((event) => {
      resolve({ uri: event.item.uri, open: true });
      pick.hide();
    });
    pick.onDidHide(() => {
      resolve(undefined);
      pick.dispose();
    });
    pick.show();
  });
}

export async function saveAsRequest(controller: PredictController, argument?: string | HistoryEntry, name?: string): Promise<vscode.Uri | undefined> {
  const history = controller.history();
  const entry = typeof argument === 'string' ? history.find((e) => e.id === argument) : argument ?? history[0];
  const request = entry && requestOf(entry);
  if (!request) {
    void vscode.window.showWarningMessage(entry ? 'That request is too large to save from the history.' : 'Run a predict first; then it can be saved.');
    return undefined;
  }
  const chosen =
    name ??
    (await vscode.window.showInputBox({
      title: 'Save as Request',
      prompt: 'A name for the request (saved in .baseten/requests/)',
      value: `${request.owner.name} ${request.target.kind === 'environment' ? request.target.name : request.target.kind}`,
      ignoreFocusOut: true,
    }));
  if (!chosen) return undefined;
  const uri = await controller.saveAsRequest(request, chosen);
  if (uri) void vscode.window.setStatusBarMessage(`Saved ${vscode.workspace.asRelativePath(uri)}`, 3000);
  return uri;
}

function entryItem(entry: HistoryEntry): vscode.QuickPickItem & { entry: HistoryEntry } {
  const result = entry.outcome === 'ok' ? `${entry.status}` : entry.outcome === 'cancelled' ? 'cancelled' : `failed${entry.status ? ` ${entry.status}` : ''}`;
  const payload = entry.payload === undefined ? `payload of ${formatSize(entry.payloadBytes)} not kept` : JSON.stringify(entry.payload);
  return {
    label: `$(${entry.outcome === 'ok' ? 'pass' : entry.outcome === 'cancelled' ? 'circle-slash' : 'error'}) ${targetLabel(entry)}`,
    description: [result, entry.latencyMs !== undefined ? formatMs(entry.latencyMs) : undefined, entry.size !== undefined ? formatSize(entry.size) : undefined, new Date(entry.at).toLocaleString()]
      .filter(Boolean)
      .join(' · '),
    detail: `${payload.length > 160 ? `${payload.slice(0, 160)}…` : payload}${entry.requestId ? `  ·  request ${entry.requestId}` : ''}`,
    entry,
  };
}

export type HistoryAction = 'rerun' | 'open' | 'curl' | 'save';

/** One history entry's action: re-run, open its response, copy it as cURL (the key as $BASETEN_API_KEY), save it. */
export async function historyAction(controller: PredictController, catalog: DeploymentCatalog, entry: HistoryEntry, action: HistoryAction): Promise<PredictOutcome | string | undefined> {
  switch (action) {
    case 'rerun':
      return controller.rerun(entry, { status: knownStatus(catalog, entry) });
    case 'open':
      if (entry.responseUri && controller.documents.has(entry.responseUri)) {
        await controller.documents.show(vscode.Uri.parse(entry.responseUri));
        return entry.responseUri;
      }
      if (entry.file) {
        await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(entry.file));
        return entry.file;
      }
      void vscode.window.showInformationMessage('That response is no longer kept; re-run the request to see it again.');
      return undefined;
    case 'curl': {
      const command = controller.curl(entry, entry.kind);
      if (command === undefined) {
        const message = `The payload of that request (${formatSize(entry.payloadBytes)}) was too large to keep in the history, so it cannot be copied as cURL.`;
        void vscode.window.showWarningMessage(message);
        return { outcome: 'none', message };
      }
      await vscode.env.clipboard.writeText(command);
      void vscode.window.setStatusBarMessage('Copied a cURL command (the key is read from $BASETEN_API_KEY)', 3000);
      return command;
    }
    case 'save':
      return (await saveAsRequest(controller, entry))?.toString();
  }
}

export async function showRequestHistory(controller: PredictController, catalog: DeploymentCatalog): Promise<PredictOutcome | string | undefined> {
  const entries = controller.history();
  if (!entries.length) {
    void vscode.window.showInformationMessage('No Baseten requests yet. Run Baseten: Predict with Selection (or the predict action in the Baseten view).');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(entries.map(entryItem), { title: 'Baseten Request History', placeHolder: 'Newest first', matchOnDescription: true, matchOnDetail: true });
  if (!picked) return undefined;
  const actions: Array<vscode.QuickPickItem & { action: HistoryAction }> = [
    { label: '$(debug-rerun) Re-run', action: 'rerun' },
    { label: '$(go-to-file) Open Response', action: 'open' },
    { label: '$(terminal) Copy as cURL', description: 'the key as $BASETEN_API_KEY', action: 'curl' },
    { label: '$(save) Save as Request', action: 'save' },
  ];
  const action = await vscode.window.showQuickPick(actions, { title: targetLabel(picked.entry) });
  if (!action) return undefined;
  return historyAction(controller, catalog, picked.entry, action.action);
}

