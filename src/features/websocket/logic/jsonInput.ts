/** JSON typed by the user, checked before sending: an error says where it is (line, column, offset). */
import { JsonScanner, JsonToken } from '../../../client/jsonScanner';

export type JsonInput =
  | { ok: true; value: unknown; text: string }
  | { ok: false; message: string; position: number; line: number; column: number };

/** Line and column (both from 1) of an offset in `text`. */
export function lineAndColumn(text: string, position: number): { line: number; column: number } {
  const lines = text.slice(0, position).split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

/**
 * Offset of the first character that makes `text` invalid JSON, or -1 when it is valid. V8 gives the
 * position for some errors only ("Unexpected token '}', … is not valid JSON" has none), so it is found here.
 */
export function jsonErrorOffset(text: string): number {
  const scanner = new JsonScanner(text);
  for (;;) {
    const token = scanner.next();
    if (token === JsonToken.End) return -1;
    if (token === JsonToken.Error) return scanner.errorOffset;
  }
}

export function parseJsonInput(text: string): JsonInput {
  if (!text.trim()) return { ok: false, message: 'Nothing to send: type a JSON value.', position: 0, line: 1, column: 1 };
  try {
    const value: unknown = JSON.parse(text);
    return { ok: true, value, text: JSON.stringify(value) };
  } catch (error) {
    const raw = error instanceof Error ? error.message : String(error);
    const found = jsonErrorOffset(text);
    const position = found >= 0 ? found : text.length;
    const message = raw
      .replace(/\s*\(line \d+ column \d+\)$/, '')
      .replace(/ in JSON at position \d+$/, '')
      .replace(/, ".*" is not valid JSON$/s, '')
      .replace(/^Unexpected end of JSON input$/, 'Unexpected end of input');
    return { ok: false, message, position, ...lineAndColumn(text, position) };
  }
}

export function describeJsonError(error: Extract<JsonInput, { ok: false }>): string {
  return `Invalid JSON at line ${error.line}, column ${error.column} (offset ${error.position}): ${error.message}`;
}
