/** Reads an uploaded Truss archive (`.tgz`) into its files, by `/`-separated path; refuses paths that leave the archive. */
import { Parser } from 'tar';
import type { ReadEntry } from 'tar';

export const MAX_ARCHIVE_FILES = 5000;

export function readArchive(archive: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    const files = new Map<string, Buffer>();
    let failure: Error | undefined;
    const parser = new Parser({
      strict: true,
      onReadEntry: (entry: ReadEntry) => {
        const path = entry.path.replace(/^\.\//, '');
        if (entry.type !== 'File') return entry.resume();
        if (path.startsWith('/') || path.split('/').includes('..')) failure ??= new Error(`the archive holds a path outside the Truss: ${path}`);
        if (files.size >= MAX_ARCHIVE_FILES) failure ??= new Error(`the archive holds more than ${MAX_ARCHIVE_FILES} files`);
        const chunks: Buffer[] = [];
        entry.on('data', (chunk: Buffer) => chunks.push(chunk));
        entry.on('end', () => files.set(path, Buffer.concat(chunks)));
      },
    });
    parser.on('error', (error: Error) => reject(error));
    parser.on('end', () => (failure ? reject(failure) : resolve(files)));
    parser.end(archive);
  });
}
