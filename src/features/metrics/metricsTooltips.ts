import { targetKey } from '../../client';
import type { MetricsClient } from '../../client';
import { MetricsTarget, loadMetrics } from './logic/metricsSource';
import { metricsTooltip } from './logic/metricsText';

/** Hovering the same node again within this long shows what was read, without asking Baseten. */
const FRESH_MS = 30_000;

/** The last hour's figures for a target's hover text, read once per target and kept a little while. */
export class MetricsTooltips {
  private readonly cache = new Map<string, { at: number; line: Promise<string | undefined> }>();

  constructor(private readonly client: () => MetricsClient) {}

  line(target: MetricsTarget | undefined, signal: AbortSignal): Promise<string | undefined> {
    if (!target) return Promise.resolve(undefined);
    const key = `${targetKey(target)}/${target.deploymentId}`;
    const cached = this.cache.get(key);
    if (cached && Date.now() - cached.at < FRESH_MS) return cached.line;
    const line = loadMetrics(this.client(), target, 'SUMMARY', signal).then(metricsTooltip, () => {
      this.cache.delete(key);
      return '*Metrics could not be read now; hover again later or use Show Metrics.*';
    });
    this.cache.set(key, { at: Date.now(), line });
    return line;
  }
}
