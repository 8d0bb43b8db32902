/**
 * A local endpoint for Baseten's async webhooks, bound to 127.0.0.1: it reads the raw body, checks
 * `X-BASETEN-SIGNATURE` against the webhook secret(s) and hands verified payloads on. Anything unsigned or
 * badly signed is refused with 401, so another process on this machine cannot forge a result.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { AsyncWebhookPayload } from './types';
import { verifyWebhookSignature } from './webhookSignature';

export const WEBHOOK_PATH = '/baseten/webhook';
const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

export interface WebhookDelivery {
  requestId: string;
  payload: AsyncWebhookPayload;
  receivedAt: number;
  bytes: number;
}

export type WebhookRejection = 'not_found' | 'method' | 'too_large' | 'no_secret' | 'bad_signature' | 'bad_body';

export interface WebhookReceiverOptions {
  /** 0 picks a free port. */
  port: number;
  /** The secrets a signature may be made with (the current one, and the previous one while rotating). */
  secrets: () => readonly string[] | Promise<readonly string[]>;
  onDelivery: (delivery: WebhookDelivery) => void;
  /** `requestId` is Baseten's `X-BASETEN-REQUEST-ID` header, when the refused delivery had one. */
  onRejected?: (reason: WebhookRejection, detail: string, requestId?: string) => void;
  maxBodyBytes?: number;
}

export class WebhookReceiver {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private boundPort?: number;

  constructor(private readonly options: WebhookReceiverOptions) {}

  get running(): boolean {
    return this.server !== undefined;
  }

  /** `http://127.0.0.1:{port}/baseten/webhook` while running. */
  get url(): string | undefined {
    return this.boundPort === undefined ? undefined : `http://127.0.0.1:${this.boundPort}${WEBHOOK_PATH}`;
  }

  async start(): Promise<string> {
    if (this.server) return this.url as string;
    const server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) this.answer(response, 500, { error: error instanceof Error ? error.message : String(error) });
      });
    });
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.boundPort = (server.address() as AddressInfo).port;
    return this.url as string;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.boundPort = undefined;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== WEBHOOK_PATH) return this.reject(response, 404, 'not_found', `no webhook at ${path}`, request);
    if (request.method !== 'POST') return this.reject(response, 405, 'method', `${request.method} is not allowed`, request);
    const body = await this.readBody(request);
    if (!body) return this.reject(response, 413, 'too_large', 'the body is larger than the receiver accepts', request);
    const secrets = await this.options.secrets();
    if (!secrets.some((secret) => secret.length > 0)) {
      return this.reject(response, 503, 'no_secret', 'no webhook secret is set, so no delivery can be verified', request);
    }
    if (!verifyWebhookSignature(body, request.headers['x-baseten-signature'], secrets)) {
      const why = request.headers['x-baseten-signature'] ? 'the signature does not match the webhook secret' : 'the delivery is not signed';
      return this.reject(response, 401, 'bad_signature', why, request);
    }
    let payload: AsyncWebhookPayload;
    try {
      payload = JSON.parse(body.toString('utf8')) as AsyncWebhookPayload;
    } catch {
      return this.reject(response, 400, 'bad_body', 'the body is not JSON', request);
    }
    if (!payload || typeof payload.request_id !== 'string') return this.reject(response, 400, 'bad_body', 'the body has no request_id', request);
    this.answer(response, 200, { received: true });
    this.options.onDelivery({ requestId: payload.request_id, payload, receivedAt: Date.now(), bytes: body.length });
  }

  /** The raw body, or undefined once it passes the size limit. */
  private async readBody(request: IncomingMessage): Promise<Buffer | undefined> {
    const limit = this.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    const parts: Buffer[] = [];
    let size = 0;
    for await (const chunk of request) {
      size += (chunk as Buffer).length;
      if (size > limit) return undefined;
      parts.push(chunk as Buffer);
    }
    return Buffer.concat(parts, size);
  }

  private reject(response: ServerResponse, status: number, reason: WebhookRejection, detail: string, request?: IncomingMessage): void {
    const header = request?.headers['x-baseten-request-id'];
    this.options.onRejected?.(reason, detail, typeof header === 'string' && header ? header : undefined);
    this.answer(response, status, { error: detail });
  }

  private answer(response: ServerResponse, status: number, body: unknown): void {
    response.writeHead(status, { 'content-type': 'application/json', connection: 'close' }).end(JSON.stringify(body));
  }
}
