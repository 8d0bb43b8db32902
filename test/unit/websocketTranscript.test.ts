/**
 * The WebSocket panel's pure core (src/websocket): hex previews, pretty JSON, JSON errors with their
 * position, the transcript's cap and JSON-lines export, batching for the page, and the page's saved state.
 */
import * as assert from 'node:assert/strict';
import { describeText, formatSize, hexPreview } from '../../src/features/websocket/logic/format';
import { describeJsonError, jsonErrorOffset, parseJsonInput } from '../../src/features/websocket/logic/jsonInput';
import type { TranscriptEntry } from '../../src/features/websocket/logic/protocol';
import { EntryBatcher, KEPT_BINARY_BYTES, SHOWN_TEXT_CHARS, Transcript } from '../../src/features/websocket/logic/transcript';
import { parseSavedSession, parseWebviewMessage } from '../../src/features/websocket/logic/panelMessages';

describe('WebSocket transcript formatting', () => {
  it('previews binary as hex pairs with how many bytes are left out', () => {
    assert.equal(hexPreview(new Uint8Array([0, 31, 160, 255])), '00 1f a0 ff');
    const bytes = Uint8Array.from({ length: 1024 }, (_, i) => (31 * i + 7) % 256);
    assert.equal(hexPreview(bytes, 4), '07 26 45 64 … (+1020 bytes)');
    assert.equal(hexPreview(new Uint8Array([1, 2]), 1), '01 … (+1 byte)');
    assert.equal(hexPreview(new Uint8Array()), '');
  });

  it('sizes in bytes, KiB and MiB', () => {
    assert.equal(formatSize(12), '12 B');
    assert.equal(formatSize(1536), '1.5 KiB');
    assert.equal(formatSize(100 * 1024 * 1024), '100 MiB');
  });

  it('pretty-prints JSON objects and arrays, leaves other text as it came', () => {
    assert.deepEqual(describeText('{"a":1,"b":[true]}'), { json: true, shown: '{\n  "a": 1,\n  "b": [\n    true\n  ]\n}' });
    assert.deepEqual(describeText('  [1]'), { json: true, shown: '[\n  1\n]' });
    assert.deepEqual(describeText('{not json'), { json: false, shown: '{not json' });
    assert.deepEqual(describeText('42'), { json: false, shown: '42' });
    assert.deepEqual(describeText('Hello <b>'), { json: false, shown: 'Hello <b>' });
  });

  it('says where JSON typed by the user is broken: line, column and offset', () => {
    const ok = parseJsonInput(' {"prompt": "hi"} ');
    assert.ok(ok.ok);
    assert.deepEqual(ok.ok && ok.value, { prompt: 'hi' });

    const broken = parseJsonInput('{\n  "a": 1,\n  "b" 2\n}');
    assert.ok(!broken.ok);
    if (broken.ok) return;
    assert.equal(broken.position, 18);
    assert.deepEqual([broken.line, broken.column], [3, 7]);
    assert.match(describeJsonError(broken), /^Invalid JSON at line 3, column 7 \(offset 18\): /);
    assert.doesNotMatch(broken.message, /position|line \d/);

    const cut = parseJsonInput('{"a": [1, 2');
    assert.ok(!cut.ok);
    if (cut.ok) return;
    assert.equal(cut.position, 11);
    assert.deepEqual([cut.line, cut.column], [1, 12]);

    const token = parseJsonInput('{"a": }');
    assert.ok(!token.ok);
    if (token.ok) return;
    assert.deepEqual([token.position, token.line, token.column], [6, 1, 7]);
    assert.equal(token.message, "Unexpected token '}'");

    const empty = parseJsonInput('   ');
    assert.ok(!empty.ok);
  });
});

