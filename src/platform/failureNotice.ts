import * as vscode from 'vscode';
import { describeFailure } from '../client';
import type { FailureContext, FailureReport, NextAction } from '../client';
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
}

/**
 * The one way a failure reaches the user: the sentence as an error notification with the next action as a
 * button (and Show Logs), the sentence and its detail line (status, request id) in the log.
 */
export function showFailure(log: BasetenLog, what: string, error: unknown, context?: FailureContext): ShownFailure {
  const report = describeFailure(what, error, context);
  const reference = log.failure(what, error);
  const buttons = report.action === 'show_logs' ? [BUTTONS.show_logs] : [BUTTONS[report.action], BUTTONS.show_logs];
  void Promise.resolve(vscode.window.showErrorMessage(report.message, ...buttons)).then((choice) => {
    if (choice === BUTTONS.set_key) void vscode.commands.executeCommand('baseten.setApiKey');
    if (choice === BUTTONS.input_template) void vscode.commands.executeCommand('workbench.action.openSettings', 'baseten.predict.inputTemplate');
    if (choice === BUTTONS.show_logs) void vscode.commands.executeCommand('baseten.showLog', reference);
  }, () => undefined);
  return { ...report, reference, buttons };
}
