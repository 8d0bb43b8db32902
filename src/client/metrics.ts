/**
 * Deployment and environment metrics (`GET …/deployments/{id}/metrics`, `…/environments/{name}/metrics`;
 * docs/baseten-api.md#metrics): the wire shape, the call, and the series the editor shows read out of it.
 */
import type { HttpClient } from './http';
import type { DeploymentRef } from './management';
import { managementCall } from './managementCall';
import type { BasetenEndpoints } from './urls';

export type MetricMode = 'CURRENT' | 'SUMMARY' | 'SERIES';
export type MetricUnitHint = 'PER_SECOND' | 'SECONDS' | 'BYTES' | 'MEBIBYTES' | 'COUNT' | 'RATIO';
export type MetricKind = 'GAUGE' | 'COUNTER' | 'HISTOGRAM';

export interface MetricDescriptorV1 {
  name: string;
  unit_hint: MetricUnitHint;
  kind: MetricKind;
  label_sets: Array<Record<string, string>>;
}

/** `GetDeploymentMetricsResponseV1`: values are index-aligned to the descriptors, then to their label sets. */
export interface DeploymentMetricsV1 {
  start_epoch_millis: number;
  end_epoch_millis: number;
  mode: MetricMode;
  step_seconds: number | null;
  metric_descriptors: MetricDescriptorV1[];
  metric_values: Array<{ start_epoch_millis: number; values: Array<Array<number | null>> }>;
}

/** The metrics the editor shows, by their Baseten names. */
export const METRIC_NAMES = {
  replicas: 'baseten_replicas_active',
  requests: 'baseten_inference_requests_total',
  responseTime: 'baseten_end_to_end_response_time_seconds',
  inFlight: 'baseten_concurrent_requests',
} as const;

export interface MetricsQuery {
  mode?: MetricMode;
  /** Both omitted in CURRENT mode; Baseten's default window is the last hour, at most 7 days. */
  startMs?: number;
  endMs?: number;
  metrics?: readonly string[];
  signal?: AbortSignal;
}

/** One point of a series: the start of its step, and its value (null where nothing was measured). */
export interface MetricPoint {
  at: number;
  value: number | null;
}

/** What the metrics view and the tooltip show, each a series over the window. */
export interface DeploymentMetrics {
  startMs: number;
  endMs: number;
  stepSeconds: number | null;
  replicas: MetricPoint[];
  requestsPerSecond: MetricPoint[];
  /** Requests per second answered 4xx or 5xx. */
  errorsPerSecond: MetricPoint[];
  p50Seconds: MetricPoint[];
  p95Seconds: MetricPoint[];
  inFlight: MetricPoint[];
}

export class MetricsClient {
  constructor(
    private readonly http: HttpClient,
    private readonly endpoints: () => BasetenEndpoints,
  ) {}

  deploymentMetrics(modelId: string, deployment: DeploymentRef, query: MetricsQuery = {}): Promise<DeploymentMetricsV1> {
    return this.get(['models', modelId, 'deployments', deployment, 'metrics'], query);
  }

  /** Across every deployment active on the environment. */
  environmentMetrics(modelId: string, environmentName: string, query: MetricsQuery = {}): Promise<DeploymentMetricsV1> {
    return this.get(['models', modelId, 'environments', environmentName, 'metrics'], query);
  }

  private get(segments: string[], query: MetricsQuery): Promise<DeploymentMetricsV1> {
    return managementCall<DeploymentMetricsV1>(this.http, this.endpoints(), {
      method: 'GET',
      segments,
      signal: query.signal,
      query: {
        mode: query.mode,
        start_epoch_millis: query.startMs,
        end_epoch_millis: query.endMs,
        metrics: query.metrics ?? Object.values(METRIC_NAMES),
      },
    });
  }
}

/** The series of one metric, its label sets chosen by `labels` and summed; empty when the answer lacks the metric. */
export function metricSeries(response: DeploymentMetricsV1, name: string, labels: (set: Record<string, string>) => boolean = () => true): MetricPoint[] {
  const index = response.metric_descriptors.findIndex((descriptor) => descriptor.name === name);
  if (index < 0) return [];
  const chosen = response.metric_descriptors[index].label_sets.map((set, position) => (labels(set) ? position : -1)).filter((position) => position >= 0);
  return response.metric_values.map((set) => {
    const row = set.values[index] ?? [];
    const values = chosen.map((position) => row[position]).filter((value): value is number => typeof value === 'number' && Number.isFinite(value));
    return { at: set.start_epoch_millis, value: values.length ? values.reduce((sum, value) => sum + value, 0) : null };
  });
}

const isError = (set: Record<string, string>): boolean => /^[45]/.test(set.status_code ?? '');
const quantile = (q: string) => (set: Record<string, string>): boolean => Number(set.quantile) === Number(q);

/** Reads replicas, request and error rates, p50/p95 response time and in-flight requests out of an answer. */
export function readDeploymentMetrics(response: DeploymentMetricsV1): DeploymentMetrics {
  return {
    startMs: response.start_epoch_millis,
    endMs: response.end_epoch_millis,
    stepSeconds: response.step_seconds,
    replicas: metricSeries(response, METRIC_NAMES.replicas),
    requestsPerSecond: metricSeries(response, METRIC_NAMES.requests),
    errorsPerSecond: metricSeries(response, METRIC_NAMES.requests, isError),
    p50Seconds: metricSeries(response, METRIC_NAMES.responseTime, quantile('0.5')),
    p95Seconds: metricSeries(response, METRIC_NAMES.responseTime, quantile('0.95')),
    inFlight: metricSeries(response, METRIC_NAMES.inFlight),
  };
}
