import * as vscode from 'vscode';
import type { InlineEditSession } from './inlineEditSession';
import type { LineKind } from './logic/lineDiff';

/**
 * How the block reads in the editor, in the theme's own diff colours: added lines green, removed lines red
 * and struck through, lines the answer has not reached yet dimmed. High-contrast themes get the diff
 * borders instead of backgrounds, and the overview ruler marks both kinds.
 */
function decorationTypes(): Record<Exclude<LineKind, 'same'>, vscode.TextEditorDecorationType> {
  return {
    added: vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      backgroundColor: new vscode.ThemeColor('diffEditor.insertedLineBackground'),
      outlineColor: new vscode.ThemeColor('diffEditor.insertedTextBorder'),
      outlineStyle: 'dashed',
      outlineWidth: '1px',
      overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.addedForeground'),
      overviewRulerLane: vscode.OverviewRulerLane.Left,
    }),
    removed: vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      backgroundColor: new vscode.ThemeColor('diffEditor.removedLineBackground'),
      outlineColor: new vscode.ThemeColor('diffEditor.removedTextBorder'),
      outlineStyle: 'solid',
      outlineWidth: '1px',
      textDecoration: 'line-through',
      overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.deletedForeground'),
      overviewRulerLane: vscode.OverviewRulerLane.Left,
    }),
    pending: vscode.window.createTextEditorDecorationType({ isWholeLine: true, opacity: '0.55' }),
  };
}

/** Paints every open session's block in each editor that shows its document. */
export class InlineDiffDecorations implements vscode.Disposable {
  private readonly types = decorationTypes();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly sessions: () => Iterable<InlineEditSession>) {
    this.disposables.push(vscode.window.onDidChangeVisibleTextEditors(() => this.paintAll()));
  }

  paintAll(): void {
    for (const editor of vscode.window.visibleTextEditors) this.paintEditor(editor);
  }

  private paintEditor(editor: vscode.TextEditor): void {
    const ranges: Record<string, vscode.Range[]> = { added: [], removed: [], pending: [] };
    for (const session of this.sessions()) {
      if (session.document !== editor.document || session.settled) continue;
      const start = session.range.start.line;
      session.lines.forEach((line, index) => {
        if (line.kind !== 'same') ranges[line.kind].push(new vscode.Range(start + index, 0, start + index, 0));
      });
    }
    for (const [kind, type] of Object.entries(this.types)) editor.setDecorations(type, ranges[kind]);
  }

  dispose(): void {
    for (const type of Object.values(this.types)) type.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }
}
