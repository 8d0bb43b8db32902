/**
 * Entry point VS Code loads in the extension host (`extensionTestsPath`): runs mocha over every
 * out/test/integration/**\/*.test.js, honouring BASETEN_TEST_GREP, and writes the results to BASETEN_TEST_RESULTS.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { activationTiming, emulatorEndpoints, hostFigures, screenshot } from './harness';

function findTests(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? findTests(join(dir, entry.name)) : entry.name.endsWith('.test.js') ? [join(dir, entry.name)] : []))
    .sort();
}

/**
 * Waits (at most 5 s) until the extension host's event loop is quiet: at startup the built-in extensions
 * (git, TypeScript) activate in the same host, and the first activation measured would include their work.
 */
async function quietHost(): Promise<void> {
  const deadline = Date.now() + 5000;
  let quietTicks = 0;
  while (quietTicks < 5 && Date.now() < deadline) {
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 100));
    quietTicks = performance.now() - started < 115 ? quietTicks + 1 : 0;
  }
}

export async function run(): Promise<void> {
  await quietHost();
  const failures: Array<{ title: string; error: string }> = [];
  // The endpoint settings are machine-scoped: check that they reached this extension host before anything else.
  const configured = vscode.workspace.getConfiguration('baseten').get<string>('endpoints.managementBaseUrl');
  const expected = process.env.BASETEN_EMULATOR_ENDPOINTS ? emulatorEndpoints().managementBaseUrl : undefined;
  if (expected && configured !== expected) {
    failures.push({ title: 'harness: endpoint settings', error: `baseten.endpoints.managementBaseUrl is ${configured}, expected the emulator's ${expected}` });
  }
  console.log(`VS Code ${vscode.version}, Node ${process.versions.node}; baseten.endpoints.managementBaseUrl = ${configured}`);

  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec', grep: process.env.BASETEN_TEST_GREP || undefined });
  // The Restricted Mode suite needs a VS Code started untrusted (the runner's --untrusted pass), the installed-package
  // suite one with the .vsix installed (--installed); each runs only there, and the rest only in the main pass.
  const pass = process.env.BASETEN_TEST_UNTRUSTED ? /restrictedMode\.test\.js$/ : process.env.BASETEN_TEST_INSTALLED ? /installed\.test\.js$/ : undefined;
  for (const file of findTests(__dirname)) {
    if (pass ? pass.test(file) : !/(restrictedMode|installed)\.test\.js$/.test(file)) mocha.addFile(file);
  }
  const stats = await new Promise<Mocha.Stats>((resolve, reject) => {
    try {
      const runner = mocha.run(() => resolve(runner.stats ?? { passes: 0, failures: 0, pending: 0 } as Mocha.Stats));
      runner.on('fail', (test, error: Error) => failures.push({ title: test.fullTitle(), error: error.stack ?? String(error) }));
    } catch (error) {
      reject(error);
    }
  });
  // The final look of the workbench, while the extension host still runs (the runner takes one itself otherwise).
  await screenshot('workbench').catch((error: unknown) => console.error(`final screenshot failed: ${String(error)}`));
  // Every mocha failure (tests and hooks) is in `failures`, plus the harness check above.
  const failed = Math.max(failures.length, stats.failures);
  const results = { passed: stats.passes, failed, pending: stats.pending, failures, activationMs: activationTiming.wallMs, activationInsideMs: activationTiming.insideMs, activationBaselineMs: activationTiming.baselineMs, hostFigures };
  if (process.env.BASETEN_TEST_RESULTS) writeFileSync(process.env.BASETEN_TEST_RESULTS, JSON.stringify(results, null, 2));
  if (failed) throw new Error(`${failed} integration test(s) failed`);
}