describe('WebSocket JSON error offsets', () => {
  it('finds the first bad character, or -1 for valid JSON', () => {
    const cases: Array<[string, number]> = [
      ['{"a": [1, 2.5e3, -0, "x\\u00e9", true, null, {}]}', -1],
      ['  "text"  ', -1],
      ['{"a" 1}', 5],
      ['[1,]', 3],
      ['{"a": tru}', 6],
      ['"bad \\q escape"', 6],
      ['[1] 2', 4],
      ['{"a": 01}', 7],
      ['-', 0],
      ['["cut', 5],
      ['"cut\\', 5],
      ['"\\u12G4"', 5],
      ['"a\u0001b"', 2],
      ['1.', 1],
      ['truex', 4],
      ['[1 2]', 3],
      ['[1 /* comment */]', 3],
      ['{"a":1,}', 7],
    ];
    for (const [text, offset] of cases) {
      assert.equal(jsonErrorOffset(text), offset, text);
      assert.equal(offset === -1, (() => { try { JSON.parse(text); return true; } catch { return false; } })(), `agrees with JSON.parse on ${text}`);
    }
  });
});

describe('WebSocket transcript', () => {
  it('keeps entries in order with ids and times, and drops the oldest past its cap', () => {
    let now = 1_000;
    const transcript = new Transcript(3, () => now++);
    transcript.text('sent', 'one');
    transcript.text('received', 'two');
    transcript.event('Pong in 1 ms');
    const last = transcript.text('received', 'four');
    assert.equal(transcript.length, 3);
    assert.equal(transcript.dropped, 1);
    assert.deepEqual(transcript.entries.map((e) => e.text), ['two', 'Pong in 1 ms', 'four']);
    assert.equal(last.id, 4);
    assert.equal(last.at, 1_003);
  });

  it('drops the oldest entries when the text it holds passes its character budget, never the newest', () => {
    const transcript = new Transcript(1_000, Date.now, 100);
    for (let i = 0; i < 5; i++) transcript.text('received', String(i).repeat(30));
    assert.deepEqual(transcript.entries.map((e) => e.text?.[0]), ['2', '3', '4']);
    assert.equal(transcript.dropped, 2);
    transcript.text('received', 'x'.repeat(500));
    assert.equal(transcript.length, 1, 'one message over the budget is still kept');
    assert.equal(transcript.dropped, 5);
  });

  it('gives the page no bytes and at most 64 Ki characters of a text', () => {
    const transcript = new Transcript();
    const big = 'x'.repeat(SHOWN_TEXT_CHARS + 10);
    const shown = transcript.text('received', big);
    assert.equal(shown.text?.length, SHOWN_TEXT_CHARS);
    assert.equal(shown.truncated, true);
    assert.equal(shown.size, big.length);
    const binary = transcript.binary('received', new Uint8Array([1, 2, 3]));
    assert.equal(binary.hex, '01 02 03');
    assert.ok(!('base64' in binary));
  });

  it('exports JSON lines: ISO time, direction, type, size, text, binary as base64 (hex when large), close codes', () => {
    const transcript = new Transcript(100, () => Date.UTC(2026, 0, 2, 3, 4, 5, 6));
    transcript.text('sent', '{"prompt":"hi"}');
    transcript.binary('received', new Uint8Array([255, 0]), 'blob.bin');
    transcript.binary('sent', new Uint8Array(KEPT_BINARY_BYTES + 1));
    transcript.event('Closed 1011: The model or server hit an error.', 'error', 1011);
    const lines = transcript.toJsonLines().split('\n');
    assert.equal(lines.length, 5);
    assert.equal(lines[4], '');
    const parsed = lines.slice(0, 4).map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(parsed[0], { time: '2026-01-02T03:04:05.006Z', direction: 'sent', type: 'text', size: 15, text: '{"prompt":"hi"}' });
    assert.deepEqual(parsed[1], { time: '2026-01-02T03:04:05.006Z', direction: 'received', type: 'binary', size: 2, base64: '/wA=', file: 'blob.bin' });
    assert.equal(parsed[2].truncated, true);
    assert.match(String(parsed[2].hex), /^00 00 .* \(\+65505 bytes\)$/);
    assert.ok(!('base64' in parsed[2]));
    assert.deepEqual(parsed[3], { time: '2026-01-02T03:04:05.006Z', direction: 'event', type: 'event', size: 0, text: 'Closed 1011: The model or server hit an error.', level: 'error', code: 1011 });
    assert.equal(new Transcript().toJsonLines(), '');
  });

  it('carries on numbering after a restore', () => {
    const transcript = new Transcript();
    transcript.restore([{ id: 41, at: 1, direction: 'sent', kind: 'text', size: 1, text: 'a' }], 7);
    assert.equal(transcript.dropped, 7);
    assert.equal(transcript.text('received', 'b').id, 42);
  });
});

