/**
 * Helpers for integration tests, which run inside VS Code's extension host (see test/runner/runIntegration.ts
 * for the environment it sets): the emulator's address and keys, the extension's API, screenshots and UI
 * actions through the runner's control server.
 */
import * as vscode from 'vscode';
import type { BasetenEndpoints } from '../../src/client/urls';
import type { BasetenTestApi } from '../../src/extension';
import type { ExplorerNode } from '../../src/platform/treeNodes';
import type { BasetenTreeProvider } from '../../src/features/explorer/treeProvider';
import type { AxeReport, FocusReport } from '../runner/webviewA11y';

export const EXTENSION_ID = 'baseten-community.baseten-vscode';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the integration tests through test/runner (npm test)`);
  return value;
}

/** `http://127.0.0.1:<port>` of the emulator. */
export function emulatorUrl(): string {
  return env('BASETEN_EMULATOR_URL');
}

export function emulatorEndpoints(): BasetenEndpoints {
  return JSON.parse(env('BASETEN_EMULATOR_ENDPOINTS')) as BasetenEndpoints;
}

export function emulatorKeys(): { apiKey: string; invokeOnlyApiKey: string } {
  return JSON.parse(env('BASETEN_EMULATOR_KEYS')) as { apiKey: string; invokeOnlyApiKey: string };
}

/** The secret the emulator signs its webhook deliveries with. */
export function emulatorWebhookSecret(): string {
  return env('BASETEN_EMULATOR_WEBHOOK_SECRET');
}

/**
 * Wall-clock time of the first activation seen by `extensionApi()`, `activate()`'s own measure, and the
 * wall-clock time of activating an empty extension just before (VS Code's own share: the baseline).
 */
export const activationTiming: { wallMs?: number; insideMs?: number; baselineMs?: number } = {};

/** Activates the empty extensions the runner installed (test/fixtures/baseline-extension): the second one's time is the baseline. */
async function timeBaselineActivation(): Promise<number | undefined> {
  let last: number | undefined;
  for (const id of ['baseten-test.warmup', 'baseten-test.baseline']) {
    const extension = vscode.extensions.getExtension(id);
    if (!extension || extension.isActive) return undefined;
    const started = performance.now();
    await extension.activate();
    last = performance.now() - started;
  }
  return last;
}

/** Figures measured in the extension host for the bench (test/integration/hostLoad.test.ts); never asserted. */
export const hostFigures: { predict50MB?: { stallMs: number; heapMB: number; aloneStallMs: number; aloneHeapMB: number } } = {};

/**
 * What the first activation seen by `extensionApi()` sent: the emulator's requests that arrived from just
 * before `activate()` until its deferred key lookup had rendered the status bar, and whether a client
 * (the only way to send a request) existed by then. Unset when the extension was active already.
 */
export const activationNetwork: { requests?: string[]; clientBuilt?: boolean } = {};

