import * as vscode from 'vscode';
import type { DeploymentStatus } from '../../client';

const ICONS: Record<DeploymentStatus, { icon: string; color?: string; label: string }> = {
  ACTIVE: { icon: 'pass-filled', color: 'testing.iconPassed', label: 'Active' },
  SCALED_TO_ZERO: { icon: 'circle-outline', color: 'disabledForeground', label: 'Scaled to zero' },
  WAKING_UP: { icon: 'loading~spin', color: 'charts.yellow', label: 'Waking up' },
  LOADING_MODEL: { icon: 'loading~spin', color: 'charts.yellow', label: 'Loading model' },
  BUILDING: { icon: 'loading~spin', color: 'charts.blue', label: 'Building' },
  DEPLOYING: { icon: 'loading~spin', color: 'charts.blue', label: 'Deploying' },
  UPDATING: { icon: 'loading~spin', color: 'charts.blue', label: 'Updating' },
  DEACTIVATING: { icon: 'loading~spin', color: 'disabledForeground', label: 'Deactivating' },
  INACTIVE: { icon: 'circle-slash', color: 'disabledForeground', label: 'Inactive' },
  UNHEALTHY: { icon: 'warning', color: 'list.warningForeground', label: 'Unhealthy' },
  FAILED: { icon: 'error', color: 'list.errorForeground', label: 'Failed' },
  DEPLOY_FAILED: { icon: 'error', color: 'list.errorForeground', label: 'Deployment failed' },
  BUILD_FAILED: { icon: 'error', color: 'list.errorForeground', label: 'Build failed' },
  BUILD_STOPPED: { icon: 'debug-stop', color: 'disabledForeground', label: 'Build stopped' },
};

export function statusIcon(status: DeploymentStatus | undefined): vscode.ThemeIcon {
  if (!status) return new vscode.ThemeIcon('circle-large-outline');
  const entry = ICONS[status];
  if (!entry) return new vscode.ThemeIcon('question');
  return new vscode.ThemeIcon(entry.icon, entry.color ? new vscode.ThemeColor(entry.color) : undefined);
}

export function statusLabel(status: DeploymentStatus | undefined): string {
  if (!status) return 'status unknown';
  return ICONS[status]?.label ?? status;
}
