import * as vscode from 'vscode';

export interface LoadingQuickPickOptions {
  title: string;
  placeholder: string;
}

/**
 * A quick pick that opens at once, busy while its items load. Leaving it aborts the loading requests;
 * items marked `picked` start active.
 */
export async function pickLoaded<T extends vscode.QuickPickItem>(options: LoadingQuickPickOptions, load: (signal: AbortSignal) => Promise<T[]>): Promise<T | undefined> {
  const pick = vscode.window.createQuickPick<T>();
  pick.title = options.title;
  pick.placeholder = options.placeholder;
  pick.matchOnDescription = true;
  pick.busy = true;
  const chosen = new Promise<T | undefined>((resolve) => {
    pick.onDidAccept(() => resolve(pick.selectedItems[0]));
    pick.onDidHide(() => resolve(undefined));
  });
  pick.show();
  const controller = new AbortController();
  chosen.then(() => controller.abort(), () => undefined);
  try {
    const items = await load(controller.signal);
    pick.items = items;
    const active = items.filter((item) => item.picked);
    if (active.length) pick.activeItems = active;
    pick.busy = false;
    return await chosen;
  } finally {
    pick.dispose();
  }
}
