/**
 * `GET …/deployments/{id}/metrics` and `…/environments/{name}/metrics` (`GetDeploymentMetricsResponseV1`),
 * computed from the traffic the emulator served: replicas, request rate by status code, p50/p95 end-to-end
 * response time and the average number of requests in flight, as one CURRENT value, one SUMMARY over the
 * window, or a SERIES of steps.
 */
import type { TrafficRecorder } from '../core/traffic';

export const METRICS = {
  baseten_replicas_active: { unit_hint: 'COUNT', kind: 'GAUGE' },
  baseten_inference_requests_total: { unit_hint: 'PER_SECOND', kind: 'COUNTER' },
  baseten_end_to_end_response_time_seconds: { unit_hint: 'SECONDS', kind: 'HISTOGRAM' },
  baseten_concurrent_requests: { unit_hint: 'COUNT', kind: 'GAUGE' },
} as const;

type MetricName = keyof typeof METRICS;
type Mode = 'CURRENT' | 'SUMMARY' | 'SERIES';

const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;
/** CURRENT looks this far back for rates and response times. */
const CURRENT_SPAN = 60_000;
const QUANTILES = ['0.5', '0.95'];

export interface MetricsRequest {
  mode: Mode;
  start: number;
  end: number;
  metrics: MetricName[];
}

/** The query as Baseten reads it; a message when it is not one. */
export function parseMetricsQuery(query: URLSearchParams, now = Date.now()): MetricsRequest | string {
  const mode = (query.get('mode') ?? 'CURRENT') as Mode;
  if (!['CURRENT', 'SUMMARY', 'SERIES'].includes(mode)) return `mode must be CURRENT, SUMMARY or SERIES, not "${mode}".`;
  const startText = query.get('start_epoch_millis');
  const endText = query.get('end_epoch_millis');
  if (mode === 'CURRENT' && (startText !== null || endText !== null)) return 'start_epoch_millis and end_epoch_millis must be omitted in CURRENT mode.';
  const end = endText === null ? now : Number(endText);
  const start = startText === null ? end - HOUR : Number(startText);
  if (!Number.isInteger(start) || !Number.isInteger(end)) return 'start_epoch_millis and end_epoch_millis must be whole numbers of milliseconds.';
  if (start >= end) return 'start_epoch_millis must be before end_epoch_millis.';
  if (end - start > WEEK) return 'The window must be 7 days or shorter.';
  const names = query.getAll('metrics');
  const unknown = names.find((name) => !(name in METRICS));
  if (unknown) return `Unknown metric "${unknown}"; known: ${Object.keys(METRICS).join(', ')}.`;
  const metrics = (names.length ? names : ['baseten_replicas_active', 'baseten_inference_requests_total', 'baseten_end_to_end_response_time_seconds']) as MetricName[];
  return mode === 'CURRENT' ? { mode, start: now - CURRENT_SPAN, end: now, metrics } : { mode, start, end, metrics };
}

/** A step that makes an hour 60 points, a week 168 (at least a minute). */
function stepMs(span: number): number {
  return Math.max(1, Math.round(span / 60 / 60_000)) * 60_000;
}

function quantile(sorted: number[], q: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

const round = (value: number): number => Math.round(value * 1e4) / 1e4;

/** The deployments' metrics (an environment's are those of every deployment it serves or is promoting). */
export function metricsView(traffic: TrafficRecorder, deployments: Array<{ id: string; activeReplicaCount: number }>, request: MetricsRequest, now = Date.now()): Record<string, unknown> {
  const served = deployments.flatMap((deployment) => traffic.requestsOf(deployment.id));
  const codes = [...new Set(['200', ...served.filter((r) => r.status !== undefined && r.start < request.end).map((r) => String(r.status))])].sort();
  const labelSets = (name: MetricName): Array<Record<string, string>> =>
    name === 'baseten_inference_requests_total' ? codes.map((status_code) => ({ status_code })) : name === 'baseten_end_to_end_response_time_seconds' ? QUANTILES.map((q) => ({ quantile: q })) : [{}];

  const valuesFor = (name: MetricName, from: number, to: number): Array<number | null> => {
    const seconds = (to - from) / 1000;
    switch (name) {
      case 'baseten_replicas_active':
        return [deployments.reduce((sum, d) => sum + traffic.replicasAt(d.id, Math.min(to, now), d.activeReplicaCount), 0)];
      case 'baseten_inference_requests_total':
        return codes.map((code) => round(served.filter((r) => r.end !== undefined && r.end >= from && r.end < to && String(r.status) === code).length / seconds));
      case 'baseten_end_to_end_response_time_seconds': {
        const durations = served.filter((r) => r.end !== undefined && r.end >= from && r.end < to).map((r) => (r.end! - r.start) / 1000).sort((a, b) => a - b);
        return QUANTILES.map((q) => { const value = quantile(durations, Number(q)); return value === null ? null : round(value); });
      }
      case 'baseten_concurrent_requests': {
        // Average requests in flight over the span (Little's law): their time inside it, over its length.
        const busy = served.reduce((sum, r) => sum + Math.max(0, Math.min(r.end ?? now, to) - Math.max(r.start, from)), 0);
        return [round(busy / (to - from))];
      }
    }
  };

  const step = request.mode === 'SERIES' ? stepMs(request.end - request.start) : null;
  const spans: Array<[number, number]> = [];
  if (step === null) spans.push([request.start, request.end]);
  else for (let from = request.end - Math.ceil((request.end - request.start) / step) * step; from < request.end; from += step) spans.push([from, from + step]);
  return {
    start_epoch_millis: request.start,
    end_epoch_millis: request.end,
    mode: request.mode,
    step_seconds: step === null ? null : step / 1000,
    metric_descriptors: request.metrics.map((name) => ({ name, ...METRICS[name], label_sets: labelSets(name) })),
    metric_values: spans.map(([from, to]) => ({ start_epoch_millis: from, values: request.metrics.map((name) => valuesFor(name, from, to)) })),
  };
}
