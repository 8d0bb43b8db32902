import * as vscode from 'vscode';
import { describeDeploymentStatus } from '../client';
import type { DeploymentStatus } from '../client';

const ICONS: Record<DeploymentStatus, { icon: string; color?: string }> = {
  ACTIVE: { icon: 'pass-filled', color: 'testing.iconPassed' },
  SCALED_TO_ZERO: { icon: 'circle-outline', color: 'disabledForeground' },
  WAKING_UP: { icon: 'loading~spin', color: 'charts.yellow' },
  LOADING_MODEL: { icon: 'loading~spin', color: 'charts.yellow' },
  BUILDING: { icon: 'loading~spin', color: 'charts.blue' },
  DEPLOYING: { icon: 'loading~spin', color: 'charts.blue' },
  UPDATING: { icon: 'loading~spin', color: 'charts.blue' },
  DEACTIVATING: { icon: 'loading~spin', color: 'disabledForeground' },
  INACTIVE: { icon: 'circle-slash', color: 'disabledForeground' },
  UNHEALTHY: { icon: 'warning', color: 'list.warningForeground' },
  FAILED: { icon: 'error', color: 'list.errorForeground' },
  DEPLOY_FAILED: { icon: 'error', color: 'list.errorForeground' },
  BUILD_FAILED: { icon: 'error', color: 'list.errorForeground' },
  BUILD_STOPPED: { icon: 'debug-stop', color: 'disabledForeground' },
};

export function statusIcon(status: DeploymentStatus | undefined): vscode.ThemeIcon {
  if (!status) return new vscode.ThemeIcon('circle-large-outline');
  const entry = ICONS[status];
  if (!entry) return new vscode.ThemeIcon('question');
  return new vscode.ThemeIcon(entry.icon, entry.color ? new vscode.ThemeColor(entry.color) : undefined);
}

export function statusLabel(status: DeploymentStatus | undefined): string {
  return status ? describeDeploymentStatus(status) : 'status unknown';
}
