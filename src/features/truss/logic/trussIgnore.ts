/**
 * Which files of a Truss go into its archive and its content hashes. Truss copies a project with gitignore-style
 * rules: a fixed list (below, the defaults Truss ships, mimicking common global gitignore settings) plus the
 * project's own `.truss_ignore`, if any. The same rules decide what Watch hashes and patches.
 */
import ignore, { Ignore } from 'ignore';

export const TRUSS_IGNORE_FILE = '.truss_ignore';

export const DEFAULT_TRUSS_IGNORE: readonly string[] = [
  '.git/',
  '.gitignore',
  '__pycache__/',
  '.pytest_cache/',
  'build/',
  'dist/',
  '*.egg-info/',
  '.venv/',
  'venv/',
  'node_modules/',
  '*.pyc',
  '*.pyo',
  // The editor's own files: saved requests and settings never belong in a deployment.
  '.baseten/',
  '.vscode/',
];

/** The rules for a project: the defaults, then its `.truss_ignore` text (comments and blank lines allowed). */
export function trussIgnoreRules(trussIgnoreText?: string): Ignore {
  const rules = ignore().add([...DEFAULT_TRUSS_IGNORE]);
  if (trussIgnoreText) rules.add(trussIgnoreText);
  return rules;
}

/** True when a path (relative to the Truss, `/`-separated; folders end with `/`) is left out. */
export function isIgnored(rules: Ignore, relativePath: string): boolean {
  return rules.ignores(relativePath);
}
