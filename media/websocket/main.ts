/**
 * The WebSocket session panel's front end. The connection lives in the extension host; this page shows
 * the transcript (at most `maxRendered` entries in the DOM), keeps it as its saved state, and sends the
 * user's intents. Message data is untrusted: it is only ever set as textContent.
 */
import { describeText, formatSize, formatTime } from '../../src/features/websocket/logic/format';
import { describeJsonError, parseJsonInput } from '../../src/features/websocket/logic/jsonInput';
import { parseSavedSession } from '../../src/features/websocket/logic/panelMessages';
import type { ConnectionState, HostToWebview, SavedSession, SendMode, TranscriptEntry, WebviewToHost } from '../../src/features/websocket/logic/protocol';
import { targetLabel } from '../../src/client/target';
import { focusOnReturn } from '../returnFocus';
import type { TargetRef } from '../../src/client/target';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

function byId<T extends HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}

const transcript = byId<HTMLElement>('transcript');
const targetLabelElement = byId<HTMLElement>('target');
const statusLabel = byId<HTMLElement>('status');
const connectButton = byId<HTMLButtonElement>('connect');
const reconnectButton = byId<HTMLButtonElement>('reconnect');
const disconnectButton = byId<HTMLButtonElement>('disconnect');
const pingButton = byId<HTMLButtonElement>('ping');
const rttLabel = byId<HTMLElement>('rtt');
const autoScrollBox = byId<HTMLInputElement>('autoscroll');
const closeInfo = byId<HTMLElement>('close-info');
const hiddenNote = byId<HTMLElement>('hidden-note');
const modeSelect = byId<HTMLSelectElement>('mode');
const input = byId<HTMLTextAreaElement>('input');
const jsonError = byId<HTMLElement>('json-error');
const sendError = byId<HTMLElement>('send-error');
const sendButton = byId<HTMLButtonElement>('send');

let target: TargetRef | undefined;
let entries: TranscriptEntry[] = [];
let hidden = 0;
let maxRendered = 500;
let connection: ConnectionState = { status: 'closed' };

const DIRECTION_LABELS = { sent: '↑ Sent', received: '↓ Received', event: '• Event' } as const;

function post(message: WebviewToHost): void {
  vscode.postMessage(message);
}

/** Text kept per entry in the saved state, so that saving stays cheap while a model streams large messages. */
const SAVED_TEXT_CHARS = 8 * 1024;

function forState(entry: TranscriptEntry): TranscriptEntry {
  return entry.text !== undefined && entry.text.length > SAVED_TEXT_CHARS ? { ...entry, text: entry.text.slice(0, SAVED_TEXT_CHARS), truncated: true } : entry;
}

let saveQueued = false;
/** Saved at most once a frame: a fast stream would otherwise serialise the transcript per batch. */
function save(): void {
  if (saveQueued || !target) return;
  saveQueued = true;
  requestAnimationFrame(() => {
    saveQueued = false;
    if (!target) return;
    const state: SavedSession = { version: 1, target, entries: entries.map(forState), hidden, autoScroll: autoScrollBox.checked, mode: modeSelect.value as SendMode, draft: input.value };
    vscode.setState(state);
  });
}

function span(className: string, text: string): HTMLSpanElement {
  const element = document.createElement('span');
  element.className = className;
  element.textContent = text;
  return element;
}

function entryElement(entry: TranscriptEntry): HTMLElement {
  const article = document.createElement('article');
  article.className = `entry ${entry.direction}${entry.level === 'error' ? ' error' : ''}`;
  article.dataset.entryId = String(entry.id);
  const header = document.createElement('header');
  header.append(span('direction', entry.level === 'error' ? '⚠ Error' : DIRECTION_LABELS[entry.direction]), span('time', formatTime(entry.at)));
  const body = document.createElement('pre');
  body.className = 'body';
  if (entry.kind === 'binary') {
    header.append(span('size', formatSize(entry.size)), span('kind', entry.file ? `binary · ${entry.file}` : 'binary'));
    body.classList.add('hex');
    body.textContent = entry.hex ?? '';
  } else if (entry.kind === 'text') {
    const text = describeText(entry.text ?? '');
    header.append(span('size', formatSize(entry.size)), span('kind', text.json ? 'JSON' : 'text'));
    body.textContent = text.shown;
    if (entry.truncated) header.append(span('truncated', 'cut here; the export has more'));
  } else {
    if (entry.code !== undefined) article.dataset.closeCode = String(entry.code);
    body.textContent = entry.text ?? '';
  }
  article.append(header, body);
  return article;
}

