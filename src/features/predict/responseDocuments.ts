import * as vscode from 'vscode';

export const RESPONSE_SCHEME = 'baseten-response';
/** Responses kept for "Open Response" after their tab was closed. */
const KEPT = 20;
const NO_LONGER_KEPT = Buffer.from('// This response is no longer kept in memory. Run the request again from Baseten: Show Request History.');

interface Content {
  /** The text as UTF-8, in the pieces it came in until VS Code reads it whole. */
  chunks: Buffer[];
  size: number;
  /** Changes with every append, so VS Code sees a new version of the file and reloads it. */
  mtime: number;
}

/**
 * Predict responses as read-only documents in VS Code's own editor (folding, search, large-file handling),
 * under `baseten-response:/<n>/<title>.<ext>`: the tab shows the title, the extension picks the language.
 *
 * A read-only file system rather than a text document content provider: VS Code asks a content provider for
 * the whole text after every change and sends it to the editor as JSON, which for a live megabyte stalled
 * the extension host for tens of milliseconds per update. A file is handed over as bytes, and the editor works
 * out what was appended itself (npm run bench hostpredict).
 */
export class ResponseDocuments implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly contents = new Map<string, Content>();
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  private counter = 0;
  private clock = Date.now();
  private readonly registration: vscode.Disposable;

  constructor() {
    this.registration = vscode.workspace.registerFileSystemProvider(RESPONSE_SCHEME, this, { isCaseSensitive: true, isReadonly: true });
  }

  /**
   * A new document's URI; its title is what the tab shows. The text is kept as UTF-8 pieces: a live document
   * encodes only what was appended, nothing is joined as a string (a megabyte join takes milliseconds here),
   * and one non-ASCII character never makes V8 copy a megabyte of ASCII into a two-byte string.
   */
  create(title: string, extension: string, text: string | string[] = ''): vscode.Uri {
    const safe = title.replace(/[/\\?#%]/g, '-');
    const uri = vscode.Uri.from({ scheme: RESPONSE_SCHEME, path: `/${++this.counter}/${safe}.${extension}` });
    const chunks = (typeof text === 'string' ? [text] : text).map((part) => Buffer.from(part));
    this.contents.set(uri.toString(), { chunks, size: chunks.reduce((total, chunk) => total + chunk.length, 0), mtime: this.tick() });
    while (this.contents.size > KEPT) this.contents.delete(this.contents.keys().next().value as string);
    return uri;
  }

  append(uri: vscode.Uri, text: string | readonly string[]): void {
    const content = this.contents.get(uri.toString());
    if (!content) return;
    for (const piece of typeof text === 'string' ? [text] : text) {
      const chunk = Buffer.from(piece);
      content.chunks.push(chunk);
      content.size += chunk.length;
    }
    content.mtime = this.tick();
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }

  has(uri: vscode.Uri | string): boolean {
    return this.contents.has(uri.toString());
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

  // ------------------------------------------------------------------ the file system VS Code reads

  stat(uri: vscode.Uri): vscode.FileStat {
    const content = this.contents.get(uri.toString());
    // A tab restored after its response was dropped still opens, and says so.
    if (!content) return { type: vscode.FileType.File, ctime: 0, mtime: 0, size: NO_LONGER_KEPT.length, permissions: vscode.FilePermission.Readonly };
    return { type: vscode.FileType.File, ctime: content.mtime, mtime: content.mtime, size: content.size, permissions: vscode.FilePermission.Readonly };
  }

  readFile(uri: vscode.Uri): Uint8Array {
    const content = this.contents.get(uri.toString());
    if (!content) return NO_LONGER_KEPT;
    if (content.chunks.length > 1) content.chunks = [Buffer.concat(content.chunks, content.size)];
    return content.chunks[0] ?? new Uint8Array();
  }

  watch(): vscode.Disposable {
    // Every change is reported through onDidChangeFile; there is nothing to start.
    return new vscode.Disposable(() => undefined);
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  writeFile(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
    this.contents.clear();
  }

  /** A modification time that always moves forward, even for two appends within one millisecond. */
  private tick(): number {
    this.clock = Math.max(this.clock + 1, Date.now());
    return this.clock;
  }
}
