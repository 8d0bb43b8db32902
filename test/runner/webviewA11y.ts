/**
 * Accessibility checks of the open webview pages, run from the runner (never shipped): axe-core evaluated
 * in each page's frame through Playwright (the page's CSP allows no inline script, and a protocol-level
 * evaluation is not subject to it), and where the keyboard focus is.
 */
import { readFileSync } from 'node:fs';
import type { Frame, Page } from 'playwright-core';

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: number;
  /** The first few elements, as axe names them, with what is wrong with the first. */
  targets: string[];
  summary: string;
}

export interface AxeReport {
  frame: string;
  /** `chat`, `websocket` or `metrics`. */
  panel: string;
  /** The page body's theme class (`vscode-light`, `vscode-dark`, `vscode-high-contrast`, `vscode-high-contrast-light`). */
  theme: string;
  violations: AxeViolation[];
}

/** WCAG 2.0/2.1 A and AA, and axe's best practices. */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

let axeSource: string | undefined;

/** The frames that hold a Baseten page (a webview's inner frame), with which page it is. */
async function pageFrames(page: Page): Promise<Array<{ frame: Frame; panel: string }>> {
  const found: Array<{ frame: Frame; panel: string }> = [];
  for (const frame of page.frames()) {
    if (frame === page.mainFrame()) continue;
    const panel = await frame
      // Chat and WebSocket pages have a transcript (chat's body names no panel); other Baseten pages name theirs (metrics).
      .evaluate(() => (document.getElementById('transcript') ? (document.body.dataset.panel ?? 'chat') : document.body.dataset.panel))
      .catch(() => undefined);
    if (panel) found.push({ frame, panel });
  }
  return found;
}

/** Runs axe-core in every Baseten page; `panel` limits it to one kind of page. */
export async function axeWebviews(page: Page, panel?: string): Promise<AxeReport[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const reports: AxeReport[] = [];
  for (const { frame, panel: kind } of await pageFrames(page)) {
    if (panel && kind !== panel) continue;
    if (!(await frame.evaluate(() => 'axe' in window))) await frame.evaluate(axeSource);
    const result = await frame.evaluate(async (tags: string[]) => {
      type AxeResults = { violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[]; failureSummary?: string }> }> };
      const axe = (window as unknown as { axe: { run(context: Document, options: unknown): Promise<AxeResults> } }).axe;
      const results = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return {
        theme: Array.from(document.body.classList).find((name) => name.startsWith('vscode-')) ?? '',
        violations: results.violations.map((violation) => ({
          id: violation.id,
          impact: violation.impact,
          help: violation.help,
          nodes: violation.nodes.length,
          targets: violation.nodes.slice(0, 4).map((node) => node.target.map(String).join(' ')),
          summary: (violation.nodes[0]?.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 300),
        })),
      };
    }, TAGS);
    reports.push({ frame: frame.url(), panel: kind, ...result });
  }
  return reports;
}

export interface FocusReport {
  frame: string;
  panel: string;
  /** Whether this page has the keyboard focus. */
  focused: boolean;
  /** The focused element: its id, tag, accessible name as far as the page gives it, and its focus outline. */
  active: { id: string; tag: string; name: string; outline: string };
}

/** Where the focus is in each Baseten page. */
export async function focusInWebviews(page: Page): Promise<FocusReport[]> {
  const reports: FocusReport[] = [];
  for (const { frame, panel } of await pageFrames(page)) {
    const state = await frame.evaluate(() => {
      const active = document.activeElement as HTMLElement | null;
      const style = active ? getComputedStyle(active) : undefined;
      return {
        focused: document.hasFocus(),
        active: {
          id: active?.id ?? '',
          tag: active?.tagName.toLowerCase() ?? '',
          name: active?.getAttribute('aria-label') ?? active?.textContent?.trim().slice(0, 80) ?? '',
          outline: style ? `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor} offset ${style.outlineOffset}` : '',
        },
      };
    });
    reports.push({ frame: frame.url(), panel, ...state });
  }
  return reports;
}
