/**
 * Turns a predict response into what the editor shows: text for a read-only document (filled as a stream
 * arrives, in batches) or, for binary bodies and bodies above the size limit, a file written as the bytes
 * arrive, never held whole in memory. Plain Node: the extension and the benchmark run the same code.
 */
import { once } from 'node:events';
import { createWriteStream, promises as fs, type WriteStream } from 'node:fs';
import * as path from 'node:path';
import { Utf8Decoder, type PredictResponse } from '../../../client';
import { Base64Media, MediaType, detectMedia, extensionFor, findBase64Media } from './media';
import { formatSize } from './format';
import { PrettyJsonStream } from './prettyJson';

export type ResponseLanguage = 'json' | 'jsonl' | 'plaintext';

export interface RenderOptions {
  /** Bodies above this many bytes go to a file instead of a document. */
  limitBytes: number;
  /** Folder for saved bodies (created when needed). */
  folder: string;
  /** File name without extension. */
  fileStem: string;
  /**
   * Text appended since the last call, at most every `flushMs` (streams only), in the pieces it arrived in:
   * joining a megabyte only to have the document encode it again costs more than the pieces do.
   */
  onText?: (appended: readonly string[]) => void;
  flushMs?: number;
  /**
   * How much of a stream `onText` shows while it arrives (default 1 MiB, at most `limitBytes`). VS Code copies a
   * changed document whole to the editor, so a live document of many megabytes stalls the extension host;
   * the whole text still comes with the result when the stream ends under the limit.
   */
  livePreviewBytes?: number;
}

const LIVE_PREVIEW_BYTES = 1024 * 1024;

export interface RenderedDocument {
  kind: 'document';
  text: string;
  language: ResponseLanguage;
  /** Bytes of the body (for SSE: of the events' data). */
  size: number;
  media: Base64Media[];
}

export interface RenderedFile {
  kind: 'file';
  file: string;
  size: number;
  reason: 'binary' | 'too_large';
  media?: MediaType;
  language: ResponseLanguage;
  /** For a stream cut over to a file: the text already shown, in pieces. */
  shown?: string[];
}

export type RenderedResponse = RenderedDocument | RenderedFile;

const isJsonType = (contentType: string): boolean => /^application\/([\w.+-]*\+)?json\b/.test(contentType.split(';')[0].trim());

export async function renderResponse(response: PredictResponse, options: RenderOptions): Promise<RenderedResponse> {
  switch (response.kind) {
    case 'json': {
      if (response.size > options.limitBytes) return writeWhole(options, 'json', JSON.stringify(response.value), 'json');
      const text = JSON.stringify(response.value, null, 2) ?? 'null';
      return { kind: 'document', text, language: 'json', size: response.size, media: findBase64Media(response.value) };
    }
    case 'binary':
      return saveBinary(response.chunks, response.contentType, options);
    case 'sse':
      return collectText(sseLines(response.events), options);
    case 'stream':
      if (isJsonType(response.contentType)) return collectJson(response.chunks, options, contentLength(response.headers));
      return collectStream(response.chunks, options);
  }
}

/** A JSON body: pretty-printed as it arrives up to the limit, or written to a file as it arrives beyond it. */
async function collectJson(chunks: AsyncIterable<Buffer>, options: RenderOptions, expectedBytes: number | undefined): Promise<RenderedResponse> {
  let size = 0;
  // A body that says it is over the limit goes to the file from its first byte, unprinted.
  const tooLarge = expectedBytes !== undefined && expectedBytes > options.limitBytes;
  const pretty = new PrettyJsonStream({ expectedBytes: tooLarge ? undefined : expectedBytes });
  const iterator = chunks[Symbol.asyncIterator]();
  for (;;) {
    const next = await iterator.next();
    if (next.done) break;
    size += next.value.length;
    if (size > options.limitBytes || tooLarge) {
      const file = await FileSink.open(options, 'json');
      try {
        for (const part of [...pretty.abandon(), next.value]) await file.write(part);
        for (let more = await iterator.next(); !more.done; more = await iterator.next()) await file.write(more.value);
      } catch (error) {
        await file.discard();
        throw error;
      }
      return { kind: 'file', file: file.file, size: await file.close(), reason: 'too_large', language: 'json' };
    }
    await pretty.add(next.value);
  }
  const result = await pretty.finish();
  // The model said JSON and sent something else: it is shown as it came.
  return { kind: 'document', text: result.text, language: result.valid ? 'json' : 'plaintext', size, media: result.media };
}

