/**
 * The stream decoder (src/client/utf8Decoder.ts) against TextDecoder over the whole input: the same text for
 * every split of seeded random bytes (ASCII, multi-byte and astral characters, stray and truncated bytes,
 * a byte-order mark), so swapping one for the other changes nothing a user sees.
 */
import * as assert from 'node:assert/strict';
import { Utf8Decoder } from '../../src/client/utf8Decoder';
import { seededRandom } from './helpers/faultHarness';

const PIECES = ['a', 'plain ascii ', 'é', '€', '日本', '😀', '👩‍💻', '\uFEFF', '\n'].map((text) => Buffer.from(text));
const STRAY = [[0x80], [0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xff], [0xed, 0xa0, 0x80]].map((bytes) => Buffer.from(bytes));

function randomBytes(random: () => number): Buffer {
  const parts: Buffer[] = random() < 0.3 ? [Buffer.from([0xef, 0xbb, 0xbf])] : [];
  const count = 1 + Math.floor(random() * 40);
  for (let i = 0; i < count; i++) {
    const pool = random() < 0.15 ? STRAY : PIECES;
    parts.push(pool[Math.floor(random() * pool.length)]);
  }
  return Buffer.concat(parts);
}

function decodeInPieces(bytes: Buffer, random: () => number): string {
  const decoder = new Utf8Decoder();
  let text = '';
  let at = 0;
  while (at < bytes.length) {
    const size = 1 + Math.floor(random() * 7);
    text += decoder.write(bytes.subarray(at, at + size));
    at += size;
  }
  return text + decoder.end();
}

describe('Utf8Decoder', () => {
  it('gives what TextDecoder gives for the whole input, however 3,000 random inputs are split', () => {
    for (let run = 0; run < 3_000; run++) {
      const random = seededRandom(7_000 + run);
      const bytes = randomBytes(random);
      assert.equal(decodeInPieces(bytes, random), new TextDecoder('utf-8').decode(bytes), `run ${run}: ${bytes.toString('hex')}`);
    }
  });

  it('drops a byte-order mark only at the very start, even when it arrives a byte at a time', () => {
    const decoder = new Utf8Decoder();
    assert.equal(decoder.write(Buffer.from([0xef])) + decoder.write(Buffer.from([0xbb])) + decoder.write(Buffer.from([0xbf, 0x41])), 'A');
    assert.equal(decoder.write(Buffer.from([0xef, 0xbb, 0xbf])), '\uFEFF');
  });

  it('gives a character cut at the end of the stream as U+FFFD, not silence', () => {
    const decoder = new Utf8Decoder();
    assert.equal(decoder.write(Buffer.from([0x61, 0xe2, 0x82])), 'a');
    assert.equal(decoder.end(), '\uFFFD');
  });
});
