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
import { offeredTargets, pickTarget } from '../../platform/targetPicker';
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

/** Where the last submit from the form sent its output; the next form starts with it. */
const LAST_WEBHOOK_KEY = 'baseten.async.lastWebhook';

export async function submitAsyncRequest(deps: AsyncDeps, node?: TargetNode | TargetRef, preset?: AsyncSubmitPreset): Promise<AsyncSubmitOutcome> {
  const target = node ? toTarget(node) : await chooseTarget(deps);
  if (!target) return { problem: 'no target chosen' };
  const input = preset ? preset.input : await readPayload();
  if (input === undefined) return { problem: 'no payload' };
  let options: AsyncSubmitOptions = preset
    ? { priority: preset.priority, maxTimeInQueueSeconds: preset.maxTimeInQueueSeconds, webhook: preset.webhook ?? 'none', retry: preset.retry ?? {} }
    : { webhook: deps.memento.get<string>(LAST_WEBHOOK_KEY) ?? (deps.receiver.url ? 'receiver' : 'none'), retry: {} };
  let request: AsyncPredictRequest;
  let webhookEndpoint: string | undefined;
  // Without a preset, whatever stops the submit (a receiver that cannot start, a value out of range) returns to the form.
  for (;;) {
    if (!preset) {
      const edited = await editOptions(deps, target, options);
      if (!edited) return { problem: 'cancelled' };
      options = edited;
    }
    webhookEndpoint = undefined;
    if (options.webhook === 'receiver') webhookEndpoint = deps.receiver.url ?? (await startWebhookReceiver(deps));
    else if (options.webhook !== 'none') webhookEndpoint = options.webhook;
    const problem = options.webhook === 'receiver' && !webhookEndpoint ? 'the webhook receiver is not running' : undefined;
    request = {
      model_input: input,
      ...(webhookEndpoint ? { webhook_endpoint: webhookEndpoint } : {}),
      ...(options.priority !== undefined ? { priority: options.priority } : {}),
      ...(options.maxTimeInQueueSeconds !== undefined ? { max_time_in_queue_seconds: options.maxTimeInQueueSeconds } : {}),
      ...(Object.keys(options.retry).length ? { inference_retry_config: options.retry } : {}),
    };
    const issues = problem ? [] : findAsyncPredictIssues(request);
    if (!problem && !issues.length) break;
    if (preset) {
      const message = problem ?? issues.map((issue) => issue.message).join(' ');
      if (!problem) void vscode.window.showErrorMessage(`The async request was not sent: ${message}`);
      return { problem: message };
    }
    if (issues.length) void vscode.window.showErrorMessage(`The async request was not sent: ${issues.map((issue) => issue.message).join(' ')}`);
  }
  if (!preset) await deps.memento.update(LAST_WEBHOOK_KEY, options.webhook);
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
    void vscode.window.setStatusBarMessage(`Async request queued on ${targetLabel(target)}`, 5000);
    if (coldStartNote) void vscode.window.showInformationMessage(coldStartNote);
    return { request: submitted, coldStartNote };
  } catch (error) {
    return { problem: showFailure(deps.services.log, `The async request to ${targetLabel(target)}`, error).message };
  }
}

/** The one target that takes async requests, without asking; else the picker. */
async function chooseTarget(deps: AsyncDeps): Promise<TargetRef | undefined> {
  const options = {
    title: 'Submit Async Request',
    placeholder: 'Which environment or deployment runs it?',
    offers: canAnswer,
    empty: { label: 'No models or chains to send to', description: 'add them to the "baseten.models" or "baseten.chains" setting' },
  };
  const known = deps.catalog.knownTargets().filter(canAnswer);
  if (known.length === 1) {
    const { targets } = await offeredTargets(deps.catalog, options);
    if (targets.length === 1) return targets[0];
  }
  return pickTarget(deps.catalog, options);
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
