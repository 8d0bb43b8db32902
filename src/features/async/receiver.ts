import * as vscode from 'vscode';
import { WEBHOOK_PATH, WebhookReceiver } from '../../client';
import type { WebhookRejection } from '../../client';
import { webhookReceiverPort } from './settings';
import { BasetenLog } from '../../platform/log';
import { newWebhookSecret, previousSecretIfValid, rotatedRecord } from './logic/secretRotation';
import { AsyncRequestStore } from './store';

/** SecretStorage keys: the webhook secret, and the previous one (with its rotation time) while Baseten rotates them. */
const SECRET_KEY = 'baseten.webhookSecret';
const PREVIOUS_SECRET_KEY = 'baseten.webhookSecret.previous';
/** Workspace state: the port of a receiver that was running when the window went away. */
const RUNNING_KEY = 'baseten.webhookReceiver.running';

interface RunningState {
  port: number;
}

/**
 * The optional local webhook receiver: verified deliveries attach their output to the request in the
 * Async Requests view. The secret lives only in SecretStorage.
 */
export class LocalWebhookReceiver implements vscode.Disposable {
  private receiver?: WebhookReceiver;
  private readonly changed = new vscode.EventEmitter<string | undefined>();
  /** Fires with the URL when the receiver starts, undefined when it stops. */
  readonly onDidChange = this.changed.event;
  /** Deliveries the running receiver refused, by reason (counted by the receiver itself, which reports only some). */
  get rejected(): Partial<Record<WebhookRejection, number>> {
    return { ...this.receiver?.rejected };
  }

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly store: AsyncRequestStore,
    private readonly log: BasetenLog,
    private readonly workspaceState: vscode.Memento,
  ) {}

  get url(): string | undefined {
    return this.receiver?.url;
  }

  async hasSecret(): Promise<boolean> {
    return !!(await this.secrets.get(SECRET_KEY));
  }

  /** Stores a new secret; the one it replaces stays valid for Baseten's 24 h rotation window. */
  async setSecret(secret: string): Promise<void> {
    const current = await this.secrets.get(SECRET_KEY);
    if (current && current !== secret) await this.secrets.store(PREVIOUS_SECRET_KEY, rotatedRecord(current, Date.now()));
    await this.secrets.store(SECRET_KEY, secret);
  }

  /**
   * Makes and stores a secret when none is stored; the new secret, or undefined when one was there. Baseten
   * must sign with the same one: the caller registers it with the emulator or tells the user.
   */
  async ensureSecret(): Promise<string | undefined> {
    if (await this.hasSecret()) return undefined;
    const secret = newWebhookSecret();
    await this.secrets.store(SECRET_KEY, secret);
    this.log.info('Created a webhook secret for the local receiver (kept in secret storage).');
    return secret;
  }

  /** The current secret, for the user to copy into Baseten. */
  currentSecret(): Thenable<string | undefined> {
    return this.secrets.get(SECRET_KEY);
  }

  async clearSecrets(): Promise<void> {
    await this.secrets.delete(SECRET_KEY);
    await this.secrets.delete(PREVIOUS_SECRET_KEY);
  }

  /** The current secret, and the previous one until its rotation window ends (then it is deleted). */
  private async validSecrets(): Promise<string[]> {
    const current = await this.secrets.get(SECRET_KEY);
    const record = await this.secrets.get(PREVIOUS_SECRET_KEY);
    const previous = previousSecretIfValid(record, Date.now());
    if (record && !previous) await this.secrets.delete(PREVIOUS_SECRET_KEY);
    return [current, previous].filter((s): s is string => !!s);
  }

  async start(port = webhookReceiverPort()): Promise<string> {
    if (this.receiver?.running) return this.receiver.url as string;
    const receiver = new WebhookReceiver({
      port,
      secrets: () => this.validSecrets(),
      onDelivery: (delivery) => {
        const request = this.store.attachDelivery(delivery);
        this.log.info(`Webhook for async request ${delivery.requestId}: ${delivery.bytes} bytes, signature verified${request ? '' : ' (not a request of this workspace; ignored)'}`);
      },
      onRejected: (reason, detail, requestId) => {
        this.log.info(`Webhook receiver refused a delivery${requestId ? ` for async request ${requestId}` : ''} (${reason}): ${detail}`);
        if (requestId) this.store.noteRejection(requestId, reason);
      },
    });
    const url = await receiver.start();
    this.receiver = receiver;
    await this.workspaceState.update(RUNNING_KEY, { port: Number(new URL(url).port) } satisfies RunningState);
    this.log.info(`Webhook receiver listening at ${url}`);
    void vscode.commands.executeCommand('setContext', 'baseten.webhookReceiverRunning', true);
    this.changed.fire(url);
    return url;
  }

  /** Stops it for good: the next window does not start it again. */
  async stop(): Promise<void> {
    await this.workspaceState.update(RUNNING_KEY, undefined);
    await this.suspend();
  }

  /** What a window reload does: stops listening, remembering that it ran and on which port. */
  async suspend(): Promise<void> {
    const receiver = this.receiver;
    this.receiver = undefined;
    if (!receiver) return;
    await receiver.stop();
    this.log.info('Webhook receiver stopped');
    void vscode.commands.executeCommand('setContext', 'baseten.webhookReceiverRunning', false);
    this.changed.fire(undefined);
  }

  /**
   * After a reload: starts the receiver again on its former port when requests still waiting for a webhook
   * were sent there (their endpoint names that port); otherwise forgets it ran. Returns the URL it listens at.
   */
  async restore(): Promise<string | undefined> {
    const state = this.workspaceState.get<RunningState>(RUNNING_KEY);
    if (!state || this.receiver) return undefined;
    const url = `http://127.0.0.1:${state.port}${WEBHOOK_PATH}`;
    const waiting = this.store.list().filter((request) => !request.ended && request.webhookEndpoint === url);
    if (!waiting.length) {
      await this.workspaceState.update(RUNNING_KEY, undefined);
      return undefined;
    }
    try {
      return await this.start(state.port);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.log.info(`Webhook receiver could not start again on port ${state.port}: ${reason}`);
      void vscode.window.showWarningMessage(
        `The webhook receiver could not start again on port ${state.port} (${reason}): outputs of ${waiting.length} pending async ${waiting.length === 1 ? 'request' : 'requests'} sent there will be lost.`,
      );
      return undefined;
    }
  }

  dispose(): void {
    void this.suspend();
    this.changed.dispose();
  }
}
