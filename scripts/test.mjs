#!/usr/bin/env node
// `npm test`: installs what is missing, builds, lints, runs the plain-Node suites in-process and the
// integration suite inside a real VS Code, then prints one line `N passed, N failed` for all of them.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDependencies, run } from './ensureDeps.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const only = args.includes('--unit') ? 'unit' : args.includes('--integration') ? 'integration' : 'all';
const grepIndex = args.indexOf('--grep');
const grep = grepIndex >= 0 ? args[grepIndex + 1] : undefined;

const totals = { passed: 0, failed: 0, pending: 0 };
const failures = [];
const failedTitles = [];

function count(suite, passed, failed, pending = 0) {
  totals.passed += passed;
  totals.failed += failed;
  totals.pending += pending;
  if (failed) failures.push(`${suite}: ${failed} failed`);
}

function step(name, command, commandArgs) {
  console.log(`\n> ${name}`);
  const status = run(command, commandArgs, { cwd: root });
  // A build step that fails counts as one failure; a passing one is not a test.
  if (status !== 0) count(name, 0, 1);
  return status === 0;
}

function findTests(dir) {
  const files = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...findTests(path));
    else if (entry.name.endsWith('.test.js')) files.push(path);
  }
  return files.sort();
}

async function unitSuite() {
  const require = createRequire(import.meta.url);
  const Mocha = require('mocha');
  const mocha = new Mocha({ timeout: 20_000, reporter: 'spec', grep });
  for (const file of findTests(join(root, 'out', 'test', 'unit'))) mocha.addFile(file);
  let unhandled = 0;
  const onUnhandled = (reason) => {
    unhandled++;
    console.error('Unhandled rejection during the unit suite:', reason);
  };
  process.on('unhandledRejection', onUnhandled);
  const stats = await new Promise((resolve) => {
    const runner = mocha.run(() => resolve(runner.stats));
    runner.on('fail', (test) => failedTitles.push(`unit: ${test.fullTitle()}`));
  });
  process.off('unhandledRejection', onUnhandled);
  count('unit', stats.passes, stats.failures + unhandled, stats.pending);
  console.log(`unit: ${stats.passes} passed, ${stats.failures} failed${unhandled ? `, ${unhandled} unhandled rejections` : ''}`);
}

/** One run of VS Code: `name` labels its counts; `extra` are runner flags (`--untrusted`: the Restricted Mode pass). */
function integrationSuite(name = 'integration', extra = []) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'out', 'test', 'runner', 'runIntegration.js'), ...extra, ...(grep ? ['--grep', grep] : [])], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (data) => {
      process.stdout.write(data);
      output += String(data);
    });
    child.on('close', (code) => {
      const match = /integration: (\d+) passed, (\d+) failed/.exec(output);
      const summary = match && { passed: Number(match[1]), failed: Number(match[2]) };
      if (summary) count(name, summary.passed, summary.failed + (code !== 0 && summary.failed === 0 ? 1 : 0));
      else count(name, 0, 1);
      // The runner prints each failed test as `  ✗ title`; name them in the final lines CI keeps.
      for (const line of output.split('\n')) if (line.startsWith('  ✗ ')) failedTitles.push(`${name}: ${line.slice(4)}`);
      resolve();
    });
  });
}

async function main() {
  ensureDependencies(root);
  // tsc never removes the output of deleted sources; a stale test file would still run.
  rmSync(join(root, 'out'), { recursive: true, force: true });
  const built =
    step('compile (tsc)', 'npx', ['tsc', '-p', '.']) &&
    step('type-check webviews (tsc)', 'npx', ['tsc', '-p', 'tsconfig.webview.json']) &&
    step('bundle (esbuild)', 'node', ['esbuild.mjs']);
  step('lint (eslint)', 'npx', ['eslint', '.']);
  if (built) {
    if (only !== 'integration') await unitSuite();
    if (only !== 'unit') {
      await integrationSuite();
      // A second, short VS Code run with workspace trust on and the folder untrusted.
      await integrationSuite('integration (Restricted Mode)', ['--untrusted']);
      // What users install: the production .vsix, installed into VS Code, its smoke suite run against that copy.
      const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
      if (step('package (.vsix)', 'node', [join('scripts', 'package.mjs')])) {
        await integrationSuite('integration (installed .vsix)', ['--installed', join(root, `${name}-${version}.vsix`)]);
      }
    }
  }
  if (failures.length) console.log(`\nFailures: ${failures.join('; ')}`);
  for (const title of failedTitles) console.log(`  ✗ ${title}`);
  console.log(`\n${totals.passed} passed, ${totals.failed} failed${totals.pending ? `, ${totals.pending} skipped` : ''}`);
  process.exitCode = totals.failed ? 1 : 0;
}

main().catch((error) => {
  console.error(error);
  console.log(`\n${totals.passed} passed, ${totals.failed + 1} failed`);
  process.exit(1);
});
