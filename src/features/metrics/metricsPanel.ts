import * as vscode from 'vscode';
import { targetLabel } from '../../client';
import type { MetricsClient } from '../../client';
import { describeFailure } from '../../client';
import type { BasetenLog } from '../../platform/log';
import { WebviewPanelHost, WebviewPanelStats } from '../../platform/webviewPanel';
import { metricsPage } from './logic/metricsPage';
import { MetricsTarget, loadMetrics } from './logic/metricsSource';
import { describeWindow, metricCharts, MetricsPageData } from './logic/metricsText';
import { MetricsFromPage, MetricsToPage, parseMetricsMessage } from './logic/protocol';

export const METRICS_VIEW_TYPE = 'baseten.metrics';

export interface MetricsPanelHost {
  readonly mediaRoot: vscode.Uri;
  readonly log: BasetenLog;
  metrics(): MetricsClient;
  /** Seconds between refreshes while the panel is visible. */
  refreshSeconds(): number;
}

export interface MetricsPanelStats extends WebviewPanelStats {
  /** Metrics read from Baseten. */
  loads: number;
}

/**
 * One target's metrics over the last hour. Read again every `refreshSeconds` while the panel is visible;
 * hidden, it reads nothing, and it catches up as soon as it is shown again.
 */
export class MetricsPanel extends WebviewPanelHost<MetricsToPage, MetricsFromPage> {
  readonly stats: MetricsPanelStats = { posted: 0, unexpected: 0, loads: 0 };
  private timer?: NodeJS.Timeout;
  private loading?: Promise<void>;
  private controller?: AbortController;
  private data?: MetricsPageData;
  private lastError?: string;
  private readonly viewState: vscode.Disposable;

  constructor(
    panel: vscode.WebviewPanel,
    private readonly host: MetricsPanelHost,
    readonly target: MetricsTarget,
  ) {
    super(panel, host.mediaRoot, metricsPage(), parseMetricsMessage);
    panel.title = `Metrics: ${targetLabel(target)}`;
    this.viewState = panel.onDidChangeViewState(() => (panel.visible ? void this.refresh() : this.pause()));
  }

  /** What the page shows now (for tests). */
  get shown(): MetricsPageData | undefined {
    return this.data;
  }

  get visible(): boolean {
    return this.panel.visible;
  }

  protected receive(message: MetricsFromPage): Promise<void> | void {
    if (message.type === 'ready') {
      if (this.data) this.showData();
      else this.post({ type: 'loading', title: targetLabel(this.target) });
      if (this.lastError) this.post({ type: 'error', message: this.lastError });
      return this.refresh();
    }
    return this.refresh();
  }

  /** Reads the metrics now (one read at a time) and schedules the next while visible. */
  refresh(): Promise<void> {
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
      this.schedule();
    });
    return this.loading;
  }

  private async load(): Promise<void> {
    if (this.disposed) return;
    clearTimeout(this.timer);
    const controller = new AbortController();
    this.controller = controller;
    try {
      const metrics = await loadMetrics(this.host.metrics(), this.target, 'SERIES', controller.signal);
      this.stats.loads++;
      this.data = { title: targetLabel(this.target), window: describeWindow(metrics), updatedAt: Date.now(), charts: metricCharts(metrics) };
      this.lastError = undefined;
      this.showData();
    } catch (error) {
      if (controller.signal.aborted || this.disposed) return;
      const what = `Reading the metrics of ${targetLabel(this.target)}`;
      this.host.log.failure(what, error);
      this.lastError = `${describeFailure(what, error).message} What was shown before stays; Refresh tries again.`;
      this.post({ type: 'error', message: this.lastError });
    }
  }

  private showData(): void {
    if (this.data) this.post({ type: 'metrics', data: this.data, refreshSeconds: this.host.refreshSeconds(), paused: !this.panel.visible });
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (this.disposed || !this.panel.visible) return;
    this.timer = setTimeout(() => void this.refresh(), this.host.refreshSeconds() * 1000);
  }

  private pause(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  protected override teardown(): void {
    this.pause();
    this.controller?.abort();
    this.viewState.dispose();
  }
}
