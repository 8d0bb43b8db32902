import type { WebviewPage } from '../../../platform/webviewPage';

/** Questions the empty conversation offers, to show what a model can do. */
export const EXAMPLE_PROMPTS = [
  'Explain what a cold start is and how to avoid one.',
  'Write a Python function that retries an HTTP request with backoff.',
  'Summarise the trade-offs of streaming an answer token by token.',
];

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** The Baseten Chat page's markup; the document around it (CSP, script, style) comes from `webviewHtml`. */
export function chatPage(): WebviewPage {
  const examples = EXAMPLE_PROMPTS.map((prompt) => `<li><button type="button" class="example" data-example="${escapeHtml(prompt)}">${escapeHtml(prompt)}</button></li>`).join('');
  return {
    name: 'chat',
    title: 'Baseten Chat',
    dataImages: true,
    body: `
<header id="toolbar">
  <h1 class="visually-hidden">Baseten Chat</h1>
  <button id="target" type="button" aria-haspopup="listbox">Choose a model…</button>
  <span class="spacer"></span>
  <button id="new" type="button" title="Start a new conversation">New</button>
</header>
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
<main id="transcript" aria-label="Conversation">
  <section id="empty" aria-labelledby="empty-title">
    <h2 id="empty-title">Ask the model anything</h2>
    <p>Type a question below, send a selection from the editor (Baseten: Send Selection to Chat), or start with one of these:</p>
    <ul>${examples}</ul>
  </section>
</main>
<div id="status" class="visually-hidden" role="status"></div>
<section id="composer" aria-label="Message">
  <div id="pending"></div>
  <textarea id="input" placeholder="Ask the model… (Enter to send, Shift+Enter for a new line)" aria-label="Message" aria-keyshortcuts="Alt+I" aria-describedby="composer-hint"></textarea>
  <div class="actions">
    <span id="composer-hint" class="hint">Alt+I comes back here · Escape stops an answer</span>
    <button id="stop" type="button" hidden aria-keyshortcuts="Escape">Stop</button>
    <button id="send" class="primary" type="button">Send</button>
  </div>
</section>
`,
  };
}
