import * as vscode from 'vscode';

export interface LoadingQuickPickOptions<T> {
  title: string;
  placeholder: string;
  /** Shown (and pickable) while the load runs; the loaded items replace them. */
  initial?: T[];
  /** Same thing in the initial and the loaded items: the one the user had moved to stays active. */
  key?: (item: T) => string;
}

/**
 * A quick pick that opens at once, busy while its items load. Leaving it aborts the loading requests;
 * items marked `picked` start active.
 */
export async function pickLoaded<T extends vscode.QuickPickItem>(options: LoadingQuickPickOptions<T>, load: (signal: AbortSignal) => Promise<T[]>): Promise<T | undefined> {
  const pick = vscode.window.createQuickPick<T>();
  pick.title = options.title;
  pick.placeholder = options.placeholder;
  pick.matchOnDescription = true;
  pick.busy = true;
  if (options.initial?.length) pick.items = options.initial;
  const chosen = new Promise<T | undefined>((resolve) => {
    pick.onDidAccept(() => resolve(pick.selectedItems[0]));
    pick.onDidHide(() => resolve(undefined));
  });
  pick.show();
  const controller = new AbortController();
  chosen.then(() => controller.abort(), () => undefined);
  const loaded = load(controller.signal).then(
    (items) => {
      if (controller.signal.aborted) return;
      const key = options.key;
      const wasActive = key && pick.activeItems[0] && key(pick.activeItems[0]);
      pick.items = items;
      const active = wasActive ? items.filter((item) => key(item) === wasActive) : items.filter((item) => item.picked);
      if (active.length) pick.activeItems = active;
      pick.busy = false;
    },
    (error: unknown) => {
      if (!controller.signal.aborted) throw error;
    },
  );
  try {
    // An initial item can be chosen before the load ends; a failed load ends the pick.
    await Promise.race([chosen, loaded]);
    return await chosen;
  } finally {
    pick.dispose();
  }
}
