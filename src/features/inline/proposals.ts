import * as vscode from 'vscode';

export const PROPOSAL_SCHEME = 'baseten-proposal';

/**
 * Read-only documents holding what the file would become: the right side of the inline prompt's diff.
 * Updates while the answer streams are coalesced, so the diff re-computes a few times a second at most.
 */
export class ProposalDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly pending = new Map<string, NodeJS.Timeout>();

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  set(uri: vscode.Uri, content: string, immediately = false): void {
    const key = uri.toString();
    this.contents.set(key, content);
    if (immediately) {
      clearTimeout(this.pending.get(key));
      this.pending.delete(key);
      this.changed.fire(uri);
      return;
    }
    if (this.pending.has(key)) return;
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        this.changed.fire(uri);
      }, 150),
    );
  }

  /**
   * Announces the current content again. A change announced while VS Code was still opening the document
   * is lost (it read the content before), so the opener calls this once the document is open.
   */
  refresh(uri: vscode.Uri): void {
    if (this.contents.has(uri.toString())) this.set(uri, this.contents.get(uri.toString())!, true);
  }

  delete(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.pending.get(key));
    this.pending.delete(key);
    this.contents.delete(key);
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.changed.dispose();
  }
}
