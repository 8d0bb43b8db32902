/**
 * A tiny forward proxy on 127.0.0.1 that records what it is asked (plain requests and CONNECT tunnels) and
 * only ever connects to loopback. `refuseConnect` answers CONNECT with 403; `silentConnect` never answers.
 */
import { createServer, request as httpRequest } from 'node:http';
import { AddressInfo, Socket, connect as netConnect } from 'node:net';

export interface ForwardProxy {
  origin: string;
  /** `GET http://…` or `CONNECT host:port`, in order. */
  seen: string[];
  refuseConnect: boolean;
  silentConnect: boolean;
  /** CONNECT tunnels opened to a target. */
  readonly tunnels: number;
  reset(): void;
  close(): Promise<void>;
}

const isLoopback = (host: string): boolean => host === '127.0.0.1' || host === 'localhost';

export async function startForwardProxy(): Promise<ForwardProxy> {
  const sockets = new Set<Socket>();
  let tunnels = 0;
  const server = createServer((req, res) => {
    state.seen.push(`${req.method} ${req.url}`);
    const target = new URL(String(req.url));
    if (!isLoopback(target.hostname)) {
      res.writeHead(403);
      res.end();
      return;
    }
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: `${target.pathname}${target.search}`, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connect', (req, client: Socket, head: Buffer) => {
    state.seen.push(`CONNECT ${req.url}`);
    sockets.add(client);
    client.on('error', () => undefined);
    if (state.silentConnect) return;
    const [host, port] = String(req.url).split(':');
    if (state.refuseConnect || !isLoopback(host)) {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = netConnect(Number(port), host, () => {
      tunnels++;
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
  });
  server.on('connection', (socket: Socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const state: ForwardProxy = {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen: [],
    refuseConnect: false,
    silentConnect: false,
    get tunnels() {
      return tunnels;
    },
    reset() {
      state.seen.length = 0;
      state.refuseConnect = false;
      state.silentConnect = false;
      tunnels = 0;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return state;
}