function showHiddenNote(): void {
  hiddenNote.hidden = hidden === 0;
  hiddenNote.dataset.hidden = String(hidden);
  hiddenNote.textContent = `${hidden.toLocaleString('en-US')} earlier ${hidden === 1 ? 'message is' : 'messages are'} hidden: the panel shows the last ${maxRendered.toLocaleString('en-US')} (setting baseten.websocket.maxRenderedMessages). Export to see them all.`;
}

/** Drops the oldest entries from the DOM and the saved state beyond `maxRendered`. */
function cap(): void {
  const excess = entries.length - maxRendered;
  if (excess > 0) {
    entries = entries.slice(excess);
    hidden += excess;
    for (let i = 0; i < excess; i++) transcript.firstElementChild?.remove();
  }
  showHiddenNote();
}

function scrollToEnd(): void {
  if (autoScrollBox.checked) requestAnimationFrame(() => (transcript.scrollTop = transcript.scrollHeight));
}

function append(batch: TranscriptEntry[], skipped: number): void {
  hidden += skipped;
  const fragment = document.createDocumentFragment();
  for (const entry of batch) fragment.append(entryElement(entry));
  transcript.append(fragment);
  entries.push(...batch);
  cap();
  scrollToEnd();
  save();
}

function renderAll(next: TranscriptEntry[], hiddenBefore: number): void {
  entries = [];
  hidden = hiddenBefore;
  transcript.replaceChildren();
  append(next, 0);
}

/** Connect or Reconnect had the focus when the session started opening: the message box gets it once open. */
let connectingByKeys = false;

function showConnection(next: ConnectionState): void {
  const focused = document.activeElement;
  const wasOpen = connection.status === 'open';
  connection = next;
  const labels = { connecting: 'Connecting…', open: 'Connected', closing: 'Closing…', closed: 'Disconnected' } as const;
  const coldStart = next.status === 'connecting' && next.coldStart;
  statusLabel.textContent = coldStart ? 'Connecting… a cold start is under way' : labels[next.status];
  statusLabel.className = `status ${next.status}`;
  statusLabel.title = coldStart ? 'The deployment is scaled to zero: the connection opens once a replica has started.' : (next.url ?? '');
  const closed = next.status === 'closed';
  const everConnected = entries.length > 0 || hidden > 0 || !!next.close || !!next.error;
  connectButton.hidden = !closed || everConnected;
  reconnectButton.hidden = !closed || !everConnected;
  disconnectButton.hidden = closed;
  disconnectButton.textContent = next.status === 'connecting' ? 'Cancel' : 'Disconnect';
  pingButton.disabled = next.status !== 'open';
  sendButton.disabled = next.status !== 'open' || !!validationError();
  // A button that hides hands the focus to the one that takes its place; a session that opens, to the message box.
  if (focused instanceof HTMLButtonElement && focused.hidden) {
    connectingByKeys = focused === connectButton || focused === reconnectButton;
    (closed ? (reconnectButton.hidden ? connectButton : reconnectButton) : disconnectButton).focus();
  }
  if (next.status === 'open' && !wasOpen && connectingByKeys && (document.activeElement === disconnectButton || document.activeElement === document.body)) input.focus();
  if (next.status !== 'connecting') connectingByKeys = false;
  rttLabel.textContent = next.rttMs === undefined ? '' : `${next.rttMs} ms`;
  rttLabel.title = next.rttMs === undefined ? '' : 'Round trip of the last ping';
  if (next.close && closed) {
    closeInfo.hidden = false;
    closeInfo.dataset.code = String(next.close.code);
    closeInfo.className = `close-info${next.close.code === 1000 ? '' : ' error'}`;
    closeInfo.textContent = `Closed with code ${next.close.code}: ${next.close.explanation}.${next.close.reason ? ` Reason: “${next.close.reason}”.` : ''}`;
  } else if (next.error && closed) {
    closeInfo.hidden = false;
    delete closeInfo.dataset.code;
    closeInfo.className = 'close-info error';
    closeInfo.textContent = `Could not connect: ${next.error}`;
  } else {
    closeInfo.hidden = true;
  }
}

