/** What the Show Metrics page and its panel say to each other. Plain data only. */
import type { MetricsPageData } from './metricsText';

export type MetricsToPage =
  | { type: 'loading'; title: string }
  | { type: 'metrics'; data: MetricsPageData; refreshSeconds: number; paused: boolean }
  /** The last refresh failed: the sentence says what to do next; what was shown stays. */
  | { type: 'error'; message: string };

export type MetricsFromPage = { type: 'ready' } | { type: 'refresh' };

export function parseMetricsMessage(raw: unknown): MetricsFromPage | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const type = (raw as { type?: unknown }).type;
  return type === 'ready' || type === 'refresh' ? { type } : undefined;
}
