import * as vscode from 'vscode';
import { BasetenError, findAsyncPredictIssues } from '../client';
import type { AsyncInferenceRetryConfig, AsyncPredictRequest } from '../client';
import { AsyncRequest, AsyncTarget, targetTitle } from '../async/asyncRequest';
import { LocalWebhookReceiver } from '../async/receiver';
import { AsyncRequestStore } from '../async/store';
import { BasetenServices } from '../services';
import { AsyncRequestNode } from '../views/asyncRequests/nodes';
import { AsyncOutputDocuments } from '../views/asyncRequests/output';
import { TargetNode } from '../views/explorer/targetNode';
import { pickAsyncTarget } from './asyncTargetPick';

export interface AsyncDeps {
  services: BasetenServices;
  store: AsyncRequestStore;
  receiver: LocalWebhookReceiver;
}

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
}

interface Options {
  priority?: number;
  maxTimeInQueueSeconds?: number;
  webhook: 'receiver' | 'none' | string;
  retry: AsyncInferenceRetryConfig;
}

function toTarget(node: TargetNode | AsyncTarget): AsyncTarget {
  return node instanceof TargetNode ? { on: node.on, target: node.target, label: node.label } : node;
}

export async function submitAsyncRequest(deps: AsyncDeps, node?: TargetNode | AsyncTarget, preset?: AsyncSubmitPreset): Promise<AsyncSubmitOutcome> {
  const target = node ? toTarget(node) : await pickAsyncTarget(deps.services);
  if (!target) return { problem: 'no target chosen' };
  const input = preset ? preset.input : await readPayload();
  if (input === undefined) return { problem: 'no payload' };
  const options: Options | undefined = preset
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
  try {
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Submitting an async request to ${targetTitle(target)}` }, () =>
      deps.services.client.inference.asyncPredict(target.on, target.target, request),
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
    void vscode.window.setStatusBarMessage(`Async request ${result.requestId} queued on ${targetTitle(target)}`, 5000);
    return { request: submitted };
  } catch (error) {
    const problem = error instanceof Error ? error.message : String(error);
    const reference = deps.services.log.failure(`Submitting an async request to ${targetTitle(target)}`, error);
    void vscode.window.showErrorMessage(`Could not submit the async request: ${problem}`, 'Show Log').then((choice) => {
      if (choice) void vscode.commands.executeCommand('baseten.showLog', reference);
    });
    return { problem };
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

/** A menu of the options with their current values, until the user submits or leaves. */
async function editOptions(deps: AsyncDeps, target: AsyncTarget, options: Options): Promise<Options | undefined> {
  for (;;) {
    const webhookText = options.webhook === 'receiver' ? `local receiver${deps.receiver.url ? ` (${deps.receiver.url})` : ' (starts it)'}` : options.webhook === 'none' ? 'none' : options.webhook;
    const retry = options.retry;
    const items: Array<vscode.QuickPickItem & { key: string }> = [
      { key: 'submit', label: '$(play) Submit', description: targetTitle(target) },
      { key: 'priority', label: 'Priority', description: String(options.priority ?? '0 (default)'), detail: '0, 1 or 2; lower runs first' },
      { key: 'queue', label: 'Max time in queue', description: `${options.maxTimeInQueueSeconds ?? '600 (default)'} s`, detail: '10 s to 72 h; still queued after that, the request expires' },
      { key: 'webhook', label: 'Webhook', description: webhookText, detail: 'Baseten delivers the output only to a webhook' },
      {
        key: 'retry',
        label: 'Retries',
        description: `${retry.max_attempts ?? 3} attempts, ${retry.initial_delay_ms ?? 1000}–${retry.max_delay_ms ?? 5000} ms`,
        detail: 'inference_retry_config: attempts 1–10, initial delay 0–10000 ms, max delay 0–60000 ms',
      },
    ];
    const choice = await vscode.window.showQuickPick(items, { title: `Async request to ${targetTitle(target)}`, placeHolder: 'Submit, or change an option' });
    if (!choice) return undefined;
    if (choice.key === 'submit') return options;
    if (choice.key === 'priority') options.priority = await askInteger('Priority (0–2)', options.priority, (n) => ({ model_input: {}, priority: n }));
    if (choice.key === 'queue') {
      options.maxTimeInQueueSeconds = await askInteger('Max time in queue, seconds (10–259200)', options.maxTimeInQueueSeconds, (n) => ({ model_input: {}, max_time_in_queue_seconds: n }));
    }
    if (choice.key === 'webhook') options.webhook = (await askWebhook(options.webhook)) ?? options.webhook;
    if (choice.key === 'retry') {
      options.retry = {
        max_attempts: await askInteger('Max attempts (1–10)', retry.max_attempts, (n) => ({ model_input: {}, inference_retry_config: { max_attempts: n } })),
        initial_delay_ms: await askInteger('Initial delay, ms (0–10000)', retry.initial_delay_ms, (n) => ({ model_input: {}, inference_retry_config: { initial_delay_ms: n } })),
        max_delay_ms: await askInteger('Max delay, ms (0–60000)', retry.max_delay_ms, (n) => ({ model_input: {}, inference_retry_config: { max_delay_ms: n } })),
      };
      for (const key of Object.keys(options.retry) as Array<keyof AsyncInferenceRetryConfig>) if (options.retry[key] === undefined) delete options.retry[key];
    }
  }
}

/** An integer checked by the client's own validation as it is typed; empty keeps Baseten's default. */
async function askInteger(prompt: string, current: number | undefined, asRequest: (value: number) => AsyncPredictRequest): Promise<number | undefined> {
  const text = await vscode.window.showInputBox({
    prompt: `${prompt}; empty for Baseten's default`,
    value: current === undefined ? '' : String(current),
    validateInput: (value) => {
      if (!value.trim()) return undefined;
      const number = Number(value);
      return findAsyncPredictIssues(asRequest(number))[0]?.message;
    },
  });
  if (text === undefined) return current;
  return text.trim() ? Number(text) : undefined;
}

