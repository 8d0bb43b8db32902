/**
 * Small HTTP servers on 127.0.0.1 for the client's tests: `startTestServer` runs a handler and records
 * every request and connection; `startReplayServer` serves recorded interactions back exactly (status,
 * headers, body), optionally cut into chosen chunk sizes.
 */
import { createServer, IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { RecordedInteraction } from './recordings';

export interface ReceivedRequest {
  /** 1-based order of arrival. */
  seq: number;
  method: string;
  /** Path and query as sent. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** performance.now() when the request's body had arrived. */
  at: number;
  /** The connection it came on (1-based, in the order connections opened). */
  connection: number;
  /** Set when the client went away before the response was finished. */
  clientAborted: boolean;
}

export type TestHandler = (request: ReceivedRequest, res: ServerResponse, raw: IncomingMessage) => void | Promise<void>;

export class TestServer {
  readonly received: ReceivedRequest[] = [];
  /** Connections accepted so far. */
  connectionsOpened = 0;
  /** Connections open now. */
  openConnections = 0;
  private readonly sockets = new Set<Socket>();
  private readonly socketIds = new WeakMap<Socket, number>();

  private constructor(
    readonly server: Server,
    public handler: TestHandler,
  ) {}

  static async start(handler: TestHandler = (_request, res) => void res.end()): Promise<TestServer> {
    const server = createServer();
    const self = new TestServer(server, handler);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void self.onRequest(req, res));
    server.on('connection', (socket: Socket) => {
      self.connectionsOpened++;
      self.openConnections++;
      self.sockets.add(socket);
      self.socketIds.set(socket, self.connectionsOpened);
      socket.on('close', () => {
        self.openConnections--;
        self.sockets.delete(socket);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return self;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** `http://127.0.0.1:<port>` */
  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Requests whose path (without query) matches. */
  requests(path?: string | RegExp): ReceivedRequest[] {
    if (path === undefined) return this.received;
    return this.received.filter((r) => {
      const bare = r.url.split('?')[0];
      return typeof path === 'string' ? bare === path : path.test(bare);
    });
  }

  /** Forgets the requests and restarts the connection count (open connections stay counted). */
  reset(): void {
    this.received.length = 0;
    this.connectionsOpened = 0;
  }

  /** Drops every open connection at once (the client sees a reset). */
  dropConnections(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    const complete = await new Promise<boolean>((resolve) => {
      req.on('end', () => resolve(true));
      req.on('error', () => resolve(false));
      req.on('close', () => resolve(req.complete));
    });
    const request: ReceivedRequest = {
      seq: this.received.length + 1,
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      body: Buffer.concat(parts),
      at: performance.now(),
      connection: this.socketIds.get(req.socket) ?? 0,
      clientAborted: false,
    };
    this.received.push(request);
    res.on('close', () => {
      if (!res.writableFinished) request.clientAborted = true;
    });
    if (!complete) {
      request.clientAborted = true;
      return;
    }
    try {
      await this.handler(request, res, req);
    } catch (error) {
      if (!res.headersSent) {
        res.writeHead(599, { 'content-type': 'text/plain' });
        res.end(`test handler failed: ${(error as Error).message}`);
      } else {
        res.destroy();
      }
    }
  }
}

export function startTestServer(handler?: TestHandler): Promise<TestServer> {
  return TestServer.start(handler);
}

/** The request body as JSON. */
export function bodyJson(request: ReceivedRequest): unknown {
  return JSON.parse(request.body.toString('utf8'));
}

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** How a body is cut: one size for every chunk, a list (the last size repeats), or a function of the body length. */
export type ChunkSizes = number | number[] | ((totalBytes: number) => number[]);

export interface WriteOptions {
  chunkSizes?: ChunkSizes;
  /** Pause between chunks; 0 still yields to the event loop so that chunks leave separately. */
  chunkDelayMs?: number;
}

function sizesFor(total: number, sizes: ChunkSizes | undefined): number[] {
  if (sizes === undefined) return [total];
  if (typeof sizes === 'function') return sizes(total);
  const list = Array.isArray(sizes) ? sizes : [sizes];
  const out: number[] = [];
  let used = 0;
  for (let i = 0; used < total; i++) {
    const size = Math.max(1, list[Math.min(i, list.length - 1)]);
    out.push(size);
    used += size;
  }
  return out;
}

/** Writes a body in the chosen pieces, then ends the response; resolves once all of it was handed to the socket. */
export async function writeBody(res: ServerResponse, body: Buffer, options: WriteOptions = {}): Promise<void> {
  const sizes = sizesFor(body.length, options.chunkSizes);
  let offset = 0;
  for (const size of sizes) {
    if (offset >= body.length || res.destroyed) break;
    const piece = body.subarray(offset, offset + size);
    offset += piece.length;
    if (!res.write(piece)) await new Promise<void>((resolve) => res.once('drain', resolve).once('close', resolve));
    if (options.chunkDelayMs) await delay(options.chunkDelayMs);
    else await new Promise((resolve) => setImmediate(resolve));
  }
  if (offset < body.length && !res.destroyed) res.write(body.subarray(offset));
  if (!res.destroyed) res.end();
}

// ---------------------------------------------------------------- replay

export interface ReplayOptions extends WriteOptions {
  /** Replaces the recorded Content-Length when the body is cut (Node then sends the recorded one anyway). */
  dropContentLength?: boolean;
}

interface Queued {
  interaction: RecordedInteraction;
  options: ReplayOptions;
}

/** Headers a recording carries that describe the recorded connection, not the response. */
const TRANSPORT_HEADERS = new Set(['transfer-encoding', 'connection', 'keep-alive', 'content-encoding']);

export class ReplayServer {
  private readonly queue: Queued[] = [];
  /** Requests no queued interaction matched (method + path). */
  readonly unmatched: ReceivedRequest[] = [];

  constructor(readonly server: TestServer) {
    server.handler = (request, res) => this.serve(request, res);
  }

  get origin(): string {
    return this.server.origin;
  }

  get received(): ReceivedRequest[] {
    return this.server.received;
  }

  /** Queues interactions; each request takes the first queued one with its method and path. */
  load(interactions: RecordedInteraction[], options: ReplayOptions = {}): void {
    for (const interaction of interactions) this.queue.push({ interaction, options });
  }

  reset(): void {
    this.queue.length = 0;
    this.unmatched.length = 0;
    this.server.reset();
  }

  close(): Promise<void> {
    return this.server.close();
  }

  private async serve(request: ReceivedRequest, res: ServerResponse): Promise<void> {
    const path = request.url.split('?')[0];
    const index = this.queue.findIndex(
      ({ interaction }) => interaction.request.method === request.method && new URL(interaction.request.url).pathname === path,
    );
    if (index < 0) {
      this.unmatched.push(request);
      res.writeHead(501, { 'content-type': 'text/plain' });
      res.end(`replay server: nothing recorded for ${request.method} ${path}`);
      return;
    }
    const [{ interaction, options }] = this.queue.splice(index, 1);
    const body = Buffer.from(interaction.response.body, 'utf8');
    const headers: OutgoingHttpHeaders = {};
    for (const [name, values] of Object.entries(interaction.response.headers)) {
      const lower = name.toLowerCase();
      if (TRANSPORT_HEADERS.has(lower)) continue;
      if (lower === 'content-length' && (options.dropContentLength || Number(values[0]) !== body.length)) continue;
      headers[name] = values.length === 1 ? values[0] : values;
    }
    res.writeHead(interaction.response.code, headers);
    await writeBody(res, body, options);
  }
}

export async function startReplayServer(): Promise<ReplayServer> {
  return new ReplayServer(await TestServer.start());
}

/** A deterministic PRNG (mulberry32), so a failing random split can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random chunk sizes between 1 and `max`, from a seed. */
export function randomChunkSizes(seed: number, max: number): (total: number) => number[] {
  return (total) => {
    const random = seededRandom(seed);
    const sizes: number[] = [];
    for (let used = 0; used < total; ) {
      const size = 1 + Math.floor(random() * max);
      sizes.push(size);
      used += size;
    }
    return sizes;
  };
}
