import * as vscode from 'vscode';

/** What integration tests reach through `vscode.extensions.getExtension(...).exports`. */
export interface BasetenExtensionApi {
  readonly version: string;
}

export function activate(context: vscode.ExtensionContext): BasetenExtensionApi {
  const version = String(context.extension.packageJSON.version ?? '0.0.0');
  return { version };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
