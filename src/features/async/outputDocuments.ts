import * as vscode from 'vscode';
import { AsyncRequestStore } from './store';
import { targetLabel } from '../../client';
import type { AsyncRequest } from './logic/asyncRequest';

export const OUTPUT_SCHEME = 'baseten-async-output';

/**
 * Webhook outputs as read-only JSON documents, titled in words:
 * `baseten-async-output:/echo · production, output of 08:31:02.json?request=<id>` (the bare `/<id>.json` reads too).
 */
export class AsyncOutputDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** An open document whose request changed (a late delivery, a reload) is read again. */
  readonly onDidChange = this.changed.event;
  private readonly watching: vscode.Disposable;

  constructor(private readonly store: AsyncRequestStore) {
    this.watching = store.onDidChange(() => {
      for (const document of vscode.workspace.textDocuments) {
        if (document.uri.scheme === OUTPUT_SCHEME && document.getText() !== this.provideTextDocumentContent(document.uri)) this.changed.fire(document.uri);
      }
    });
  }

  static uriFor(request: AsyncRequest): vscode.Uri {
    const time = new Date(request.submittedAt).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
    const title = `${targetLabel(request)}, output of ${time}`.replace(/[/\\?#%]/g, '-');
    return vscode.Uri.from({ scheme: OUTPUT_SCHEME, path: `/${title}.json`, query: new URLSearchParams({ request: request.requestId }).toString() });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const requestId = new URLSearchParams(uri.query).get('request') ?? uri.path.replace(/^\//, '').replace(/\.json$/, '');
    const output = this.store.get(requestId)?.output;
    if (!output) return JSON.stringify({ error: `No output was received for async request ${requestId}.` }, null, 2);
    if (output.output === undefined && !output.persisted) {
      return JSON.stringify({ error: 'The output was received before the last reload and was too large to keep.' }, null, 2);
    }
    return JSON.stringify(output.errors.length ? { output: output.output ?? null, errors: output.errors } : output.output ?? null, null, 2);
  }

  dispose(): void {
    this.watching.dispose();
    this.changed.dispose();
  }
}