async function askWebhook(current: string): Promise<string | undefined> {
  const choice = await vscode.window.showQuickPick(
    [
      { label: 'Local receiver', value: 'receiver', detail: 'Verified deliveries attach the output in the Async Requests view (Baseten must reach it: the emulator, or a tunnel to it)' },
      { label: 'None', value: 'none', detail: "Baseten keeps no outputs: the model must store its result itself" },
      { label: 'Enter a URL…', value: 'url', detail: 'An https endpoint of your own' },
    ],
    { title: 'Webhook' },
  );
  if (!choice) return undefined;
  if (choice.value !== 'url') return choice.value;
  return vscode.window.showInputBox({
    prompt: 'Webhook URL (https)',
    value: current.startsWith('http') ? current : 'https://',
    validateInput: (value) => findAsyncPredictIssues({ model_input: {}, webhook_endpoint: value })[0]?.message,
  });
}

/** Starts the receiver; asks for the webhook secret first when none is stored. */
export async function startWebhookReceiver(deps: AsyncDeps): Promise<string | undefined> {
  if (!(await deps.receiver.hasSecret()) && !(await setWebhookSecret(deps))) {
    void vscode.window.showWarningMessage('The webhook receiver needs the webhook secret from Baseten (Settings → Secrets) to verify deliveries.');
    return undefined;
  }
  try {
    const url = await deps.receiver.start();
    void vscode.window.showInformationMessage(`Webhook receiver listening at ${url}. Baseten must be able to reach it (a tunnel to this port, or the emulator).`);
    return url;
  } catch (error) {
    void vscode.window.showErrorMessage(`Could not start the webhook receiver: ${error instanceof Error ? error.message : String(error)}. Change "baseten.async.webhookReceiverPort".`);
    return undefined;
  }
}

