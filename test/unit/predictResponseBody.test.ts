import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { SEED } from '../../emulator/state/seed';
import { binaryBytes } from '../../emulator/inference/predictors';
import { BasetenClient, PRODUCTION, jsonInput } from '../../src/client';
import type { Owner } from '../../src/client';
import { RenderOptions, renderResponse } from '../../src/features/predict/logic/responseBody';
import { Emulator, useEmulatorClient } from './helpers/client';

const model = (name: keyof typeof SEED.models): Pick<Owner, 'kind' | 'id'> => ({ kind: 'model', id: SEED.models[name].id });

describe('predict response path (document or file)', function () {
  this.timeout(20_000);
  let emulator: Emulator;
  let client: BasetenClient;
  let folder: string;

  useEmulatorClient({ emulator: { tokenDelayMs: 2 }, fresh: 'suite' }, (current) => ({ emulator, client } = current));
  beforeEach(async () => {
    folder = await fs.mkdtemp(path.join(os.tmpdir(), 'baseten-responses-'));
  });
  afterEach(async () => {
    await fs.rm(folder, { recursive: true, force: true });
  });

  const options = (overrides: Partial<RenderOptions> = {}): RenderOptions => ({ limitBytes: 10 * 1024 * 1024, folder, fileStem: 'response', ...overrides });
  const predict = (name: keyof typeof SEED.models, input: unknown) => client.inference.predict(model(name), PRODUCTION, jsonInput(input), { readJson: false });

  it('a JSON answer becomes a pretty-printed JSON document', async () => {
    const rendered = await renderResponse(await predict('echo', { a: [1, 2], b: 'x' }), options());
    assert.equal(rendered.kind, 'document');
    assert.ok(rendered.kind === 'document');
    assert.equal(rendered.language, 'json');
    assert.equal(rendered.text, JSON.stringify({ a: [1, 2], b: 'x' }, null, 2));
    assert.equal(rendered.size, Buffer.byteLength(JSON.stringify({ a: [1, 2], b: 'x' })));
  });

  it('a JSON answer above the limit is written to a file as it arrives, byte for byte', async () => {
    const input = { text: 'y'.repeat(200_000) };
    const rendered = await renderResponse(await predict('echo', input), options({ limitBytes: 50_000 }));
    assert.ok(rendered.kind === 'file' && rendered.reason === 'too_large');
    assert.equal(path.extname(rendered.file), '.json');
    assert.deepEqual(JSON.parse(await fs.readFile(rendered.file, 'utf8')), input);
    assert.equal(rendered.size, (await fs.stat(rendered.file)).size);
  });

  it('a parsed JSON answer above the limit goes to a file without being pretty-printed first', async () => {
    const input = { text: 'y'.repeat(200_000) };
    const response = await client.inference.predict(model('echo'), PRODUCTION, jsonInput(input));
    assert.ok(response.kind === 'json', 'the client parsed the JSON body');
    // Each serialization of the value calls its toJSON once: a pretty-print before the check would be a second.
    let serialized = 0;
    const counted = { ...(response.value as object), toJSON: () => (serialized++, input) };
    const rendered = await renderResponse({ ...response, value: counted }, options({ limitBytes: 50_000 }));
    assert.ok(rendered.kind === 'file' && rendered.reason === 'too_large');
    assert.equal(serialized, 1, 'serialized once, compact');
    assert.equal(await fs.readFile(rendered.file, 'utf8'), JSON.stringify(input));
  });

  it('SSE events become JSON lines, handed on in batches rather than per event', async () => {
    const batches: string[] = [];
    const rendered = await renderResponse(await predict('sse', { events: 40 }), options({ onText: (pieces) => batches.push(pieces.join('')), flushMs: 20 }));
    assert.ok(rendered.kind === 'document');
    assert.equal(rendered.language, 'jsonl');
    const lines = rendered.text.trim().split('\n');
    assert.equal(lines.length, 40);
    assert.deepEqual(JSON.parse(lines[39]), { index: 39, text: 'event 40 of 40', done: true });
    assert.equal(batches.join(''), rendered.text, 'the batches add up to the document');
    assert.ok(batches.length >= 2 && batches.length < 40, `${batches.length} updates for 40 events`);
  });

  it('chunked text is shown as it arrives', async () => {
    const batches: string[] = [];
    const rendered = await renderResponse(await predict('chunked', { chunks: 30 }), options({ onText: (pieces) => batches.push(pieces.join('')), flushMs: 10 }));
    assert.ok(rendered.kind === 'document');
    assert.equal(rendered.language, 'plaintext');
    assert.match(rendered.text, /^chunk 1 of 30: .*\n[\s\S]*chunk 30 of 30/);
    assert.ok(batches.length >= 2 && batches.length < 30, `${batches.length} updates for 30 chunks`);
  });

  it('a stream that outgrows the limit keeps what was shown and goes on into a file', async () => {
    const shown: string[] = [];
    const rendered = await renderResponse(await predict('chunked', { bytes: 512 * 1024 }), options({ limitBytes: 100_000, onText: (pieces) => shown.push(pieces.join('')) }));
    assert.ok(rendered.kind === 'file' && rendered.reason === 'too_large');
    assert.equal(rendered.size, 512 * 1024);
    assert.equal((await fs.stat(rendered.file)).size, 512 * 1024);
    const shownText = rendered.shown?.join('') ?? '';
    assert.ok(shownText.length > 0 && shownText.length <= 100_000);
    assert.equal(shown.join(''), shownText);
    assert.ok((await fs.readFile(rendered.file, 'utf8')).startsWith(shownText));
  });

  it('binary output is saved to a file with every byte', async () => {
    const rendered = await renderResponse(await predict('binary', { bytes: 300_000 }), options());
    assert.ok(rendered.kind === 'file' && rendered.reason === 'binary');
    assert.equal(path.extname(rendered.file), '.bin');
    assert.deepEqual(await fs.readFile(rendered.file), binaryBytes(300_000));
    assert.equal(rendered.media, undefined);
  });

  it('a base64 PNG inside a JSON answer is found for preview', async () => {
    const rendered = await renderResponse(await predict('binary', { format: 'png', size: 32 }), options());
    assert.ok(rendered.kind === 'document');
    assert.equal(rendered.media.length, 1);
    assert.equal(rendered.media[0].mime, 'image/png');
    assert.equal(rendered.media[0].path, '$.image');
  });

  it('a stream cut off mid-way fails after handing on what arrived, and leaves no file behind', async () => {
    emulator.faults.add({ match: { path: /\/predict$/ }, times: 1, fault: { kind: 'drop', afterBytes: 200_000 } });
    const shown: string[] = [];
    await assert.rejects(renderResponse(await predict('chunked', { bytes: 512 * 1024 }), options({ limitBytes: 100_000, onText: (pieces) => shown.push(pieces.join('')) })));
    assert.ok(shown.join('').length > 0);
    assert.deepEqual(await fs.readdir(folder), []);
  });

  it('a long stream is shown live only up to the preview size; the whole text comes with the result', async () => {
    const shown: string[] = [];
    const rendered = await renderResponse(await predict('chunked', { bytes: 300_000 }), options({ livePreviewBytes: 64 * 1024, onText: (pieces) => shown.push(pieces.join('')) }));
    assert.ok(rendered.kind === 'document');
    assert.equal(rendered.text.length, 300_000, 'the document has every byte');
    const live = shown.join('');
    assert.ok(live.length < 70 * 1024, `${live.length} characters shown live`);
    assert.match(live, /64\.0 KB shown while it streams; the rest comes when the response ends/);
    const before = live.slice(0, live.indexOf('\n… (64.0 KB'));
    assert.ok(before.length > 32 * 1024 && rendered.text.startsWith(before), 'the live part is the start of the answer');
  });

  it('a stream cut off past the live preview still shows every byte that arrived', async () => {
    emulator.faults.add({ match: { path: /\/predict$/ }, times: 1, fault: { kind: 'drop', afterBytes: 200_000 } });
    const shown: string[] = [];
    const failed = await renderResponse(await predict('chunked', { bytes: 512 * 1024 }), options({ livePreviewBytes: 32 * 1024, onText: (pieces) => shown.push(pieces.join('')) })).then(
      () => undefined,
      (error: unknown) => error,
    );
    assert.ok(failed, 'the drop fails the render');
    const text = shown.join('').replace(/\n… \(32\.0 KB shown while it streams; the rest comes when the response ends\)\n/, '');
    assert.ok(text.length >= 150_000, `${text.length} characters shown of the ~200 KB that arrived`);
  });

  it('a chunked JSON answer with no length is pretty-printed as it arrives, or goes to a file byte for byte past the limit', async () => {
    // A local model that streams JSON in small HTTP chunks without a Content-Length, multi-byte characters cut across them.
    const value = Array.from({ length: 30_000 }, (_, i) => ({ id: i, text: `réponse ${i} 🎉`, tags: ['a'] }));
    const body = Buffer.from(JSON.stringify(value));
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      for (let at = 0; at < body.length; at += 10_007) res.write(body.subarray(at, at + 10_007));
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const local = new BasetenClient({ apiKey: 'k', endpoints: { modelHostTemplate: `http://127.0.0.1:${(server.address() as AddressInfo).port}/model-{id}` } });
    try {
      const call = () => local.inference.predict(model('echo'), PRODUCTION, jsonInput({}), { readJson: false });
      const shown = await renderResponse(await call(), options());
      assert.ok(shown.kind === 'document' && shown.language === 'json');
      assert.equal(shown.text, JSON.stringify(value, null, 2));
      assert.equal(shown.size, body.length);

      const saved = await renderResponse(await call(), options({ limitBytes: 1024 * 1024 }));
      assert.ok(saved.kind === 'file' && saved.reason === 'too_large');
      assert.deepEqual(await fs.readFile(saved.file), body);
    } finally {
      await local.destroy();
      server.close();
    }
  });
});
