/**
 * What webview pages save with `vscode.setState`, for tests to read. VS Code keeps it outside the page:
 * the page's `setState` calls `__vscode_post_message__('do-update-state', json)` on the webview's host
 * frame (VS Code's webview `pre/index.html`), so a script run in every frame before its own scripts
 * wraps that function when the host frame defines it and keeps the last state and a count.
 */
import type { BrowserContext, Page } from 'playwright-core';

interface Recorder {
  __testSavedState?: string;
  __testSaveCount?: number;
}

/** Runs in every frame, before the frame's own scripts. */
function recordSavedState(): void {
  const name = '__vscode_post_message__';
  const frame = window as unknown as Recorder & Record<string, unknown>;
  let wrapped: unknown;
  Object.defineProperty(frame, name, {
    configurable: true,
    get: () => wrapped,
    set: (original: (command: string, data: unknown, transfer?: unknown) => unknown) => {
      wrapped = (command: string, data: unknown, transfer?: unknown) => {
        if (command === 'do-update-state' && typeof data === 'string') {
          frame.__testSavedState = data;
          frame.__testSaveCount = (frame.__testSaveCount ?? 0) + 1;
        }
        return original(command, data, transfer);
      };
    },
  });
}

export async function recordWebviewStates(context: BrowserContext): Promise<void> {
  await context.addInitScript(recordSavedState);
}

/** The state each live webview last saved (parsed), with how many times it saved. */
export async function savedWebviewStates(page: Page): Promise<Array<{ frame: string; state: unknown; saves: number }>> {
  const found: Array<{ frame: string; state: unknown; saves: number }> = [];
  for (const frame of page.frames()) {
    if (frame === page.mainFrame()) continue;
    const saved = await frame.evaluate(() => {
      const recorder = window as unknown as Recorder;
      return recorder.__testSavedState === undefined ? undefined : { state: recorder.__testSavedState, saves: recorder.__testSaveCount ?? 0 };
    }).catch(() => undefined);
    if (saved) found.push({ frame: frame.url(), state: JSON.parse(saved.state) as unknown, saves: saved.saves });
  }
  return found;
}
