import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { BasetenError, actionUrl, curlCommand, isSleeping, jsonInput, predictAction, predictResponseKind } from '../../client';
import type { DeploymentStatus, PredictResponse, TargetRef } from '../../client';
import { historySize, responseFolder, responseSizeLimitBytes } from './settings';
import { authScheme } from '../../platform/settings';
import { formatMs, formatSize, responseTitle } from './logic/format';
import { HistoryEntry, addToHistory, historyEntry, readHistory, requestOf } from './logic/history';
import { Base64Media } from './logic/media';
import { targetLabel } from '../../client';
import { PredictRequest, requestFileName, savedRequestText } from './logic/request';
import { RenderedResponse, renderResponse } from './logic/responseBody';
import { BasetenServices } from '../../platform/services';
import { ResponseDocuments } from './responseDocuments';
import { failureLogs, showFailure } from '../../platform/failureNotice';
import type { FailureLogs } from '../../platform/failureNotice';

const HISTORY_KEY = 'baseten.requestHistory';

export interface PredictOutcome {
  outcome: 'ok' | 'error' | 'cancelled' | 'invalid' | 'none';
  /** What the user was told. */
  message?: string;
  /** A failure's detail line (status, request id) and the buttons offered with it. */
  detail?: string;
  buttons?: string[];
  /** Where *Show Logs* leads: the deployment's logs around the failure, filtered to its request id. */
  logs?: FailureLogs;
  entry?: HistoryEntry;
  /** The response document. */
  uri?: string;
  /** The file the body was saved to (binary or above the size limit). */
  file?: string;
  /** Images, audio… found in the answer and saved for preview. */
  media?: Array<{ mime: string; file: string; path?: string }>;
  /** The deployment was known to be scaled to zero: the progress said a cold start was under way. */
  coldStart?: boolean;
  /** Times the document was updated while a stream arrived. */
  liveUpdates?: number;
}

export interface RunOptions {
  /** What the explorer showed for the target's deployment. */
  status?: DeploymentStatus;
  /** The payload is text that the input template wrapped into JSON. */
  wrappedText?: boolean;
}

/**
 * Sends predict requests (run_remote on chains) and shows what came back: a read-only document, a file
 * for binary and oversized bodies, a preview for media. Keeps the history of recent requests.
 */
export class PredictController implements vscode.Disposable {
  readonly documents = new ResponseDocuments();
  private readonly running = new Set<AbortController>();
  private lastColumn?: vscode.ViewColumn;

  constructor(
    private readonly services: BasetenServices,
    private readonly context: vscode.ExtensionContext,
    private readonly onColdStartDone: (ref: TargetRef) => void = () => undefined,
  ) {}

  history(): HistoryEntry[] {
    return readHistory(this.context.globalState.get(HISTORY_KEY));
  }

  async clearHistory(): Promise<void> {
    await this.context.globalState.update(HISTORY_KEY, []);
  }

  /** Aborts every request in flight; their sockets close. */
  cancelAll(): void {
    for (const controller of this.running) controller.abort();
  }

  /** Undefined for a history entry whose payload was too large to keep: a command with another body would mislead. */
  curl(request: Pick<PredictRequest, 'owner' | 'target'> & { payload?: unknown }, kind?: PredictResponse['kind']): string | undefined {
    if (request.payload === undefined) return undefined;
    const url = actionUrl(this.services.client.endpoints, request.owner, request.target, predictAction(request.owner));
    return curlCommand(url, { authScheme: authScheme(), json: request.payload, stream: kind === 'sse' || kind === 'stream' });
  }

  async rerun(entry: HistoryEntry, options: RunOptions = {}): Promise<PredictOutcome> {
    const request = requestOf(entry);
    if (!request) {
      const message = `The payload of that request (${formatSize(entry.payloadBytes)}) was too large to keep in the history; run it again from its file.`;
      void vscode.window.showWarningMessage(message);
      return { outcome: 'none', message };
    }
    return this.run(request, options);
  }