function contentLength(headers: Readonly<Record<string, string | string[] | undefined>>): number | undefined {
  const value = Number(headers['content-length']);
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

async function* sseLines(events: AsyncIterable<{ data: string; event?: string }>): AsyncGenerator<string> {
  for await (const event of events) yield `${event.data}\n`;
}

/**
 * A chunked text body, kept as the bytes it came in: only the live preview is decoded as it arrives, the
 * document's text is decoded once at the end, and beyond the limit the bytes go to the file as they are.
 */
async function collectStream(chunks: AsyncIterable<Buffer>, options: RenderOptions): Promise<RenderedResponse> {
  const parts: Buffer[] = [];
  let size = 0;
  const batcher = new Batcher(options.onText, options.flushMs ?? 150);
  const previewBytes = Math.min(options.livePreviewBytes ?? LIVE_PREVIEW_BYTES, options.limitBytes);
  const decoder = new Utf8Decoder();
  const shown: string[] = [];
  let previewed = 0;
  let previewChunks = 0;
  let previewEnded = false;
  let file: FileSink | undefined;
  try {
    for await (const chunk of chunks) {
      size += chunk.length;
      if (file) {
        await file.write(chunk);
        continue;
      }
      if (size > options.limitBytes) {
        batcher.flush();
        file = await FileSink.open(options, 'txt');
        for (const part of parts.splice(0)) await file.write(part);
        await file.write(chunk);
        continue;
      }
      parts.push(chunk);
      if (previewEnded) continue;
      if (previewed + chunk.length <= previewBytes) {
        previewed += chunk.length;
        previewChunks++;
        const text = decoder.write(chunk);
        shown.push(text);
        batcher.add(text);
        continue;
      }
      previewEnded = true;
      endPreview(batcher, previewBytes);
    }
  } catch (error) {
    await file?.discard();
    // A failure or a cancel ends the stream: what arrived past the live preview is shown now, none of it lost.
    if (!file && previewEnded) batcher.add(decoder.end(Buffer.concat(parts.slice(previewChunks))));
    throw error;
  } finally {
    // What arrived before a failure or a cancel is still shown.
    batcher.flush();
    batcher.dispose();
  }
  if (file) return { kind: 'file', file: file.file, size: await file.close(), reason: 'too_large', language: 'plaintext', shown };
  const text = Buffer.concat(parts, size).toString('utf8');
  return { kind: 'document', text, language: looksWhollyJson(text) ? 'json' : 'plaintext', size, media: [] };
}

/**
 * Streamed SSE text, shown as it arrives. Beyond the limit, what was shown stays and everything (shown part
 * included) goes to a file.
 */
async function collectText(pieces: AsyncIterable<string>, options: RenderOptions): Promise<RenderedResponse> {
  const parts: string[] = [];
  let size = 0;
  let language: ResponseLanguage | undefined;
  const batcher = new Batcher(options.onText, options.flushMs ?? 150);
  const previewBytes = Math.min(options.livePreviewBytes ?? LIVE_PREVIEW_BYTES, options.limitBytes);
  const previewParts: string[] = [];
  let previewed = 0;
  let previewEnded = false;
  const preview = (piece: string, bytes: number): void => {
    if (previewEnded) return;
    if (previewed + bytes <= previewBytes) {
      previewed += bytes;
      previewParts.push(piece);
      batcher.add(piece);
      return;
    }
    previewEnded = true;
    endPreview(batcher, previewBytes);
  };
  let file: FileSink | undefined;
  try {
    for await (const piece of pieces) {
      const bytes = Buffer.byteLength(piece);
      size += bytes;
      language ??= isJson(piece.trim()) ? 'jsonl' : 'plaintext';
      if (file) {
        await file.write(piece);
        continue;
      }
      if (size > options.limitBytes) {
        batcher.flush();
        file = await FileSink.open(options, language === 'jsonl' ? 'jsonl' : 'txt');
        for (const part of parts) await file.write(part);
        await file.write(piece);
        continue;
      }
      parts.push(piece);
      preview(piece, bytes);
    }
  } catch (error) {
    await file?.discard();
    // A failure or a cancel ends the stream: what arrived past the live preview is shown now, none of it lost.
    if (!file && previewEnded) batcher.add(parts.slice(previewParts.length).join(''));
    throw error;
  } finally {
    // What arrived before a failure or a cancel is still shown.
    batcher.flush();
    batcher.dispose();
  }
  if (file) return { kind: 'file', file: file.file, size: await file.close(), reason: 'too_large', language: language ?? 'plaintext', shown: previewParts };
  return { kind: 'document', text: parts.join(''), language: language ?? 'plaintext', size, media: [] };
}

async function saveBinary(chunks: AsyncIterable<Buffer>, contentType: string, options: RenderOptions): Promise<RenderedFile> {
  let file: FileSink | undefined;
  let media: MediaType | undefined;
  try {
    for await (const chunk of chunks) {
      if (!file) {
        media = detectMedia(chunk);
        file = await FileSink.open(options, extensionFor(chunk, contentType));
      }
      await file.write(chunk);
    }
    file ??= await FileSink.open(options, extensionFor(new Uint8Array(), contentType));
    return { kind: 'file', file: file.file, size: await file.close(), reason: 'binary', media, language: 'plaintext' };
  } catch (error) {
    await file?.discard();
    throw error;
  }
}

async function writeWhole(options: RenderOptions, extension: string, text: string, language: ResponseLanguage): Promise<RenderedFile> {
  const file = await FileSink.open(options, extension);
  await file.write(text);
  return { kind: 'file', file: file.file, size: await file.close(), reason: 'too_large', language };
}

function isJson(text: string): boolean {
  if (!/^[[{"\d-]|^(true|false|null)$/.test(text)) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function looksWhollyJson(text: string): boolean {
  // Parsing a long text only to pick the editor's language would stall the extension host.
  if (text.length > 1024 * 1024) return false;
  const trimmed = text.trim();
  return (trimmed.startsWith('{') || trimmed.startsWith('[')) && isJson(trimmed);
}

/** The live preview's closing note. */
function endPreview(batcher: Batcher, previewBytes: number): void {
  batcher.add(`\n… (${formatSize(previewBytes)} shown while it streams; the rest comes when the response ends)\n`);
}

/** Text for the document, handed on at most once per interval: VS Code reads the whole document after each update. */
class Batcher {
  private pending: string[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly sink: ((appended: readonly string[]) => void) | undefined,
    private readonly intervalMs: number,
  ) {}

  add(text: string): void {
    if (!this.sink) return;
    this.pending.push(text);
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending.length || !this.sink) return;
    const pieces = this.pending;
    this.pending = [];
    this.sink(pieces);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/**
 * Bytes the file may lag behind the network. Node's default (16 KiB) is less than one network chunk, so every
 * write would wait for the disk before the next chunk is read; with a few MiB reading and writing overlap.
 */
const FILE_BUFFER_BYTES = 4 * 1024 * 1024;

/** A response file, written with backpressure. */
class FileSink {
  private size = 0;
  /** A write that failed while nobody waited on the stream (disk full): the next write or the close reports it. */
  private failure?: Error;

  private constructor(
    readonly file: string,
    private readonly stream: WriteStream,
  ) {
    stream.on('error', (error) => (this.failure ??= error));
  }

  static async open(options: RenderOptions, extension: string): Promise<FileSink> {
    await fs.mkdir(options.folder, { recursive: true });
    const file = path.join(options.folder, `${options.fileStem}.${extension}`);
    const stream = createWriteStream(file, { highWaterMark: FILE_BUFFER_BYTES });
    await once(stream, 'open');
    return new FileSink(file, stream);
  }

  async write(data: string | Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    this.size += typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    if (!this.stream.write(data)) await once(this.stream, 'drain');
  }

  async close(): Promise<number> {
    if (this.failure) throw this.failure;
    if (!this.stream.closed) await new Promise<void>((resolve, reject) => this.stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
    return this.size;
  }

  async discard(): Promise<void> {
    this.stream.destroy();
    await fs.rm(this.file, { force: true });
  }
}
