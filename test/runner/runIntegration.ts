/**
 * Runs test/integration inside a real VS Code 1.139.1: code-server (Node 24) driven by headless Chromium,
 * against the Baseten emulator started in this process. `node out/test/runner/runIntegration.js [--grep X] [--no-key] [--keep-open]`.
 * Prints the extension host's output, then `integration: N passed, N failed`; exits non-zero on any failure.
 * A control server lets tests take screenshots and drive the UI (see test/integration/harness.ts).
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import { Browser, chromium, Page } from 'playwright-core';
import type { Emulator } from '../../emulator';
import { extensionTestsPath, parseArgs, prepareRun, RunnerArgs, readResults, removeQuietly, repoRoot, report, screenshotsDir, startEmulatorFromOut } from './setup';
import { recordWebviewStates, savedWebviewStates } from './webviewState';
import { axeWebviews, focusInWebviews } from './webviewA11y';
import { CHROMIUM_ARGS, ensureVsCodeServer, freePort, installExtension, remoteUri, RunningCodeServer, startCodeServer, workbenchUrl } from './vscodeServer';

const OVERALL_TIMEOUT_MS = 15 * 60_000;
/** Workbench messages that are expected offline or are connection chatter; BASETEN_TEST_VERBOSE=1 shows them. */
const OFFLINE_NOISE =
  /ENOTFOUND|open-vsx\.org|authentication provider|connection token|Creating a socket|reconnection-grace-time|\[Service Worker\]|\[AgentHost|\[AccountPolicyGate\]|additional builtin extensions/;
const verbose = process.env.BASETEN_TEST_VERBOSE === '1';
/**
 * What Ctrl+C does now: clean up and exit (code-server runs in its own process group, so it would outlive us),
 * or, while --keep-open waits, end the wait.
 */
let onInterrupt: () => void = () => process.exit(130);

/** Serialises UI actions: one screenshot or command at a time. */
let uiQueue: Promise<unknown> = Promise.resolve();
function serially<T>(action: () => Promise<T>): Promise<T> {
  const next = uiQueue.then(action, action);
  uiQueue = next.catch(() => undefined);
  return next;
}

/** This run's screenshots: the Restricted Mode pass writes beside the main run's, never over them. */
let shotsDir = screenshotsDir;

export async function takeScreenshot(page: Page, name: string): Promise<string> {
  if (!/^[\w.-]+$/.test(name)) throw new Error(`bad screenshot name ${JSON.stringify(name)}`);
  mkdirSync(shotsDir, { recursive: true });
  const path = join(shotsDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Runs a command by its title through the command palette, as a user would. */
export async function runCommandInUi(page: Page, title: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-widget .monaco-list-row').first().waitFor({ state: 'visible', timeout: 10_000 });
  await page.waitForTimeout(200);
  await page.keyboard.press('Enter');
}

/** What a selector matches inside every webview frame (webviews are nested iframes of the workbench). */
export async function queryWebviews(page: Page, selector: string): Promise<Array<{ frame: string; text: string; html: string; value?: string }>> {
  const matches: Array<{ frame: string; text: string; html: string; value?: string }> = [];
  for (const frame of page.frames()) {
    if (frame === page.mainFrame()) continue;
    const found = await frame
      .$$eval(selector, (elements) =>
        elements.map((element) => ({ text: element.textContent ?? '', html: element.outerHTML, value: (element as { value?: unknown }).value === undefined ? undefined : String((element as { value?: unknown }).value) })),
      )
      .catch(() => [] as Array<{ text: string; html: string; value?: string }>);
    for (const match of found) matches.push({ frame: frame.url(), ...match });
  }
  return matches;
}

/** Clicks the first element a selector matches in any webview frame, as a user would (real mouse events). */
export async function clickInWebviews(page: Page, selector: string): Promise<string> {
  for (const frame of page.frames()) {
    if (frame === page.mainFrame()) continue;
    const element = await frame.$(selector).catch(() => null);
    if (!element) continue;
    await element.click({ timeout: 10_000 });
    return frame.url();
  }
  throw Object.assign(new Error(`no webview element matches ${selector}`), { status: 404 });
}

/** Types a value into the first matching field of any webview frame (a select gets the option), as a user would. */
export async function fillInWebviews(page: Page, selector: string, value: string): Promise<string> {
  for (const frame of page.frames()) {
    if (frame === page.mainFrame()) continue;
    const element = await frame.$(selector).catch(() => null);
    if (!element) continue;
    const tag = await element.evaluate((node) => node.tagName);
    if (tag === 'SELECT') await element.selectOption(value, { timeout: 10_000 });
    else await element.fill(value, { timeout: 10_000 });
    return frame.url();
  }
  throw Object.assign(new Error(`no webview element matches ${selector}`), { status: 404 });
}

async function readBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of request) text += String(chunk);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** 127.0.0.1 HTTP server the tests call: POST /screenshot?name=x, POST /ui/command {title}, POST /ui/click {selector}, POST /ui/fill {selector, value}, POST /ui/press {key}, POST /ui/type {text}, POST /ui/text {selector}, POST /ui/webview {selector}, POST /ui/webview/axe {panel?}, POST /ui/webview/focus. */
export function startControlServer(getPage: () => Page | undefined): Promise<{ server: Server; url: string }> {
  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const page = getPage();
    const body = await readBody(request);
    if (request.method !== 'POST') throw Object.assign(new Error('POST only'), { status: 405 });
    if (!page) throw Object.assign(new Error('no page open'), { status: 503 });
    let result: Record<string, unknown>;
    if (url.pathname === '/screenshot') {
      const name = url.searchParams.get('name') ?? String(body.name ?? '');
      result = { path: await serially(() => takeScreenshot(page, name)) };
    } else if (url.pathname === '/ui/command') {
      const title = String(body.title ?? '');
      await serially(() => runCommandInUi(page, title));
      result = { ran: title };
    } else if (url.pathname === '/ui/click') {
      const selector = String(body.selector ?? '');
      await serially(() => page.locator(selector).first().click({ timeout: 10_000 }));
      result = { clicked: selector };
    } else if (url.pathname === '/ui/fill') {
      const selector = String(body.selector ?? '');
      await serially(() => page.locator(selector).first().fill(String(body.value ?? ''), { timeout: 10_000 }));
      result = { filled: selector };
    } else if (url.pathname === '/ui/press') {
      const key = String(body.key ?? '');
      await serially(() => page.keyboard.press(key));
      result = { pressed: key };
    } else if (url.pathname === '/ui/type') {
      const text = String(body.text ?? '');
      await serially(() => page.keyboard.type(text));
      result = { typed: text.length };
    } else if (url.pathname === '/ui/text') {
      const selector = String(body.selector ?? '');
      result = { texts: await serially(() => page.locator(selector).allInnerTexts()) };
    } else if (url.pathname === '/ui/webview/click') {
      const selector = String(body.selector ?? '');
      result = { clicked: await serially(() => clickInWebviews(page, selector)) };
    } else if (url.pathname === '/ui/webview/fill') {
      const selector = String(body.selector ?? '');
      result = { filled: await serially(() => fillInWebviews(page, selector, String(body.value ?? ''))) };
    } else if (url.pathname === '/ui/webview/state') {
      result = { states: await serially(() => savedWebviewStates(page)) };
    } else if (url.pathname === '/ui/webview/axe') {
      result = { reports: await serially(() => axeWebviews(page, body.panel === undefined ? undefined : String(body.panel))) };
    } else if (url.pathname === '/ui/webview/focus') {
      result = { reports: await serially(() => focusInWebviews(page)) };
    } else if (url.pathname === '/ui/webview') {
      const selector = String(body.selector ?? '');
      result = { matches: await serially(() => queryWebviews(page, selector)) };
    } else {
      throw Object.assign(new Error(`unknown ${url.pathname}`), { status: 404 });
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
  };
  const server = createServer((request, response) => {
    handle(request, response).catch((error: Error & { status?: number }) => {
      response.writeHead(error.status ?? 500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: error.message }));
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
  });
}

/** The tail of the extension host's log(s) of this run. */
function extensionHostLogTail(userDataDir: string, lines = 80): string {
  const logs = join(userDataDir, 'logs');
  if (!existsSync(logs)) return '(no logs folder)';
  let text = '';
  for (const session of readdirSync(logs)) {
    const file = join(logs, session, 'exthost1', 'remoteexthost.log');
    if (existsSync(file)) text += `--- ${file}\n${readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n')}\n`;
  }
  return text || '(no remoteexthost.log)';
}

function emptyScreenshots(): void {
  if (!existsSync(shotsDir)) return;
  for (const file of readdirSync(shotsDir)) if (file.endsWith('.png')) rmSync(join(shotsDir, file), { force: true });
}

/**
 * Runs the suite once and resolves with the exit code for the caller (0: every test passed). Installs
 * code-server and Chromium first when they are missing; the overall timeout counts from after that.
 */
export async function runIntegration(args: RunnerArgs): Promise<number> {
  if (!existsSync(join(repoRoot, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run `node esbuild.mjs` first.');
  if (!existsSync(extensionTestsPath)) throw new Error(`${extensionTestsPath} is missing: run \`npx tsc -p .\` first.`);

  const paths = ensureVsCodeServer();
  const started = Date.now();
  const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  let emulator: Emulator | undefined;
  let codeServer: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let tmp: string | undefined;
  let userDataDir: string | undefined;
  const control = await startControlServer(() => page);
  let cleaned: Promise<void> | undefined;
  const cleanup = (): Promise<void> =>
    (cleaned ??= (async () => {
      if (userDataDir && existsSync(join(userDataDir, 'logs'))) {
        // Keep this run's VS Code logs as artefacts next to the screenshots.
        const logs = join(repoRoot, 'artifacts', 'logs');
        removeQuietly(logs);
        cpSync(join(userDataDir, 'logs'), logs, { recursive: true });
      }
      await browser?.close().catch(() => undefined);
      await codeServer?.stop();
      await emulator?.close().catch(() => undefined);
      control.server.closeAllConnections();
      control.server.close();
      if (tmp) removeQuietly(tmp);
    })());
  onInterrupt = () => void cleanup().finally(() => process.exit(130));
  // A last resort when the suite's own timeout below did not end the run (a hang while cleaning up).
  const hardStop = args.keepOpen
    ? undefined
    : setTimeout(() => {
        console.error('[integration] still running a minute after the timeout: stopping everything');
        console.log('integration: 0 passed, 1 failed');
        void cleanup().finally(() => process.exit(1));
      }, OVERALL_TIMEOUT_MS + 60_000).unref();
  let exitCode: number | undefined;
  let serverOutput = '';
  try {
    emulator = await startEmulatorFromOut({ port: 0, wakeDelayMs: 1500 });
    const run = prepareRun(emulator, args, control.url);
    tmp = run.tmp;
    userDataDir = run.userDataDir;
    shotsDir = args.untrusted ? join(screenshotsDir, 'restricted-mode') : args.installed ? join(screenshotsDir, 'installed') : screenshotsDir;
    emptyScreenshots();
    if (args.installed) {
      installExtension(paths, resolve(args.installed), run.extensionsDir, run.userDataDir);
      console.log(`[integration] installed ${args.installed}`);
    }
    console.log(`[integration] emulator at ${emulator.baseUrl}; VS Code user data in ${run.userDataDir}`);

    codeServer = await startCodeServer(paths, {
      port: await freePort(),
      userDataDir: run.userDataDir,
      extensionsDir: run.extensionsDir,
      folder: run.workspace,
      env: run.env,
      workspaceTrust: args.untrusted,
      smokeTestDriver: true,
      output: (text) => (serverOutput = (serverOutput + text).slice(-20_000)),
    });
    console.log(`[integration] code-server ${codeServer.url} up after ${elapsed()}`);

    // Playwright's own signal handlers would exit at once and orphan code-server: cleanup() closes the browser.
    const signals = { handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false };
    browser = await chromium.launch({ executablePath: paths.chromium, args: CHROMIUM_ARGS, headless: true, ...signals });
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    await recordWebviewStates(context);
    page = await context.newPage();
    let finish: (code: number) => void = () => undefined;
    const finished = new Promise<number>((resolve) => (finish = resolve));
    await page.exposeFunction('codeAutomationLog', (level: string, logArgs: unknown) => {
      const text = format(...(Array.isArray(logArgs) ? logArgs : [logArgs]));
      if (!verbose && OFFLINE_NOISE.test(text)) return;
      (level === 'error' ? console.error : console.log)(text);
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => finish(code));
    page.on('pageerror', (error) => console.error(`[integration] page error: ${error.message}`));
    // Don't wait for the overall timeout when the browser or code-server is gone.
    page.on('crash', () => {
      console.error('[integration] the workbench page crashed');
      finish(1);
    });
    const onServerExit = (code: number | null): void => {
      console.error(`[integration] code-server exited early (${code})`);
      finish(1);
    };
    codeServer.child.once('exit', onServerExit);
    // Testing the installed package: the extension under development is only an empty host for the tests, so the
    // Baseten extension VS Code runs is the one installed from the .vsix, not the source folder.
    const developed = args.installed ? join(repoRoot, 'test', 'fixtures', 'installed-host') : repoRoot;
    const development: Array<[string, string]> = [['extensionDevelopmentPath', remoteUri(developed)], ['skipWelcome', 'true']];
    await page.goto(workbenchUrl(codeServer.url, run.workspace, [...development, ['extensionTestsPath', remoteUri(extensionTestsPath)]]));
    const timeout = new Promise<number>((resolve) =>
      setTimeout(() => {
        console.error(`[integration] timed out after ${OVERALL_TIMEOUT_MS / 60_000} min`);
        resolve(124);
      }, OVERALL_TIMEOUT_MS).unref(),
    );
    exitCode = await Promise.race([finished, timeout]);
    codeServer.child.off('exit', onServerExit);
    console.log(`[integration] VS Code reported exit code ${exitCode} after ${elapsed()}`);
    // The suite takes `workbench` before it ends; when it did not get that far, take it now.
    if (!existsSync(join(shotsDir, 'workbench.png'))) {
      await serially(() => takeScreenshot(page as Page, 'workbench')).catch((error: Error) => console.error(`[integration] final screenshot failed: ${error.message}`));
    }

    const results = readResults(run.resultsFile);
    // The logs first, so that the failed tests' names and errors are the last thing CI's tail shows.
    if (!results || results.failed || exitCode !== 0) {
      console.log(`[integration] extension host log:\n${extensionHostLogTail(run.userDataDir)}`);
      if (!results) console.log(`[integration] code-server output:\n${serverOutput.slice(-4000)}`);
    }
    const status = report(results, exitCode);
    if (args.keepOpen) {
      // For debugging: the same VS Code, emulator and settings, with the extension loaded but no tests.
      console.log(`\n[integration] --keep-open: ${workbenchUrl(codeServer.url, run.workspace, development)}\n[integration] Ctrl+C stops it.`);
      await new Promise<void>((resolve) => (onInterrupt = resolve));
    }
    return status;
  } catch (error) {
    console.error(`[integration] ${error instanceof Error ? error.message : String(error)}`);
    if (userDataDir) console.log(`[integration] extension host log:\n${extensionHostLogTail(userDataDir)}`);
    if (serverOutput) console.log(`[integration] code-server output:\n${serverOutput.slice(-4000)}`);
    return report(undefined, exitCode);
  } finally {
    clearTimeout(hardStop);
    await cleanup();
  }
}

if (require.main === module) {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      console.log(`[integration] ${signal}: stopping`);
      onInterrupt();
    });
  }
  runIntegration(parseArgs(process.argv.slice(2))).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      console.log('integration: 0 passed, 1 failed');
      process.exit(1);
    },
  );
}
