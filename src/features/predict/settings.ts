import * as vscode from 'vscode';
import { DEFAULT_HISTORY_SIZE } from './logic/history';
import { DEFAULT_INPUT_TEMPLATE } from './logic/payload';
import type { Owner } from '../../client';
import { userValue } from '../../platform/settings';

function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('baseten.predict');
}

/** The template for text that is not JSON: the model's or chain's own (by ID or name), else the default one. */
export function inputTemplate(owner: Owner): string {
  const perModel = config().get<Record<string, unknown>>('inputTemplates') ?? {};
  const own = perModel[owner.id] ?? perModel[owner.name];
  if (typeof own === 'string' && own.trim()) return own;
  const fallback = config().get<string>('inputTemplate');
  return typeof fallback === 'string' && fallback.trim() ? fallback : DEFAULT_INPUT_TEMPLATE;
}

export function responseSizeLimitBytes(): number {
  const mb = config().get<number>('responseSizeLimitMB');
  return (typeof mb === 'number' && mb > 0 ? mb : 10) * 1024 * 1024;
}

/** Where large and binary responses are saved: the setting's folder, else the extension's global storage. */
export function responseFolder(globalStorage: vscode.Uri): string {
  // A workspace must not choose where answers are written.
  const chosen = userValue<string>('predict.responseFolder')?.trim();
  return chosen || vscode.Uri.joinPath(globalStorage, 'responses').fsPath;
}

export function historySize(): number {
  const size = config().get<number>('historySize');
  return typeof size === 'number' && size >= 1 ? Math.min(500, Math.floor(size)) : DEFAULT_HISTORY_SIZE;
}
