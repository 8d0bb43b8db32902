/**
 * Pretty-prints JSON text the way `JSON.stringify(value, null, 2)` does, without parsing it into values and
 * in slices that yield to the event loop: a 10 MB answer parsed, printed and scanned in one go stalls the
 * extension host for over a second. Base64 media is found in the same pass. Plain Node: no editor APIs.
 */
import { Base64Media, findBase64Media } from './media';

export interface PrettyJson {
  text: string;
  /** False when the text is not JSON (an unbalanced bracket, a stray character, an unterminated string). */
  valid: boolean;
  media: Base64Media[];
}

/** Below this, JSON.parse and JSON.stringify are quick enough and check the text fully. */
const PARSE_BELOW_CHARS = 1024 * 1024;
const CHECK_CHARS = 4096;
const SLICE_MS = 15;
const MIN_MEDIA_CHARS = 64;
const MEDIA_HEAD = /^(data:[\w.+-]+\/[\w.+-]+;base64,)?[A-Za-z0-9+/]{64}/;

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function prettyJson(source: string, mediaLimit = 10): Promise<PrettyJson> {
  if (source.length < PARSE_BELOW_CHARS) {
    try {
      const value = JSON.parse(source) as unknown;
      return { text: JSON.stringify(value, null, 2) ?? 'null', valid: true, media: findBase64Media(value, mediaLimit) };
    } catch {
      return { text: source, valid: false, media: [] };
    }
  }
  return reindent(source, mediaLimit);
}

interface Frame {
  kind: 'object' | 'array';
  key?: string;
  index: number;
  expectKey: boolean;
}

const LITERAL = /^(-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null)$/;

function isSpace(code: number): boolean {
  return code === 32 || code === 10 || code === 13 || code === 9;
}

function pathOf(stack: Frame[]): string {
  let path = '$';
  for (const frame of stack) {
    if (frame.kind === 'array') path += `[${frame.index}]`;
    else if (frame.key !== undefined) path += /^[A-Za-z_$][\w$]*$/.test(frame.key) ? `.${frame.key}` : `[${JSON.stringify(frame.key)}]`;
  }
  return path;
}

export async function reindent(source: string, mediaLimit = 10): Promise<PrettyJson> {
  const out: string[] = [];
  const done: string[] = [];
  const indents = [''];
  const indent = (depth: number): string => (indents[depth] ??= '  '.repeat(depth));
  const stack: Frame[] = [];
  const media: Base64Media[] = [];
  const invalid = (): PrettyJson => ({ text: source, valid: false, media: [] });
  // After an opening bracket nothing is written until the next token shows whether the container is empty.
  let open = false;
  let values = 0;
  let nextCheck = CHECK_CHARS;
  let sliceStart = performance.now();
  const beforeValue = (): void => {
    if (open) out.push(`\n${indent(stack.length)}`);
    open = false;
  };
  let i = 0;
  const length = source.length;
  while (i < length) {
    // Slices are cut by time, not size: before the JIT has warmed up, the same characters take ten times longer.
    if (i >= nextCheck) {
      nextCheck = i + CHECK_CHARS;
      if (performance.now() - sliceStart > SLICE_MS) {
        // Joined slice by slice: one join of millions of pieces at the end would be a stall of its own.
        done.push(out.join(''));
        out.length = 0;
        await yieldToLoop();
        sliceStart = performance.now();
      }
    }
    const code = source.charCodeAt(i);
    if (isSpace(code)) {
      i++;
      continue;
    }
    const top = stack[stack.length - 1];
    switch (code) {
      case 123: // {
      case 91: // [
        beforeValue();
        if (!top) values++;
        out.push(code === 123 ? '{' : '[');
        stack.push({ kind: code === 123 ? 'object' : 'array', index: 0, expectKey: code === 123 });
        open = true;
        i++;
        break;
      case 125: // }
      case 93: {
        // ]
        if (!top || top.kind !== (code === 125 ? 'object' : 'array')) return invalid();
        stack.pop();
        out.push(open ? (code === 125 ? '}' : ']') : `\n${indent(stack.length)}${code === 125 ? '}' : ']'}`);
        open = false;
        i++;
        break;
      }
      case 44: // ,
        if (!top) return invalid();
        if (top.kind === 'array') top.index++;
        else top.expectKey = true;
        out.push(`,\n${indent(stack.length)}`);
        i++;
        break;
      case 58: // :
        if (!top || top.kind !== 'object') return invalid();
        out.push(': ');
        i++;
        break;
      case 34: {
        // "
        let end = i + 1;
        for (;;) {
          const c = source.charCodeAt(end);
          if (Number.isNaN(c)) return invalid();
          if (c === 92) end += 2;
          else if (c === 34) break;
          else end++;
        }
        const token = source.slice(i, end + 1);
        beforeValue();
        if (!top) values++;
        if (top?.kind === 'object' && top.expectKey) {
          try {
            top.key = JSON.parse(token) as string;
          } catch {
            return invalid();
          }
          top.expectKey = false;
        } else if (token.length - 2 >= MIN_MEDIA_CHARS && media.length < mediaLimit && MEDIA_HEAD.test(token.slice(1, 200).replace(/\\\//g, '/'))) {
          // Rare: only strings that start like base64 are decoded and checked.
          const found = findBase64Media(JSON.parse(token) as string, 1)[0];
          if (found) media.push({ ...found, path: pathOf(stack) });
        }
        out.push(token);
        i = end + 1;
        break;
      }
      default: {
        let end = i;
        while (end < length) {
          const c = source.charCodeAt(end);
          if (isSpace(c) || c === 44 || c === 93 || c === 125 || c === 58) break;
          end++;
        }
        const token = source.slice(i, end);
        if (!LITERAL.test(token)) return invalid();
        beforeValue();
        if (!top) values++;
        out.push(token);
        i = end;
      }
    }
  }
  if (stack.length || values !== 1) return invalid();
  done.push(out.join(''));
  return { text: done.join(''), valid: true, media };
}
