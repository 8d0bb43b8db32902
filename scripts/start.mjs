#!/usr/bin/env node
// `npm start [-- --port 8080]`: builds the extension and opens it in a real VS Code 1.139.1 (code-server,
// installed on first use into ~/.cache/baseten-vscode) at http://127.0.0.1:8080, on the demo/ workspace.
// Without BASETEN_API_KEY in the environment it also starts the Baseten emulator and points the extension at it;
// with it, the extension talks to the real Baseten with that key. Runs until Ctrl+C.
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDependencies, run } from './ensureDeps.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const portAt = args.indexOf('--port');
const port = Number(portAt >= 0 ? args[portAt + 1] : process.env.PORT || 8080);
const EXTENSION_ID = 'baseten-community.baseten-vscode';

ensureDependencies(root);
console.log('> compile (tsc)');
if (run('npx', ['tsc', '-p', '.'], { cwd: root }) !== 0) console.warn('tsc reported errors; starting with what it emitted.');
console.log('> bundle (esbuild)');
if (run('node', ['esbuild.mjs'], { cwd: root }) !== 0) {
  console.error('The extension bundle (dist/extension.js) failed to build.');
  process.exit(1);
}

const require = createRequire(import.meta.url);
const server = require(join(root, 'out', 'test', 'runner', 'vscodeServer.js'));
const setup = require(join(root, 'out', 'test', 'runner', 'setup.js'));
const paths = server.ensureVsCodeServer();

const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
const tmp = mkdtempSync(join(tmpdir(), 'baseten-demo-'));
const userDataDir = join(tmp, 'user-data');
const extensionsDir = join(tmp, 'extensions');
const workspace = join(root, 'demo');
let emulator;
let codeServer;
let stopping = false;

async function stop(code) {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping…');
  await codeServer?.stop();
  await emulator?.close().catch(() => undefined);
  rmSync(tmp, { recursive: true, force: true });
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

try {
  // The repository is installed as an ordinary extension: <extensions-dir>/<id>-<version> links to it,
  // listed in the extensions manifest VS Code reads.
  mkdirSync(extensionsDir, { recursive: true });
  const folder = `${EXTENSION_ID}-${version}`;
  symlinkSync(root, join(extensionsDir, folder), 'dir');
  writeFileSync(join(extensionsDir, 'extensions.json'), JSON.stringify([{
    identifier: { id: EXTENSION_ID },
    version,
    location: { $mid: 1, scheme: 'file', path: join(extensionsDir, folder) },
    relativeLocation: folder,
    metadata: { installedTimestamp: Date.now(), source: 'resource' },
  }]));

  const env = {};
  let settings = { 'workbench.startupEditor': 'readme', 'git.openRepositoryInParentFolders': 'never', 'workbench.secondarySideBar.defaultVisibility': 'hidden', 'telemetry.telemetryLevel': 'off', 'chat.disableAIFeatures': true };
  if (process.env.BASETEN_API_KEY) {
    console.log('BASETEN_API_KEY is set: the extension uses the real Baseten with it (no emulator).');
  } else {
    emulator = await setup.startEmulatorFromOut({ port: 0, wakeDelayMs: 4000 });
    settings = { ...setup.emulatorSettings(emulator), ...settings };
    env.BASETEN_API_KEY = emulator.apiKey;
    console.log(`Baseten emulator at ${emulator.baseUrl} (demo key ${emulator.apiKey}; invoke-only key ${emulator.invokeOnlyApiKey}).`);
  }
  server.writeSettings(userDataDir, settings);

  codeServer = await server.startCodeServer(paths, {
    port,
    userDataDir,
    extensionsDir,
    folder: workspace,
    env,
    output: (text) => process.stdout.write(text.replace(/^(?=.)/gm, '[code-server] ')),
  });
  codeServer.child.on('exit', (code) => {
    if (!stopping) {
      console.error(`code-server exited (${code}).`);
      void stop(1);
    }
  });
  const url = server.workbenchUrl(codeServer.url, workspace);
  console.log(`\nVS Code ${server.VSCODE_VERSION} (code-server ${server.CODE_SERVER_VERSION}) with the Baseten extension:\n\n    ${url}\n\nOpen it in a browser and click the Baseten icon in the activity bar. Stop with Ctrl+C.`);
  if (!existsSync(join(root, 'dist', 'extension.js'))) console.warn('dist/extension.js is missing: the extension will not load.');
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  await stop(1);
}
