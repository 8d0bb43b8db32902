/**
 * Builds a JSON value that satisfies a JSON Schema: the arguments of an emulated tool call and the
 * content of a `json_schema` answer. Numbers and names mentioned in the user's message are used where
 * the schema asks for numbers and strings, so "square root of 132413" gives `{"number": 132413}`.
 */

type Schema = Record<string, unknown>;

export interface SampleHints {
  /** Numbers from the user's text, used in order. */
  numbers: number[];
  /** Quoted text or proper names from the user's text. */
  strings: string[];
}

export function hintsFrom(text: string): SampleHints {
  const numbers = [...text.matchAll(/-?\d+(?:\.\d+)?/g)].map((match) => Number(match[0]));
  const quoted = [...text.matchAll(/["“']([^"”']{1,80})["”']/g)].map((match) => match[1]);
  const names = [...text.matchAll(/(?<![.!?]\s|^)\b([A-Z][a-zA-Z]+(?:\s[A-Z][a-zA-Z]+)*)/g)].map((match) => match[1]);
  return { numbers, strings: [...quoted, ...names] };
}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function resolveRef(ref: string, root: Schema): Schema {
  if (!ref.startsWith('#')) return {};
  let node: unknown = root;
  for (const raw of ref.slice(1).split('/').filter(Boolean)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = isSchema(node) ? node[key] : undefined;
  }
  return isSchema(node) ? node : {};
}

function firstType(schema: Schema): string | undefined {
  const type = schema.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return (type.find((candidate) => candidate !== 'null') ?? type[0]) as string | undefined;
  if (isSchema(schema.properties)) return 'object';
  if (schema.items !== undefined || schema.prefixItems !== undefined) return 'array';
  return undefined;
}

function sampleString(schema: Schema, hints: SampleHints, name: string | undefined): string {
  switch (schema.format) {
    case 'date-time':
      return '2026-01-01T00:00:00Z';
    case 'date':
      return '2026-01-01';
    case 'time':
      return '12:00:00';
    case 'email':
      return 'demo@example.com';
    case 'uri':
    case 'url':
      return 'https://example.com';
    case 'uuid':
      return '00000000-0000-4000-8000-000000000000';
  }
  let value = hints.strings.shift() ?? (name ? `example ${name.replace(/_/g, ' ')}` : 'example');
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Number.POSITIVE_INFINITY;
  if (value.length < min) value = value.padEnd(min, 'x');
  if (value.length > max) value = value.slice(0, max);
  return value;
}

function sampleNumber(schema: Schema, hints: SampleHints, integer: boolean): number {
  let min = typeof schema.minimum === 'number' ? schema.minimum : Number.NEGATIVE_INFINITY;
  let max = typeof schema.maximum === 'number' ? schema.maximum : Number.POSITIVE_INFINITY;
  if (typeof schema.exclusiveMinimum === 'number') min = Math.max(min, schema.exclusiveMinimum + (integer ? 1 : 1e-6));
  if (typeof schema.exclusiveMaximum === 'number') max = Math.min(max, schema.exclusiveMaximum - (integer ? 1 : 1e-6));
  let value = hints.numbers.shift() ?? (Number.isFinite(min) ? min : 42);
  value = Math.min(Math.max(value, min), max);
  if (integer) value = Math.round(value);
  if (typeof schema.multipleOf === 'number' && schema.multipleOf > 0) value = Math.round(value / schema.multipleOf) * schema.multipleOf;
  return value;
}

function merged(all: unknown[], root: Schema): Schema {
  const out: Schema = { type: 'object', properties: {}, required: [] };
  for (const part of all) {
    const schema = isSchema(part) && typeof part.$ref === 'string' ? resolveRef(part.$ref, root) : part;
    if (!isSchema(schema)) continue;
    Object.assign(out.properties as Schema, isSchema(schema.properties) ? schema.properties : {});
    (out.required as unknown[]).push(...(Array.isArray(schema.required) ? schema.required : []));
    if (schema.type !== undefined) out.type = schema.type;
  }
  return out;
}

/** A value valid against `schema`; `root` resolves local `$ref`s. */
export function sampleJson(schema: unknown, hints: SampleHints, root: Schema = isSchema(schema) ? schema : {}, name?: string, depth = 0): unknown {
  if (!isSchema(schema) || depth > 12) return name ? `example ${name}` : 'example';
  if (typeof schema.$ref === 'string') return sampleJson(resolveRef(schema.$ref, root), hints, root, name, depth + 1);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options) && options.length > 0) {
      const choice = options.find((option) => !(isSchema(option) && option.type === 'null')) ?? options[0];
      return sampleJson(choice, hints, root, name, depth + 1);
    }
  }
  if (Array.isArray(schema.allOf)) return sampleJson(merged(schema.allOf, root), hints, root, name, depth + 1);
  switch (firstType(schema)) {
    case 'object': {
      const properties = isSchema(schema.properties) ? schema.properties : {};
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(properties)) out[key] = sampleJson(child, hints, root, key, depth + 1);
      for (const key of Array.isArray(schema.required) ? schema.required : []) {
        if (typeof key === 'string' && !(key in out)) out[key] = sampleString({}, hints, key);
      }
      return out;
    }
    case 'array': {
      if (Array.isArray(schema.prefixItems)) return schema.prefixItems.map((item) => sampleJson(item, hints, root, name, depth + 1));
      const min = typeof schema.minItems === 'number' ? schema.minItems : 1;
      const max = typeof schema.maxItems === 'number' ? schema.maxItems : Math.max(min, 1);
      const length = Math.min(Math.max(min, 1), max);
      return Array.from({ length }, () => sampleJson(schema.items ?? {}, hints, root, name, depth + 1));
    }
    case 'integer':
      return sampleNumber(schema, hints, true);
    case 'number':
      return sampleNumber(schema, hints, false);
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return sampleString(schema, hints, name);
  }
}

/** JSON as Python's `json.dumps` writes it (what most engines emit): `{"a": 1, "b": [1, 2]}`, ASCII only. */
export function pythonJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value ?? null);
    return typeof value === 'string' ? text.replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`) : text;
  }
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([key, child]) => `${pythonJson(key)}: ${pythonJson(child)}`)
    .join(', ')}}`;
}
