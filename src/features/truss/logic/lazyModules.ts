/**
 * The YAML parser and the tar archiver are loaded when a Truss is first checked or packaged, not with the
 * extension (the bundle keeps them in files of their own, like undici).
 */
type Yaml = typeof import('yaml');
type Tar = typeof import('tar');
let loadedYaml: Yaml | undefined;
let loadedTar: Tar | undefined;

export function yamlModule(): Yaml {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loadedYaml ??= require('yaml') as Yaml);
}

export function tarModule(): Tar {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loadedTar ??= require('tar') as Tar);
}
