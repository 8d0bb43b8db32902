import * as vscode from 'vscode';
import { BasetenLog } from '../../platform/log';

/**
 * Shows the Baseten log. With a reference from an error node, opens the log file at that line (the
 * output channel itself cannot be scrolled to a line).
 */
export async function showLog(log: BasetenLog, logDirectory: vscode.Uri, reference?: string): Promise<void> {
  if (!reference) return log.show();
  const file = vscode.Uri.joinPath(logDirectory, 'Baseten.log');
  // The log service writes asynchronously; give the line a moment to reach the file.
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      const document = await vscode.workspace.openTextDocument(file);
      const offset = document.getText().lastIndexOf(`[${reference}]`);
      if (offset >= 0) {
        const position = document.positionAt(offset);
        const editor = await vscode.window.showTextDocument(document, { preview: true });
        editor.selection = new vscode.Selection(position.line, 0, position.line, document.lineAt(position.line).text.length);
        editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenter);
        return;
      }
    } catch {
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  log.show();
}
