/** JSON typed by the user, checked before sending: an error says where it is (line, column, offset). */

export type JsonInput =
  | { ok: true; value: unknown; text: string }
  | { ok: false; message: string; position: number; line: number; column: number };

/** Line and column (both from 1) of an offset in `text`. */
export function lineAndColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position);
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

export function parseJsonInput(text: string): JsonInput {
  if (!text.trim()) return { ok: false, message: 'Nothing to send: type a JSON value.', position: 0, line: 1, column: 1 };
  try {
    const value: unknown = JSON.parse(text);
    return { ok: true, value, text: JSON.stringify(value) };
  } catch (error) {
    const raw = error instanceof Error ? error.message : String(error);
    // V8 says "… in JSON at position N (line L column C)" or, at the end, "Unexpected end of JSON input".
    const match = /at position (\d+)/.exec(raw);
    const position = match ? Math.min(Number(match[1]), text.length) : text.length;
    const message = raw.replace(/\s*\(line \d+ column \d+\)$/, '').replace(/ in JSON at position \d+$/, '').replace(/^Unexpected end of JSON input$/, 'Unexpected end of input');
    return { ok: false, message, position, ...lineAndColumn(text, position) };
  }
}

export function describeJsonError(error: Extract<JsonInput, { ok: false }>): string {
  return `Invalid JSON at line ${error.line}, column ${error.column} (offset ${error.position}): ${error.message}`;
}
