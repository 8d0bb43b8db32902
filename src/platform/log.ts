import * as vscode from 'vscode';
import type { BasetenError, RequestLogEntry } from '../client';

/**
 * The one "Baseten" log channel. Its level is the user's (Developer: Set Log Level…). Request lines carry
 * method, URL, status, duration and request id; headers are logged with Authorization redacted.
 */
export class BasetenLog implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  private lastErrorId = 0;

  constructor() {
    this.channel = vscode.window.createOutputChannel('Baseten', { log: true });
  }

  request(entry: RequestLogEntry): void {
    const status = entry.status !== undefined ? String(entry.status) : 'no response';
    const requestId = entry.requestId ? ` request ${entry.requestId}` : '';
    const attempt = entry.attempt > 1 ? ` (attempt ${entry.attempt})` : '';
    const retry = entry.retryInMs !== undefined ? `, retrying in ${entry.retryInMs} ms` : '';
    const line = `${entry.method} ${entry.url} → ${status} in ${entry.durationMs} ms${requestId}${attempt}${retry}`;
    if (entry.error) this.channel.warn(`${line}: ${entry.error}`);
    else this.channel.info(line);
    this.channel.trace(`  request headers: ${JSON.stringify(entry.headers)}`);
  }

  /**
   * Logs a failure with a short reference that error nodes and messages can point to, so "show log"
   * can land on this line.
   */
  failure(what: string, error: unknown): string {
    const reference = `E${Date.now().toString(36)}-${++this.lastErrorId}`;
    const detail = isBasetenLike(error) ? error.describe() : error instanceof Error ? error.message : String(error);
    this.channel.error(`[${reference}] ${what}: ${detail}`);
    return reference;
  }

  info(message: string): void {
    this.channel.info(message);
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}

function isBasetenLike(error: unknown): error is BasetenError {
  return !!error && typeof (error as BasetenError).describe === 'function' && typeof (error as BasetenError).kind === 'string';
}
