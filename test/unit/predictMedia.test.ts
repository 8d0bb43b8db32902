import * as assert from 'node:assert/strict';
import { gradientPng } from '../../emulator/inference/png';
import { detectMedia, extensionFor, findBase64Media } from '../../src/features/predict/logic/media';

const WAV = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x24, 0, 0, 0]), Buffer.from('WAVEfmt '), Buffer.alloc(64)]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64)]);

describe('predict media detection', () => {
  it('tells PNG, JPEG, WAV, MP3 and PDF apart by their first bytes', () => {
    assert.equal(detectMedia(gradientPng(4, 4))?.mime, 'image/png');
    assert.equal(detectMedia(JPEG)?.extension, 'jpg');
    assert.equal(detectMedia(WAV)?.mime, 'audio/wav');
    assert.equal(detectMedia(Buffer.from('ID3\x03\x00rest'))?.mime, 'audio/mpeg');
    assert.equal(detectMedia(Buffer.from('%PDF-1.7\n'))?.extension, 'pdf');
  });

  it('arbitrary bytes are not media', () => {
    assert.equal(detectMedia(Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 31 + 7) & 0xff))), undefined);
    assert.equal(detectMedia(Buffer.from('{"a":1}')), undefined);
    assert.equal(extensionFor(Buffer.from([1, 2, 3]), 'application/octet-stream'), 'bin');
    assert.equal(extensionFor(Buffer.from([1, 2, 3]), 'audio/ogg; codecs=opus'), 'ogg');
  });

  it('finds a base64 PNG in a JSON answer, with its path', () => {
    const png = gradientPng(16, 16);
    const found = findBase64Media({ format: 'png', width: 16, image: png.toString('base64') });
    assert.equal(found.length, 1);
    assert.equal(found[0].path, '$.image');
    assert.equal(found[0].mime, 'image/png');
    assert.deepEqual(Buffer.from(found[0].base64, 'base64'), png);
  });

  it('finds data: URLs and media nested in arrays', () => {
    const found = findBase64Media({ outputs: [{ audio: `data:audio/wav;base64,${WAV.toString('base64')}` }, { 'image-1': JPEG.toString('base64') }] });
    assert.deepEqual(
      found.map((f) => [f.path, f.mime]),
      [
        ['$.outputs[0].audio', 'audio/wav'],
        ['$.outputs[1]["image-1"]', 'image/jpeg'],
      ],
    );
    assert.deepEqual(Buffer.from(found[0].base64, 'base64'), WAV);
  });

  it('ignores text, short strings and base64 of non-media bytes', () => {
    const found = findBase64Media({
      text: 'A long sentence that is certainly not base64 because it has spaces and punctuation, right?',
      id: 'iVBORw0KGgo',
      blob: Buffer.alloc(300, 7).toString('base64'),
      hex: 'a'.repeat(65),
    });
    assert.deepEqual(found, []);
  });
});
