/**
 * Baseten's published reference for the emulator's conformance tests: the OpenAPI specs (validated with
 * ajv) and the recorded traffic (go-vcr cassettes). Found in `BASETEN_API_REFERENCE_DIR`, or in the first
 * `shared/baseten-api` or `test/fixtures/baseten-api` walking up from the working directory and from here.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse as parseYaml } from 'yaml';

const CANDIDATES = [join('shared', 'baseten-api'), join('test', 'fixtures', 'baseten-api')];

function walkUp(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    for (const candidate of CANDIDATES) {
      const path = join(dir, candidate);
      if (existsSync(join(path, 'openapi')) && statSync(path).isDirectory()) return path;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function findReferenceDir(): string | undefined {
  const fromEnv = process.env.BASETEN_API_REFERENCE_DIR;
  if (fromEnv && existsSync(join(fromEnv, 'openapi'))) return resolve(fromEnv);
  return walkUp(process.cwd()) ?? walkUp(__dirname);
}

export type SpecName = 'management' | 'inference';

/** Validates values against schemas of Baseten's OpenAPI 3.1 documents, `$ref`s resolved. */
export class SpecValidator {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly dir: string) {
    addFormats(this.ajv);
    // OpenAPI's own formats ajv does not know; they describe encodings, not constraints.
    for (const format of ['binary', 'byte', 'int32', 'int64', 'float', 'double', 'password']) this.ajv.addFormat(format, true);
    for (const name of ['management', 'inference'] as const) {
      const spec = JSON.parse(readFileSync(join(dir, 'openapi', `${name}.json`), 'utf8')) as Record<string, unknown>;
      this.ajv.addSchema({ ...spec, $id: this.id(name) });
    }
  }

  private id(name: SpecName): string {
    return `https://emulator.test/${name}.json`;
  }

  /** `schema` is a component name (`ModelV1`) or a JSON pointer into the document (`#/components/…`). */
  errors(spec: SpecName, schema: string, value: unknown): string[] {
    const pointer = schema.startsWith('#') ? schema : `#/components/schemas/${schema}`;
    const key = `${spec}${pointer}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `${this.id(spec)}${pointer}` });
      this.compiled.set(key, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
  }

  /** A JSON body of an inline response schema, e.g. `AsyncPredictOutput`. */
  responseErrors(spec: SpecName, response: string, value: unknown): string[] {
    return this.errors(spec, `#/components/responses/${response}/content/application~1json/schema`, value);
  }

  get reference(): string {
    return this.dir;
  }
}

export interface Cassette {
  request: { method: string; url: string; body: string };
  response: { code: number; headers: Record<string, string[]>; body: string };
}

export function loadCassette(dir: string, relative: string): Cassette[] {
  const document = parseYaml(readFileSync(join(dir, 'recordings', relative), 'utf8')) as { interactions: Array<Record<string, Record<string, unknown>>> };
  return document.interactions.map((interaction) => ({
    request: {
      method: String(interaction.request.method),
      url: String(interaction.request.url),
      body: String(interaction.request.body ?? ''),
    },
    response: {
      code: Number(interaction.response.code),
      headers: (interaction.response.headers ?? {}) as Record<string, string[]>,
      body: String(interaction.response.body ?? ''),
    },
  }));
}

/** The `data:` payloads of an SSE body. */
export function ssePayloads(body: string): string[] {
  return body
    .split('\n\n')
    .filter((event) => event.trim() !== '')
    .map((event) => event.replace(/^data: ?/, ''));
}
