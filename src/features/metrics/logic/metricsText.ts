/**
 * Metrics in words and as chart data: what the Show Metrics page draws (each chart with its text
 * alternative) and the line a target's hover text gets. Plain data, no editor APIs.
 */
import type { DeploymentMetrics, MetricPoint } from '../../../client';

export type ChartTone = 'blue' | 'orange' | 'red' | 'green' | 'purple';

export interface ChartLine {
  label: string;
  tone: ChartTone;
  /** Drawn dashed, so two lines differ by more than their colour. */
  dashed?: boolean;
  values: Array<number | null>;
}

export interface Chart {
  id: 'replicas' | 'requests' | 'latency' | 'errors' | 'inFlight';
  title: string;
  /** The value now (the last step with one), in words: "0.05 requests/s". */
  latest: string;
  /** The chart's text alternative: latest, peak and average over the window, or why it is empty. */
  summary: string;
  lines: ChartLine[];
  /** Formats an axis value (the peak shown at the top of the chart). */
  peak: string;
}

export interface MetricsPageData {
  title: string;
  /** "Last hour, in 1-minute steps". */
  window: string;
  updatedAt: number;
  charts: Chart[];
}

export function formatRate(perSecond: number): string {
  if (perSecond === 0) return '0';
  if (perSecond < 0.01) return '<0.01';
  return perSecond < 10 ? perSecond.toFixed(2) : perSecond.toFixed(1);
}

export function formatSecondsValue(seconds: number): string {
  return seconds < 1 ? `${Math.round(seconds * 1000)} ms` : `${seconds.toFixed(2)} s`;
}

function formatCount(value: number, decimals = 0): string {
  if (!decimals || value === 0) return String(Math.round(value));
  return value < 10 ** -decimals ? `<${10 ** -decimals}` : value.toFixed(decimals);
}

const measured = (points: MetricPoint[]): number[] => points.map((point) => point.value).filter((value): value is number => value !== null);
const last = (points: MetricPoint[]): number | undefined => measured(points).at(-1);
const peak = (points: MetricPoint[]): number => Math.max(0, ...measured(points));
const average = (points: MetricPoint[]): number | undefined => {
  const values = measured(points);
  return values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : undefined;
};

/** Errors in the window: rates times the step. */
export function errorCount(metrics: DeploymentMetrics): number {
  const step = metrics.stepSeconds ?? (metrics.endMs - metrics.startMs) / 1000;
  return Math.round(measured(metrics.errorsPerSecond).reduce((sum, rate) => sum + rate * step, 0));
}

function describe(title: string, points: MetricPoint[], format: (value: number) => string, unit: string): string {
  const latest = last(points);
  if (latest === undefined) return `${title}: nothing measured in this window.`;
  return `${title}: now ${format(latest)}${unit}, peak ${format(peak(points))}${unit}, average ${format(average(points)!)}${unit}.`;
}

