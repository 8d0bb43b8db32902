import * as vscode from 'vscode';
import { targetLabel } from '../../client';
import type { TargetRef } from '../../client';
import { RESPONSE_SCHEME } from './responseDocuments';

/** What the ▷ action on a tree target sends. */
export type PredictSource = 'selection' | 'file' | 'savedRequest' | 'typed';

const SETTING = 'baseten.predict.treeActionInput';

type SourceItem = vscode.QuickPickItem & { source: PredictSource };

function preview(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 70 ? `${line.slice(0, 70)}…` : line;
}

/** The choices that make sense now: the selection only when there is one, the file only when one is open. */
export function sourceItems(editor: vscode.TextEditor | undefined, savedCount: number): SourceItem[] {
  const items: SourceItem[] = [];
  const file = editor && editor.document.uri.scheme !== RESPONSE_SCHEME ? editor.document : undefined;
  const name = editor ? vscode.workspace.asRelativePath(editor.document.uri, false) : '';
  if (editor && !editor.selection.isEmpty) {
    items.push({ label: '$(selection) Selection', description: `lines ${editor.selection.start.line + 1}–${editor.selection.end.line + 1} of ${name}`, detail: preview(editor.document.getText(editor.selection)), source: 'selection' });
  }
  if (file) items.push({ label: '$(file) Current File', description: name, detail: preview(file.getText()), source: 'file' });
  items.push({
    label: '$(bookmark) Saved Request…',
    description: savedCount ? `${savedCount} in .baseten/requests/` : 'none saved yet',
    source: 'savedRequest',
  });
  items.push({ label: '$(edit) Type JSON…', description: 'or text for the input template', source: 'typed' });
  return items;
}

/**
 * Asks what to send to the target, unless `baseten.predict.treeActionInput` names a default that applies
 * now (a selection default with nothing selected asks). Undefined when the user closed the question.
 */
export async function choosePredictSource(target: TargetRef, editor: vscode.TextEditor | undefined, savedCount: number): Promise<PredictSource | undefined> {
  const items = sourceItems(editor, savedCount);
  const preferred = vscode.workspace.getConfiguration().get<string>(SETTING);
  const usable = items.find((item) => item.source === preferred);
  if (preferred !== 'ask' && usable) return usable.source;
  const pick = vscode.window.createQuickPick<SourceItem>();
  pick.title = `Predict: ${targetLabel(target)}`;
  pick.placeholder = 'What should be sent?';
  pick.items = items;
  pick.buttons = [{ iconPath: new vscode.ThemeIcon('gear'), tooltip: 'Always send the same (setting)' }];
  return new Promise((resolve) => {
    pick.onDidAccept(() => {
      resolve(pick.selectedItems[0]?.source);
      pick.hide();
    });
    pick.onDidTriggerButton(() => {
      resolve(undefined);
      pick.hide();
      void vscode.commands.executeCommand('workbench.action.openSettings', SETTING);
    });
    pick.onDidHide(() => {
      resolve(undefined);
      pick.dispose();
    });
    pick.show();
  });
}
