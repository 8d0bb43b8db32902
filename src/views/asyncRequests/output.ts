import * as vscode from 'vscode';
import { AsyncRequestStore } from '../../async/store';

export const OUTPUT_SCHEME = 'baseten-async-output';

/** Webhook outputs as read-only JSON documents: `baseten-async-output:/<request id>.json`. */
export class AsyncOutputDocuments implements vscode.TextDocumentContentProvider {
  constructor(private readonly store: AsyncRequestStore) {}

  static uriFor(requestId: string): vscode.Uri {
    return vscode.Uri.from({ scheme: OUTPUT_SCHEME, path: `/${requestId}.json` });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const requestId = uri.path.replace(/^\//, '').replace(/\.json$/, '');
    const output = this.store.get(requestId)?.output;
    if (!output) return JSON.stringify({ error: `No output was received for async request ${requestId}.` }, null, 2);
    if (output.output === undefined && !output.persisted) {
      return JSON.stringify({ error: 'The output was received before the last reload and was too large to keep.' }, null, 2);
    }
    return JSON.stringify(output.errors.length ? { output: output.output ?? null, errors: output.errors } : output.output ?? null, null, 2);
  }
}
