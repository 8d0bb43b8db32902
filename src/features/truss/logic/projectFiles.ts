/**
 * The files of a Truss project as Truss packages them: every regular file under its folder, minus the ignore
 * rules, as `/`-separated paths relative to the folder, sorted (archives and hashes come out the same each time).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { TRUSS_IGNORE_FILE, isIgnored, trussIgnoreRules } from './trussIgnore';

/** Archives above this are refused before any upload: Truss projects carry code, weights come from elsewhere. */
export const MAX_PROJECT_BYTES = 90 * 1024 * 1024;

export interface ProjectFile {
  path: string;
  bytes: number;
}

export async function readTrussIgnore(root: string): Promise<string | undefined> {
  try {
    return await fs.readFile(path.join(root, TRUSS_IGNORE_FILE), 'utf8');
  } catch {
    return undefined;
  }
}

export async function listProjectFiles(root: string): Promise<ProjectFile[]> {
  const rules = trussIgnoreRules(await readTrussIgnore(root));
  const files: ProjectFile[] = [];
  const walk = async (relativeDir: string): Promise<void> => {
    const entries = await fs.readdir(path.join(root, relativeDir), { withFileTypes: true });
    for (const entry of entries) {
      const relative = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!isIgnored(rules, `${relative}/`)) await walk(relative);
      } else if (entry.isFile() && !isIgnored(rules, relative)) {
        files.push({ path: relative, bytes: (await fs.stat(path.join(root, relative))).size });
      }
    }
  };
  await walk('');
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
