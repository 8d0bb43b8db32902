import * as vscode from 'vscode';
import { predictLines } from './logic/projects';
import { TrussProjects } from './projectStore';

/**
 * Above `def predict` in a Truss project's model file: call the development deployment, and Watch on or off.
 * Above the entrypoint's `def run_remote` in a Chain: call its development deployment.
 */
export class PredictCodeLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly projects: TrussProjects) {
    this.subscription = projects.onDidChange(() => this.changed.fire());
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const chain = await this.projects.chainOf(document.uri);
    if (chain?.runRemoteLine !== undefined) {
      const range = new vscode.Range(chain.runRemoteLine, 0, chain.runRemoteLine, 0);
      return [new vscode.CodeLens(range, { title: '$(play) Run on development', tooltip: `Send the selected JSON, or a saved request, to the Chain ${chain.name}'s development deployment (run_remote)`, command: 'baseten.truss.predict', arguments: [document.uri] })];
    }
    const project = await this.projects.projectOf(document.uri);
    if (!project || project.modelPath !== document.uri.fsPath) return [];
    const watching = this.projects.watching.has(project.root);
    return predictLines(document.getText()).flatMap((line) => {
      const range = new vscode.Range(line, 0, line, 0);
      return [
        new vscode.CodeLens(range, { title: '$(play) Predict on development', tooltip: `Send the selected JSON, or a saved request, to ${project.name}'s development deployment`, command: 'baseten.truss.predict', arguments: [document.uri] }),
        watching
          ? new vscode.CodeLens(range, { title: '$(eye-closed) Stop watching', tooltip: 'Stop patching saved changes into the development deployment', command: 'baseten.truss.stopWatch', arguments: [document.uri] })
          : new vscode.CodeLens(range, { title: '$(eye) Watch', tooltip: 'Patch every saved change into the development deployment', command: 'baseten.truss.startWatch', arguments: [document.uri] }),
      ];
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
