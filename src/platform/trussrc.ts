import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** truss keeps its key in an INI file, `~/.trussrc` (or `$USER_TRUSSRC_PATH`), section `[baseten]`. */
export function trussrcPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.USER_TRUSSRC_PATH?.trim() || path.join(os.homedir(), '.trussrc');
}

/** A key file is a few lines; anything bigger is not one, and is not read. */
const MAX_TRUSSRC_BYTES = 64 * 1024;

/**
 * The `api_key` of the `[baseten]` section, read as truss reads it (Python's `configparser` with its
 * defaults): option names in any case, `=` or `:`, whole-line `#`/`;` comments (indented too), a value that
 * goes on over indented lines, `[DEFAULT]` as the fallback section. Section names keep their case, and a
 * `;` after a value is part of it, as in configparser. Quotes around the value are dropped (truss would send
 * them, and fail).
 */
export function parseTrussrcApiKey(text: string): string | undefined {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  let lastKey: string | undefined;
  for (const rawLine of text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)) {
    const line = rawLine.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    if (/^\s/.test(rawLine) && current && lastKey !== undefined) {
      current.set(lastKey, `${current.get(lastKey)}\n${line}`);
      continue;
    }
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      const name = header[1];
      current = sections.get(name) ?? new Map();
      sections.set(name, current);
      lastKey = undefined;
      continue;
    }
    const pair = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
    if (!pair || !current) continue;
    lastKey = pair[1].toLowerCase();
    current.set(lastKey, pair[2]);
  }
  const value = (sections.get('baseten')?.get('api_key') ?? sections.get('DEFAULT')?.get('api_key'))?.trim().replace(/^(['"])(.*)\1$/, '$2');
  return value || undefined;
}

export async function readTrussrcApiKey(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  try {
    const file = trussrcPath(env);
    if ((await fs.stat(file)).size > MAX_TRUSSRC_BYTES) return undefined;
    return parseTrussrcApiKey(await fs.readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
}
