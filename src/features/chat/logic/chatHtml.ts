import type { WebviewPage } from '../../../platform/webviewPage';

/** The Baseten Chat page's markup; the document around it (CSP, script, style) comes from `webviewHtml`. */
export function chatPage(): WebviewPage {
  return {
    name: 'chat',
    title: 'Baseten Chat',
    dataImages: true,
    body: `
<div id="toolbar">
  <button id="target" type="button">Choose a model…</button>
  <span class="spacer"></span>
  <button id="new" type="button" title="Start a new conversation">New</button>
</div>
<details id="options">
  <summary>System prompt and options</summary>
  <div class="row"><textarea id="system" placeholder="System prompt (optional)" aria-label="System prompt"></textarea></div>
  <div class="row">
    <label for="temperature">Temperature</label><input id="temperature" type="number" min="0" max="2" step="0.1" placeholder="default">
    <label for="max-tokens">Max tokens</label><input id="max-tokens" type="number" min="1" step="1" placeholder="default">
    <span id="effort-row" hidden><label for="effort">Reasoning effort</label>
      <select id="effort"><option value="">default</option><option value="low">low</option><option value="medium">medium</option><option value="high">high</option></select></span>
  </div>
</details>
<main id="transcript" aria-live="polite"><div id="empty">Ask a question, or send a selection from the editor (Baseten: Send Selection to Chat).</div></main>
<div id="composer">
  <div id="pending"></div>
  <textarea id="input" placeholder="Ask the model… (Enter to send, Shift+Enter for a new line)" aria-label="Message"></textarea>
  <div class="actions">
    <button id="stop" type="button" hidden>Stop</button>
    <button id="send" class="primary" type="button">Send</button>
  </div>
</div>
`,
  };
}
