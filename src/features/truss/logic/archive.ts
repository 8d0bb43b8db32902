/** The `.tgz` Baseten builds from: the project's files (after the ignore rules) at the archive's root, as `truss push` uploads it. */
import { tarModule } from './lazyModules';
import type { ProjectFile } from './projectFiles';

export async function buildArchive(root: string, files: readonly ProjectFile[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  // portable: no owner, group or device fields from this machine in the archive.
  const stream = tarModule().create({ gzip: true, cwd: root, portable: true }, files.map((file) => file.path));
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}
