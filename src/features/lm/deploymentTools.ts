/**
 * Language-model tools for VS Code's agent mode and any extension using `vscode.lm`: the user's deployments
 * listed, called, woken, and async requests submitted and read. Tools that cost money or change state ask
 * first (`prepareInvocation`), naming the target; read-only ones do not. Inputs are checked in `logic/`.
 */
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import { BasetenError, describeAsyncStatus, describeDeploymentStatus, describeWebhookStatus, jsonInput, targetLabel } from '../../client';
import type { Owner } from '../../client';
import type { DeploymentCatalog } from '../../catalog/deploymentCatalog';
import { canAnswer, isWakeable, type CatalogTarget } from '../../catalog/targets';
import { abortSignalOf } from '../../platform/cancellation';
import type { BasetenServices } from '../../platform/services';
import type { AsyncRequestStore } from '../async/store';
import type { AsyncSubmitOutcome } from '../async/submit';
import { wake } from '../explorer/wake';
import { formatSize } from '../predict/logic/format';
import { renderResponse } from '../predict/logic/responseBody';
import { responseFolder } from '../predict/settings';
import { deploymentsText } from './logic/deploymentsText';
import { resolveTarget, type TargetQuery } from './logic/targetQuery';
import { AsyncSubmitInput, CallInput, ToolInputError, ToolName, readAsyncStatusInput, readAsyncSubmitInput, readCallInput, readListInput, readLogsInput, readTargetInput } from './logic/toolInputs';
import { logLinesText } from '../logs/logic/logFormat';
import { logSourceOf, subjectLabel } from '../logs/logic/logSource';

/** What a tool hands back whole; a larger answer is cut here and saved in full. */
const RESULT_BYTES = 16 * 1024;

export interface ToolDeps {
  services: BasetenServices;
  catalog: DeploymentCatalog;
  asyncStore: AsyncRequestStore;
  globalStorage: vscode.Uri;
}

const text = (value: string): vscode.LanguageModelToolResult => new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(value)]);

/** A failure the model should read as one sentence: Baseten's own message, or ours. */
function toolError(error: unknown): Error {
  if (error instanceof vscode.CancellationError || (error instanceof BasetenError && error.kind === 'aborted')) return new vscode.CancellationError();
  if (error instanceof ToolInputError) return error;
  return new Error(error instanceof Error ? error.message : String(error));
}

async function resolve(deps: ToolDeps, query: TargetQuery, signal: AbortSignal): Promise<CatalogTarget> {
  const resolved = resolveTarget((await deps.catalog.everyTarget(signal)).listed, query);
  if (resolved.problem !== undefined) throw new ToolInputError(resolved.problem);
  return deps.catalog.find(resolved.target) ?? resolved.target;
}

/** What a tool that acts asks before it runs, naming the target. */
interface Confirmation {
  title: string;
  /** One sentence: what happens, and that it may cost money. */
  summary: string;
  /** The JSON that would be sent, if any. */
  input?: unknown;
}

function confirmationMessages({ title, summary, input }: Confirmation): vscode.PreparedToolInvocation['confirmationMessages'] {
  const message = new vscode.MarkdownString(summary);
  if (input !== undefined) message.appendCodeblock(inputPreview(input, 2), 'json');
  return { title, message };
}

/**
 * In a chat turn VS Code shows the confirmation from `prepareInvocation`. Another extension calling
 * `vscode.lm.invokeTool` outside a chat turn (no invocation token) gets no confirmation from VS Code, so the
 * tool asks itself, in a picker that stays until the user answers (Escape is a no).
 */
async function confirmOutsideChat(options: vscode.LanguageModelToolInvocationOptions<unknown>, confirmation: Confirmation, action: string, token: vscode.CancellationToken): Promise<void> {
  if (options.toolInvocationToken) return;
  const items: Array<vscode.QuickPickItem & { yes: boolean }> = [
    { label: `$(check) ${action}`, description: confirmation.input === undefined ? undefined : inputPreview(confirmation.input), detail: confirmation.summary, yes: true },
    { label: '$(close) Cancel', description: 'nothing is sent', yes: false },
  ];
  const choice = await vscode.window.showQuickPick(items, { title: confirmation.title, placeHolder: 'A language-model tool asks for this, outside a chat', ignoreFocusOut: true }, token);
  if (!choice?.yes) throw new vscode.CancellationError();
}

