#!/usr/bin/env node
// `npm run package`: a production build (minified, no source maps), then the .vsix with @vscode/vsce. Only what
// `.vscodeignore` lets through ships; nothing of node_modules (the bundles carry their dependencies).
import { readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { ensureDependencies, run } from './ensureDeps.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
ensureDependencies(root);
const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = join(root, `${name}-${version}.vsix`);
// A development build leaves source maps beside the bundles: they must not ship.
for (const dir of ['dist', join('media', 'dist')]) rmSync(join(root, dir), { recursive: true, force: true });
if (run('node', ['esbuild.mjs', '--production'], { cwd: root }) !== 0) process.exit(1);
const vsce = join(root, 'node_modules', '.bin', 'vsce');
if (run(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out], { cwd: root }) !== 0) process.exit(1);
const files = execFileSync(vsce, ['ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' }).trim().split('\n');
console.log(`\n${out}: ${(statSync(out).size / 1024).toFixed(0)} KiB, ${files.length} files`);
for (const file of files) console.log(`  ${file}`);
