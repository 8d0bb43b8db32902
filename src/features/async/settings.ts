import * as vscode from 'vscode';

/** Baseten allows 20 status, cancel and queue-status calls per second and key; we stay at or under half by default. */
export const BASETEN_STATUS_LIMIT_PER_SECOND = 20;

function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('baseten.async');
}

export function statusRequestsPerSecond(): number {
  const value = config().get<number>('maxStatusRequestsPerSecond') ?? 10;
  return Math.max(1, Math.min(BASETEN_STATUS_LIMIT_PER_SECOND, Math.floor(Number.isFinite(value) ? value : 10)));
}

/** 0 lets the system pick a free port. */
export function webhookReceiverPort(): number {
  const value = config().get<number>('webhookReceiverPort') ?? 8788;
  return Number.isInteger(value) && value >= 0 && value <= 65_535 ? value : 8788;
}

export function notifyWhenFinished(): boolean {
  return config().get<boolean>('notifyWhenFinished') ?? true;
}
