// Installs the project's npm dependencies when they are missing or were installed from another
// package-lock.json, so that `npm test` and `npm start` work on a fresh clone without a separate install step.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// What the last install here was made from. Compared by content: a checkout or a worktree gives the lock file
// a new modification time without changing what it pins.
const STAMP = '.baseten-lock-hash';

function lockHash(lock) {
  return existsSync(lock) ? createHash('sha256').update(readFileSync(lock)).digest('hex') : 'no-lock';
}

function isFresh(root, lock) {
  const modules = join(root, 'node_modules');
  const stamp = join(modules, STAMP);
  if (existsSync(stamp)) return readFileSync(stamp, 'utf8').trim() === lockHash(lock);
  // Installed by hand (npm's own record), before this stamp existed.
  const marker = join(modules, '.package-lock.json');
  return existsSync(marker) && (!existsSync(lock) || statSync(marker).mtimeMs >= statSync(lock).mtimeMs);
}

export function ensureDependencies(root) {
  const lock = join(root, 'package-lock.json');
  if (isFresh(root, lock)) return;
  const modules = join(root, 'node_modules');
  if (existsSync(modules) && lstatSync(modules).isSymbolicLink()) {
    // `npm ci` would empty the folder the link points to, which another checkout is using.
    throw new Error('node_modules is a link to another checkout whose install does not match this package-lock.json; install there first.');
  }
  console.log('Installing npm dependencies (npm ci)…');
  const result = spawnSync('npm', [existsSync(lock) ? 'ci' : 'install', '--no-audit', '--no-fund'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    throw new Error(`npm ci failed with exit code ${result.status}`);
  }
  writeFileSync(join(modules, STAMP), `${lockHash(lock)}\n`);
}

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  return result.status ?? 1;
}