/** The five charts of the Show Metrics page. */
export function metricCharts(metrics: DeploymentMetrics): Chart[] {
  const values = (points: MetricPoint[]): Array<number | null> => points.map((point) => point.value);
  const errors = errorCount(metrics);
  const latestOr = (points: MetricPoint[], format: (value: number) => string, unit: string, none = 'no data'): string => {
    const latest = last(points);
    return latest === undefined ? none : `${format(latest)}${unit}`;
  };
  const p95 = last(metrics.p95Seconds);
  const p50 = last(metrics.p50Seconds);
  return [
    {
      id: 'replicas',
      title: 'Replicas',
      latest: latestOr(metrics.replicas, (v) => formatCount(v), ''),
      summary: describe('Active replicas', metrics.replicas, (v) => formatCount(v, Number.isInteger(v) ? 0 : 1), ''),
      lines: [{ label: 'Active replicas', tone: 'green', values: values(metrics.replicas) }],
      peak: formatCount(peak(metrics.replicas)),
    },
    {
      id: 'requests',
      title: 'Requests per second',
      latest: latestOr(metrics.requestsPerSecond, formatRate, ' requests/s'),
      summary: describe('Requests per second', metrics.requestsPerSecond, formatRate, ' requests/s'),
      lines: [{ label: 'All requests', tone: 'blue', values: values(metrics.requestsPerSecond) }],
      peak: `${formatRate(peak(metrics.requestsPerSecond))}/s`,
    },
    {
      id: 'latency',
      title: 'Response time (p50 / p95)',
      latest: p50 === undefined || p95 === undefined ? 'no requests' : `${formatSecondsValue(p50)} / ${formatSecondsValue(p95)}`,
      summary: `${describe('Median (p50) response time', metrics.p50Seconds, formatSecondsValue, '')} ${describe('95th percentile (p95) response time', metrics.p95Seconds, formatSecondsValue, '')}`,
      lines: [
        { label: 'p50', tone: 'blue', values: values(metrics.p50Seconds) },
        { label: 'p95', tone: 'orange', dashed: true, values: values(metrics.p95Seconds) },
      ],
      peak: formatSecondsValue(Math.max(peak(metrics.p50Seconds), peak(metrics.p95Seconds))),
    },
    {
      id: 'errors',
      title: 'Errors (4xx and 5xx)',
      latest: errors === 0 ? 'none' : `${errors} in this window`,
      summary: errors === 0 ? 'Errors: none in this window.' : `Errors: ${errors} in this window. ${describe('Error rate', metrics.errorsPerSecond, formatRate, ' per second')}`,
      lines: [{ label: 'Errors per second', tone: 'red', values: values(metrics.errorsPerSecond) }],
      peak: `${formatRate(peak(metrics.errorsPerSecond))}/s`,
    },
    {
      id: 'inFlight',
      title: 'In-flight requests',
      latest: latestOr(metrics.inFlight, (v) => formatCount(v, 1), ''),
      summary: describe('Requests in flight', metrics.inFlight, (v) => formatCount(v, 1), ''),
      lines: [{ label: 'In flight', tone: 'purple', values: values(metrics.inFlight) }],
      peak: formatCount(peak(metrics.inFlight), 1),
    },
  ];
}

/** "Last hour, in 1-minute steps". */
export function describeWindow(metrics: DeploymentMetrics): string {
  const minutes = Math.round((metrics.endMs - metrics.startMs) / 60_000);
  const span = minutes === 60 ? 'Last hour' : minutes % 60 === 0 ? `Last ${minutes / 60} hours` : `Last ${minutes} minutes`;
  const step = metrics.stepSeconds;
  return step ? `${span}, in ${step % 60 === 0 ? `${step / 60}-minute` : `${step}-second`} steps` : span;
}

/** One line for a hover text, from a SUMMARY over the last hour: "**Last hour:** 0.05 requests/s · p50 40 ms · …". */
export function metricsTooltip(metrics: DeploymentMetrics): string {
  const rate = last(metrics.requestsPerSecond) ?? 0;
  const p50 = last(metrics.p50Seconds);
  const p95 = last(metrics.p95Seconds);
  const errors = errorCount(metrics);
  const inFlight = last(metrics.inFlight);
  const replicas = last(metrics.replicas);
  const parts = [
    `${formatRate(rate)} requests/s`,
    p50 === undefined || p95 === undefined ? 'no response times' : `p50 ${formatSecondsValue(p50)} · p95 ${formatSecondsValue(p95)}`,
    errors === 0 ? 'no errors' : `${errors} ${errors === 1 ? 'error' : 'errors'}`,
    ...(inFlight === undefined ? [] : [`${formatCount(inFlight, 1)} in flight on average`]),
    ...(replicas === undefined ? [] : [`${formatCount(replicas)} ${replicas === 1 ? 'replica' : 'replicas'} now`]),
  ];
  return `**Last hour:** ${parts.join(' · ')}. *Show Metrics* charts them.`;
}
