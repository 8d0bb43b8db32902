#!/usr/bin/env node
// `npm run bench [chat|ttft|predict|large|websocket|predictui|bundle|chatpanel|chatrender|logs|activation|hostpredict|async|catalog]`: builds, then runs the benchmarks.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDependencies, run } from './ensureDeps.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
ensureDependencies(root);
if (run('npx', ['tsc', '-p', '.'], { cwd: root }) !== 0 || run('node', ['esbuild.mjs', '--production'], { cwd: root }) !== 0) process.exit(1);
process.exit(run(process.execPath, ['--expose-gc', join(root, 'out', 'bench', 'run.js'), ...process.argv.slice(2)], { cwd: root }));
