/**
 * The logs tab's front end. The lines are read in the extension host (the key stays there); this page shows
 * them in a virtualised grid, sends the filters, Follow and Load Earlier, and shows the selected line whole.
 * Log text is untrusted: it is only ever set as textContent.
 */
import type { HostToPage, LogRow, LogsViewState, PageToHost } from '../../src/features/logs/logic/protocol';
import type { LogViewFilter, TimeRange } from '../../src/features/logs/logic/logFilter';
import { DEFAULT_RANGE, isFiltered, rangeLabel } from '../../src/features/logs/logic/logFilter';
import { formatLogTime, levelWord } from '../../src/features/logs/logic/logFormat';
import type { LogLevel } from '../../src/client/logs';
import { LogList } from './logList';

interface VsCodeApi {
  postMessage(message: PageToHost): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

function byId<T extends HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}

const grid = byId<HTMLElement>('transcript');
const targetLabel = byId<HTMLElement>('target');
const levelSelect = byId<HTMLSelectElement>('level');
const rangeSelect = byId<HTMLSelectElement>('range');
const textInput = byId<HTMLInputElement>('text');
const requestInput = byId<HTMLInputElement>('request');
const clearFilters = byId<HTMLButtonElement>('clear-filters');
const followBox = byId<HTMLInputElement>('follow');
const errorBox = byId<HTMLElement>('error');
const errorText = byId<HTMLElement>('error-text');
const retryButton = byId<HTMLButtonElement>('retry');
const earlierButton = byId<HTMLButtonElement>('load-earlier');
const summary = byId<HTMLElement>('summary');
const empty = byId<HTMLElement>('empty');
const details = byId<HTMLElement>('details');
const detailsMeta = byId<HTMLElement>('details-meta');
const detailsMessage = byId<HTMLElement>('details-message');
const onlyRequest = byId<HTMLButtonElement>('only-request');
const announcer = byId<HTMLElement>('announce');

let filter: LogViewFilter = { range: DEFAULT_RANGE };
let state: LogsViewState = { loading: true, following: false, paused: false, canLoadEarlier: false, reachedStart: false, count: 0 };
let focusRequestId: string | undefined;
let nowMs = Date.now();
const list = new LogList(grid, byId('canvas'), { onActive: showDetails, now: () => nowMs });

function post(message: PageToHost): void {
  vscode.postMessage(message);
}

function rangeValue(range: TimeRange): string {
  return range.kind === 'last' ? `last:${range.minutes}` : `since:${range.atMs}`;
}

function readRange(value: string): TimeRange {
  const [kind, number] = value.split(':');
  return kind === 'since' ? { kind: 'since', atMs: Number(number) } : { kind: 'last', minutes: Number(number) };
}

function timeOfDay(ms: number): string {
  return formatLogTime(ms, nowMs).replace(/\.\d{3}$/, '');
}

/** Shows a filter in the form; a "since" range (a failure's) gets its own option. */
function showFilter(next: LogViewFilter): void {
  filter = next;
  levelSelect.value = next.minLevel ?? '';
  for (const option of Array.from(rangeSelect.options)) if (option.value.startsWith('since:')) option.remove();
  if (next.range.kind === 'since') {
    const option = new Option(rangeLabel(next.range, timeOfDay), rangeValue(next.range));
    rangeSelect.prepend(option);
  }
  rangeSelect.value = rangeValue(next.range);
  textInput.value = next.text ?? '';
  requestInput.value = next.requestId ?? '';
  clearFilters.hidden = !isFiltered(next);
}

function sendFilter(): void {
  const next: LogViewFilter = { range: readRange(rangeSelect.value) };
  if (levelSelect.value) next.minLevel = levelSelect.value as LogLevel;
  if (textInput.value.trim()) next.text = textInput.value;
  if (requestInput.value.trim()) next.requestId = requestInput.value.trim();
  filter = next;
  clearFilters.hidden = !isFiltered(next);
  post({ type: 'filter', filter: next });
}

let typing = 0;
function sendFilterSoon(): void {
  clearTimeout(typing);
  typing = window.setTimeout(sendFilter, 400);
}

