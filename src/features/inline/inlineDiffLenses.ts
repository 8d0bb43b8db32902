import * as vscode from 'vscode';
import type { InlineEditSession } from './inlineEditSession';
import { countChanges } from './logic/lineDiff';
import { lensTitles } from './logic/lensTitles';

/** Accept / Reject above each block, with what the model is doing and, once it is done, what changed. */
export class InlineDiffLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly sessions: () => Iterable<InlineEditSession>) {}

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const lenses: vscode.CodeLens[] = [];
    for (const session of this.sessions()) {
      if (session.document !== document || session.settled) continue;
      const at = new vscode.Range(session.range.start, session.range.start);
      const titles = lensTitles({
        state: session.state,
        model: session.target.label,
        error: session.error,
        stoppedBecause: session.stoppedBecause,
        changes: countChanges(session.lines),
        mac: process.platform === 'darwin',
      });
      for (const lens of titles) {
        lenses.push(
          new vscode.CodeLens(at, {
            title: lens.title,
            tooltip: lens.tooltip,
            command: lens.action ? (lens.action === 'accept' ? 'baseten.acceptProposal' : 'baseten.rejectProposal') : '',
            arguments: lens.action ? [session.id] : undefined,
          }),
        );
      }
    }
    return lenses;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
