import * as vscode from 'vscode';
import { findAsyncPredictIssues } from '../../client';
import type { AsyncInferenceRetryConfig, AsyncPredictRequest } from '../../client';
import { AsyncRequest } from './logic/asyncRequest';
import { targetLabel } from '../../client';
import type { TargetRef } from '../../client';
import { TargetNode } from '../explorer/targetNode';
import type { AsyncDeps } from './requestCommands';
import { AsyncSubmitOptions, editOptions } from './submitOptions';
import { canAnswer } from '../../catalog/targets';
import { pickTarget } from '../../platform/targetPicker';
import { startWebhookReceiver } from './receiverCommands';
import { showFailure } from '../../platform/failureNotice';

/** Everything the submit flow would ask for; given, nothing is asked (tests, other commands). */
export interface AsyncSubmitPreset {
  input: unknown;
  priority?: number;
  maxTimeInQueueSeconds?: number;
  /** `receiver`: the local webhook receiver (started if needed); `none`; or a URL. */
  webhook?: 'receiver' | 'none' | string;
  retry?: AsyncInferenceRetryConfig;
}

export interface AsyncSubmitOutcome {
  request?: AsyncRequest;
  /** Why nothing was sent: the validation message, or Baseten's error. */
  problem?: string;
  /** The note shown when the target was known to be scaled to zero. */
  coldStartNote?: string;
}

function toTarget(node: TargetNode | TargetRef): TargetRef {
  return node instanceof TargetNode ? node.ref : node;
}

export async function submitAsyncRequest(deps: AsyncDeps, node?: TargetNode | TargetRef, preset?: AsyncSubmitPreset): Promise<AsyncSubmitOutcome> {
  const target = node ? toTarget(node) : await pickTarget(deps.catalog, {
    title: 'Submit Async Request',
    placeholder: 'Which environment or deployment runs it?',
    offers: canAnswer,
    empty: { label: 'No models or chains to send to', description: 'add them to the "baseten.models" or "baseten.chains" setting' },
  });
  if (!target) return { problem: 'no target chosen' };
  const input = preset ? preset.input : await readPayload();
  if (input === undefined) return { problem: 'no payload' };
  const options: AsyncSubmitOptions | undefined = preset
    ? { priority: preset.priority, maxTimeInQueueSeconds: preset.maxTimeInQueueSeconds, webhook: preset.webhook ?? 'none', retry: preset.retry ?? {} }
    : await editOptions(deps, target, { webhook: deps.receiver.url ? 'receiver' : 'none', retry: {} });
  if (!options) return { problem: 'cancelled' };

  let webhookEndpoint: string | undefined;
  if (options.webhook === 'receiver') webhookEndpoint = deps.receiver.url ?? (await startWebhookReceiver(deps));
  else if (options.webhook !== 'none') webhookEndpoint = options.webhook;
  if (options.webhook === 'receiver' && !webhookEndpoint) return { problem: 'the webhook receiver is not running' };
  const request: AsyncPredictRequest = {
    model_input: input,
    ...(webhookEndpoint ? { webhook_endpoint: webhookEndpoint } : {}),
    ...(options.priority !== undefined ? { priority: options.priority } : {}),
    ...(options.maxTimeInQueueSeconds !== undefined ? { max_time_in_queue_seconds: options.maxTimeInQueueSeconds } : {}),
    ...(Object.keys(options.retry).length ? { inference_retry_config: options.retry } : {}),
  };
  const issues = findAsyncPredictIssues(request);
  if (issues.length) {
    const problem = issues.map((issue) => issue.message).join(' ');
    void vscode.window.showErrorMessage(`The async request was not sent: ${problem}`);
    return { problem };
  }
  const coldStartNote = deps.catalog.isScaledToZero(target)
    ? `${targetLabel(target)} is scaled to zero: the request waits in the queue while the deployment starts (a cold start).`
    : undefined;
  try {
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Submitting an async request to ${targetLabel(target)}` }, () =>
      deps.services.client.inference.asyncPredict(target.owner, target.target, request),
    );
    const submitted: AsyncRequest = {
      ...target,
      requestId: result.requestId,
      submittedAt: Date.now(),
      priority: request.priority,
      maxTimeInQueueSeconds: request.max_time_in_queue_seconds,
      webhookEndpoint,
      status: 'QUEUED',
      webhookStatus: webhookEndpoint ? 'PENDING' : 'NO_WEBHOOK_PROVIDED',
      errors: [],
    };
    deps.store.add(submitted);
    void vscode.window.setStatusBarMessage(`Async request ${result.requestId} queued on ${targetLabel(target)}`, 5000);
    if (coldStartNote) void vscode.window.showInformationMessage(coldStartNote);
    return { request: submitted, coldStartNote };
  } catch (error) {
    return { problem: showFailure(deps.services.log, `The async request to ${targetLabel(target)}`, error).message };
  }
}

/** The selection, else a JSON document in the editor, else what the user types; always a JSON object. */
async function readPayload(): Promise<unknown> {
  const editor = vscode.window.activeTextEditor;
  const selected = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : undefined;
  const wholeJson = editor && !selected && /^jsonc?$/.test(editor.document.languageId) ? editor.document.getText() : undefined;
  const text = selected ?? wholeJson;
  if (text !== undefined) {
    const parsed = parseObject(text);
    if (typeof parsed === 'string') {
      void vscode.window.showErrorMessage(`The ${selected ? 'selection' : 'document'} is not a JSON object for model_input: ${parsed}`);
      return undefined;
    }
    return parsed.value;
  }
  const typed = await vscode.window.showInputBox({
    title: 'Async request: model_input',
    prompt: 'The JSON object Baseten forwards to the model (or select JSON in an editor first)',
    value: '{"prompt": "Hello"}',
    validateInput: (value) => {
      const parsed = parseObject(value);
      return typeof parsed === 'string' ? parsed : undefined;
    },
  });
  return typed === undefined ? undefined : (parseObject(typed) as { value: unknown }).value;
}

function parseObject(text: string): { value: unknown } | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `invalid JSON (${(error as Error).message})`;
  }
  return value && typeof value === 'object' && !Array.isArray(value) ? { value } : 'model_input must be a JSON object';
}
