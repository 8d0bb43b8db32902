import type { WebviewPage } from '../../../platform/webviewPage';

/** The Baseten WebSocket page's markup; the document around it (CSP, script, style) comes from `webviewHtml`. */
export function sessionPage(): WebviewPage {
  return {
    name: 'websocket',
    title: 'Baseten WebSocket',
    panel: 'websocket',
    body: `
<header id="toolbar">
  <h1><span class="visually-hidden">WebSocket session with </span><span id="target" class="target"></span></h1>
  <span id="status" class="status closed" role="status">Disconnected</span>
  <span class="spacer"></span>
  <button id="connect" type="button">Connect</button>
  <button id="reconnect" type="button" hidden>Reconnect</button>
  <button id="disconnect" type="button" hidden>Disconnect</button>
  <button id="ping" type="button" title="Send a ping and measure the round trip" disabled>Ping</button>
  <span id="rtt" class="rtt"></span>
  <label class="toggle"><input id="autoscroll" type="checkbox" checked> Auto-scroll</label>
  <button id="export" type="button" title="Save the transcript as JSON lines">Export…</button>
  <button id="clear" type="button" title="Clear the transcript">Clear</button>
</header>
<div id="close-info" class="close-info" role="alert" hidden></div>
<div id="hidden-note" class="hidden-note" hidden></div>
<main id="transcript" aria-label="Transcript" tabindex="0"></main>
<section id="composer" aria-label="Message">
  <div class="row">
    <select id="mode" aria-label="Message type"><option value="text">Text</option><option value="json">JSON</option></select>
    <textarea id="input" placeholder="Message to send (Ctrl+Enter to send)" aria-label="Message" aria-keyshortcuts="Control+Enter"></textarea>
  </div>
  <div id="json-error" class="json-error error-box" hidden></div>
  <div id="send-error" class="json-error error-box" role="alert" hidden></div>
  <div class="actions">
    <button id="send-file" type="button" title="Send a file as one binary message">Send File…</button>
    <button id="send" class="primary" type="button">Send</button>
  </div>
</section>
`,
  };
}
