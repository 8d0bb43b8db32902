/**
 * How a WebSocket upgrade reaches its host. `ws` knows nothing of proxies, so this follows the rules the
 * HTTP layer's undici EnvHttpProxyAgent applies: the explicit proxy, else HTTPS_PROXY (wss) / HTTP_PROXY
 * (ws), bypassed for hosts in NO_PROXY; the proxy is asked for a CONNECT tunnel. The connect timeout covers
 * TCP, the tunnel and TLS, but not the upgrade's answer, which Baseten may park through a cold start.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import * as net from 'node:net';
import * as tls from 'node:tls';

export interface ProxySettings {
  /** An explicit proxy URL; without it the environment's are used. */
  proxy?: string;
  /** Hosts that bypass the proxy, in NO_PROXY syntax; without it NO_PROXY / no_proxy. */
  noProxy?: string;
}

/** Options Node's http.request hands to `createConnection`: where to connect, and ws's TLS options. */
export type ConnectOptions = tls.ConnectionOptions & { host?: string; port?: number | string; timeout?: number };
export type Connector = (options: ConnectOptions, done: (error: Error | null, socket?: net.Socket) => void) => undefined;

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'ws:': 80, 'https:': 443, 'wss:': 443 };

function isSecure(url: URL): boolean {
  return url.protocol === 'https:' || url.protocol === 'wss:';
}

/** The proxy for a URL, or undefined to connect directly. */
export function proxyFor(url: URL, settings: ProxySettings = {}): URL | undefined {
  const env = process.env;
  const httpProxy = settings.proxy || env.http_proxy || env.HTTP_PROXY;
  const chosen = settings.proxy || (isSecure(url) ? env.https_proxy || env.HTTPS_PROXY || httpProxy : httpProxy);
  if (!chosen) return undefined;
  const noProxy = settings.noProxy ?? env.no_proxy ?? env.NO_PROXY ?? '';
  if (bypasses(url, noProxy)) return undefined;
  return new URL(chosen.includes('://') ? chosen : `http://${chosen}`);
}

function bypasses(url: URL, noProxy: string): boolean {
  if (noProxy.trim() === '*') return true;
  const host = url.hostname.toLowerCase();
  const port = Number(url.port) || DEFAULT_PORTS[url.protocol] || 0;
  for (const entry of noProxy.split(/[,\s]/)) {
    if (!entry) continue;
    const parsed = /^(.+):(\d+)$/.exec(entry);
    const entryHost = (parsed ? parsed[1] : entry).replace(/^\*?\./, '').toLowerCase();
    if (parsed && Number(parsed[2]) !== port) continue;
    if (host === entryHost || host.endsWith(`.${entryHost}`)) return true;
  }
  return false;
}

/** An error with a code the WebSocket layer turns into a `BasetenError`. */
function coded(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

/**
 * A `createConnection` for Node's http.request (as `ws` passes it on): direct or through a CONNECT tunnel,
 * failing with code `connect_timeout` when the socket is not ready (TLS included) within `connectMs`.
 */
export function connector(url: URL, settings: ProxySettings, connectMs: number): Connector {
  const proxy = proxyFor(url, settings);
  const secure = isSecure(url);
  return (options, done) => {
    const host = options.host ?? url.hostname;
    const port = Number(options.port) || Number(url.port) || DEFAULT_PORTS[url.protocol];
    const pending = new Set<{ destroy(): void }>();
    const { timeout: idleMs, ...tlsOptions } = options;
    let finished = false;
    const finish = (error: Error | null, socket?: net.Socket): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      if (error) for (const resource of pending) resource.destroy();
      // Node's own createConnection sets the request's timeout (ws: the handshake timeout) on the socket.
      if (socket && idleMs) socket.setTimeout(idleMs);
      done(error, socket);
    };
    const timer = setTimeout(() => finish(coded(`Could not connect to ${host}:${port} within ${connectMs} ms.`, 'connect_timeout')), connectMs);

    const overTls = (socket?: net.Socket): void => {
      const secured = tls.connect({
        ...tlsOptions,
        ...(socket ? { socket } : { host, port }),
        servername: options.servername ?? (net.isIP(host) ? '' : host),
      });
      pending.add(secured);
      secured.on('error', (error) => finish(error));
      secured.once('secureConnect', () => finish(null, secured));
    };

    if (!proxy) {
      if (secure) return void overTls();
      const socket = net.connect({ host, port });
      pending.add(socket);
      socket.on('error', (error) => finish(error));
      socket.once('connect', () => finish(null, socket));
      return undefined;
    }

    const authority = `${net.isIPv6(host) ? `[${host}]` : host}:${port}`;
    const headers: Record<string, string> = { host: authority };
    if (proxy.username || proxy.password) {
      const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
      headers['proxy-authorization'] = `Basic ${Buffer.from(credentials).toString('base64')}`;
    }
    const ask = proxy.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = ask({
      host: proxy.hostname.replace(/^\[|\]$/g, ''),
      port: Number(proxy.port) || DEFAULT_PORTS[proxy.protocol],
      method: 'CONNECT',
      path: authority,
      headers,
      agent: false,
    });
    pending.add(request);
    request.on('error', (error) => finish(error));
    request.once('connect', (response: IncomingMessage, socket: net.Socket, head: Buffer) => {
      pending.add(socket);
      if (response.statusCode !== 200) {
        // The same words undici uses for a refused tunnel, so both layers report it alike.
        return finish(coded(`Proxy response (${response.statusCode}) !== 200 when HTTP Tunneling`, 'proxy_refused'));
      }
      if (head.length > 0) socket.unshift(head);
      if (secure) return overTls(socket);
      finish(null, socket);
    });
    request.end();
    return undefined;
  };
}
