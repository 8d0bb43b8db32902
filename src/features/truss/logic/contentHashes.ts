/** Content hashes as Baseten's patch API expects them: blake3 of each file's bytes, lower-case hex, by path in the Truss. */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { blake3 } from '@noble/hashes/blake3.js';
import type { ProjectFile } from './projectFiles';

export function blake3Hex(bytes: Uint8Array): string {
  return Buffer.from(blake3(bytes)).toString('hex');
}

export interface HashedFiles {
  hashes: Record<string, string>;
  /** The bytes read, so a patch sends exactly what was hashed. */
  contents: Map<string, Buffer>;
}

export async function hashProjectFiles(root: string, files: readonly ProjectFile[]): Promise<HashedFiles> {
  const hashes: Record<string, string> = {};
  const contents = new Map<string, Buffer>();
  for (const file of files) {
    const bytes = await fs.readFile(path.join(root, file.path));
    hashes[file.path] = blake3Hex(bytes);
    contents.set(file.path, bytes);
  }
  return { hashes, contents };
}
