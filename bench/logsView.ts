/**
 * The logs tab with 100,000 lines: the page's own `LogList` (bundled as the extension bundles it) in headless
 * Chromium, fed the lines as the host sends them (20 messages of 5,000), reading the longest main-thread stall
 * (a message's script plus the frame it causes: style, layout, paint) and, after a garbage collection, the
 * JS heap and DOM nodes. The baseline in the same run is the same rows with every line in the DOM.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import type { BenchRow } from './chatPanel';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/runner/vscodeServer';

const LINES = 100_000;
const PER_MESSAGE = 5_000;

/** Runs in the page: makes the rows, feeds them message by message, returns the stall of each message and of a scroll. */
const PAGE_ENTRY = `
import { LogList } from './media/logs/logList';
import { firstLine, formatLogTime, levelWord } from './src/features/logs/logic/logFormat';
const LEVELS = ['INFO', 'INFO', 'DEBUG', 'INFO', 'WARNING', 'INFO', 'INFO', 'ERROR'];
function rows(total) {
  const start = Date.now() - total * 20;
  return Array.from({ length: total }, (_, i) => ({
    timeMs: start + i * 20,
    level: LEVELS[i % LEVELS.length],
    replica: ['bj0db', 's70yv', 'k2x9a'][i % 3],
    requestId: (i * 2654435761 >>> 0).toString(16).padStart(8, '0') + 'c0ffee00c0ffee00c0ffee00',
    message: i % 97 === 0 ? 'Exception while running predict: RuntimeError: boom\\nTraceback (most recent call last):\\n  File "/app/model/model.py", line 42' : 'Completed predict in ' + (i % 300) + ' ms (HTTP 200) for an input of ' + (i % 900) + ' bytes',
  }));
}
const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
/** Every line its own row in the DOM, as a list that is not virtualised draws them. */
class EveryRow {
  constructor(grid, canvas) { this.grid = grid; this.canvas = canvas; this.rows = []; }
  append(rows) {
    const fragment = document.createDocumentFragment();
    for (const row of rows) {
      const element = document.createElement('div');
      element.className = 'row';
      element.setAttribute('role', 'row');
      element.dataset.level = row.level ?? 'NONE';
      for (const [name, text] of [['time', formatLogTime(row.timeMs, Date.now())], ['level', levelWord(row.level)], ['replica', row.replica ?? ''], ['request', row.requestId?.slice(0, 8) ?? ''], ['message', firstLine(row.message).text]]) {
        const cell = document.createElement('span');
        cell.className = name;
        cell.setAttribute('role', 'gridcell');
        cell.textContent = text;
        element.append(cell);
      }
      fragment.append(element);
      this.rows.push(row);
    }
    this.canvas.append(fragment);
    this.grid.scrollTop = this.grid.scrollHeight;
  }
}
window.feedLogs = async (total, perMessage, virtual) => {
  const grid = document.getElementById('transcript');
  const canvas = document.getElementById('canvas');
  if (!virtual) canvas.classList.add('every-row');
  const list = virtual ? new LogList(grid, canvas) : new EveryRow(grid, canvas);
  const all = rows(total);
  await frame();
  const stalls = [];
  for (let i = 0; i < total; i += perMessage) {
    const message = JSON.parse(JSON.stringify({ type: 'lines', place: 'end', rows: all.slice(i, i + perMessage) }));
    const started = performance.now();
    list.append(message.rows);
    void canvas.getBoundingClientRect().height; // the style and layout the frame would do, now
    stalls.push(performance.now() - started);
    await frame();
  }
  const started = performance.now();
  grid.scrollTop = grid.scrollHeight / 2;
  if (virtual) list.renderNow();
  void canvas.getBoundingClientRect().height;
  const scroll = performance.now() - started;
  await frame();
  window.keep = list;
  return { stalls, scroll, inDom: canvas.querySelectorAll('.row').length };
};
`;

interface Feed {
  stalls: number[];
  scroll: number;
  inDom: number;
}

async function measure(bundle: string, styles: string, virtual: boolean, lines = LINES): Promise<{ feed: Feed; heapMB: number; nodes: number }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, '--js-flags=--expose-gc'], headless: true });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.setContent(`<!DOCTYPE html><html><head><style>${styles}\n.canvas.every-row .row { position: static; }</style></head><body class="vscode-dark" style="height:900px"><div id="transcript" class="grid" role="grid" tabindex="0"><div class="row head" role="row"><span>Time</span></div><div id="canvas" class="canvas" role="presentation"></div></div></body></html>`);
    await page.addScriptTag({ content: bundle });
    const feed = await page.evaluate(([total, per, v]) => (window as unknown as { feedLogs(t: number, p: number, v: boolean): Promise<Feed> }).feedLogs(total, per, v), [lines, Math.min(lines, PER_MESSAGE), virtual] as const);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('Performance.enable');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const metric = (name: string): number => metrics.find((m) => m.name === name)?.value ?? NaN;
    return { feed, heapMB: metric('JSHeapUsedSize') / 2 ** 20, nodes: metric('Nodes') };
  } finally {
    await browser.close();
  }
}

export async function logsViewCost(root: string): Promise<BenchRow[]> {
  const bundle = await build({ stdin: { contents: PAGE_ENTRY, resolveDir: root, loader: 'ts' }, bundle: true, write: false, format: 'iife', platform: 'browser', target: 'chrome120', minify: true });
  const styles = ['media/webview.css', 'media/logs/logs.css'].map((file) => readFileSync(path.join(root, file), 'utf8')).join('\n');
  const script = bundle.outputFiles[0].text;
  await measure(script, styles, true); // warm-up: JIT, fonts
  const ours = await measure(script, styles, true);
  const every = await measure(script, styles, false);
  const few = await measure(script, styles, true, 1_000);
  const longest = (feed: Feed): number => Math.max(...feed.stalls);
  console.log(`  (virtualised: ${ours.feed.inDom} rows in the DOM, stalls ${ours.feed.stalls.map((ms) => ms.toFixed(0)).join(' ')} ms; every row: ${every.feed.inDom})`);
  return [
    {
      figure: 'logs tab, 100,000 lines in 20 messages of 5,000: longest main-thread stall (a message and its frame), virtualised vs every line in the DOM',
      ours: `${longest(ours.feed).toFixed(1)} ms`,
      baseline: `${longest(every.feed).toFixed(1)} ms`,
      ratio: longest(ours.feed) / longest(every.feed),
      goal: 'no stall over 100 ms',
      met: longest(ours.feed) <= 100,
    },
    {
      figure: 'logs tab, virtualised: jump to the middle and draw it, 100,000 lines vs 1,000 lines',
      ours: `${ours.feed.scroll.toFixed(1)} ms`,
      baseline: `${few.feed.scroll.toFixed(1)} ms`,
      ratio: ours.feed.scroll / few.feed.scroll,
      goal: 'within a frame (16 ms) whatever the lines',
      met: ours.feed.scroll <= 16,
    },
    {
      figure: 'logs tab, 100,000 lines: JS heap after GC (the lines themselves are most of it), and DOM nodes',
      ours: `${ours.heapMB.toFixed(1)} MB, ${ours.nodes} nodes`,
      baseline: `${every.heapMB.toFixed(1)} MB, ${every.nodes} nodes`,
      ratio: ours.heapMB / every.heapMB,
      goal: 'heap ≤ baseline; DOM nodes ≤ 1,000 whatever the lines',
      met: ours.heapMB <= every.heapMB && ours.nodes <= 1000,
    },
  ];
}
