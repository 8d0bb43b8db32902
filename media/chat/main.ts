/**
 * The chat panel's front end. The conversation lives in the extension host (which holds the key and
 * the connection); this page renders it, keeps a copy as its saved state, and sends the user's intents.
 */
import type { AnswerDelta, AssistantTurn, ChatContext, ChatSettings, ChatModel, ConversationState, HostToWebview, UserTurn, WebviewToHost } from '../../src/features/chat/logic/protocol';
import { AnswerView } from './answerView';
import { codeActions, showCopied } from './codeBlocks';
import { renderMarkdown } from './markdown';
import { focusOnReturn } from '../returnFocus';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
let state: ConversationState = { version: 1, settings: { system: '' }, turns: [], pending: [] };
const answers = new Map<string, AnswerView>();
let streamingId: string | undefined;
/** The page's copy of the answer that is streaming, grown by each delta so that a reload keeps it. */
let streamingTurn: AssistantTurn | undefined;
/** Saving the whole conversation per batch would be costly for long ones; a reload loses at most this much. */
const SAVE_INTERVAL_MS = 1000;
let saveTimer: ReturnType<typeof setTimeout> | undefined;

function post(message: WebviewToHost): void {
  vscode.postMessage(message);
}

function byId<T extends HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}

const transcript = byId<HTMLElement>('transcript');
const input = byId<HTMLTextAreaElement>('input');
const sendButton = byId<HTMLButtonElement>('send');
const stopButton = byId<HTMLButtonElement>('stop');
const targetButton = byId<HTMLButtonElement>('target');
const pendingList = byId<HTMLElement>('pending');
const systemInput = byId<HTMLTextAreaElement>('system');
const temperatureInput = byId<HTMLInputElement>('temperature');
const maxTokensInput = byId<HTMLInputElement>('max-tokens');
const effortRow = byId<HTMLElement>('effort-row');
const effortSelect = byId<HTMLSelectElement>('effort');
const emptyNote = byId<HTMLElement>('empty');
const statusRegion = byId<HTMLElement>('status');

/** Says something short to screen readers (the conversation itself is not a live region: it would be re-read). */
function announce(text: string): void {
  // A change of text is what a live region announces: clear first so that the same word twice is said twice.
  statusRegion.textContent = '';
  requestAnimationFrame(() => (statusRegion.textContent = text));
}

function settingsFromForm(): ChatSettings {
  const temperature = temperatureInput.value.trim() === '' ? undefined : Number(temperatureInput.value);
  const maxTokens = maxTokensInput.value.trim() === '' ? undefined : Number(maxTokensInput.value);
  return {
    system: systemInput.value,
    temperature: Number.isFinite(temperature) ? temperature : undefined,
    maxTokens: Number.isFinite(maxTokens) && (maxTokens ?? 0) > 0 ? maxTokens : undefined,
    reasoningEffort: effortRow.hidden ? undefined : effortSelect.value || undefined,
  };
}

function showSettings(settings: ChatSettings): void {
  systemInput.value = settings.system;
  temperatureInput.value = settings.temperature === undefined ? '' : String(settings.temperature);
  maxTokensInput.value = settings.maxTokens === undefined ? '' : String(settings.maxTokens);
  effortSelect.value = settings.reasoningEffort ?? '';
}

function saveNow(): void {
  if (saveTimer !== undefined) clearTimeout(saveTimer);
  saveTimer = undefined;
  vscode.setState(state);
}

function saveSoon(): void {
  saveTimer ??= setTimeout(saveNow, SAVE_INTERVAL_MS);
}

function save(): void {
  state.settings = settingsFromForm();
  saveNow();
  post({ type: 'settings', settings: state.settings });
}

function grow(turn: AssistantTurn, delta: AnswerDelta): void {
  if (delta.text) turn.text += delta.text;
  if (delta.reasoning) turn.reasoning += delta.reasoning;
  if (delta.toolCalls) turn.toolCalls = delta.toolCalls;
}