export async function stopWebhookReceiver(deps: AsyncDeps): Promise<void> {
  await deps.receiver.stop();
  void vscode.window.setStatusBarMessage('Webhook receiver stopped', 3000);
}

export async function setWebhookSecret(deps: AsyncDeps): Promise<boolean> {
  const secret = await vscode.window.showInputBox({
    title: 'Baseten webhook secret',
    prompt: 'From Baseten: Settings → Secrets → webhook secret. Kept in VS Code secret storage; the previous one stays valid while you rotate.',
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() ? undefined : 'Enter the secret'),
  });
  if (!secret?.trim()) return false;
  await deps.receiver.setSecret(secret.trim());
  return true;
}

export type CancelOutcome = 'canceled' | 'not_queued' | 'refused' | 'failed';

/** Baseten cancels only QUEUED requests; for any other status the user is told why nothing is sent. */
export async function cancelAsyncRequest(deps: AsyncDeps, node: AsyncRequestNode | AsyncRequest): Promise<CancelOutcome> {
  const request = node instanceof AsyncRequestNode ? node.request : node;
  const short = request.requestId.slice(0, 12);
  if (request.status !== 'QUEUED') {
    void vscode.window.showInformationMessage(
      `Async request ${short} is ${request.status}: Baseten can only cancel requests that are still QUEUED. Once a request is IN_PROGRESS it runs to its end.`,
    );
    return 'not_queued';
  }
  try {
    const result = await deps.store.cancel(request);
    if (result.canceled) {
      void vscode.window.setStatusBarMessage(`Canceled async request ${short}`, 3000);
      return 'canceled';
    }
    void vscode.window.showInformationMessage(`Baseten did not cancel ${short}: ${result.message || 'it is no longer queued'}`);
    return 'refused';
  } catch (error) {
    const reference = deps.services.log.failure(`Canceling async request ${request.requestId}`, error);
    const rateLimited = error instanceof BasetenError && error.status === 429 ? ' (rate limited; try again in a moment)' : '';
    void vscode.window.showErrorMessage(`Could not cancel ${short}${rateLimited}: ${error instanceof Error ? error.message : String(error)}`, 'Show Log').then((choice) => {
      if (choice) void vscode.commands.executeCommand('baseten.showLog', reference);
    });
    return 'failed';
  }
}

export async function openAsyncOutput(node: AsyncRequestNode | AsyncRequest): Promise<vscode.TextEditor | undefined> {
  const request = node instanceof AsyncRequestNode ? node.request : node;
  if (!request.output) {
    void vscode.window.showInformationMessage(
      `No output has arrived for ${request.requestId.slice(0, 12)}. Baseten delivers outputs only to a webhook: submit with the local webhook receiver running to see them here.`,
    );
    return undefined;
  }
  const document = await vscode.workspace.openTextDocument(AsyncOutputDocuments.uriFor(request.requestId));
  await vscode.languages.setTextDocumentLanguage(document, 'json');
  return vscode.window.showTextDocument(document, { preview: true });
}

/** A notification when a watched request ends, with its first error and its output when there is one. */
export function notifyFinished(request: AsyncRequest): void {
  const short = request.requestId.slice(0, 12);
  const where = targetTitle(request);
  const actions = request.output ? ['Open Output'] : [];
  const show =
    request.status === 'SUCCEEDED'
      ? vscode.window.showInformationMessage(`Async request ${short} on ${where} succeeded${request.output ? '' : request.webhookEndpoint ? '' : ' (no webhook: Baseten keeps no output)'}.`, ...actions)
      : request.status === 'CANCELED'
        ? vscode.window.showInformationMessage(`Async request ${short} on ${where} was canceled.`)
        : vscode.window.showWarningMessage(
            `Async request ${short} on ${where} ended ${request.status}${request.errors[0] ? `: ${request.errors[0].code}: ${request.errors[0].message}` : ''}.`,
            ...actions,
          );
  void Promise.resolve(show).then((choice) => {
    if (choice === 'Open Output') void openAsyncOutput(request);
  });
}