function showTarget(next: TargetRef): void {
  target = next;
  targetLabelElement.textContent = targetLabel(next);
  targetLabelElement.title = `${next.owner.kind} ${next.owner.id}`;
}

/** The JSON error of the composer, when in JSON mode and the text is not JSON. */
function validationError(): string | undefined {
  if (modeSelect.value !== 'json' || !input.value.trim()) return undefined;
  const parsed = parseJsonInput(input.value);
  return parsed.ok ? undefined : describeJsonError(parsed);
}

/** Checks the JSON typed so far and shows what is wrong, tied to the box; called on a pause in typing, on leaving the box, and on send. */
function validate(): void {
  clearTimeout(validateTimer);
  const error = validationError();
  jsonError.hidden = !error;
  jsonError.textContent = error ?? '';
  if (error) {
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', 'json-error');
  } else {
    input.removeAttribute('aria-invalid');
    input.removeAttribute('aria-describedby');
  }
  sendButton.disabled = connection.status !== 'open' || !!error;
  save();
}

/** How long typing must pause before the JSON is checked: while typing, a half-written value is not an error. */
const VALIDATE_PAUSE_MS = 700;
let validateTimer: ReturnType<typeof setTimeout> | undefined;

/** While typing: an error already shown goes as soon as the text is valid; a new one waits for a pause. */
function validateSoon(): void {
  clearTimeout(validateTimer);
  if (!jsonError.hidden && !validationError()) validate();
  else validateTimer = setTimeout(validate, VALIDATE_PAUSE_MS);
  save();
}

function send(): void {
  const text = input.value;
  validate();
  if (!text || sendButton.disabled) return;
  sendError.hidden = true;
  post({ type: 'send', mode: modeSelect.value as SendMode, text });
}

window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  const message = event.data;
  switch (message.type) {
    case 'init':
      maxRendered = message.maxRendered;
      showTarget(message.target);
      renderAll(message.entries, message.hidden);
      showConnection(message.connection);
      break;
    case 'entries':
      append(message.entries, message.skipped);
      if (connection.status === 'closed') showConnection(connection);
      break;
    case 'connection':
      showConnection(message.connection);
      break;
    case 'sent':
      if (message.ok) {
        input.value = '';
        validate();
      } else {
        sendError.hidden = false;
        sendError.textContent = message.error ?? 'Not sent.';
      }
      break;
    case 'returned':
      focusOnReturn(input);
      break;
    case 'maxRendered':
      maxRendered = message.maxRendered;
      cap();
      save();
      break;
  }
});

sendButton.addEventListener('click', send);
connectButton.addEventListener('click', () => post({ type: 'connect' }));
reconnectButton.addEventListener('click', () => post({ type: 'reconnect' }));
disconnectButton.addEventListener('click', () => post({ type: 'disconnect' }));
pingButton.addEventListener('click', () => post({ type: 'ping' }));
byId<HTMLButtonElement>('export').addEventListener('click', () => post({ type: 'export' }));
byId<HTMLButtonElement>('clear').addEventListener('click', () => post({ type: 'clear' }));
byId<HTMLButtonElement>('send-file').addEventListener('click', () => post({ type: 'sendFile' }));
autoScrollBox.addEventListener('change', () => {
  scrollToEnd();
  save();
});
modeSelect.addEventListener('change', validate);
input.addEventListener('input', () => {
  sendError.hidden = true;
  validateSoon();
});
input.addEventListener('blur', validate);
input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !event.isComposing) {
    event.preventDefault();
    send();
  }
});

// A page saved before `TargetRef` (its owner was `on`) is read through the same parser as the host's.
const saved = parseSavedSession(vscode.getState());
if (saved) {
  autoScrollBox.checked = saved.autoScroll;
  modeSelect.value = saved.mode;
  input.value = saved.draft;
  showTarget(saved.target);
  renderAll(saved.entries, saved.hidden);
  validate();
}
post({ type: 'ready' });