function showTarget(target: ChatModel | undefined): void {
  state.target = target;
  targetButton.textContent = target ? target.label : 'Choose a model…';
  targetButton.title = target ? `${target.kind === 'model_api' ? 'Model API' : 'Deployed model'} ${target.model}. Click to change.` : 'Choose the model that answers';
  targetButton.setAttribute('aria-label', target ? `Model: ${target.label}, change` : 'Choose a model…');
  effortRow.hidden = !target?.features.includes('reasoning_effort');
}

function showPending(pending: ChatContext[]): void {
  state.pending = pending;
  pendingList.replaceChildren(
    ...pending.map((piece) => {
      const chip = document.createElement('span');
      chip.className = 'context-chip';
      chip.textContent = `${piece.file}:${piece.startLine}${piece.endLine !== piece.startLine ? `-${piece.endLine}` : ''}`;
      chip.title = piece.text.length > 2000 ? `${piece.text.slice(0, 2000)}…` : piece.text;
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'chip-remove';
      remove.textContent = '×';
      remove.title = 'Remove from the next question';
      remove.setAttribute('aria-label', `Remove ${chip.textContent} from the next question`);
      remove.dataset.removeContext = piece.id;
      chip.append(remove);
      return chip;
    }),
  );
}

function userElement(turn: UserTurn): HTMLElement {
  const article = document.createElement('article');
  article.className = 'turn user';
  article.dataset.turnId = turn.id;
  const who = document.createElement('h2');
  who.className = 'who';
  who.textContent = 'You';
  article.append(who);
  for (const piece of turn.context) {
    const details = document.createElement('details');
    details.className = 'context';
    const summary = document.createElement('summary');
    summary.textContent = `${piece.file}:${piece.startLine}-${piece.endLine}`;
    const pre = document.createElement('pre');
    pre.textContent = piece.text;
    details.append(summary, pre);
    article.append(details);
  }
  const body = document.createElement('div');
  body.className = 'question markdown';
  body.innerHTML = renderMarkdown(turn.text);
  article.append(body);
  return article;
}

function addAnswer(turn: AssistantTurn): void {
  const view = new AnswerView(turn, codeActions);
  answers.set(turn.id, view);
  transcript.append(view.root);
}

function setStreaming(turn: AssistantTurn | undefined): void {
  const id = turn?.id;
  // A button about to hide hands the focus on: Send to Stop, Stop back to the message box.
  const focused = document.activeElement;
  streamingId = id;
  streamingTurn = turn;
  sendButton.hidden = !!id;
  stopButton.hidden = !id;
  document.body.classList.toggle('streaming', !!id);
  transcript.setAttribute('aria-busy', String(!!id));
  if (id && focused === sendButton) stopButton.focus();
  if (!id && (focused === stopButton || focused === document.body)) input.focus();
}

const ENDED_WORDS = { done: 'Done', stopped: 'Stopped', failed: 'Error', streaming: 'Answering…' } as const;

/** Keeps the newest text in view unless the user scrolled up to read. */
function followOutput(action: () => void): void {
  const nearBottom = transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 40;
  action();
  if (nearBottom) requestAnimationFrame(() => (transcript.scrollTop = transcript.scrollHeight));
}

/**
 * Shows a conversation as it is: the host's copy says whether an answer still streams (the panel was
 * only hidden) or was cut by a reload (the host marks it stopped when it revives the panel).
 */
function renderAll(next: ConversationState): void {
  state = next;
  answers.clear();
  transcript.replaceChildren(emptyNote);
  let latest: HTMLElement | undefined;
  for (const turn of state.turns) {
    if (turn.role === 'user') transcript.append((latest = userElement(turn)));
    else addAnswer(turn);
  }
  emptyNote.hidden = state.turns.length > 0;
  // Reopened: the latest question and its answer in view, not the top of the conversation.
  if (latest) {
    requestAnimationFrame(() => {
      latest?.scrollIntoView({ block: 'start' });
      // For tests: where the reopened conversation was scrolled to, and which turn.
      transcript.dataset.scrolledTo = `${Math.round(transcript.scrollTop)} ${latest?.dataset.turnId ?? ''}`;
    });
  }
  showSettings(state.settings);
  showTarget(state.target);
  showPending(state.pending);
  const last = state.turns[state.turns.length - 1];
  setStreaming(last?.role === 'assistant' && last.state === 'streaming' ? last : undefined);
  saveNow();
}

