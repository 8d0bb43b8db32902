import * as vscode from 'vscode';
import { BasetenError, describeFailure } from '../client';
import type { FailureContext, FailureReport, NextAction, TargetRef } from '../client';
import type { BasetenLog } from './log';

const BUTTONS: Record<NextAction, string> = {
  set_key: 'Set API Key',
  input_template: 'Open Input Template Setting',
  show_logs: 'Show Logs',
};

export interface ShownFailure extends FailureReport {
  /** The log line's reference, which "Show Logs" lands on. */
  reference: string;
  buttons: string[];
  /** What *Show Logs* opens: Baseten's logs of the failure's deployment, or (undefined) the extension's log. */
  logs?: FailureLogs;
}

/**
 * Where Baseten logged a failure: its target (and the deployment behind it, when known), when it happened,
 * and the request id Baseten returned. With it, *Show Logs* opens that deployment's logs around the failure,
 * filtered to the request; without it, the extension's own log at the failure's line.
 */
export interface FailureLogs extends TargetRef {
  atMs: number;
  requestId?: string;
  deploymentId?: string;
}

/** The failure's logs location, with the request id the error carries when the caller had none. */
export function failureLogs(ref: TargetRef, error: unknown, extra: { requestId?: string; deploymentId?: string; atMs?: number } = {}): FailureLogs {
  const requestId = extra.requestId ?? (error instanceof BasetenError ? error.requestId : undefined);
  return { owner: ref.owner, target: ref.target, atMs: extra.atMs ?? Date.now(), ...(requestId ? { requestId } : {}), ...(extra.deploymentId ? { deploymentId: extra.deploymentId } : {}) };
}

/**
 * The one way a failure reaches the user: the sentence as an error notification with the next action as a
 * button (and Show Logs), the sentence and its detail line (status, request id) in the log.
 */
export function showFailure(log: BasetenLog, what: string, error: unknown, context?: FailureContext, logs?: FailureLogs): ShownFailure {
  const report = describeFailure(what, error, context);
  const reference = log.failure(what, error);
  // A refused key reads no logs either: the extension's log says what happened.
  if (report.action === 'set_key') logs = undefined;
  const buttons = report.action === 'show_logs' ? [BUTTONS.show_logs] : [BUTTONS[report.action], BUTTONS.show_logs];
  void Promise.resolve(vscode.window.showErrorMessage(report.message, ...buttons)).then((choice) => {
    if (choice === BUTTONS.set_key) void vscode.commands.executeCommand('baseten.setApiKey');
    if (choice === BUTTONS.input_template) void vscode.commands.executeCommand('workbench.action.openSettings', 'baseten.predict.inputTemplate');
    if (choice === BUTTONS.show_logs) void (logs ? vscode.commands.executeCommand('baseten.showLogs', logs) : vscode.commands.executeCommand('baseten.showLog', reference));
  }, () => undefined);
  return { ...report, reference, buttons, logs };
}
