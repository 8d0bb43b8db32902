/**
 * A local endpoint for Baseten's async webhooks, bound to 127.0.0.1: it reads the raw body, checks
 * `X-BASETEN-SIGNATURE` against the webhook secret(s) and hands verified payloads on. Anything unsigned or
 * badly signed is refused with 401, so another process on this machine cannot forge a result.
 *
 * Users put a tunnel in front of it for real Baseten, so it may face the internet: a delivery without a
 * signature, or declaring a body over the cap, is refused before a byte of its body is read; headers must
 * come within 5 s and the whole request within 15 s (Baseten gives an attempt 10 s); connections are capped
 * and closed after each answer; rejections are counted, and reported to `onRejected` at most once a second.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { AsyncWebhookPayload } from './types';
import { verifyWebhookSignature } from './webhookSignature';

export const WEBHOOK_PATH = '/baseten/webhook';
const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;
const HEADERS_TIMEOUT_MS = 5_000;
const REQUEST_TIMEOUT_MS = 15_000;
const MAX_CONNECTIONS = 32;
/** Bodies being read at once: a flood of large signed-looking bodies cannot hold more than this many in memory. */
const MAX_BODIES_AT_ONCE = 2;

export interface WebhookDelivery {
  requestId: string;
  payload: AsyncWebhookPayload;
  receivedAt: number;
  bytes: number;
}

export type WebhookRejection = 'not_found' | 'method' | 'too_large' | 'no_secret' | 'bad_signature' | 'bad_body' | 'busy';

export interface WebhookReceiverOptions {
  /** 0 picks a free port. */
  port: number;
  /** The secrets a signature may be made with (the current one, and the previous one while rotating). */
  secrets: () => readonly string[] | Promise<readonly string[]>;
  onDelivery: (delivery: WebhookDelivery) => void;
  /** `requestId` is Baseten's `X-BASETEN-REQUEST-ID` header, when the refused delivery had one. */
  onRejected?: (reason: WebhookRejection, detail: string, requestId?: string) => void;
  maxBodyBytes?: number;
  /** For tests: the header and whole-request timeouts (5 s and 15 s). */
  timeoutsMs?: { headers: number; request: number };
}

export class WebhookReceiver {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private boundPort?: number;
  private bodiesReading = 0;
  private lastReported = 0;
  /** Refused deliveries by reason, since the receiver was made. */
  readonly rejected: Record<WebhookRejection, number> = { not_found: 0, method: 0, too_large: 0, no_secret: 0, bad_signature: 0, bad_body: 0, busy: 0 };

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
    const timeouts = { headers: this.options.timeoutsMs?.headers ?? HEADERS_TIMEOUT_MS, request: this.options.timeoutsMs?.request ?? REQUEST_TIMEOUT_MS };
    // Node checks the header and request timeouts every `connectionsCheckingInterval` (30 s by default).
    const server = createServer({ connectionsCheckingInterval: Math.min(1_000, timeouts.headers) }, (request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) this.answer(response, 500, { error: error instanceof Error ? error.message : String(error) });
      });
    });
    server.headersTimeout = timeouts.headers;
    server.requestTimeout = timeouts.request;
    server.keepAliveTimeout = 1_000;
    server.maxConnections = MAX_CONNECTIONS;
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
    const secrets = await this.options.secrets();
    if (!secrets.some((secret) => secret.length > 0)) {
      return this.reject(response, 503, 'no_secret', 'no webhook secret is set, so no delivery can be verified', request);
    }
    const signature = request.headers['x-baseten-signature'];
    // Everything that can be refused from the headers is refused before the body is read.
    if (!signature) return this.reject(response, 401, 'bad_signature', 'the delivery is not signed', request);
    const limit = this.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    const declared = Number(request.headers['content-length']);
    if (declared > limit) return this.reject(response, 413, 'too_large', 'the body is larger than the receiver accepts', request);
    if (this.bodiesReading >= MAX_BODIES_AT_ONCE) return this.reject(response, 503, 'busy', 'the receiver is reading other deliveries; try again', request);
    this.bodiesReading++;
    let body: Buffer | undefined;
    try {
      body = await this.readBody(request, limit);
    } finally {
      this.bodiesReading--;
    }
    if (!body) return this.reject(response, 413, 'too_large', 'the body is larger than the receiver accepts', request);
    if (!verifyWebhookSignature(body, signature, secrets)) {
      return this.reject(response, 401, 'bad_signature', 'the signature does not match the webhook secret', request);
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
  private async readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
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
    this.rejected[reason]++;
    const header = request?.headers['x-baseten-request-id'];
    const requestId = typeof header === 'string' && header ? header : undefined;
    // A delivery of ours (it names a request) is always reported; anonymous noise at most once a second.
    const now = Date.now();
    if (requestId || now - this.lastReported >= 1000) {
      this.lastReported = now;
        this.options.onRejected?.(reason, detail, requestId);
    }
    this.answer(response, status, { error: detail });
    // A body not read is not waited for: the connection closes with the answer.
    if (!request?.complete) response.once('finish', () => request?.socket.destroy());
  }


  private answer(response: ServerResponse, status: number, body: unknown): void {
    response.writeHead(status, { 'content-type': 'application/json', connection: 'close' }).end(JSON.stringify(body));
  }
}
