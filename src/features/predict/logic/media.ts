/**
 * Images and audio in a model's answer: raw bytes told apart by their signature, and base64 strings (bare or
 * `data:` URLs) inside a JSON answer. Plain Node: no editor APIs.
 */

export interface MediaType {
  mime: string;
  /** File extension without the dot, so the saved file opens in VS Code's image or media preview. */
  extension: string;
}

const SIGNATURES: Array<{ bytes: Array<number | undefined>; type: MediaType }> = [
  { bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], type: { mime: 'image/png', extension: 'png' } },
  { bytes: [0xff, 0xd8, 0xff], type: { mime: 'image/jpeg', extension: 'jpg' } },
  { bytes: [0x47, 0x49, 0x46, 0x38], type: { mime: 'image/gif', extension: 'gif' } },
  { bytes: [0x52, 0x49, 0x46, 0x46, undefined, undefined, undefined, undefined, 0x57, 0x45, 0x42, 0x50], type: { mime: 'image/webp', extension: 'webp' } },
  { bytes: [0x52, 0x49, 0x46, 0x46, undefined, undefined, undefined, undefined, 0x57, 0x41, 0x56, 0x45], type: { mime: 'audio/wav', extension: 'wav' } },
  { bytes: [0x49, 0x44, 0x33], type: { mime: 'audio/mpeg', extension: 'mp3' } },
  { bytes: [0xff, 0xfb], type: { mime: 'audio/mpeg', extension: 'mp3' } },
  { bytes: [0xff, 0xf3], type: { mime: 'audio/mpeg', extension: 'mp3' } },
  { bytes: [0x4f, 0x67, 0x67, 0x53], type: { mime: 'audio/ogg', extension: 'ogg' } },
  { bytes: [0x66, 0x4c, 0x61, 0x43], type: { mime: 'audio/flac', extension: 'flac' } },
  { bytes: [undefined, undefined, undefined, undefined, 0x66, 0x74, 0x79, 0x70], type: { mime: 'video/mp4', extension: 'mp4' } },
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], type: { mime: 'application/pdf', extension: 'pdf' } },
];

/** What the first bytes of a body say it is; undefined for anything else. */
export function detectMedia(head: Uint8Array): MediaType | undefined {
  for (const { bytes, type } of SIGNATURES) {
    if (head.length >= bytes.length && bytes.every((byte, i) => byte === undefined || head[i] === byte)) return type;
  }
  return undefined;
}

const EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/svg+xml': 'svg',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/mpeg': 'mp3',
  'audio/ogg': 'ogg',
  'audio/flac': 'flac',
  'video/mp4': 'mp4',
  'application/pdf': 'pdf',
  'application/zip': 'zip',
  'application/gzip': 'gz',
};

/** A file extension for a response: from its signature, else its content type, else `bin`. */
export function extensionFor(head: Uint8Array, contentType: string): string {
  return detectMedia(head)?.extension ?? EXTENSIONS[contentType.split(';')[0].trim()] ?? 'bin';
}

export interface Base64Media extends MediaType {
  /** Where in the answer, as a JSON path (`$.images[0].data`). */
  path: string;
  /** The base64 text, without a `data:` prefix. */
  base64: string;
}

/** Shorter strings are words, IDs or hashes, not media. */
const MIN_BASE64_CHARS = 64;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const DATA_URL = /^data:([\w.+-]+\/[\w.+-]+);base64,/;

/** Base64 images, audio and PDFs anywhere in a parsed JSON answer (at most `limit` of them). */
export function findBase64Media(value: unknown, limit = 10): Base64Media[] {
  const found: Base64Media[] = [];
  const visit = (node: unknown, path: string, depth: number): void => {
    if (found.length >= limit || depth > 32) return;
    if (typeof node === 'string') {
      const media = base64Media(node);
      if (media) found.push({ ...media, path });
    } else if (Array.isArray(node)) {
      node.forEach((item, i) => visit(item, `${path}[${i}]`, depth + 1));
    } else if (node && typeof node === 'object') {
      for (const [key, item] of Object.entries(node)) visit(item, /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`, depth + 1);
    }
  };
  visit(value, '$', 0);
  return found;
}

function base64Media(text: string): (MediaType & { base64: string }) | undefined {
  const dataUrl = DATA_URL.exec(text);
  const base64 = dataUrl ? text.slice(dataUrl[0].length) : text;
  if (base64.length < MIN_BASE64_CHARS || base64.length % 4 === 1) return undefined;
  // Only the start is checked against the alphabet and decoded: the signature is in the first bytes.
  const head = base64.slice(0, 64);
  if (!BASE64.test(head.replace(/=+$/, '')) || !BASE64.test(base64.slice(-8))) return undefined;
  const type = detectMedia(Buffer.from(head, 'base64'));
  if (!type) return undefined;
  return { ...type, base64 };
}