function showDetails(index: number): void {
  const row = list.rows[index];
  details.hidden = !row;
  if (!row) return;
  const parts = [new Date(row.timeMs).toLocaleString(), levelWord(row.level) || 'No level', row.replica ? `replica ${row.replica}` : 'no replica'];
  if (row.requestId) parts.push(`request ${row.requestId}`);
  detailsMeta.textContent = parts.join(' · ');
  detailsMessage.textContent = row.message;
  onlyRequest.hidden = !row.requestId || filter.requestId === row.requestId;
  onlyRequest.dataset.requestId = row.requestId ?? '';
}

/** New lines while following are announced at most every 5 s, as a count. */
let unannounced = 0;
let announceTimer = 0;
function announceNew(count: number): void {
  unannounced += count;
  if (announceTimer) return;
  announceTimer = window.setTimeout(() => {
    announcer.textContent = `${unannounced} new ${unannounced === 1 ? 'line' : 'lines'}`;
    unannounced = 0;
    announceTimer = 0;
  }, 5000);
}

function focusRequest(): void {
  if (!focusRequestId) return;
  const wanted = focusRequestId;
  const index = list.find((row) => row.requestId === wanted && row.level === 'ERROR');
  const fallback = index >= 0 ? index : list.find((row) => row.requestId === wanted);
  if (fallback < 0) return;
  focusRequestId = undefined;
  list.setActive(fallback);
}

function showState(): void {
  const count = list.rows.length;
  followBox.checked = state.following;
  earlierButton.hidden = !count || (!state.canLoadEarlier && !state.reachedStart);
  earlierButton.disabled = state.loading || !state.canLoadEarlier;
  earlierButton.textContent = state.canLoadEarlier ? 'Load Earlier' : 'Nothing earlier in this range';
  const bits = [`${count.toLocaleString('en')} ${count === 1 ? 'line' : 'lines'}`, rangeLabel(filter.range, timeOfDay)];
  if (state.loading) bits.push('loading…');
  else if (state.following) bits.push(state.paused ? 'Follow paused while the tab is hidden' : 'following');
  summary.textContent = bits.join(' · ');
  errorBox.hidden = !state.error;
  errorText.textContent = state.error ?? '';
  const nothing = !count && !state.loading && !state.error;
  empty.hidden = !nothing;
  grid.hidden = nothing;
  if (nothing) {
    empty.textContent = isFiltered(filter)
      ? `No line matches these filters in ${rangeLabel(filter.range, timeOfDay).toLowerCase()}. Clear the filters or widen the range.`
      : `No log lines in ${rangeLabel(filter.range, timeOfDay).toLowerCase()}. Widen the range, or turn on Follow to see new lines as they come.`;
  }
}

function receive(message: HostToPage): void {
  switch (message.type) {
    case 'init':
      targetLabel.textContent = message.title;
      nowMs = message.nowMs;
      focusRequestId = message.focusRequestId;
      state.following = message.following;
      showFilter(message.filter);
      break;
    case 'lines': {
      const rows: LogRow[] = message.rows;
      if (message.place === 'all') list.replace(rows);
      else if (message.place === 'start') list.prepend(rows);
      else {
        list.append(rows);
        if (state.following && rows.length && !state.loading) announceNew(rows.length);
      }
      if (message.done) focusRequest();
      break;
    }
    case 'state':
      state = message.state;
      break;
  }
  showState();
}

window.addEventListener('message', (event: MessageEvent<HostToPage>) => receive(event.data));
levelSelect.addEventListener('change', sendFilter);
rangeSelect.addEventListener('change', sendFilter);
textInput.addEventListener('input', sendFilterSoon);
requestInput.addEventListener('input', sendFilterSoon);
for (const input of [textInput, requestInput]) {
  input.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    clearTimeout(typing);
    sendFilter();
  });
}
byId('filters').addEventListener('submit', (event) => event.preventDefault());
clearFilters.addEventListener('click', () => {
  showFilter({ range: filter.range });
  sendFilter();
  grid.focus();
});
followBox.addEventListener('change', () => post({ type: 'follow', on: followBox.checked }));
retryButton.addEventListener('click', () => post({ type: 'retry' }));
earlierButton.addEventListener('click', () => post({ type: 'loadEarlier' }));
onlyRequest.addEventListener('click', () => {
  requestInput.value = onlyRequest.dataset.requestId ?? '';
  sendFilter();
});
post({ type: 'ready' });
