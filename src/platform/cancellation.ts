import * as vscode from 'vscode';

/** An AbortSignal that aborts when VS Code cancels the token (at once if it already has). */
export function abortSignalOf(token: vscode.CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  else token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}
