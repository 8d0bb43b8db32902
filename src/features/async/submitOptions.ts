import * as vscode from 'vscode';
import { findAsyncPredictIssues } from '../../client';
import type { AsyncInferenceRetryConfig, AsyncPredictRequest } from '../../client';
import { targetLabel } from '../../client';
import type { TargetRef } from '../../client';
import type { AsyncDeps } from './requestCommands';
import { startWebhookReceiver } from './receiverCommands';

/** The fields of an AsyncPredictRequest besides model_input, as the submit flow edits them. */
export interface AsyncSubmitOptions {
  priority?: number;
  maxTimeInQueueSeconds?: number;
  webhook: 'receiver' | 'none' | string;
  retry: AsyncInferenceRetryConfig;
}

/** A menu of the options with their current values, until the user submits or leaves. */
export async function editOptions(deps: AsyncDeps, target: TargetRef, options: AsyncSubmitOptions): Promise<AsyncSubmitOptions | undefined> {
  for (;;) {
    const webhookText = options.webhook === 'receiver' ? `local receiver${deps.receiver.url ? ` (${deps.receiver.url})` : ' (starts it)'}` : options.webhook === 'none' ? 'none' : options.webhook;
    const retry = options.retry;
    const items: Array<vscode.QuickPickItem & { key: string }> = [
      { key: 'submit', label: '$(play) Submit', description: targetLabel(target) },
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
    const choice = await vscode.window.showQuickPick(items, { title: `Async request to ${targetLabel(target)}`, placeHolder: 'Submit, or change an option' });
    if (!choice) return undefined;
    if (choice.key === 'submit') return options;
    if (choice.key === 'priority') options.priority = await askInteger('Priority (0–2)', options.priority, (n) => ({ model_input: {}, priority: n }));
    if (choice.key === 'queue') {
      options.maxTimeInQueueSeconds = await askInteger('Max time in queue, seconds (10–259200)', options.maxTimeInQueueSeconds, (n) => ({ model_input: {}, max_time_in_queue_seconds: n }));
    }
    if (choice.key === 'webhook') options.webhook = (await askWebhook(deps, options.webhook)) ?? options.webhook;
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

/** The webhook; undefined (Escape, or a receiver that cannot start) keeps the current one and returns to the form. */
async function askWebhook(deps: AsyncDeps, current: string): Promise<string | undefined> {
  const choice = await vscode.window.showQuickPick(
    [
      { label: 'Local receiver', value: 'receiver', detail: 'Verified deliveries attach the output in the Async Requests view (Baseten must reach it: the emulator, or a tunnel to it)' },
      { label: 'None', value: 'none', detail: "Baseten keeps no outputs: the model must store its result itself" },
      { label: 'Enter a URL…', value: 'url', detail: 'An https endpoint of your own' },
    ],
    { title: 'Webhook' },
  );
  if (!choice) return undefined;
  // Started now, the receiver makes its secret before anything is sent, and the form shows its URL.
  if (choice.value === 'receiver') return deps.receiver.url || (await startWebhookReceiver(deps)) ? 'receiver' : undefined;
  if (choice.value !== 'url') return choice.value;
  return vscode.window.showInputBox({
    prompt: 'Webhook URL (https)',
    value: current.startsWith('http') ? current : 'https://',
    validateInput: (value) => findAsyncPredictIssues({ model_input: {}, webhook_endpoint: value })[0]?.message,
  });
}