  /** Writes `.baseten/requests/<name>.json` in the first workspace folder. */
  async saveAsRequest(request: PredictRequest, name: string): Promise<vscode.Uri | undefined> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) {
      void vscode.window.showWarningMessage('Saved requests live in the workspace (.baseten/requests/): open a folder first.');
      return undefined;
    }
    const uri = vscode.Uri.joinPath(folder.uri, '.baseten', 'requests', requestFileName(name));
    await vscode.workspace.fs.writeFile(uri, Buffer.from(savedRequestText(request, name)));
    return uri;
  }

  async run(request: PredictRequest, options: RunOptions = {}): Promise<PredictOutcome> {
    const title = targetLabel(request);
    const coldStart = options.status !== undefined && isSleeping(options.status);
    const controller = new AbortController();
    this.running.add(controller);
    const at = new Date().toISOString();
    const id = randomUUID();
    const started = performance.now();
    let response: PredictResponse | undefined;
    let streamUri: vscode.Uri | undefined;
    let liveUpdates = 0;
    try {
      return await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: coldStart ? `Cold start: ${title} is scaled to zero` : `Predict: ${title}`,
          cancellable: true,
        },
        async (progress, token) => {
          token.onCancellationRequested(() => controller.abort());
          const waiting = (): string =>
            coldStart
              ? `Baseten is starting a replica; the request waits until it is ready (this can take minutes) · ${Math.round((performance.now() - started) / 1000)} s`
              : 'waiting for the answer…';
          progress.report({ message: waiting() });
          // A cold start can take minutes: the count shows it is still under way, not frozen.
          const ticker = coldStart ? setInterval(() => progress.report({ message: waiting() }), 1000) : undefined;
          const client = this.services.client;
          try {
            response = await client.inference.predict(request.owner, request.target, jsonInput(request.payload), { signal: controller.signal, readJson: false });
          } finally {
            clearInterval(ticker);
          }
          if (coldStart) this.onColdStartDone(request);
          progress.report({ message: `${response.status}, receiving…` });
          const streaming = response.kind === 'sse' || (response.kind === 'stream' && !/json/.test(response.contentType));
          if (streaming) {
            const extension = response.kind === 'sse' ? 'jsonl' : 'txt';
            streamUri = this.documents.create(responseTitle(request, { status: response.status, requestId: response.requestId }), extension);
          }
          // Opening an editor takes a while; the body is read meanwhile, or it would pile up and arrive as one batch.
          const opened = streamUri ? this.show(streamUri, true).catch(() => undefined) : undefined;
          const rendered = await renderResponse(response, {
            limitBytes: responseSizeLimitBytes(),
            folder: responseFolder(this.context.globalStorageUri),
            fileStem: fileStem(request, at),
            onText: streamUri
              ? (pieces) => {
                  liveUpdates++;
                  this.documents.append(streamUri as vscode.Uri, pieces);
                }
              : undefined,
          });
          const ms = performance.now() - started;
          await opened;
          return this.finish(request, response, rendered, { id, at, ms, coldStart, liveUpdates, streamUri });
        },
      );
    } catch (error) {
      return this.failed(request, error, { id, at, ms: performance.now() - started, response, streamUri, coldStart, wrappedText: options.wrappedText });
    } finally {
      this.running.delete(controller);
    }
  }

  private async finish(
    request: PredictRequest,
    response: PredictResponse,
    rendered: RenderedResponse,
    run: { id: string; at: string; ms: number; coldStart: boolean; liveUpdates: number; streamUri?: vscode.Uri },
  ): Promise<PredictOutcome> {
    const fields = { status: response.status, ms: run.ms, size: rendered.size, requestId: response.requestId };
    const title = responseTitle(request, fields);
    const extension = rendered.language === 'json' ? 'json' : rendered.language === 'jsonl' ? 'jsonl' : 'txt';
    let uri: vscode.Uri | undefined;
    let file: string | undefined;
    let media: PredictOutcome['media'] = [];
    let message: string;
    const actions: string[] = [];
    if (rendered.kind === 'document') {
      uri = this.documents.create(title, extension, rendered.text);
      media = await this.saveMedia(rendered.media, request, run.at);
      message = `${targetLabel(request)}: ${response.status} in ${formatMs(run.ms)}, ${formatSize(rendered.size)}.`;
      if (media.length) {
        message += ` The answer holds ${describeMedia(media)}.`;
        actions.push('Preview');
      }
    } else if (rendered.reason === 'binary') {
      file = rendered.file;
      const what = rendered.media?.mime ?? (response.contentType || 'binary data');
      const summary = { status: response.status, contentType: response.contentType, size: rendered.size, detected: rendered.media?.mime ?? null, savedTo: file, requestId: response.requestId ?? null };
      uri = this.documents.create(title, 'json', `${JSON.stringify(summary, null, 2)}\n`);
      if (rendered.media) media = [{ mime: rendered.media.mime, file }];
      message = `${targetLabel(request)} answered with ${what} (${formatSize(rendered.size)}), saved to ${file}.`;
      actions.push(rendered.media ? 'Preview' : 'Open File', 'Save As…');
    } else {
      file = rendered.file;
      const limit = formatSize(responseSizeLimitBytes());
      message = `The response of ${targetLabel(request)} (${formatSize(rendered.size)}) is larger than the ${limit} limit, so it was saved to ${file} instead of being shown.`;
      if (rendered.shown !== undefined) {
        uri = this.documents.create(title, extension, [...rendered.shown, `\n\n… (over the ${limit} limit: the whole response is in ${file})\n`]);
      }
      actions.push('Open File');
    }
    if (run.streamUri) await this.documents.close(run.streamUri);
    if (uri) await this.show(uri, false);
    const entry = historyEntry(request, {
      id: run.id,
      at: run.at,
      outcome: 'ok',
      status: response.status,
      latencyMs: Math.round(run.ms),
      size: rendered.size,
      requestId: response.requestId,
      // A JSON answer is read as a stream here (readJson: false); the history says what the model sent.
      kind: predictResponseKind(response.contentType),
      responseUri: uri?.toString(),
      file,
    });
    await this.remember(entry);
    actions.push('Save as Request');
    void Promise.resolve(vscode.window.showInformationMessage(message, ...actions)).then((choice) => this.act(choice, { request, file, media, entry }), () => undefined);
    return { outcome: 'ok', message, entry, uri: uri?.toString(), file, media, coldStart: run.coldStart, liveUpdates: run.liveUpdates };
  }

  private async failed(
    request: PredictRequest,
    error: unknown,
    run: { id: string; at: string; ms: number; response?: PredictResponse; streamUri?: vscode.Uri; coldStart: boolean; wrappedText?: boolean },
  ): Promise<PredictOutcome> {
    const cancelled = error instanceof BasetenError && error.kind === 'aborted';
    const status = run.response?.status ?? (error instanceof BasetenError ? error.status : undefined);
    const requestId = run.response?.requestId ?? (error instanceof BasetenError ? error.requestId : undefined);
    const reason = error instanceof Error ? error.message : String(error);
    if (run.streamUri) this.documents.append(run.streamUri, cancelled ? '\n… cancelled\n' : `\n… the stream failed: ${reason}\n`);
    const entry = historyEntry(request, {
      id: run.id,
      at: run.at,
      outcome: cancelled ? 'cancelled' : 'error',
      status,
      latencyMs: Math.round(run.ms),
      requestId,
      kind: run.response && predictResponseKind(run.response.contentType),
      error: cancelled ? undefined : reason,
      responseUri: run.streamUri?.toString(),
    });
    await this.remember(entry);
    if (cancelled) {
      const message = `Predict on ${targetLabel(request)} cancelled.`;
      void vscode.window.setStatusBarMessage(message, 3000);
      return { outcome: 'cancelled', message, entry, coldStart: run.coldStart };
    }
    const logs = failureLogs(request, error, { requestId, atMs: Date.parse(run.at) || Date.now() });
    const shown = showFailure(this.services.log, `Predict on ${targetLabel(request)}`, error, { wrappedText: run.wrappedText }, logs);
    return { outcome: 'error', message: shown.message, detail: shown.detail, buttons: shown.buttons, logs: shown.logs, entry, uri: run.streamUri?.toString(), coldStart: run.coldStart };
  }

  private async remember(entry: HistoryEntry): Promise<void> {
    await this.context.globalState.update(HISTORY_KEY, addToHistory(this.history(), entry, historySize()));
  }

  private async saveMedia(found: Base64Media[], request: PredictRequest, at: string): Promise<NonNullable<PredictOutcome['media']>> {
    if (!found.length) return [];
    const folder = responseFolder(this.context.globalStorageUri);
    await fs.mkdir(folder, { recursive: true });
    const saved: NonNullable<PredictOutcome['media']> = [];
    for (const [i, item] of found.entries()) {
      const file = path.join(folder, `${fileStem(request, at)}-${i + 1}.${item.extension}`);
      await fs.writeFile(file, Buffer.from(item.base64, 'base64'));
      saved.push({ mime: item.mime, file, path: item.path });
    }
    return saved;
  }

  private async act(choice: string | undefined, context: { request: PredictRequest; file?: string; media: NonNullable<PredictOutcome['media']>; entry: HistoryEntry }): Promise<void> {
    if (choice === 'Preview' && context.media[0]) await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(context.media[0].file), vscode.ViewColumn.Beside);
    if (choice === 'Open File' && context.file) await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(context.file));
    if (choice === 'Save As…' && context.file) {
      const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(path.basename(context.file)) });
      if (target) await vscode.workspace.fs.copy(vscode.Uri.file(context.file), target, { overwrite: true });
    }
    if (choice === 'Save as Request') await vscode.commands.executeCommand('baseten.saveAsRequest', context.entry.id);
  }

  /** Responses open beside the editor the first time, then in the column the last one used. */
  private async show(uri: vscode.Uri, preserveFocus: boolean): Promise<void> {
    const column = this.lastColumn && vscode.window.tabGroups.all.some((group) => group.viewColumn === this.lastColumn) ? this.lastColumn : vscode.ViewColumn.Beside;
    const editor = await this.documents.show(uri, preserveFocus, column);
    this.lastColumn = editor.viewColumn;
  }

  dispose(): void {
    this.cancelAll();
    this.documents.dispose();
  }
}

function fileStem(request: PredictRequest, at: string): string {
  return `${request.owner.name || request.owner.id}-${at.replace(/[:.]/g, '-')}`.replace(/[^\w.-]+/g, '-');
}

function describeMedia(media: NonNullable<PredictOutcome['media']>): string {
  const first = media[0];
  const kind = first.mime.split('/')[0] === 'image' ? `a ${first.mime.split('/')[1].toUpperCase()} image` : first.mime;
  return `${kind}${first.path ? ` at ${first.path}` : ''}${media.length > 1 ? ` and ${media.length - 1} more` : ''}`;
}
