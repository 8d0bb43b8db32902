import * as vscode from 'vscode';
import { sameTarget, targetLabel } from '../../client';
import type { CatalogTarget } from '../../catalog/targets';
import { DeploymentCatalog } from '../../catalog/deploymentCatalog';
import { BasetenServices } from '../../platform/services';
import { pickTarget } from '../../platform/targetPicker';
import { OpenPanels, createWebviewPanel } from '../../platform/webviewPanel';
import { TargetNode } from '../explorer/targetNode';
import { operateTokens } from '../explorer/logic/operateTokens';
import type { MetricsTarget } from './logic/metricsSource';
import { METRICS_VIEW_TYPE, MetricsPanel } from './metricsPanel';

const REFRESH_SETTING = 'metrics.refreshSeconds';

/** A target with a deployment behind it, as the metrics routes take it. */
export function metricsTarget(target: CatalogTarget): MetricsTarget | undefined {
  return operateTokens(target).includes('hasMetrics') ? { owner: target.owner, target: target.target, deploymentId: target.state.deploymentId! } : undefined;
}

/** The Show Metrics panels, one per target: showing a target that has one reveals it. */
export class MetricsPanels implements vscode.Disposable {
  private readonly panels = new OpenPanels<MetricsPanel>();
  readonly mediaRoot: vscode.Uri;

  constructor(
    context: vscode.ExtensionContext,
    private readonly services: BasetenServices,
    private readonly catalog: DeploymentCatalog,
  ) {
    this.mediaRoot = vscode.Uri.joinPath(context.extensionUri, 'media');
  }

  get open(): readonly MetricsPanel[] {
    return this.panels.all;
  }

  /** `Baseten: Show Metrics` on a tree node, or on a target picked from the model targets with a deployment. */
  async show(node?: TargetNode): Promise<MetricsPanel | undefined> {
    const entry =
      node instanceof TargetNode
        ? node.entry
        : await pickTarget(this.catalog, {
            title: 'Baseten: Show Metrics',
            placeholder: 'Show the metrics of which environment or deployment?',
            kinds: ['model'],
            offers: (candidate) => metricsTarget(candidate) !== undefined,
            empty: { label: 'No deployment to show', description: 'no model has a deployment with metrics yet' },
          });
    const target = entry && metricsTarget(entry);
    if (!target) {
      if (entry) void vscode.window.showWarningMessage(`${targetLabel(entry)} has no deployment, so it has no metrics. Deploy or promote one to it first.`);
      return undefined;
    }
    return this.showTarget(target);
  }

  showTarget(target: MetricsTarget): MetricsPanel {
    const existing = this.panels.find((panel) => sameTarget(panel.target, target));
    if (existing) {
      existing.reveal();
      void existing.refresh();
      return existing;
    }
    const webviewPanel = createWebviewPanel(METRICS_VIEW_TYPE, `Metrics: ${targetLabel(target)}`, vscode.ViewColumn.Active, this.mediaRoot);
    const host = {
      mediaRoot: this.mediaRoot,
      log: this.services.log,
      metrics: () => this.services.client.metrics,
      refreshSeconds: () => refreshSeconds(),
    };
    return this.panels.adopt(new MetricsPanel(webviewPanel, host, target));
  }

  dispose(): void {
    this.panels.dispose();
  }
}

function refreshSeconds(): number {
  const value = vscode.workspace.getConfiguration('baseten').get<number>(REFRESH_SETTING, 30);
  return Number.isFinite(value) && value >= 1 ? value : 30;
}