describe('WebSocket batches for the page', () => {
  const entry = (id: number): TranscriptEntry => ({ id, at: id, direction: 'received', kind: 'text', size: 1, text: String(id) });

  it('sends what arrives within an interval as one message', async () => {
    const sent: Array<{ ids: number[]; skipped: number }> = [];
    const batcher = new EntryBatcher((entries, skipped) => sent.push({ ids: entries.map((e) => e.id), skipped }), 100, 20);
    for (let i = 1; i <= 50; i++) batcher.push(entry(i));
    assert.equal(sent.length, 0);
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(sent.length, 1);
    assert.equal(sent[0].ids.length, 50);
    assert.equal(batcher.flushes, 1);
    batcher.dispose();
  });

  it('sends only the newest `limit` entries of a burst and counts the rest as skipped', () => {
    const sent: Array<{ ids: number[]; skipped: number }> = [];
    const batcher = new EntryBatcher((entries, skipped) => sent.push({ ids: entries.map((e) => e.id), skipped }), 10, 1_000);
    for (let i = 1; i <= 1_000; i++) batcher.push(entry(i));
    batcher.flush();
    assert.deepEqual(sent, [{ ids: [991, 992, 993, 994, 995, 996, 997, 998, 999, 1000], skipped: 990 }]);
    batcher.flush();
    assert.equal(sent.length, 1, 'nothing waiting, nothing sent');
    batcher.dispose();
  });
});

describe('WebSocket panel messages', () => {
  const target = { owner: { kind: 'model', id: 'adyqnviz', name: 'echo' }, target: { kind: 'production' }, label: 'production of echo' };

  it('accepts only protocol messages from the page', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'send', mode: 'json', text: '{}' }), { type: 'send', mode: 'json', text: '{}' });
    assert.deepEqual(parseWebviewMessage({ type: 'ping', extra: 1 }), { type: 'ping' });
    assert.equal(parseWebviewMessage({ type: 'send', mode: 'html', text: 'x' }), undefined);
    assert.equal(parseWebviewMessage({ type: 'eval', code: 'x' }), undefined);
    assert.equal(parseWebviewMessage('ready'), undefined);
  });

  it('restores a saved session with a valid target only, keeping well-formed entries', () => {
    const saved = parseSavedSession({
      version: 1,
      target,
      entries: [{ id: 1, at: 2, direction: 'received', kind: 'text', size: 2, text: 'hi', extra: '<script>' }, { id: 'x' }],
      hidden: 3,
      autoScroll: false,
      mode: 'json',
      draft: '{',
    });
    assert.ok(saved);
    assert.deepEqual(saved.entries, [{ id: 1, at: 2, direction: 'received', kind: 'text', size: 2, text: 'hi' }]);
    assert.equal(saved.hidden, 3);
    assert.equal(saved.autoScroll, false);
    assert.equal(saved.mode, 'json');
    assert.equal(parseSavedSession({ ...saved, target: { ...target, owner: { kind: 'model', id: '../../x', name: 'n' } } }), undefined);
    assert.equal(parseSavedSession({ ...saved, version: 2 }), undefined);
    assert.deepEqual(parseSavedSession({ ...saved, target: { ...target, target: { kind: 'environment', name: 'staging' } } })?.target.target, { kind: 'environment', name: 'staging' });
  });
});
