import * as vscode from 'vscode';
import { BasetenError, describeFailure } from '../../client';
import type { LogEntry, LogSource } from '../../client';
import { BasetenServices } from '../../platform/services';
import { WebviewPanelHost, WebviewPanelStats } from '../../platform/webviewPanel';
import { LogBuffer, MergePlace } from './logic/logBuffer';
import { LogViewFilter, filterQuery, rangeStart } from './logic/logFilter';
import { logsPage } from './logic/logsHtml';
import { parsePageMessage } from './logic/pageMessages';
import type { HostToPage, LogRow, LogsViewState, PageToHost } from './logic/protocol';
import { LogsSubject, subjectLabel } from './logic/logSource';

export const LOGS_VIEW_TYPE = 'baseten.logs';

/** Baseten's CLI tails every 2 s; a failing poll waits longer each time, up to 30 s. */
const FOLLOW_MS = 2_000;
const FOLLOW_MAX_BACKOFF_MS = 30_000;
/** Rows per message to the page: a 100,000-line log goes over in pieces the page renders as they come. */
const ROWS_PER_MESSAGE = 5_000;

export interface LogsPanelHost {
  readonly services: BasetenServices;
  readonly mediaRoot: vscode.Uri;
}

export interface LogsOpening {
  filter: LogViewFilter;
  following: boolean;
  /** The page selects the first line of this request once it is there. */
  focusRequestId?: string;
}

function row(entry: LogEntry): LogRow {
  return { timeMs: entry.timeMs, level: entry.level, replica: entry.replica, requestId: entry.requestId, message: entry.message };
}

/**
 * One logs tab: the lines live here (the client reads them with the key), the page shows them. Follow
 * polls every 2 s while the tab is visible, one request at a time; it pauses while the tab is hidden.
 */
export class LogsPanel extends WebviewPanelHost<HostToPage, PageToHost> {
  readonly stats: WebviewPanelStats & { polls: number } = { posted: 0, unexpected: 0, polls: 0 };
  readonly buffer = new LogBuffer();
  private opening: LogsOpening;
  private view: LogsViewState = { loading: false, following: false, paused: false, canLoadEarlier: false, reachedStart: false, count: 0 };
  private loading?: AbortController;
  private pollTimer?: NodeJS.Timeout;
  private backoffMs = FOLLOW_MS;
  private generation = 0;

  constructor(
    panel: vscode.WebviewPanel,
    private readonly host: LogsPanelHost,
    readonly subject: LogsSubject,
    readonly source: LogSource,
    opening: LogsOpening,
  ) {
    super(panel, host.mediaRoot, logsPage(), parsePageMessage);
    this.opening = opening;
    this.view.following = opening.following;
    panel.title = `Logs: ${subjectLabel(subject)}`;
    this.disposables.push(panel.onDidChangeViewState(() => this.followVisibility()));
    void this.reload();
  }

  private readonly disposables: vscode.Disposable[] = [];

  get filter(): LogViewFilter {
    return this.opening.filter;
  }

  get state(): LogsViewState {
    return { ...this.view };
  }

  /** Opened again (from a failure): new filter and focus, lines loaded again. */
  reopen(opening: LogsOpening): Promise<void> {
    this.opening = opening;
    this.view.following = opening.following;
    this.postInit();
    return this.reload();
  }

  protected receive(message: PageToHost): Promise<void> | void {
    switch (message.type) {
      case 'ready':
        this.postInit();
        this.postLines('all', this.buffer.lines);
        this.postState();
        return;
      case 'filter':
        return this.setFilter(message.filter);
      case 'follow':
        return this.setFollowing(message.on);
      case 'loadEarlier':
        return this.loadEarlier();
      case 'retry':
        return this.reload();
    }
  }

  setFilter(filter: LogViewFilter): Promise<void> {
    this.opening = { ...this.opening, filter, focusRequestId: undefined };
    return this.reload();
  }

  setFollowing(on: boolean): void {
    this.view.following = on;
    this.backoffMs = FOLLOW_MS;
    this.postState();
    this.schedulePoll(on ? 0 : undefined);
  }

  /** The newest page of the range, replacing what was shown. */
  async reload(): Promise<void> {
    const signal = this.startLoad();
    const generation = ++this.generation;
    this.buffer.clear();
    this.postLines('all', []);
    try {
      const page = await this.host.services.client.logs.page(this.source, filterQuery(this.filter), { startMs: rangeStart(this.filter.range, Date.now()) }, { signal });
      if (generation !== this.generation) return;
      const merged = this.buffer.merge(page.entries);
      this.postLines(merged.place, merged.lines);
      this.view = { ...this.view, canLoadEarlier: !page.complete, reachedStart: page.complete, error: undefined };
    } catch (error) {
      if (generation === this.generation) this.failed(error, 'Reading the logs');
    } finally {
      if (generation === this.generation) this.endLoad();
    }
    this.schedulePoll(0);
  }

