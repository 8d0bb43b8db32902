import * as vscode from 'vscode';
import { parseTargetRef } from '../../client';
import type { ChainletV1, TargetRef } from '../../client';
import { DeploymentCatalog } from '../../catalog/deploymentCatalog';
import type { CatalogTarget } from '../../catalog/targets';
import { BasetenServices } from '../../platform/services';
import { pickTarget } from '../../platform/targetPicker';
import { OpenPanels, createWebviewPanel } from '../../platform/webviewPanel';
import { statusLabel } from '../../platform/deploymentStatus';
import { ChainletNode, TargetNode } from '../explorer/targetNode';
import { BEFORE_FAILURE_MS, DEFAULT_RANGE, LogViewFilter } from './logic/logFilter';
import { LogsSubject, logSourceOf, subjectKey } from './logic/logSource';
import { LOGS_VIEW_TYPE, LogsOpening, LogsPanel } from './logsPanel';

/**
 * What a failure passes to `baseten.showLogs`: its target, when it happened, and the request id Baseten
 * returned, if any (platform/failureNotice.ts builds it).
 */
export interface FailureLogsArgument extends TargetRef {
  atMs: number;
  requestId?: string;
  deploymentId?: string;
}

function isFailureArgument(value: unknown): value is FailureLogsArgument {
  return !!value && typeof value === 'object' && typeof (value as FailureLogsArgument).atMs === 'number' && !!parseTargetRef(value);
}

/** One logs tab per model target or chainlet: opening one that is open reveals it (with a failure's filter, if any). */
export class LogsPanels implements vscode.Disposable {
  private readonly panels = new OpenPanels<LogsPanel>();
  readonly mediaRoot: vscode.Uri;

  constructor(
    context: vscode.ExtensionContext,
    readonly services: BasetenServices,
    private readonly catalog: DeploymentCatalog,
  ) {
    this.mediaRoot = vscode.Uri.joinPath(context.extensionUri, 'media');
  }

  get open(): readonly LogsPanel[] {
    return this.panels.all;
  }

  /** `Baseten: Show Logs`: from a tree node, a failure, or the palette (the target picker). */
  async openFor(argument?: unknown): Promise<LogsPanel | undefined> {
    if (argument instanceof ChainletNode && argument.ref) {
      return this.openSubject({ ref: argument.ref, deploymentId: argument.deploymentId, chainlet: argument.chainlet }, this.plainOpening());
    }
    if (argument instanceof TargetNode) return this.openTarget(argument.entry, this.plainOpening());
    if (isFailureArgument(argument)) return this.openFailure(argument);
    // An async request node: its lines on its deployment.
    const logs = argument && typeof argument === 'object' && 'logs' in argument ? (argument as { logs: unknown }).logs : undefined;
    if (isFailureArgument(logs)) return this.openFailure(logs);
    const picked = await pickTarget(this.catalog, {
      title: 'Show the logs of…',
      placeholder: 'Choose an environment or deployment of a model or chain',
      offers: (target) => !target.statusKnown || !!target.state.deploymentId,
      empty: { label: 'No logs to show', description: 'no models or chains with a deployment' },
    });
    return picked ? this.openTarget(picked, this.plainOpening()) : undefined;
  }

  /** The logs around a failure: from 10 minutes before it, filtered to its request id when there is one. */
  async openFailure(failure: FailureLogsArgument): Promise<LogsPanel | undefined> {
    const ref = parseTargetRef(failure)!;
    const filter: LogViewFilter = { range: { kind: 'since', atMs: failure.atMs - BEFORE_FAILURE_MS } };
    if (failure.requestId) filter.requestId = failure.requestId;
    const opening: LogsOpening = { filter, following: false, focusRequestId: failure.requestId };
    const entry = this.catalog.find(ref);
    if (entry) return this.openTarget({ ...entry, state: { ...entry.state, deploymentId: failure.deploymentId ?? entry.state.deploymentId } }, opening);
    return this.openSubject({ ref, deploymentId: failure.deploymentId }, opening);
  }

  private plainOpening(): LogsOpening {
    return { filter: { range: DEFAULT_RANGE }, following: true };
  }

  /** A chain's logs are its chainlets': one is asked for when there are several. */
  private async openTarget(target: CatalogTarget, opening: LogsOpening): Promise<LogsPanel | undefined> {
    const ref: TargetRef = { owner: target.owner, target: target.target };
    if (target.owner.kind !== 'chain') return this.openSubject({ ref, deploymentId: target.state.deploymentId }, opening);
    const chainlet = await this.pickChainlet(target.state.chainlets ?? []);
    return chainlet ? this.openSubject({ ref, deploymentId: target.state.deploymentId, chainlet }, opening) : undefined;
  }

  private async pickChainlet(chainlets: ChainletV1[]): Promise<ChainletV1 | undefined> {
    if (chainlets.length <= 1) {
      if (!chainlets.length) void vscode.window.showWarningMessage('This chain deployment has no chainlets listed yet, so there are no logs to show. Refresh the Chains view and try again.');
      return chainlets[0];
    }
    const picked = await vscode.window.showQuickPick(
      chainlets.map((chainlet) => ({ label: chainlet.name, description: statusLabel(chainlet.status), chainlet })),
      { title: 'Show the logs of which chainlet?', placeHolder: 'Baseten keeps logs per chainlet' },
    );
    return picked?.chainlet;
  }

  openSubject(subject: LogsSubject, opening: LogsOpening): LogsPanel | undefined {
    const source = logSourceOf(subject);
    if (!source) {
      void vscode.window.showWarningMessage('Baseten keeps no logs for this yet: it has no deployment. Refresh the view and try again.');
      return undefined;
    }
    const key = subjectKey(subject);
    const existing = this.panels.find((panel) => subjectKey(panel.subject) === key);
    if (existing) {
      existing.reveal();
      if (opening.focusRequestId || opening.filter.range.kind === 'since') void existing.reopen(opening);
      return existing;
    }
    const webviewPanel = createWebviewPanel(LOGS_VIEW_TYPE, 'Logs', vscode.ViewColumn.Active, this.mediaRoot);
    return this.panels.adopt(new LogsPanel(webviewPanel, this, subject, source, opening));
  }

  dispose(): void {
    this.panels.dispose();
  }
}
