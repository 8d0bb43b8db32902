/**
 * Baseten's published reference for the emulator's conformance tests, as kept in test/fixtures: the
 * OpenAPI specs (validated with ajv) and the recorded traffic.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { OPENAPI_DIR } from './fixtures';
import { loadRecording } from './recordings';

export type SpecName = 'management' | 'inference';

/** Validates values against schemas of Baseten's OpenAPI 3.1 documents, `$ref`s resolved. */
export class SpecValidator {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor() {
    addFormats(this.ajv);
    // OpenAPI's own formats ajv does not know; they describe encodings, not constraints.
    for (const format of ['binary', 'byte', 'int32', 'int64', 'float', 'double', 'password']) this.ajv.addFormat(format, true);
    for (const name of ['management', 'inference'] as const) {
      const spec = JSON.parse(readFileSync(join(OPENAPI_DIR, `${name}.json`), 'utf8')) as Record<string, unknown>;
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
}

export interface Cassette {
  request: { method: string; url: string; body: string };
  response: { code: number; headers: Record<string, string[]>; body: string };
}

/** The exchanges of one recording; `name` is relative to the recordings folder (`TestClient/Warmup.json`). */
export function loadCassette(name: string): Cassette[] {
  return loadRecording(name).interactions;
}

/** The `data:` payloads of an SSE body. */
export function ssePayloads(body: string): string[] {
  return body
    .split('\n\n')
    .filter((event) => event.trim() !== '')
    .map((event) => event.replace(/^data: ?/, ''));
}