  /** The page before the first line shown, within the range. */
  async loadEarlier(): Promise<void> {
    const oldest = this.buffer.oldest;
    if (!oldest || this.view.loading) return;
    const signal = this.startLoad();
    const generation = this.generation;
    try {
      const startMs = rangeStart(this.filter.range, Date.now());
      const query = filterQuery(this.filter);
      const logs = this.host.services.client.logs;
      let page = await logs.page(this.source, query, { startMs, beforeMs: oldest.timeMs }, { signal });
      const merges = [this.buffer.merge(page.entries)];
      // A full page inside one millisecond: read that millisecond whole, then page on before it.
      if (!merges[0].lines.length && !page.complete) {
        merges.push(this.buffer.merge(await logs.millisecond(this.source, query, oldest.timeMs, { signal })));
        page = await logs.page(this.source, query, { startMs, beforeMs: oldest.timeMs - 1 }, { signal });
        merges.push(this.buffer.merge(page.entries));
      }
      if (generation !== this.generation) return;
      for (const merged of merges) this.postLines(merged.place, merged.lines);
      this.view = { ...this.view, canLoadEarlier: !page.complete, reachedStart: page.complete, error: undefined };
    } catch (error) {
      if (generation === this.generation) this.failed(error, 'Loading earlier lines');
    } finally {
      if (generation === this.generation) this.endLoad();
    }
  }

  /** One follow poll: the lines since the newest one shown. */
  async poll(): Promise<void> {
    if (this.disposed || this.view.loading) return;
    const generation = this.generation;
    const controller = new AbortController();
    this.loading = controller;
    this.stats.polls++;
    try {
      const since = this.buffer.newest?.timeMs ?? rangeStart(this.filter.range, Date.now());
      const entries = await this.host.services.client.logs.since(this.source, filterQuery(this.filter), since, { signal: controller.signal });
      if (generation !== this.generation) return;
      const merged = this.buffer.merge(entries);
      this.postLines(merged.place, merged.lines);
      this.backoffMs = FOLLOW_MS;
      if (this.view.error) {
        this.view.error = undefined;
        this.postState();
      }
    } catch (error) {
      if (generation !== this.generation || (error instanceof BasetenError && error.kind === 'aborted')) return;
      this.backoffMs = Math.min(this.backoffMs * 2, FOLLOW_MAX_BACKOFF_MS);
      this.failed(error, `Following the logs (next try in ${Math.round(this.backoffMs / 1000)} s)`);
    } finally {
      if (this.loading === controller) this.loading = undefined;
    }
  }

  private schedulePoll(delayMs: number | undefined): void {
    clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
    if (delayMs === undefined || !this.view.following || this.disposed) return;
    if (!this.panel.visible) {
      this.setPaused(true);
      return;
    }
    this.setPaused(false);
    this.pollTimer = setTimeout(() => {
      void this.poll().finally(() => this.schedulePoll(this.backoffMs));
    }, delayMs || this.backoffMs);
  }

  private followVisibility(): void {
    if (!this.view.following) return;
    if (this.panel.visible && (this.view.paused || !this.pollTimer)) this.schedulePoll(0);
    else if (!this.panel.visible) this.schedulePoll(undefined);
    if (!this.panel.visible) this.setPaused(true);
  }

  private setPaused(paused: boolean): void {
    if (this.view.paused === paused) return;
    this.view.paused = paused;
    this.postState();
  }

  private startLoad(): AbortSignal {
    this.loading?.abort();
    const controller = new AbortController();
    this.loading = controller;
    this.view.loading = true;
    this.postState();
    return controller.signal;
  }

  private endLoad(): void {
    this.loading = undefined;
    this.view.loading = false;
    this.postState();
  }

  private failed(error: unknown, what: string): void {
    if (error instanceof BasetenError && error.kind === 'aborted') return;
    const report = describeFailure(what, error);
    const advice = report.action === 'set_key' ? ' Set an API key that can read the management API, then Retry.' : ' Retry, or check the connection.';
    this.view.error = `${report.message}${report.detail ? ` (${report.detail})` : ''}${advice}`;
    this.host.services.log.failure(`${what} of ${subjectLabel(this.subject)}`, error);
    this.postState();
  }

  private postInit(): void {
    this.post({ type: 'init', title: subjectLabel(this.subject), filter: this.filter, following: this.view.following, focusRequestId: this.opening.focusRequestId, nowMs: Date.now() });
  }

  private postLines(place: MergePlace, lines: readonly LogEntry[]): void {
    this.view.count = this.buffer.size;
    if (!lines.length) {
      if (place === 'all') this.post({ type: 'lines', place, rows: [], done: true });
      return;
    }
    const chunks: LogRow[][] = [];
    for (let i = 0; i < lines.length; i += ROWS_PER_MESSAGE) chunks.push(lines.slice(i, i + ROWS_PER_MESSAGE).map(row));
    if (place === 'start') {
      // Each piece goes in front of the last: the newest piece first.
      chunks.reverse().forEach((rows, i) => this.post({ type: 'lines', place: 'start', rows, done: i === chunks.length - 1 }));
    } else {
      chunks.forEach((rows, i) => this.post({ type: 'lines', place: i === 0 ? place : 'end', rows, done: i === chunks.length - 1 }));
    }
  }

  private postState(): void {
    this.view.count = this.buffer.size;
    this.post({ type: 'state', state: { ...this.view } });
  }

  protected override teardown(): void {
    clearTimeout(this.pollTimer);
    this.loading?.abort();
    this.generation++;
    for (const disposable of this.disposables) disposable.dispose();
  }
}