/** The input as JSON, cut to a readable length; `indent` for a code block, none for one line. */
function inputPreview(input: unknown, indent?: number): string {
  const json = JSON.stringify(input, null, indent) ?? 'null';
  const limit = indent ? 600 : 120;
  return json.length > limit ? `${json.slice(0, limit)}…` : json;
}

class ListDeploymentsTool implements vscode.LanguageModelTool<unknown> {
  constructor(private readonly deps: ToolDeps) {}

  prepareInvocation(): vscode.PreparedToolInvocation {
    return { invocationMessage: 'Listing your Baseten models and chains' };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<unknown>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    try {
      const input = readListInput(options.input);
      return text(deploymentsText(await this.deps.catalog.everyTarget(abortSignalOf(token)), input.model));
    } catch (error) {
      throw toolError(error);
    }
  }
}

class CallDeploymentTool implements vscode.LanguageModelTool<unknown> {
  constructor(private readonly deps: ToolDeps) {}

  async prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<unknown>, token: vscode.CancellationToken): Promise<vscode.PreparedToolInvocation> {
    const input = readCallInput(options.input);
    const target = await resolve(this.deps, input, abortSignalOf(token));
    return { invocationMessage: `Calling ${targetLabel(target)}`, confirmationMessages: confirmationMessages(this.confirmation(target, input)) };
  }

  private confirmation(target: CatalogTarget, input: CallInput): Confirmation {
    const action = target.owner.kind === 'chain' ? 'run_remote' : 'predict';
    return {
      title: `Call ${targetLabel(target)}?`,
      summary: `Sends this input to ${action} on ${targetLabel(target)}. The model runs on your Baseten account, which may cost money.`,
      input: input.input,
    };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<unknown>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    try {
      const input = readCallInput(options.input);
      const signal = abortSignalOf(token);
      const target = await resolve(this.deps, input, signal);
      await confirmOutsideChat(options, this.confirmation(target, input), 'Call', token);
      if (!canAnswer(target)) throw new ToolInputError(`${targetLabel(target)} cannot answer: its deployment is ${target.state.status ? describeDeploymentStatus(target.state.status).toLowerCase() : 'not running'}.`);
      const response = await this.deps.services.client.inference.predict(target.owner, target.target, jsonInput(input.input), { signal, readJson: false });
      const rendered = await renderResponse(response, {
        limitBytes: RESULT_BYTES,
        folder: responseFolder(this.deps.globalStorage),
        fileStem: `${target.owner.name || target.owner.id}-agent-${new Date().toISOString().replace(/[:.]/g, '-')}`.replace(/[^\w.-]+/g, '-'),
      });
      const head = `${targetLabel(target)} answered (HTTP ${response.status}${response.requestId ? `, request ID ${response.requestId}` : ''}):`;
      if (rendered.kind === 'document') return text(`${head}\n${rendered.text}`);
      if (rendered.reason === 'binary') return text(`${head} binary data (${response.contentType || 'no content type'}, ${formatSize(rendered.size)}), saved to ${rendered.file}.`);
      const start = await readStart(rendered.file, RESULT_BYTES);
      return text(`${head} ${formatSize(rendered.size)}, more than this tool returns. The whole answer is saved to ${rendered.file}; it begins:\n${start}\n…(cut)`);
    } catch (error) {
      throw toolError(error);
    }
  }
}

