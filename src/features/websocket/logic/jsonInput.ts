/** JSON typed by the user, checked before sending: an error says where it is (line, column, offset). */

export type JsonInput =
  | { ok: true; value: unknown; text: string }
  | { ok: false; message: string; position: number; line: number; column: number };

/** Line and column (both from 1) of an offset in `text`. */
export function lineAndColumn(text: string, position: number): { line: number; column: number } {
  const lines = text.slice(0, position).split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * Offset of the first character that makes `text` invalid JSON, or -1 when it is valid. V8 gives the
 * position for some errors only ("Unexpected token '}', … is not valid JSON" has none), so it is found here.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const space = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const string = (): void => {
    i++;
    for (;;) {
      const c = text[i];
      if (c === undefined || c < ' ') fail();
      if (c === '"') {
        i++;
        return;
      }
      if (c !== '\\') {
        i++;
        continue;
      }
      i++;
      if ('"\\/bfnrt'.includes(text[i] ?? 'x')) i++;
      else if (text[i] === 'u') {
        i++;
        for (let k = 0; k < 4; k++, i++) if (!/[0-9a-fA-F]/.test(text[i] ?? '')) fail();
      } else fail();
    }
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      space();
      if (text[i] === close) {
        i++;
        return;
      }
      for (;;) {
        if (c === '{') {
          space();
          if (text[i] !== '"') fail();
          string();
          space();
          if (text[i] !== ':') fail();
          i++;
        }
        value();
        space();
        if (text[i] === ',') i++;
        else if (text[i] === close) {
          i++;
          return;
        } else fail();
      }
    }
    if (c === '"') return string();
    NUMBER.lastIndex = i;
    const number = NUMBER.exec(text);
    if (number) {
      i += number[0].length;
      return;
    }
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    fail();
  };
  try {
    value();
    space();
    if (i < text.length) fail();
    return -1;
  } catch (position) {
    return typeof position === 'number' ? position : 0;
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
