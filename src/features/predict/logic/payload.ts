/**
 * The body of a predict, from editor text: the text itself when it is JSON, otherwise the text wrapped by an
 * input template such as `{"prompt": "${selection}"}`. Plain Node: no editor APIs.
 */

export const DEFAULT_INPUT_TEMPLATE = '{"prompt": "${selection}"}';
const PLACEHOLDER = '${selection}';

export interface JsonErrorPosition {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units as editors count them. */
  column: number;
  offset: number;
}

export type PayloadResult =
  | { ok: true; value: unknown; wrapped: boolean }
  | { ok: false; message: string; position?: JsonErrorPosition; source: 'text' | 'template' };

export interface PayloadOptions {
  /** The input template; `${selection}` is replaced by the text, escaped for a JSON string. */
  template?: string;
  /** True when the text comes from a `.json` file (or a JSON editor): it must parse, it is never wrapped. */
  isJsonFile?: boolean;
}

/** Text that a person meant as JSON: an object or an array. A bare word or sentence is a prompt. */
export function looksLikeJson(text: string): boolean {
  const trimmed = text.trim();
  if ((trimmed.startsWith('{') && trimmed.endsWith('}')) || (trimmed.startsWith('[') && trimmed.endsWith(']'))) return true;
  // An unfinished object or array is still JSON gone wrong, not a prompt: `{"a": 1` must not be sent wrapped.
  return /^\{\s*["}]/.test(trimmed) || /^\[\s*([{"\d\]-]|true|false|null)/.test(trimmed);
}

export function buildPayload(text: string, options: PayloadOptions = {}): PayloadResult {
  if (options.isJsonFile || looksLikeJson(text)) {
    const parsed = parseJson(text);
    if (parsed.ok) return { ok: true, value: parsed.value, wrapped: false };
    return { ok: false, message: `The input is not valid JSON: ${parsed.message}`, position: parsed.position, source: 'text' };
  }
  return applyTemplate(options.template ?? DEFAULT_INPUT_TEMPLATE, text);
}

/** Puts the text into the template (JSON-escaped) and parses the result. */
export function applyTemplate(template: string, text: string): PayloadResult {
  const escaped = JSON.stringify(text).slice(1, -1);
  const filled = template.split(PLACEHOLDER).join(escaped);
  const parsed = parseJson(filled);
  if (parsed.ok) return { ok: true, value: parsed.value, wrapped: true };
  const hint = template.includes(PLACEHOLDER) ? '' : ` (it has no ${PLACEHOLDER})`;
  return { ok: false, message: `The input template ${template} does not make valid JSON${hint}: ${parsed.message}`, source: 'template' };
}

export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string; position: JsonErrorPosition } {
  if (!text.trim()) return { ok: false, message: 'the input is empty', position: positionAt(text, 0) };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const raw = (error as Error).message;
    const position = jsonErrorPosition(text, raw);
    // V8's message quotes the text near the error; the position says where, shorter and without the user's data.
    const reason = raw.replace(/\s*\(line \d+ column \d+\)/, '').replace(/\s+in JSON at position \d+.*$/, '').replace(/, "[\s\S]*" is not valid JSON$/, '');
    return { ok: false, message: `${reason} at line ${position.line}, column ${position.column}`, position };
  }
}

/**
 * Where `JSON.parse` stopped. Node 20 says "at position N", newer V8 adds "(line L column C)", and the end of
 * the input has neither.
 */
export function jsonErrorPosition(text: string, message: string): JsonErrorPosition {
  const lineColumn = /\(line (\d+) column (\d+)\)/.exec(message);
  if (lineColumn) {
    const line = Number(lineColumn[1]);
    const column = Number(lineColumn[2]);
    return { line, column, offset: offsetOf(text, line, column) };
  }
  const at = /at position (\d+)/.exec(message);
  if (at) return positionAt(text, Math.min(Number(at[1]), text.length));
  return positionAt(text, text.length);
}

export function positionAt(text: string, offset: number): JsonErrorPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1, offset };
}

function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let current = 1; current < line; current++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) break;
    offset = next + 1;
  }
  return Math.min(offset + column - 1, text.length);
}
