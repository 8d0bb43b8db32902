import type { WebviewPage } from '../../../platform/webviewPage';
import { LEVEL_CHOICES, RANGE_MINUTES, rangeLabel } from './logFilter';

/** The logs tab's markup; the document around it (CSP, script, style) comes from `webviewHtml`. */
export function logsPage(): WebviewPage {
  const levels = LEVEL_CHOICES.map((choice) => `<option value="${choice.value}">${choice.label}</option>`).join('');
  const ranges = RANGE_MINUTES.map((minutes) => `<option value="last:${minutes}">${rangeLabel({ kind: 'last', minutes })}</option>`).join('');
  return {
    name: 'logs',
    title: 'Baseten Logs',
    panel: 'logs',
    body: `
<header id="toolbar">
  <h1><span class="visually-hidden">Logs of </span><span id="target" class="target"></span></h1>
  <form id="filters" class="filters" role="search" aria-label="Filter the log lines">
    <label>Level <select id="level">${levels}</select></label>
    <label>Range <select id="range">${ranges}</select></label>
    <input id="text" type="search" placeholder="Text (case-sensitive)" aria-label="Only lines with this text (case-sensitive)" maxlength="256">
    <input id="request" type="search" placeholder="Request ID" aria-label="Only lines of this request ID" maxlength="256" spellcheck="false">
    <button id="clear-filters" type="button" hidden>Clear Filters</button>
  </form>
  <span class="spacer"></span>
  <label class="toggle"><input id="follow" type="checkbox"> Follow</label>
</header>
<div id="error" class="error-box" role="alert" hidden><span id="error-text"></span> <button id="retry" type="button">Retry</button></div>
<div id="earlier" class="earlier">
  <button id="load-earlier" type="button">Load Earlier</button>
  <span id="summary" class="summary"></span>
</div>
<div id="transcript" class="grid" role="grid" aria-label="Log lines, newest at the bottom" aria-readonly="true" tabindex="0">
  <div class="row head" role="row" aria-rowindex="1">
    <span role="columnheader" class="time">Time</span><span role="columnheader" class="level">Level</span><span role="columnheader" class="replica">Replica</span><span role="columnheader" class="request">Request</span><span role="columnheader" class="message">Message</span>
  </div>
  <div id="canvas" class="canvas" role="presentation"></div>
</div>
<p id="empty" class="empty" hidden></p>
<section id="details" class="details" aria-label="Selected line" hidden>
  <div class="details-head"><span id="details-meta"></span><button id="only-request" type="button" hidden>Show Only This Request</button></div>
  <pre id="details-message"></pre>
</section>
<div id="announce" class="visually-hidden" role="status" aria-live="polite"></div>
`,
  };
}
