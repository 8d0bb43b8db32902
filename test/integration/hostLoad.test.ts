/**
 * What a 50 MB predict answer costs the extension host: its longest event-loop stall and heap growth, through
 * the extension's own path (Predict with Current File, answer over the size limit → a file) and, as the
 * baseline in the same host, the client alone draining the same body. Figures are recorded for the bench
 * (`npm run bench hostpredict`), never asserted as times; the test checks only that the answer arrived whole.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { SEED } from '../../emulator/state/seed';
import type { PredictOutcome } from '../../src/features/predict/predictRun';
import { extensionApi, hostFigures } from './harness';

const BYTES = 50 * 1024 * 1024;
const chunked = { kind: 'model' as const, id: SEED.models.chunked.id, name: 'chunked' };

async function measured<T>(work: () => Promise<T>): Promise<{ result: T; stallMs: number; heapMB: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let heapPeak = heapBefore;
  const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 20);
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  try {
    const result = await work();
    return { result, stallMs: delay.max / 1e6, heapMB: (heapPeak - heapBefore) / 1024 / 1024 };
  } finally {
    delay.disable();
    clearInterval(sampler);
  }
}

describe('Extension host under a 50 MB predict answer', function () {
  this.timeout(120_000);

  it('the answer is saved whole to a file; stall and heap are recorded against the client alone', async () => {
    const api = await extensionApi();
    const alone = await measured(async () => {
      const response = await api.services.client.inference.predict(chunked, { kind: 'production' }, { kind: 'json', value: { bytes: BYTES } });
      assert.equal(response.kind, 'stream');
      let size = 0;
      if (response.kind === 'stream') for await (const chunk of response.chunks) size += chunk.length;
      return size;
    });
    assert.equal(alone.result, BYTES);

    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'a workspace folder is open');
    const input = vscode.Uri.joinPath(folder.uri, 'predict-inputs', 'fifty-megabytes.json');
    await vscode.workspace.fs.writeFile(input, Buffer.from(JSON.stringify({ bytes: BYTES })));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(input), { preview: false });
    const ours = await measured(async () => vscode.commands.executeCommand<PredictOutcome>('baseten.predictWithFile', { owner: chunked, target: { kind: 'production' } }));
    assert.equal(ours.result.outcome, 'ok', ours.result.message);
    assert.ok(ours.result.file, 'over the size limit, the answer went to a file');
    assert.equal((await fs.stat(ours.result.file)).size, BYTES);

    hostFigures.predict50MB = { stallMs: ours.stallMs, heapMB: ours.heapMB, aloneStallMs: alone.stallMs, aloneHeapMB: alone.heapMB };
    console.log(`    50 MB predict in the extension host: stall ${ours.stallMs.toFixed(1)} ms, heap +${ours.heapMB.toFixed(1)} MB; client alone: stall ${alone.stallMs.toFixed(1)} ms, heap +${alone.heapMB.toFixed(1)} MB`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