async function readStart(file: string, bytes: number): Promise<string> {
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    // A cut in the middle of a UTF-8 character decodes as one replacement mark at the end: harmless here.
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

class WakeDeploymentTool implements vscode.LanguageModelTool<unknown> {
  constructor(private readonly deps: ToolDeps) {}

  async prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<unknown>, token: vscode.CancellationToken): Promise<vscode.PreparedToolInvocation> {
    const target = await resolve(this.deps, readTargetInput(options.input), abortSignalOf(token));
    return { invocationMessage: `Waking ${targetLabel(target)}`, confirmationMessages: confirmationMessages(this.confirmation(target)) };
  }

  private confirmation(target: CatalogTarget): Confirmation {
    return {
      title: `Wake ${targetLabel(target)}?`,
      summary: `Starts ${targetLabel(target)} from zero replicas and waits until it is active. Running replicas cost money until they scale to zero again.`,
    };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<unknown>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    try {
      const signal = abortSignalOf(token);
      const target = await resolve(this.deps, readTargetInput(options.input), signal);
      const label = targetLabel(target);
      if (target.owner.kind !== 'model') throw new ToolInputError(`${label} is a chain: Baseten wakes chains on their first request, so call it directly.`);
      if (!isWakeable(target)) return text(`${label} is not scaled to zero (${target.state.status ? describeDeploymentStatus(target.state.status).toLowerCase() : 'status unknown'}); nothing to wake.`);
      await confirmOutsideChat(options, this.confirmation(target), 'Wake', token);
      const outcome = await wake(this.deps.services, this.deps.catalog, target, { signal });
      switch (outcome) {
        case 'active':
          return text(`${label} is active and answers requests now.`);
        case 'requested':
          return text(`Wake requested for ${label}. Its status cannot be read with this key; requests sent meanwhile wait until it is ready.`);
        case 'cancelled':
          throw new vscode.CancellationError();
        case 'failed':
          throw new Error(`${label} did not become active. baseten_get_logs reads its logs; the Baseten log in VS Code has the request details.`);
      }
    } catch (error) {
      throw toolError(error);
    }
  }
}

class GetLogsTool implements vscode.LanguageModelTool<unknown> {
  constructor(private readonly deps: ToolDeps) {}

  prepareInvocation(): vscode.PreparedToolInvocation {
    return { invocationMessage: 'Reading Baseten logs' };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<unknown>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    try {
      const input = readLogsInput(options.input);
      const signal = abortSignalOf(token);
      const target = await resolve(this.deps, input, signal);
      const chainlets = target.state.chainlets ?? [];
      const chainlet = input.chainlet ? chainlets.find((c) => c.name === input.chainlet || c.id === input.chainlet) : chainlets[0];
      if (target.owner.kind === 'chain' && !chainlet) {
        throw new ToolInputError(input.chainlet ? `${targetLabel(target)} has no chainlet "${input.chainlet}"; its chainlets: ${chainlets.map((c) => c.name).join(', ') || 'none listed'}.` : `${targetLabel(target)} lists no chainlets, so it has no logs to read.`);
      }
      const subject = { ref: { owner: target.owner, target: target.target }, deploymentId: target.state.deploymentId, chainlet };
      const source = logSourceOf(subject);
      if (!source) throw new ToolInputError(`${targetLabel(target)} has no deployment, so Baseten keeps no logs for it.`);
      const now = Date.now();
      const page = await this.deps.services.client.logs.page(source, { minLevel: input.level, requestId: input.requestId }, { startMs: now - input.minutes * 60_000, limit: 500 }, { signal });
      const what = [`Logs of ${subjectLabel(subject)}`, `last ${input.minutes} min`, ...(input.requestId ? [`request ${input.requestId}`] : []), ...(input.level ? [`${input.level} and above`] : [])].join(', ');
      if (!page.entries.length) return text(`${what}: no lines.`);
      const more = page.complete ? '' : ' (the newest 500; earlier lines exist)';
      return text(`${what}: ${page.entries.length} lines${more}, oldest first:\n${logLinesText(page.entries, RESULT_BYTES)}`);
    } catch (error) {
      throw toolError(error);
    }
  }
}

class SubmitAsyncTool implements vscode.LanguageModelTool<unknown> {
  constructor(private readonly deps: ToolDeps) {}

