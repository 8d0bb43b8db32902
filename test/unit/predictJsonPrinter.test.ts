import * as assert from 'node:assert/strict';
import { gradientPng } from '../../emulator/inference/png';
import { JsonPrinter } from '../../src/features/predict/logic/jsonPrinter';
import { PrettyJsonStream, prettyJson, reindent } from '../../src/features/predict/logic/prettyJson';

/** A small seeded generator, so a failure names an input that can be made again. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const PIECES = ['a', 'é', '日本', '🎉', '"', '\\', '/', '\n', '\t', '\u0000', '\u001f', '\u2028', '\ud83d', 'key', ' ', '{', '[', ':', ','];

function randomValue(next: () => number, depth: number): unknown {
  const pick = Math.floor(next() * (depth > 6 ? 5 : 7));
  switch (pick) {
    case 0:
      return Array.from({ length: Math.floor(next() * 4) }, () => PIECES[Math.floor(next() * PIECES.length)]).join('');
    case 1:
      return [0, -0.5, 1e21, 1e-7, 123456789, -1, 2 ** 53, 0.1, 5e-324, 1.7976931348623157e308][Math.floor(next() * 10)];
    case 2:
      return [true, false, null][Math.floor(next() * 3)];
    case 3:
      return {};
    case 4:
      return [];
    case 5:
      return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1));
    default: {
      const object: Record<string, unknown> = {};
      for (let i = Math.floor(next() * 4); i > 0; i--) object[randomValue(next, 99) as string] = randomValue(next, depth + 1);
      return object;
    }
  }
}

/** Prints `bytes` fed in the given pieces; undefined when the printer found it is not JSON. */
function print(bytes: Buffer, cuts: number[] = []): string | undefined {
  const printer = new JsonPrinter(undefined, 16);
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    printer.write(bytes.subarray(from, cut));
    from = cut;
  }
  return printer.end()?.toString('utf8');
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('predict JSON printer (bytes in, pretty JSON out)', () => {
  it('prints 500 random values exactly as JSON.stringify(JSON.parse(text), null, 2), from compact and spaced text', () => {
    const next = random(15);
    for (let n = 0; n < 500; n++) {
      const value = randomValue(next, 0);
      const expected = JSON.stringify(value, null, 2);
      for (const text of [JSON.stringify(value), JSON.stringify(value, null, 3), ` \r\n\t${JSON.stringify(value, null, '\t')}\n`]) {
        assert.equal(print(Buffer.from(text)), JSON.stringify(JSON.parse(text), null, 2), text);
        assert.equal(print(Buffer.from(text)), expected, text);
      }
    }
  });

  it('prints the same whichever byte a chunk ends on: inside characters, escapes, numbers and keywords', () => {
    const text = '{"é🎉\\u00e9":[true,false,null,-12.5e+3,0,"a\\"b\\\\c\\/d\\n\\ud83c\\udf89"],"日本":{"x":[[],{}]},"n":-0.0E-0}';
    const bytes = Buffer.from(text);
    const expected = print(bytes);
    assert.ok(expected);
    for (let cut = 0; cut <= bytes.length; cut++) assert.equal(print(bytes, [cut]), expected, `cut at byte ${cut}`);
    assert.equal(print(bytes, Array.from({ length: bytes.length }, (_, i) => i)), expected, 'one byte at a time');
    assert.deepEqual(JSON.parse(expected), JSON.parse(text));
  });

  it('keeps numbers and strings as written, as the large-answer path always has (1e400, -0, 1.50, \\u0041, \\/)', () => {
    assert.equal(print(Buffer.from('[1e400,-0,1.50,1E5,"\\u0041\\/"]')), '[\n  1e400,\n  -0,\n  1.50,\n  1E5,\n  "\\u0041\\/"\n]');
    assert.equal(print(Buffer.from('{"a":1,"a":2}')), '{\n  "a": 1,\n  "a": 2\n}', 'repeated keys stay');
  });

  it('nests deeply without recursion', () => {
    const depth = 1000;
    const text = `${'['.repeat(depth)}1${']'.repeat(depth)}`;
    assert.equal(print(Buffer.from(text)), JSON.stringify(JSON.parse(text), null, 2));
  });

  it('is exactly as strict as JSON.parse, on hand-picked and on 3000 mutated texts', () => {
    const bad = ['', ' ', '[1 2]', '{"a" 1}', '[1,]', '{"a": 1,}', '["bad \\q escape"]', '["tab\there"]', '[01]', '[1.]', '[.5]', '{"a": 1', '1e', '-', '--1', '[1e+]', '+1', 'tru', 'nul', 'True', '"\\u12"', '"\\u12G4"', '{}}', '[}', '{]', '{"a":}', '{,}', '[,1]', '\ufeff{}', '{"a":1}x', 'true false', "{'a':1}", '[NaN]', '[Infinity]', '{"a":1}\u00a0'];
    for (const text of bad) {
      assert.equal(parses(text), false, text);
      assert.equal(print(Buffer.from(text)), undefined, text);
    }
    const next = random(42);
    const alphabet = Buffer.from('{}[],:"\\ 0123456789.eE+-tfnul\u00e9x');
    for (let n = 0; n < 3000; n++) {
      const bytes = Buffer.from(JSON.stringify(randomValue(next, 0)));
      for (let edits = 1 + Math.floor(next() * 2); edits > 0 && bytes.length; edits--) bytes[Math.floor(next() * bytes.length)] = alphabet[Math.floor(next() * alphabet.length)];
      const text = bytes.toString('utf8');
      const printed = print(bytes);
      assert.equal(printed !== undefined, parses(text), text);
      if (printed !== undefined) assert.deepEqual(JSON.parse(printed), JSON.parse(text), text);
    }
  });

  it('copies bytes that are not UTF-8 inside strings, so decoding the print gives what decoding the text would', () => {
    const bytes = Buffer.concat([Buffer.from('{"a":"x'), Buffer.from([0xff, 0xc3]), Buffer.from('y"}')]);
    assert.equal(print(bytes), JSON.stringify(JSON.parse(bytes.toString('utf8')), null, 2));
  });
});