/** Activates the extension (once) and returns its API. */
export async function extensionApi(): Promise<BasetenTestApi> {
  const extension = vscode.extensions.getExtension<BasetenTestApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed in this VS Code`);
  const wasActive = extension.isActive;
  if (!wasActive && activationTiming.baselineMs === undefined) activationTiming.baselineMs = await timeBaselineActivation();
  const watched = !wasActive && activationNetwork.requests === undefined && !!process.env.BASETEN_EMULATOR_URL;
  const before = watched ? (await emulatorStats()).requests.length : 0;
  const started = performance.now();
  const api = await extension.activate();
  if (!wasActive && activationTiming.wallMs === undefined) activationTiming.wallMs = performance.now() - started;
  activationTiming.insideMs ??= api.activationMs;
  if (watched) {
    // The status bar is drawn once the key lookup activate() starts (and does not wait for) has ended.
    await waitFor(() => api.statusBar.text !== '', 10_000, 'the status bar after activation');
    activationNetwork.clientBuilt = api.services.hasClient;
    activationNetwork.requests = (await emulatorStats()).requests.slice(before).map((r) => `${r.method} ${r.path}`);
  }
  return api;
}

async function control(path: string, body: unknown = {}): Promise<Record<string, unknown>> {
  const base = process.env.BASETEN_TEST_SCREENSHOT_URL;
  if (!base) return { skipped: true };
  const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const result = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`control ${path}: ${String(result.error ?? response.status)}`);
  return result;
}

/**
 * Saves a screenshot of the whole workbench as artifacts/screenshots/<name>.png; resolves once it is written.
 * A no-op (with a log line) where the runner has no browser (test-electron).
 */
export async function screenshot(name: string): Promise<void> {
  const result = await control(`/screenshot?name=${encodeURIComponent(name)}`);
  if (result.skipped) console.log(`(screenshot ${name} skipped: no control server)`);
}

/** Runs a command by its title from the command palette, as a user would (e.g. `Baseten: Refresh`). */
export async function runCommandInUi(title: string): Promise<void> {
  await control('/ui/command', { title });
}

/** Clicks the first element matching a CSS (or Playwright) selector in the workbench. */
export async function clickInUi(selector: string): Promise<void> {
  await control('/ui/click', { selector });
}

/** Types a value into the first field matching a selector in the workbench (a quick pick's filter, say). */
export async function fillInUi(selector: string, value: string): Promise<void> {
  await control('/ui/fill', { selector, value });
}

/** The visible text of every workbench element matching a CSS selector (empty where the runner has no browser). */
export async function textsInUi(selector: string): Promise<string[]> {
  const result = await control('/ui/text', { selector });
  return (result.texts as string[] | undefined) ?? [];
}

/** Presses a key (Playwright's names: `Enter`, `Escape`, `Control+A`) in the workbench, where the focus is. */
export async function pressInUi(key: string): Promise<void> {
  await control('/ui/press', { key });
}

/** Types text key by key where the focus is (a newline presses Enter). */
export async function typeInUi(text: string): Promise<void> {
  await control('/ui/type', { text });
}

/** Elements matching a CSS selector inside the open webviews (empty where the runner has no browser). */
export async function queryWebviews(selector: string): Promise<Array<{ frame: string; text: string; html: string; value?: string }>> {
  const result = await control('/ui/webview', { selector });
  return (result.matches as Array<{ frame: string; text: string; html: string; value?: string }> | undefined) ?? [];
}

/** The state each open webview page last saved with `vscode.setState`, and how often it saved (empty without a browser). */
export async function savedWebviewStates(): Promise<Array<{ frame: string; state: unknown; saves: number }>> {
  const result = await control('/ui/webview/state');
  return (result.states as Array<{ frame: string; state: unknown; saves: number }> | undefined) ?? [];
}

/** Clicks the first element matching a CSS selector inside the open webviews. */
export async function clickInWebview(selector: string): Promise<void> {
  await control('/ui/webview/click', { selector });
}

/** Types a value into the first field matching a CSS selector inside the open webviews (a select gets that option). */
export async function fillInWebview(selector: string, value: string): Promise<void> {
  await control('/ui/webview/fill', { selector, value });
}

/** axe-core's violations in each open Baseten page (or only `panel`'s: `chat`, `websocket`); empty without a browser. */
export async function axeWebviews(panel?: string): Promise<AxeReport[]> {
  const result = await control('/ui/webview/axe', panel === undefined ? {} : { panel });
  return (result.reports as AxeReport[] | undefined) ?? [];
}

/** Where the keyboard focus is in each open Baseten page (empty without a browser). */
export async function focusInWebviews(): Promise<FocusReport[]> {
  const result = await control('/ui/webview/focus');
  return (result.reports as FocusReport[] | undefined) ?? [];
}

/** Whether a browser drives this run (the code-server runner), so UI checks can be made. */
export function hasBrowser(): boolean {
  return !!process.env.BASETEN_TEST_SCREENSHOT_URL;
}

/** Resolves once `predicate` returns true (checked every 50 ms); rejects after `timeoutMs`. */
export async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Calls the emulator's control API (`/__emulator/...`): reset, faults, stats. */
export async function emulatorControl<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${emulatorUrl()}/__emulator/${path}`, {
    method,
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} /__emulator/${path} → ${response.status}: ${await response.text()}`);
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export interface EmulatorRequestRecord {
  method: string;
  path: string;
  status?: number;
  clientAborted: boolean;
  headers: Record<string, string>;
}

export function emulatorStats(): Promise<{ openConnections: number; requests: EmulatorRequestRecord[] }> {
  return emulatorControl('GET', 'stats');
}

/**
 * Has a visible view reload its root, and returns the nodes it now holds. Events name nodes by object, so
 * a test that acts on the tree must use the view's nodes, not ones it loaded by calling getChildren itself.
 */
export async function rootAsShown(tree: BasetenTreeProvider): Promise<readonly ExplorerNode[]> {
  const stale = tree.shownChildren();
  // The Models and Chains views load again from Baseten (through the catalog); others just show again.
  if ('reload' in tree && typeof tree.reload === 'function') tree.reload();
  else tree.refresh();
  await waitFor(() => tree.shownChildren() !== stale && !!tree.shownChildren()?.length, 10_000, 'the view to reload its root');
  return tree.shownChildren()!;
}

/** The node the view shows at a path of ids (root first), or undefined while it is not loaded. */
export function shownNode(tree: BasetenTreeProvider, ...ids: string[]): ExplorerNode | undefined {
  let node: ExplorerNode | undefined;
  for (const id of ids) {
    node = tree.shownChildren(node)?.find((child) => child.id === id);
    if (!node) return undefined;
  }
  return node;
}

/** What the view shows, as ids, two levels under the root; for failure messages. */
export function describeShown(tree: BasetenTreeProvider): string {
  return (tree.shownChildren() ?? [])
    .map((node) => `${node.id}[${(tree.shownChildren(node) ?? []).map((child) => `${child.id}(${(tree.shownChildren(child) ?? []).length})`).join(' ')}]`)
    .join(' ');
}
