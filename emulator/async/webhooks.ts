/**
 * Webhook deliveries for finished async requests, as Baseten makes them (docs/baseten-api.md#webhooks): a JSON
 * POST with `X-BASETEN-REQUEST-ID` and, with a secret,
 * `X-BASETEN-SIGNATURE: v1=<hex hmac-sha256 of the raw body>`; two attempts about 2 s apart, 10 s each, the
 * second only after a 500/502/503/504. Times scale with `queueSecondsScale`. Every delivery is kept for
 * `GET /__emulator/webhooks`.
 */
import { createHmac } from 'node:crypto';
import type { ClientRequest } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ResolvedOptions } from '../core/options';
import type { Timers } from '../core/timers';

export interface WebhookAttempt {
  at: string;
  status?: number;
  error?: string;
  durationMs: number;
}

export interface WebhookDelivery {
  requestId: string;
  url: string;
  /** The exact body sent. */
  body: string;
  signature: string | null;
  attempts: WebhookAttempt[];
  outcome: 'PENDING' | 'SUCCEEDED' | 'FAILED';
}

const RETRYABLE = new Set([500, 502, 503, 504]);
const ATTEMPTS = 2;

export function signWebhook(secret: string, body: string): string {
  return `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** What webhook delivery uses of the emulator's core. */
export interface WebhookCore {
  readonly options: ResolvedOptions;
  readonly timers: Timers;
  readonly lifetimeSignal: AbortSignal;
}

export class WebhookDispatcher {
  readonly deliveries: WebhookDelivery[] = [];
  private readonly inFlight = new Set<ClientRequest>();

  constructor(private readonly core: WebhookCore) {}

  /** Delivers `payload`; resolves true once the endpoint answered 2xx. */
  async deliver(url: string, requestId: string, payload: unknown): Promise<boolean> {
    const body = JSON.stringify(payload);
    const secret = this.core.options.webhookSecret;
    const delivery: WebhookDelivery = { requestId, url, body, signature: secret ? signWebhook(secret, body) : null, attempts: [], outcome: 'PENDING' };
    this.deliveries.push(delivery);
    const signal = this.core.lifetimeSignal;
    const scale = this.core.options.queueSecondsScale;
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      if (attempt > 1 && !(await this.core.timers.sleep(2 * scale, signal))) return false;
      if (signal.aborted) return false;
      const result = await this.post(url, body, requestId, delivery.signature, 10 * scale);
      delivery.attempts.push(result);
      if (result.status !== undefined && result.status >= 200 && result.status < 300) {
        delivery.outcome = 'SUCCEEDED';
        return true;
      }
      if (result.status === undefined || !RETRYABLE.has(result.status)) break;
    }
    delivery.outcome = 'FAILED';
    return false;
  }

  private post(url: string, body: string, requestId: string, signature: string | null, timeoutMs: number): Promise<WebhookAttempt> {
    const started = Date.now();
    const at = new Date(started).toISOString();
    return new Promise((resolve) => {
      let settled = false;
      const finish = (outcome: { status?: number; error?: string }): void => {
        if (settled) return;
        settled = true;
        cancelTimeout();
        this.inFlight.delete(request);
        resolve({ at, ...outcome, durationMs: Date.now() - started });
      };
      const headers: Record<string, string | number> = {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(body),
        'X-BASETEN-REQUEST-ID': requestId,
        'User-Agent': 'Baseten-Emulator-Webhooks/1.0',
      };
      if (signature) headers['X-BASETEN-SIGNATURE'] = signature;
      const send = url.startsWith('https:') ? httpsRequest : httpRequest;
      const request = send(url, { method: 'POST', headers, agent: false }, (response) => {
        response.resume();
        response.on('end', () => finish({ status: response.statusCode }));
        response.on('error', (error) => finish({ status: response.statusCode, error: error.message }));
      });
      const cancelTimeout = this.core.timers.after(timeoutMs, () => {
        request.destroy();
        finish({ error: `timed out after ${timeoutMs} ms` });
      });
      request.on('error', (error) => finish({ error: error.message }));
      this.inFlight.add(request);
      request.end(body);
    });
  }

  /** Aborts deliveries in flight and forgets them all. */
  clear(): void {
    for (const request of this.inFlight) request.destroy();
    this.inFlight.clear();
    this.deliveries.length = 0;
  }
}