describe('predict JSON pretty-printing while it arrives', () => {
  const records = (count: number) => Array.from({ length: count }, (_, i) => ({ id: i, text: `record ${i} «ünïcode» 🎉`, score: i / 7, tags: ['a', 'b'] }));

  it('a large body fed in network-sized chunks prints as JSON.stringify(value, null, 2), in slices', async () => {
    const value = records(40_000);
    const body = Buffer.from(JSON.stringify(value));
    assert.ok(body.length > 2 * 1024 * 1024);
    const stream = new PrettyJsonStream();
    for (let at = 0; at < body.length; at += 65_521) await stream.add(body.subarray(at, at + 65_521));
    assert.deepEqual(await stream.finish(), { text: JSON.stringify(value, null, 2), valid: true, media: [] });
  });

  it('a large body that is not JSON comes back whole, as it came', async () => {
    const body = Buffer.from(`${JSON.stringify(records(20_000))} and then some words`);
    const stream = new PrettyJsonStream();
    for (let at = 0; at < body.length; at += 40_000) await stream.add(body.subarray(at, at + 40_000));
    assert.deepEqual(await stream.finish(), { text: body.toString('utf8'), valid: false, media: [] });
  });

  it('a small body is parsed and printed by V8 (numbers in their shortest form), as before', async () => {
    assert.deepEqual(await prettyJson('[1e400,-0,1.50]'), { text: '[\n  null,\n  0,\n  1.5\n]', valid: true, media: [] });
    assert.equal((await reindent('[1e400,-0,1.50]')).text, '[\n  1e400,\n  -0,\n  1.50\n]');
  });

  it('finds base64 media and its path in a large body, wherever the chunks are cut', async () => {
    const png = gradientPng(8, 8).toString('base64');
    const value = { records: records(15_000), 'odd key': [{ image: `data:image/png;base64,${png}` }] };
    const body = Buffer.from(JSON.stringify(value));
    const stream = new PrettyJsonStream();
    for (let at = 0; at < body.length; at += 7_777) await stream.add(body.subarray(at, at + 7_777));
    const result = await stream.finish();
    assert.equal(result.text, JSON.stringify(value, null, 2));
    assert.deepEqual(
      result.media.map((m) => [m.path, m.mime, m.base64 === png]),
      [['$["odd key"][0].image', 'image/png', true]],
    );
  });

  it('hands back the bytes taken so far, as they came, when the body turns out too large to show', async () => {
    const body = Buffer.from(JSON.stringify(records(20_000)));
    const stream = new PrettyJsonStream();
    const parts = [body.subarray(0, 1_500_000), body.subarray(1_500_000, 1_600_000)];
    for (const part of parts) await stream.add(part);
    assert.deepEqual(Buffer.concat(stream.abandon()), body.subarray(0, 1_600_000));
  });
});
