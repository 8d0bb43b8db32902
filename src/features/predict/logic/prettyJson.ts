/**
 * Pretty-prints JSON text the way `JSON.stringify(value, null, 2)` does, without parsing it into values and
 * in slices that yield to the event loop: a 10 MB answer parsed, printed and scanned in one go stalls the
 * extension host for over a second. Base64 media is found in the same pass. Plain Node: no editor APIs.
 */
import { JsonScanner, JsonToken } from '../../../client/jsonScanner';
import { Base64Media, findBase64Media } from './media';

export interface PrettyJson {
  text: string;
  /** False when the text is not JSON: exactly when `JSON.parse` would reject it. */
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
  /** The key's token as written, quotes and escapes included: read only when media is found under it. */
  rawKey?: string;
  index: number;
}

function pathOf(stack: Frame[]): string {
  let path = '$';
  for (const frame of stack) {
    if (frame.kind === 'array') path += `[${frame.index}]`;
    else if (frame.rawKey !== undefined) {
      const key = JSON.parse(frame.rawKey) as string;
      path += /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
    }
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
  const scanner = new JsonScanner(source);
  // After an opening bracket nothing is written until the next token shows whether the container is empty.
  let open = false;
  let nextCheck = CHECK_CHARS;
  let sliceStart = performance.now();
  const beforeValue = (): void => {
    if (open) out.push(`\n${indent(stack.length)}`);
    open = false;
  };
  for (;;) {
    // Slices are cut by time, not size: before the JIT has warmed up, the same characters take ten times longer.
    if (scanner.end >= nextCheck) {
      nextCheck = scanner.end + CHECK_CHARS;
      if (performance.now() - sliceStart > SLICE_MS) {
        // Joined slice by slice: one join of millions of pieces at the end would be a stall of its own.
        done.push(out.join(''));
        out.length = 0;
        await yieldToLoop();
        sliceStart = performance.now();
      }
    }
    const token = scanner.next();
    switch (token) {
      case JsonToken.OpenObject:
      case JsonToken.OpenArray:
        beforeValue();
        out.push(token === JsonToken.OpenObject ? '{' : '[');
        stack.push({ kind: token === JsonToken.OpenObject ? 'object' : 'array', index: 0 });
        open = true;
        break;
      case JsonToken.CloseObject:
      case JsonToken.CloseArray: {
        const bracket = token === JsonToken.CloseObject ? '}' : ']';
        stack.pop();
        out.push(open ? bracket : `\n${indent(stack.length)}${bracket}`);
        open = false;
        break;
      }
      case JsonToken.Comma: {
        const top = stack[stack.length - 1];
        if (top.kind === 'array') top.index++;
        out.push(`,\n${indent(stack.length)}`);
        break;
      }
      case JsonToken.Colon:
        out.push(': ');
        break;
      case JsonToken.Key: {
        const key = source.slice(scanner.start, scanner.end);
        beforeValue();
        stack[stack.length - 1].rawKey = key;
        out.push(key);
        break;
      }
      case JsonToken.String: {
        const value = source.slice(scanner.start, scanner.end);
        beforeValue();
        if (value.length - 2 >= MIN_MEDIA_CHARS && media.length < mediaLimit && MEDIA_HEAD.test(value.slice(1, 200).replace(/\\\//g, '/'))) {
          // Rare: only strings that start like base64 are decoded and checked.
          const found = findBase64Media(JSON.parse(value) as string, 1)[0];
          if (found) media.push({ ...found, path: pathOf(stack) });
        }
        out.push(value);
        break;
      }
      case JsonToken.Literal:
        beforeValue();
        out.push(source.slice(scanner.start, scanner.end));
        break;
      case JsonToken.End:
        done.push(out.join(''));
        return { text: done.join(''), valid: true, media };
      default:
        return { text: source, valid: false, media: [] };
    }
  }
}
