import type { WebviewPage } from '../../../platform/webviewPage';

/** The Show Metrics page's markup; the charts are drawn by media/metrics/main.ts. */
export function metricsPage(): WebviewPage {
  return {
    name: 'metrics',
    title: 'Baseten Metrics',
    panel: 'metrics',
    body: `
<header id="toolbar">
  <h1><span class="visually-hidden">Metrics of </span><span id="target" class="target"></span></h1>
  <span id="window" class="window"></span>
  <span class="spacer"></span>
  <span id="updated" class="updated" role="status" aria-live="polite"></span>
  <button id="refresh" type="button" title="Read the metrics again now">Refresh</button>
</header>
<div id="error" class="error-box" role="alert" hidden></div>
<main id="charts" aria-label="Charts" tabindex="0"></main>
`,
  };
}
