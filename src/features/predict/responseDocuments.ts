import * as vscode from 'vscode';

export const RESPONSE_SCHEME = 'baseten-response';
/** Responses kept for "Open Response" after their tab was closed. */
const KEPT = 20;

interface Content {
  parts: string[];
  joined?: string;
}

/**
 * Predict responses as read-only documents in VS Code's own editor (folding, search, large-file handling),
 * under `baseten-response:/<n>/<title>.<ext>`: the tab shows the title, the extension picks the language.
 */
export class ResponseDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, Content>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private counter = 0;
  private readonly registration: vscode.Disposable;

  constructor() {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(RESPONSE_SCHEME, this);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const content = this.contents.get(uri.toString());
    if (!content) return '// This response is no longer kept in memory. Run the request again from Baseten: Show Request History.';
    content.joined ??= content.parts.join('');
    content.parts = [content.joined];
    return content.joined;
  }

  /** A new document's URI; its title is what the tab shows. */
  create(title: string, extension: string, text = ''): vscode.Uri {
    const safe = title.replace(/[/\\?#%]/g, '-');
    const uri = vscode.Uri.from({ scheme: RESPONSE_SCHEME, path: `/${++this.counter}/${safe}.${extension}` });
    this.contents.set(uri.toString(), { parts: [text] });
    while (this.contents.size > KEPT) this.contents.delete(this.contents.keys().next().value as string);
    return uri;
  }

  append(uri: vscode.Uri, text: string): void {
    const content = this.contents.get(uri.toString());
    if (!content) return;
    content.parts.push(text);
    content.joined = undefined;
    this.changed.fire(uri);
  }

  has(uri: vscode.Uri | string): boolean {
    return this.contents.has(uri.toString());
  }

  /** The text of a response document, whether or not it is open. */
  text(uri: vscode.Uri | string): string | undefined {
    const content = this.contents.get(uri.toString());
    return content ? content.parts.join('') : undefined;
  }

  async show(uri: vscode.Uri, preserveFocus = false, viewColumn: vscode.ViewColumn = vscode.ViewColumn.Beside): Promise<vscode.TextEditor> {
    const document = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(document, { preview: false, preserveFocus, viewColumn });
  }

  /** Closes the tabs of a document (a streaming title replaced by the final one). */
  async close(uri: vscode.Uri): Promise<void> {
    const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === uri.toString());
    if (tabs.length) await vscode.window.tabGroups.close(tabs, true);
    this.contents.delete(uri.toString());
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
    this.contents.clear();
  }
}
