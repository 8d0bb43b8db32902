/**
 * Pretty-prints a JSON answer the way `JSON.stringify(value, null, 2)` does. Small answers are parsed and
 * printed by V8; larger ones are printed from their bytes as they arrive (jsonPrinter.ts), in slices that
 * yield to the event loop, without parsing them into values: a 10 MB answer parsed, printed and scanned in one
 * go stalls the extension host for over a second. Base64 media is found in the same pass. Plain Node: no
 * editor APIs.
 */
import { JsonPrinter } from './jsonPrinter';
import { Base64Media, findBase64Media } from './media';

export interface PrettyJson {
  text: string;
  /** False when the text is not JSON: exactly when `JSON.parse` would reject it. */
  valid: boolean;
  media: Base64Media[];
}

/** Below this many bytes, JSON.parse and JSON.stringify are quick enough and check the text fully. */
const PARSE_BELOW_BYTES = 1024 * 1024;
/** Bytes printed between two looks at the clock. */
const SLICE_BYTES = 64 * 1024;
const SLICE_MS = 15;
const MIN_MEDIA_CHARS = 64;
const MEDIA_HEAD = /^(data:[\w.+-]+\/[\w.+-]+;base64,)?[A-Za-z0-9+/]{64}/;

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * A JSON body pretty-printed while it arrives. The bytes are kept as they came (outside the JS heap), for a
 * body that turns out not to be JSON and is then shown as it came.
 */
export class PrettyJsonStream {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private printer?: JsonPrinter;
  private readonly media: Base64Media[] = [];
  private sliceStart = performance.now();

  private get mediaLimit(): number {
    return this.options.mediaLimit ?? 10;
  }

  constructor(
    private readonly options: {
      mediaLimit?: number;
      /** The body's size when known (`Content-Length`): the printed text gets its room at once. */
      expectedBytes?: number;
      /** Print from the first byte, whatever the size (the tests' way to reach the printer with small texts). */
      alwaysPrint?: boolean;
    } = {},
  ) {}

  /** Takes the next chunk; resolves once it is printed, after a turn of the event loop when a slice is used up. */
  async add(chunk: Buffer): Promise<void> {
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (!this.printer) {
      if (this.size < PARSE_BELOW_BYTES && !this.options.alwaysPrint) return;
      // Printed JSON is usually under twice its compact size; room that is never written to costs no memory.
      const room = 2 * Math.max(this.options.expectedBytes ?? 0, this.size) + 64 * 1024;
      this.printer = new JsonPrinter((out, start, end, printer) => this.checkMedia(out, start, end, printer), room);
      for (const part of this.chunks.slice(0, -1)) await this.print(part);
    }
    await this.print(chunk);
  }

  async finish(): Promise<PrettyJson> {
    if (!this.printer) return parsedAndPrinted(Buffer.concat(this.chunks, this.size).toString('utf8'), this.mediaLimit);
    const printed = this.printer.end();
    this.printer = undefined;
    // The model said JSON and sent something else: it is shown as it came.
    if (!printed) return { text: Buffer.concat(this.chunks, this.size).toString('utf8'), valid: false, media: [] };
    return { text: printed.toString('utf8'), valid: true, media: this.media };
  }

  /** Stops printing and hands back the bytes taken so far, as they came. */
  abandon(): Buffer[] {
    this.printer = undefined;
    return this.chunks.splice(0);
  }

  private async print(chunk: Buffer): Promise<void> {
    for (let at = 0; at < chunk.length; at += SLICE_BYTES) {
      if (!this.printer!.write(chunk.subarray(at, at + SLICE_BYTES))) return;
      if (performance.now() - this.sliceStart > SLICE_MS) {
        await yieldToLoop();
        this.sliceStart = performance.now();
      }
    }
  }

  private checkMedia(out: Buffer, start: number, end: number, printer: JsonPrinter): void {
    if (end - start - 2 < MIN_MEDIA_CHARS || this.media.length >= this.mediaLimit) return;
    // Rare: only strings that start like base64 are decoded and checked.
    if (!MEDIA_HEAD.test(out.toString('latin1', start + 1, Math.min(end, start + 200)).replace(/\\\//g, '/'))) return;
    const found = findBase64Media(JSON.parse(out.toString('utf8', start, end)) as string, 1)[0];
    if (found) this.media.push({ ...found, path: printer.path() });
  }
}

function parsedAndPrinted(source: string, mediaLimit: number): PrettyJson {
  try {
    const value = JSON.parse(source) as unknown;
    return { text: JSON.stringify(value, null, 2) ?? 'null', valid: true, media: findBase64Media(value, mediaLimit) };
  } catch {
    return { text: source, valid: false, media: [] };
  }
}

async function printed(source: string, mediaLimit: number, alwaysPrint: boolean): Promise<PrettyJson> {
  const stream = new PrettyJsonStream({ mediaLimit, alwaysPrint, expectedBytes: source.length });
  await stream.add(Buffer.from(source, 'utf8'));
  return stream.finish();
}

/** JSON text pretty-printed: parsed when small, printed from its bytes in slices when large. */
export function prettyJson(source: string, mediaLimit = 10): Promise<PrettyJson> {
  return printed(source, mediaLimit, false);
}

/** JSON text printed from its bytes whatever its size: numbers, strings and key order stay as written. */
export function reindent(source: string, mediaLimit = 10): Promise<PrettyJson> {
  return printed(source, mediaLimit, true);
}
