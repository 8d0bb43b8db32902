import { FeatureContext, FeatureRegistration } from '../../platform/feature';
import type { DeploymentsTreeProvider } from '../explorer/deploymentsTree';
import { TargetNode } from '../explorer/targetNode';
import { METRICS_COMMANDS } from './logic/commandIds';
import { MetricsPanels, metricsTarget } from './metricsPanels';
import { MetricsTooltips } from './metricsTooltips';

/** Show Metrics (a panel per target, charts over the last hour) and the last hour's figures in a target's hover text. */
export function registerMetrics({ context, services, catalog }: FeatureContext, models: DeploymentsTreeProvider): FeatureRegistration<(typeof METRICS_COMMANDS)[number], MetricsPanels> {
  const panels = new MetricsPanels(context, services, catalog);
  const tooltips = new MetricsTooltips(() => services.client.metrics);
  return {
    commands: { 'baseten.showMetrics': (node?: TargetNode) => panels.show(node) },
    disposables: [panels, models.addTooltipPart((node, signal) => tooltips.line(metricsTarget(node.entry), signal))],
    exposed: panels,
  };
}
