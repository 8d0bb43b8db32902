import * as path from 'node:path';
import * as vscode from 'vscode';
import { ConfigIssue, readTrussConfig } from './logic/trussConfig';
import type { TrussConfig } from './logic/trussConfig';
import { TrussProjects } from './projectStore';

/** Problems in a Truss project's config.yaml, shown in the file and the Problems panel while it is edited and before a deploy. */
export class ConfigDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('baseten-truss');
  private readonly disposables: vscode.Disposable[] = [this.collection];

  constructor(private readonly projects: TrussProjects) {
    const check = (document: vscode.TextDocument): void => void this.checkIfTruss(document);
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument(check),
      vscode.workspace.onDidChangeTextDocument((event) => check(event.document)),
    );
    for (const document of vscode.workspace.textDocuments) check(document);
  }

  private async checkIfTruss(document: vscode.TextDocument): Promise<void> {
    if (document.uri.scheme !== 'file' || path.basename(document.uri.fsPath) !== 'config.yaml') return;
    const project = await this.projects.projectOf(document.uri);
    if (project?.configPath === document.uri.fsPath) this.check(document);
  }

  /** Checks the document's current text (saved or not) and shows what it found. */
  check(document: vscode.TextDocument): TrussConfig {
    const read = readTrussConfig(document.getText());
    this.collection.set(document.uri, read.issues.map((issue) => toDiagnostic(document, issue)));
    return read;
  }

  issues(uri: vscode.Uri): readonly vscode.Diagnostic[] {
    return this.collection.get(uri) ?? [];
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}

function toDiagnostic(document: vscode.TextDocument, issue: ConfigIssue): vscode.Diagnostic {
  const range = new vscode.Range(document.positionAt(issue.start), document.positionAt(issue.end));
  const diagnostic = new vscode.Diagnostic(range, issue.message, issue.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
  diagnostic.source = 'Baseten Truss';
  return diagnostic;
}
