/**
 * What both integration runners (code-server + Chromium, and test-electron) prepare: the emulator, a fresh
 * user-data dir with settings pointing the extension at it, a workspace copied from demo/, the environment
 * the tests read (see test/integration/harness.ts), and the summary line `npm test` parses.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Emulator, EmulatorOptions } from '../../emulator';
import { writeSettings } from './vscodeServer';

/** The repository root (this file runs from out/test/runner). */
export const repoRoot = join(__dirname, '..', '..', '..');
export const screenshotsDir = join(repoRoot, 'artifacts', 'screenshots');
export const extensionTestsPath = join(repoRoot, 'out', 'test', 'integration', 'index.js');

export interface RunnerArgs {
  grep?: string;
  /** Start code-server without BASETEN_API_KEY. */
  noKey: boolean;
  /** Workspace trust on and the workspace untrusted (Restricted Mode), with a workspace settings file that points Baseten's hosts elsewhere. */
  untrusted: boolean;
  /** After the suite, keep VS Code and the emulator running (for a person to look) until Ctrl+C. */
  keepOpen: boolean;
  /** A .vsix to install into VS Code and test instead of the source folder (the smoke suite only). */
  installed?: string;
}

export function parseArgs(argv: string[]): RunnerArgs {
  const grepAt = argv.indexOf('--grep');
  const installedAt = argv.indexOf('--installed');
  return {
    grep: grepAt >= 0 ? argv[grepAt + 1] : undefined,
    noKey: argv.includes('--no-key'),
    untrusted: argv.includes('--untrusted'),
    keepOpen: argv.includes('--keep-open'),
    installed: installedAt >= 0 ? argv[installedAt + 1] : undefined,
  };
}

/** Same contract as test/integration/index.ts writes. */
export interface TestResults {
  passed: number;
  failed: number;
  pending: number;
  failures: Array<{ title: string; error: string }>;
  /** `performance.now()` around the first `extension.activate()` in the suite (loading the bundle included). */
  activationMs?: number;
  /** The time `activate()` itself reports. */
  activationInsideMs?: number;
  /** The same for an empty extension activated just before ours: VS Code's own share (the baseline). */
  activationBaselineMs?: number;
  /** Extension-host figures for the bench (test/integration/hostLoad.test.ts). */
  hostFigures?: { predict50MB?: { stallMs: number; heapMB: number; aloneStallMs: number; aloneHeapMB: number } };
}

/** The emulator signs its webhook deliveries with this; tests give it to the extension's receiver. */
export const EMULATOR_WEBHOOK_SECRET = 'whsec_BasetenEmulatorIntegrationSecret000000';

export function startEmulatorFromOut(options: EmulatorOptions): Promise<Emulator> {
  const entry = join(repoRoot, 'out', 'emulator', 'index.js');
  if (!existsSync(entry)) {
    throw new Error(`The Baseten emulator is not built: ${entry} is missing. Run \`npx tsc -p .\` (emulator/index.ts must export startEmulator).`);
  }
  // Loaded at run time so that the runner itself compiles and reports clearly while the emulator is missing.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require(entry) as { startEmulator?: (options: EmulatorOptions) => Promise<Emulator> };
  if (typeof module.startEmulator !== 'function') throw new Error(`${entry} does not export startEmulator()`);
  return module.startEmulator({ webhookSecret: EMULATOR_WEBHOOK_SECRET, ...options });
}

export interface PreparedRun {
  tmp: string;
  userDataDir: string;
  extensionsDir: string;
  workspace: string;
  resultsFile: string;
  /** Environment for VS Code (and so the extension host); undefined values are removed. */
  env: Record<string, string | undefined>;
}

/** Settings that point the extension at the emulator and keep the workbench quiet and offline. */
export function emulatorSettings(emulator: Emulator, untrusted = false): Record<string, unknown> {
  const settings: Record<string, unknown> = {
    'baseten.statusPollSeconds': 1,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'workbench.enableExperiments': false,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'chat.disableAIFeatures': true,
    // code-server runs the extension host as a remote one, whose port finder reads /proc and spawns `ps`
    // every few seconds; a desktop window's local host has none, and its stalls would land in the bench.
    'remote.autoForwardPorts': false,
    'remote.autoForwardPortsSource': 'output',
    // The test workspace is no git repository, so VS Code's git spawns `git rev-parse` for every visible
    // file editor each time the visible editors change; in a user's repository it finds the repository and
    // spawns nothing.
    'git.autoRepositoryDetection': 'subFolders',
    'security.workspace.trust.enabled': untrusted,
    // Restricted Mode without the startup dialog: the folder simply stays untrusted.
    ...(untrusted ? { 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'never' } : {}),
  };
  for (const [key, value] of Object.entries(emulator.endpoints)) settings[`baseten.endpoints.${key}`] = value;
  return settings;
}

/**
 * Two empty extensions beside ours: the harness activates `warmup` first (VS Code's first activation pays
 * one-time costs), then `baseline`, whose time is VS Code's own share of any activation, then ours.
 */
function installBaselineExtensions(extensionsDir: string): void {
  const fixture = join(repoRoot, 'test', 'fixtures', 'baseline-extension');
  const manifest = JSON.parse(readFileSync(join(fixture, 'package.json'), 'utf8')) as { name: string; publisher: string; version: string };
  for (const name of ['warmup', 'baseline']) {
    const folder = join(extensionsDir, `${manifest.publisher}.${name}-${manifest.version}`);
    cpSync(fixture, folder, { recursive: true });
    writeFileSync(join(folder, 'package.json'), JSON.stringify({ ...manifest, name }, null, 2));
  }
}

