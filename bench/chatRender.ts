/**
 * The chat page's render cost per frame while a 300 KiB paragraph with no blank line streams in: the page's
 * own `AnswerView` (bundled as the extension bundles it) in headless Chromium, fed 2 KiB a frame, reading the
 * time each frame's render took (script, style and layout; the footer's `data-render-ms`). Flat means the
 * last 20 KiB cost what the first 20 KiB did; the baseline in the same run is the same view re-rendering the
 * whole open paragraph each frame, as the page did before.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import type { BenchRow } from './chatPanel';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/runner/vscodeServer';

const TOTAL = 300 * 1024;
const PER_FRAME = 2 * 1024;
const WINDOW = 20 * 1024;

/** Runs in the page: streams the paragraph into a new answer and returns [length, render ms] per frame. */
const PAGE_ENTRY = `
import { AnswerView } from './media/chat/answerView';
window.streamParagraph = async (total, perFrame, piecewise) => {
  const transcript = document.getElementById('transcript');
  transcript.replaceChildren();
  const turn = { role: 'assistant', id: 'bench', model: 'bench', text: '', reasoning: '', toolCalls: [], state: 'streaming', stats: {} };
  const view = new AnswerView(turn, { decorate() {} }, piecewise);
  transcript.append(view.root);
  const words = 'The replica scales **down** after the idle window, and a \`cold start\` loads the weights again before the first token; see [the docs](https://docs.baseten.co) for details'.split(' ');
  const footer = view.root.querySelector('footer');
  const samples = [];
  let length = 0;
  let word = 0;
  while (length < total) {
    let delta = '';
    while (delta.length < perFrame) delta += words[word++ % words.length] + (word % 23 === 0 ? '\\n' : ' ');
    length += delta.length;
    view.apply({ text: delta });
    await new Promise((resolve) => requestAnimationFrame(() => resolve()));
    samples.push([Number(footer.dataset.renderedLength), Number(footer.dataset.renderMs), Number(footer.dataset.scriptMs)]);
  }
  const paragraphs = view.root.querySelectorAll('.answer p').length;
  const sealed = view.root.querySelectorAll('.answer .sealed-lines').length;
  return { samples, paragraphs, sealed };
};
`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : NaN;
}

export async function chatRenderCost(root: string): Promise<BenchRow[]> {
  const bundle = await build({
    stdin: { contents: PAGE_ENTRY, resolveDir: root, loader: 'ts' },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    minify: true,
  });
  const styles = ['media/webview.css', 'media/chat/chat.css'].map((file) => readFileSync(path.join(root, file), 'utf8')).join('\n');
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  try {
    const page = await browser.newPage({ viewport: { width: 900, height: 900 } });
    await page.setContent(`<!DOCTYPE html><html><head><style>${styles}</style></head><body class="vscode-dark"><main id="transcript"></main></body></html>`);
    await page.addScriptTag({ content: bundle.outputFiles[0].text });
    type Run = { samples: Array<[number, number, number]>; paragraphs: number; sealed: number };
    const stream = (piecewise: boolean): Promise<Run> =>
      page.evaluate(([total, perFrame, pieces]) => (window as unknown as { streamParagraph(t: number, p: number, w: boolean): Promise<Run> }).streamParagraph(total, perFrame, pieces), [TOTAL, PER_FRAME, piecewise] as const);
    await stream(true); // warm-up: JIT, fonts
    const ours = await stream(true);
    const before = await stream(false);
    const early = (run: Run): number => median(run.samples.filter(([length]) => length <= WINDOW).map(([, ms]) => ms));
    const late = (run: Run): number => median(run.samples.filter(([length]) => length > TOTAL - WINDOW).map(([, ms]) => ms));
    const script = (run: Run, atEnd: boolean): number =>
      median(run.samples.filter(([length]) => (atEnd ? length > TOTAL - WINDOW : length <= WINDOW)).map((sample) => sample[2]));
    const max = (run: Run): number => Math.max(...run.samples.map(([, ms]) => ms));
    console.log(`  (the open paragraph sealed ${ours.sealed} times)`);
    if (ours.paragraphs !== 1) throw new Error(`the streamed paragraph showed as ${ours.paragraphs} paragraphs`);
    return [
      {
        figure: 'chat page, 300 KiB paragraph without blank lines, 2 KiB a frame: render per frame at 280–300 KiB vs at 0–20 KiB (median)',
        ours: `${late(ours).toFixed(2)} ms (max ${max(ours).toFixed(1)} ms)`,
        baseline: `${early(ours).toFixed(2)} ms`,
        ratio: late(ours) / early(ours),
        goal: 'flat: ratio ≤ 2',
        met: late(ours) / early(ours) <= 2,
      },
      {
        figure: 'chat page, same: script part of a frame at 280–300 KiB (markdown and DOM; the rest is style and layout) vs at 0–20 KiB',
        ours: `${script(ours, true).toFixed(2)} ms`,
        baseline: `${script(ours, false).toFixed(2)} ms`,
        ratio: script(ours, true) / script(ours, false),
        goal: 'flat: ratio ≤ 2',
        met: script(ours, true) / script(ours, false) <= 2,
      },
      {
        figure: 'chat page, same paragraph at 280–300 KiB: kept pieces vs re-rendering the whole open paragraph each frame',
        ours: `${late(ours).toFixed(2)} ms`,
        baseline: `${late(before).toFixed(2)} ms (max ${max(before).toFixed(1)} ms)`,
        ratio: late(ours) / late(before),
        goal: 'ratio ≤ 0.2',
        met: late(ours) / late(before) <= 0.2,
      },
    ];
  } finally {
    await browser.close();
  }
}