  async prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<unknown>, token: vscode.CancellationToken): Promise<vscode.PreparedToolInvocation> {
    const input = readAsyncSubmitInput(options.input);
    const target = await resolve(this.deps, input, abortSignalOf(token));
    return { invocationMessage: `Queuing an async request on ${targetLabel(target)}`, confirmationMessages: confirmationMessages(this.confirmation(target, input)) };
  }

  private confirmation(target: CatalogTarget, input: AsyncSubmitInput): Confirmation {
    return {
      title: `Queue an async request on ${targetLabel(target)}?`,
      summary: `Queues this input on ${targetLabel(target)}; the model runs it on your Baseten account, which may cost money.${input.deliverOutput ? ' Its output goes to the local webhook receiver.' : ''}`,
      input: input.input,
    };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<unknown>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    try {
      const input = readAsyncSubmitInput(options.input);
      const target = await resolve(this.deps, input, abortSignalOf(token));
      await confirmOutsideChat(options, this.confirmation(target, input), 'Queue', token);
      if (token.isCancellationRequested) throw new vscode.CancellationError();
      const outcome = await vscode.commands.executeCommand<AsyncSubmitOutcome>('baseten.submitAsyncRequest', { owner: target.owner, target: target.target }, {
        input: input.input,
        priority: input.priority,
        maxTimeInQueueSeconds: input.maxTimeInQueueSeconds,
        webhook: input.deliverOutput ? 'receiver' : 'none',
      });
      if (!outcome?.request) throw new Error(`The async request was not queued: ${outcome?.problem ?? 'no answer'}.`);
      const id = outcome.request.requestId;
      return text(
        [
          `Queued async request ${id} on ${targetLabel(target)}. It shows in the Async Requests view.`,
          outcome.coldStartNote,
          `Read its status with baseten_get_async_request (requestId "${id}").${input.deliverOutput ? ' The output arrives with the webhook once it succeeds.' : ' Without a webhook Baseten keeps no output: only its status can be read.'}`,
        ]
          .filter(Boolean)
          .join(' '),
      );
    } catch (error) {
      throw toolError(error);
    }
  }
}

class AsyncStatusTool implements vscode.LanguageModelTool<unknown> {
  constructor(private readonly deps: ToolDeps) {}

  prepareInvocation(): vscode.PreparedToolInvocation {
    return { invocationMessage: 'Reading an async request' };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<unknown>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    try {
      const input = readAsyncStatusInput(options.input);
      const signal = abortSignalOf(token);
      const known = this.deps.asyncStore.get(input.requestId);
      const owner: Owner | undefined = known?.owner ?? (input.model ? (await resolve(this.deps, { model: input.model }, signal)).owner : undefined);
      if (!owner) throw new ToolInputError(`Async request ${input.requestId} was not submitted from this window: name its model ("model") to look it up.`);
      const status = await this.deps.services.client.inference.asyncStatus(owner, input.requestId, { signal });
      const lines = [`Async request ${status.request_id} on ${owner.name || owner.id}: ${describeAsyncStatus(status.status)}, ${describeWebhookStatus(status.webhook_status)}; created ${status.created_at}, status since ${status.status_at}.`];
      for (const error of status.errors) lines.push(`Error ${error.code}: ${error.message}`);
      const output = known?.output;
      if (output) {
        const json = JSON.stringify(output.output, null, 2) ?? 'null';
        lines.push(json.length > RESULT_BYTES ? `Output (${formatSize(json.length)}, cut; open it from the Async Requests view for all of it):\n${json.slice(0, RESULT_BYTES)}\n…` : `Output:\n${json}`);
      }
      return text(lines.join('\n'));
    } catch (error) {
      throw toolError(error);
    }
  }
}

/** Registers every tool where the editor has the API (VS Code 1.95+). */
export function registerDeploymentTools(deps: ToolDeps): vscode.Disposable[] {
  const lm = vscode.lm as Partial<typeof vscode.lm> | undefined;
  if (typeof lm?.registerTool !== 'function') {
    deps.services.log.info('This editor has no language-model tool API; Baseten tools are not offered to agent mode.');
    return [];
  }
  const tools: Record<ToolName, vscode.LanguageModelTool<unknown>> = {
    baseten_list_deployments: new ListDeploymentsTool(deps),
    baseten_call_deployment: new CallDeploymentTool(deps),
    baseten_wake_deployment: new WakeDeploymentTool(deps),
    baseten_get_logs: new GetLogsTool(deps),
    baseten_submit_async_request: new SubmitAsyncTool(deps),
    baseten_get_async_request: new AsyncStatusTool(deps),
  };
  return Object.entries(tools).map(([name, tool]) => lm.registerTool!(name, tool));
}

