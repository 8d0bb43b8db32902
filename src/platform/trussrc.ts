import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** truss keeps its key in an INI file, `~/.trussrc` (or `$USER_TRUSSRC_PATH`), section `[baseten]`. */
export function trussrcPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.USER_TRUSSRC_PATH?.trim() || path.join(os.homedir(), '.trussrc');
}

/** The `api_key` of the `[baseten]` section, or undefined when the file or the key is missing. */
export function parseTrussrcApiKey(text: string): string | undefined {
  let section = '';
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = header[1].trim();
      continue;
    }
    if (section !== 'baseten') continue;
    const pair = /^api_key\s*[=:]\s*(.*)$/.exec(line);
    if (pair) {
      const value = pair[1].trim().replace(/^(['"])(.*)\1$/, '$2');
      return value || undefined;
    }
  }
  return undefined;
}

export async function readTrussrcApiKey(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  try {
    return parseTrussrcApiKey(await fs.readFile(trussrcPath(env), 'utf8'));
  } catch {
    return undefined;
  }
}
