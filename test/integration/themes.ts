/** The colour themes the accessibility checks run in, and switching between them as a user would (the setting). */
import * as vscode from 'vscode';
import { queryWebviews, waitFor } from './harness';

/** The four themes a user can pick that differ most, by their setting value, with the class VS Code gives a webview's body. */
export const THEMES = [
  { name: 'light', setting: 'Light Modern', kind: vscode.ColorThemeKind.Light, body: 'vscode-light' },
  { name: 'dark', setting: 'Dark Modern', kind: vscode.ColorThemeKind.Dark, body: 'vscode-dark' },
  { name: 'dark-hc', setting: 'Default High Contrast', kind: vscode.ColorThemeKind.HighContrast, body: 'vscode-high-contrast' },
  { name: 'light-hc', setting: 'Default High Contrast Light', kind: vscode.ColorThemeKind.HighContrastLight, body: 'vscode-high-contrast-light' },
] as const;

export type Theme = (typeof THEMES)[number];

/** Switches the colour theme and waits until the open webviews have it too. */
export async function useTheme(theme: Theme): Promise<void> {
  await vscode.workspace.getConfiguration('workbench').update('colorTheme', theme.setting, vscode.ConfigurationTarget.Global);
  await waitFor(() => vscode.window.activeColorTheme.kind === theme.kind, 10_000, `the ${theme.setting} theme`);
  await waitFor(async () => (await queryWebviews(`body.${theme.body} #transcript`)).length > 0, 10_000, `the page in the ${theme.setting} theme`);
  // The page's styles follow the body's class and VS Code's variables in the same task; one frame to paint.
  await new Promise((resolve) => setTimeout(resolve, 300));
}

/** Back to the theme the suite started with; resolves once the workbench has redrawn in it. */
export async function restoreTheme(): Promise<void> {
  const configuration = vscode.workspace.getConfiguration('workbench');
  if (configuration.inspect('colorTheme')?.globalValue === undefined) return;
  await configuration.update('colorTheme', undefined, vscode.ConfigurationTarget.Global);
  await new Promise((resolve) => setTimeout(resolve, 1000));
}