/**
 * What a hostile repository could commit: Baseten's hosts pointed at the emulator under /stolen (so any
 * request that went there is in the emulator's log), another auth scheme, and a proxy that refuses connections.
 */
export const STOLEN_PREFIX = '/stolen';

function writeUntrustedWorkspaceSettings(workspace: string, emulator: Emulator): void {
  const host = `${emulator.baseUrl}${STOLEN_PREFIX}`;
  const settings = {
    'baseten.endpoints.modelApisBaseUrl': `${host}/v1`,
    'baseten.endpoints.managementBaseUrl': `${host}/management/v1`,
    'baseten.endpoints.modelHostTemplate': `${host}/model-{id}`,
    'baseten.endpoints.chainHostTemplate': `${host}/chain-{id}`,
    'baseten.authScheme': 'Api-Key',
    'baseten.proxy': 'http://127.0.0.1:9',
  };
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
}

export function prepareRun(emulator: Emulator, args: RunnerArgs, screenshotUrl: string | undefined): PreparedRun {
  const tmp = mkdtempSync(join(tmpdir(), 'baseten-it-'));
  const run: PreparedRun = {
    tmp,
    userDataDir: join(tmp, 'user-data'),
    extensionsDir: join(tmp, 'extensions'),
    workspace: join(tmp, 'workspace'),
    resultsFile: join(tmp, 'results.json'),
    env: {},
  };
  mkdirSync(run.extensionsDir, { recursive: true });
  installBaselineExtensions(run.extensionsDir);
  mkdirSync(join(tmp, 'home'), { recursive: true });
  const demo = join(repoRoot, 'demo');
  if (existsSync(demo)) cpSync(demo, run.workspace, { recursive: true });
  else mkdirSync(run.workspace, { recursive: true });
  // A Truss project to deploy, watch and call, and a Chain to run (test/integration/truss.test.ts).
  for (const project of ['hello-truss', 'pipeline-chain']) cpSync(join(repoRoot, 'test', 'fixtures', 'truss', project), join(run.workspace, project), { recursive: true });
  writeSettings(run.userDataDir, emulatorSettings(emulator, args.untrusted));
  if (args.untrusted) writeUntrustedWorkspaceSettings(run.workspace, emulator);
  run.env = {
    // A private HOME: no ~/.trussrc or editor state of the person running the tests leaks in.
    HOME: join(tmp, 'home'),
    BASETEN_API_KEY: args.noKey ? undefined : emulator.apiKey,
    BASETEN_EMULATOR_URL: emulator.baseUrl,
    BASETEN_EMULATOR_ENDPOINTS: JSON.stringify(emulator.endpoints),
    BASETEN_EMULATOR_KEYS: JSON.stringify({ apiKey: emulator.apiKey, invokeOnlyApiKey: emulator.invokeOnlyApiKey }),
    BASETEN_TEST_RESULTS: run.resultsFile,
    BASETEN_TEST_GREP: args.grep,
    BASETEN_TEST_SCREENSHOT_URL: screenshotUrl,
    BASETEN_EMULATOR_WEBHOOK_SECRET: EMULATOR_WEBHOOK_SECRET,
    BASETEN_TEST_UNTRUSTED: args.untrusted ? '1' : undefined,
    BASETEN_TEST_INSTALLED: args.installed ? '1' : undefined,
  };
  return run;
}

export function readResults(resultsFile: string): TestResults | undefined {
  try {
    return JSON.parse(readFileSync(resultsFile, 'utf8')) as TestResults;
  } catch {
    return undefined;
  }
}

/** Prints the summary line `npm test` parses and returns the exit code. */
export function report(results: TestResults | undefined, exitCode: number | undefined): number {
  if (!results) {
    console.log('The integration suite wrote no results (it did not run to the end).');
    console.log('integration: 0 passed, 1 failed');
    return 1;
  }
  for (const failure of results.failures) console.log(`  ✗ ${failure.title}\n    ${failure.error.split('\n').join('\n    ')}`);
  if (results.activationMs !== undefined || results.activationInsideMs !== undefined) {
    const ms = (value: number | undefined): string => (value === undefined ? 'n/a' : `${value.toFixed(1)} ms`);
    console.log(`activation: ${ms(results.activationMs)} (extension.activate()), ${ms(results.activationInsideMs)} inside activate(), ${ms(results.activationBaselineMs)} for an empty extension`);
  }
  const predict = results.hostFigures?.predict50MB;
  if (predict) {
    console.log(`host predict 50 MB: ${predict.stallMs.toFixed(1)} ms stall, ${predict.heapMB.toFixed(1)} MB heap; client alone ${predict.aloneStallMs.toFixed(1)} ms stall, ${predict.aloneHeapMB.toFixed(1)} MB heap`);
  }
  const failed = results.failed + (results.failed === 0 && exitCode !== undefined && exitCode !== 0 ? 1 : 0);
  console.log(`integration: ${results.passed} passed, ${failed} failed${results.pending ? `, ${results.pending} pending` : ''}`);
  return failed ? 1 : 0;
}

export function removeQuietly(path: string): void {
  rmSync(path, { recursive: true, force: true, maxRetries: 3 });
}
