/**
 * The Show Metrics page: five small charts (inline SVG, theme colours) of the last hour, each with its
 * latest value and a sentence that says what it shows (the chart's text alternative). Everything is set as
 * textContent or SVG attributes; the host sends plain numbers and text.
 */
import type { Chart, MetricsPageData } from '../../src/features/metrics/logic/metricsText';
import type { MetricsFromPage, MetricsToPage } from '../../src/features/metrics/logic/protocol';

interface VsCodeApi {
  postMessage(message: MetricsFromPage): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 300;
const HEIGHT = 64;
const PAD = 3;

const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const target = byId<HTMLElement>('target');
const windowLabel = byId<HTMLElement>('window');
const updated = byId<HTMLElement>('updated');
const errorBox = byId<HTMLElement>('error');
const charts = byId<HTMLElement>('charts');
const refreshButton = byId<HTMLButtonElement>('refresh');

refreshButton.addEventListener('click', () => {
  updated.textContent = 'Refreshing…';
  vscode.postMessage({ type: 'refresh' });
});

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const created = document.createElement(tag);
  if (className) created.className = className;
  if (text !== undefined) created.textContent = text;
  return created;
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number>): SVGElementTagNameMap[K] {
  const created = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) created.setAttribute(name, String(value));
  return created;
}

/** Runs of measured points; a step without a value breaks the line. */
function segments(values: Array<number | null>, max: number): Array<Array<[number, number]>> {
  const runs: Array<Array<[number, number]>> = [];
  let run: Array<[number, number]> = [];
  const step = values.length > 1 ? (WIDTH - 2 * PAD) / (values.length - 1) : 0;
  values.forEach((value, index) => {
    if (value === null) {
      if (run.length) runs.push(run);
      run = [];
      return;
    }
    const y = HEIGHT - PAD - (max > 0 ? (value / max) * (HEIGHT - 2 * PAD) : 0);
    run.push([PAD + index * step, Math.round(y * 10) / 10]);
  });
  if (run.length) runs.push(run);
  return runs;
}

function drawChart(chart: Chart, captionId: string): SVGSVGElement {
  const max = Math.max(0, ...chart.lines.flatMap((line) => line.values.filter((value): value is number => value !== null)));
  const root = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, preserveAspectRatio: 'none', role: 'img', 'aria-labelledby': captionId, class: 'chart' });
  root.appendChild(svg('line', { x1: 0, y1: HEIGHT - PAD, x2: WIDTH, y2: HEIGHT - PAD, class: 'baseline' }));
  for (const line of chart.lines) {
    for (const run of segments(line.values, max)) {
      if (run.length === 1) root.appendChild(svg('circle', { cx: run[0][0], cy: run[0][1], r: 2, class: `dot tone-${line.tone}` }));
      else root.appendChild(svg('polyline', { points: run.map(([x, y]) => `${x},${y}`).join(' '), class: `line tone-${line.tone}${line.dashed ? ' dashed' : ''}` }));
    }
  }
  return root;
}

function card(chart: Chart): HTMLElement {
  const section = element('section', 'card');
  section.dataset.chart = chart.id;
  const titleId = `chart-${chart.id}-title`;
  const captionId = `chart-${chart.id}-caption`;
  section.setAttribute('aria-labelledby', titleId);
  const header = element('header');
  const title = element('h2', undefined, chart.title);
  title.id = titleId;
  header.append(title, element('span', 'latest', chart.latest));
  const figure = element('figure');
  const caption = element('figcaption', 'summary', chart.summary);
  caption.id = captionId;
  const scale = element('p', 'peak', `Top of the chart: ${chart.peak}`);
  scale.setAttribute('aria-hidden', 'true');
  figure.append(scale, drawChart(chart, captionId), caption);
  section.append(header, figure);
  if (chart.lines.length > 1) {
    const legend = element('ul', 'legend');
    legend.setAttribute('aria-hidden', 'true');
    for (const line of chart.lines) {
      const item = element('li');
      item.append(element('span', `swatch tone-${line.tone}${line.dashed ? ' dashed' : ''}`), document.createTextNode(line.label));
      legend.appendChild(item);
    }
    header.appendChild(legend);
  }
  return section;
}

function show(data: MetricsPageData, refreshSeconds: number, paused: boolean): void {
  target.textContent = data.title;
  windowLabel.textContent = data.window;
  const time = new Date(data.updatedAt).toLocaleTimeString();
  updated.textContent = paused ? `Updated ${time}; paused while hidden` : `Updated ${time}; refreshes every ${refreshSeconds} s`;
  errorBox.hidden = true;
  charts.replaceChildren(...data.charts.map(card));
}

window.addEventListener('message', (event: MessageEvent<MetricsToPage>) => {
  const message = event.data;
  switch (message.type) {
    case 'loading':
      target.textContent = message.title;
      updated.textContent = 'Reading the metrics…';
      return;
    case 'metrics':
      show(message.data, message.refreshSeconds, message.paused);
      return;
    case 'error':
      errorBox.textContent = message.message;
      errorBox.hidden = false;
      updated.textContent = 'Refresh failed';
      return;
  }
});

vscode.postMessage({ type: 'ready' });
