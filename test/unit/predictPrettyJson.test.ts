import * as assert from 'node:assert/strict';
import { gradientPng } from '../../emulator/inference/png';
import { prettyJson, reindent } from '../../src/features/predict/logic/prettyJson';

const SAMPLES: unknown[] = [
  { a: 1, b: [true, false, null], c: { d: 'x', e: {} }, f: [], g: [[]], h: [{}] },
  [1, -2.5, 3e10, 0, 'a "quoted" \\ string', '\u2028 ünïcode 🎉', { 'key with spaces': { '': [] } }],
  'just a string',
  42,
  null,
  { nested: Array.from({ length: 50 }, (_, i) => ({ i, t: `item ${i}`, deep: { deeper: [i, [i, { i }]] } })) },
];

describe('predict JSON pretty-printing without parsing', () => {
  for (const [n, sample] of SAMPLES.entries()) {
    it(`prints sample ${n + 1} exactly as JSON.stringify(value, null, 2) does, from compact or spaced text`, async () => {
      const expected = JSON.stringify(sample, null, 2);
      assert.deepEqual(await reindent(JSON.stringify(sample)), { text: expected, valid: true, media: [] });
      assert.equal((await reindent(` \n${JSON.stringify(sample, null, 4)}\r\n`)).text, expected);
    });
  }

  it('escaped slashes and quotes inside strings are kept as they are', async () => {
    const text = '{"url":"http:\\/\\/x\\/y","q":"say \\"}\\" ,[:"}';
    assert.equal((await reindent(text)).text, '{\n  "url": "http:\\/\\/x\\/y",\n  "q": "say \\"}\\" ,[:"\n}');
  });

  it('text that is not JSON is reported as such', async () => {
    for (const bad of ['{"a": 1', '{"a": 1]]', '[1, 2', '{"a": tru}', '"unterminated', '[1] [2]', '{"a": @}', '']) {
      assert.equal((await reindent(bad)).valid, false, bad);
    }
  });

  it('is exactly as strict as JSON.parse: nothing that is not JSON is printed as if it were', async () => {
    const base64Like = 'A'.repeat(80);
    for (const bad of ['[1 2]', '{"a" 1}', '[1,]', '{"a": 1,}', '["bad \\q escape"]', '["tab\there"]', '[01]', '[1.]', `["${base64Like}\u0001"]`]) {
      assert.throws(() => JSON.parse(bad), bad);
      assert.equal((await reindent(bad)).valid, false, bad);
    }
  });

  it('finds base64 media with its path in the same pass', async () => {
    const png = gradientPng(8, 8).toString('base64');
    const result = await reindent(JSON.stringify({ images: [{ data: png }], note: 'x'.repeat(100), 'odd key': `data:image/png;base64,${png}` }));
    assert.equal(result.valid, true);
    assert.deepEqual(
      result.media.map((m) => [m.path, m.mime, m.base64 === png]),
      [
        ['$.images[0].data', 'image/png', true],
        ['$["odd key"]', 'image/png', true],
      ],
    );
  });

  it('a large answer is printed in slices that leave the event loop free', async () => {
    const records = Array.from({ length: 60_000 }, (_, i) => ({ id: i, text: `record ${i}`, tags: ['a', 'b'] }));
    const text = JSON.stringify(records);
    assert.ok(text.length > 1024 * 1024);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const result = await prettyJson(text);
    clearInterval(timer);
    assert.equal(result.text, JSON.stringify(records, null, 2));
    assert.ok(ticks >= 2, `timers ran ${ticks} times while it printed`);
  });
});
