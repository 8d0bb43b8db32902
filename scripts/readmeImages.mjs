#!/usr/bin/env node
// `npm run readme-images`: runs the integration suite's "README pictures" in a real VS Code against the emulator
// and copies what it shot (artifacts/screenshots/readme-*.png) to docs/images/, where the README shows them.
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDependencies, run } from './ensureDeps.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const shots = join(root, 'artifacts', 'screenshots');
const images = join(root, 'docs', 'images');

ensureDependencies(root);
for (const old of existsSync(shots) ? readdirSync(shots).filter((name) => /^readme-.*\.png$/.test(name)) : []) rmSync(join(shots, old));
const steps = [
  ['npx', ['tsc', '-p', '.']],
  ['node', ['esbuild.mjs']],
  ['node', [join('out', 'test', 'runner', 'runIntegration.js'), '--grep', 'README pictures']],
];
for (const [command, args] of steps) {
  if (run(command, args, { cwd: root }) !== 0) {
    console.error(`\n${command} ${args.join(' ')} failed: docs/images/ is unchanged.`);
    process.exit(1);
  }
}
const taken = readdirSync(shots).filter((name) => /^readme-.*\.png$/.test(name));
if (taken.length === 0) {
  console.error('The run took no README pictures: docs/images/ is unchanged.');
  process.exit(1);
}
mkdirSync(images, { recursive: true });
for (const name of taken) {
  const target = join(images, name.replace(/^readme-/, ''));
  copyFileSync(join(shots, name), target);
  console.log(`${target.slice(root.length + 1)}  ${(statSync(target).size / 1024).toFixed(0)} KiB`);
}