window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  const message = event.data;
  switch (message.type) {
    case 'state':
      renderAll(message.state);
      break;
    case 'turns':
      if (input.value.trim() === message.user.text.trim()) input.value = '';
      emptyNote.hidden = true;
      state.turns.push(message.user, message.answer);
      state.pending = [];
      showPending([]);
      followOutput(() => {
        transcript.append(userElement(message.user));
        addAnswer(message.answer);
      });
      setStreaming(message.answer);
      announce('Answering…');
      saveNow();
      break;
    case 'delta':
      if (streamingTurn?.id === message.answerId) {
        grow(streamingTurn, message.delta);
        saveSoon();
      }
      followOutput(() => answers.get(message.answerId)?.apply(message.delta));
      break;
    case 'answerEnded': {
      const index = state.turns.findIndex((turn) => turn.id === message.answer.id);
      if (index >= 0) state.turns[index] = message.answer;
      followOutput(() => answers.get(message.answer.id)?.end(message.answer));
      if (streamingId === message.answer.id) {
        setStreaming(undefined);
        announce(message.answer.state === 'failed' ? `Error: ${message.answer.error ?? 'the request failed'}` : ENDED_WORDS[message.answer.state]);
      }
      saveNow();
      break;
    }
    case 'pending':
      showPending(message.pending);
      saveNow();
      break;
    case 'target':
      showTarget(message.target);
      saveNow();
      break;
    case 'focusInput':
      input.focus();
      break;
    case 'focusTarget':
      targetButton.focus();
      break;
    case 'returned':
      focusOnReturn(input);
      break;
  }
});

function send(): void {
  const text = input.value.trim();
  if (!text && !streamingId) announce('Type a question first.');
  if (!text || streamingId) return;
  // The text stays in the box until the host has taken the question (it may first ask for a model).
  post({ type: 'send', text, settings: settingsFromForm() });
}

sendButton.addEventListener('click', send);
stopButton.addEventListener('click', () => post({ type: 'stop' }));
transcript.addEventListener('click', (event) => {
  const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button.show-logs');
  if (button?.dataset.answerId) post({ type: 'showLogs', answerId: button.dataset.answerId });
});
targetButton.addEventListener('click', () => post({ type: 'pickTarget' }));
byId<HTMLButtonElement>('new').addEventListener('click', () => post({ type: 'newConversation' }));
input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    send();
  }
});
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && streamingId && !event.isComposing) {
    event.preventDefault();
    post({ type: 'stop' });
  } else if (event.altKey && !event.ctrlKey && !event.metaKey && event.code === 'KeyI') {
    event.preventDefault();
    input.focus();
  }
});
for (const field of [systemInput, temperatureInput, maxTokensInput, effortSelect]) field.addEventListener('change', save);

document.addEventListener('click', (event) => {
  const target = event.target as HTMLElement | null;
  const codeButton = target?.closest<HTMLElement>('[data-code-action]');
  if (codeButton) {
    const code = codeButton.closest('.code-block')?.querySelector('code')?.textContent ?? '';
    const action = codeButton.dataset.codeAction as 'copy' | 'insert' | 'replace';
    post({ type: 'code', action, code });
    if (action === 'copy') showCopied(codeButton, announce);
    return;
  }
  const example = target?.closest<HTMLElement>('[data-example]');
  if (example?.dataset.example) {
    input.value = example.dataset.example;
    input.focus();
    send();
    return;
  }
  const remove = target?.closest<HTMLElement>('[data-remove-context]');
  if (remove?.dataset.removeContext) {
    post({ type: 'removeContext', id: remove.dataset.removeContext });
    // The chip goes: the focus goes to where the question is typed.
    input.focus();
    return;
  }
  const link = target?.closest('a');
  if (link) {
    // Links open outside, through the extension, and only http(s)/mailto (the sanitiser removed others).
    event.preventDefault();
    const href = link.getAttribute('href');
    if (href && !href.startsWith('#')) post({ type: 'openLink', href });
  }
});

const saved = vscode.getState() as ConversationState | undefined;
if (saved?.version === 1) renderAll(saved);
post({ type: 'ready' });
