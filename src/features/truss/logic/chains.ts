/**
 * A Chain in the workspace: a Python file with a chainlet marked `@chains.mark_entrypoint`. Its name on
 * Baseten is the name given to the marker (`@chains.mark_entrypoint("name")`), else the entrypoint class's,
 * as `truss chains push` names it without `--name`.
 */
export interface ChainSource {
  /** The entrypoint chainlet's class. */
  className: string;
  name: string;
  /** Zero-based line of the entrypoint's `def run_remote`, if it has one. */
  runRemoteLine?: number;
}

export function findChainEntrypoint(source: string): ChainSource | undefined {
  const lines = source.split(/\r?\n/);
  const marker = lines.findIndex((line) => /^\s*@(?:\w+\.)?mark_entrypoint\b/.test(line));
  if (marker < 0) return undefined;
  const named = /mark_entrypoint\(\s*(?:name\s*=\s*)?["']([^"']+)["']/.exec(lines[marker]);
  let classLine = -1;
  let className = '';
  for (let i = marker + 1; i < lines.length && classLine < 0; i++) {
    const match = /^class\s+([A-Za-z_]\w*)/.exec(lines[i]);
    if (match) {
      classLine = i;
      className = match[1];
    } else if (lines[i].trim() && !lines[i].trim().startsWith('@') && !lines[i].trim().startsWith('#')) return undefined;
  }
  if (classLine < 0) return undefined;
  let runRemoteLine: number | undefined;
  for (let i = classLine + 1; i < lines.length; i++) {
    if (/^\S/.test(lines[i]) && lines[i].trim()) break;
    if (/^\s+(async\s+)?def\s+run_remote\s*\(/.test(lines[i])) {
      runRemoteLine = i;
      break;
    }
  }
  return { className, name: named?.[1] ?? className, runRemoteLine };
}
