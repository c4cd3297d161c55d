/**
 * Opening the connection a request travels on: straight to the origin
 * (TCP, or TLS for https with the certificate verified unless the caller
 * says `rejectUnauthorized: false`), through an HTTP proxy (plain TCP to
 * the proxy for http targets, which are then sent in absolute form), or
 * through a `CONNECT` tunnel for https targets, with TLS to the origin
 * inside it. `Proxy-Authorization` goes to the proxy only. TCP_NODELAY is
 * set: a request/response protocol must not wait for Nagle.
 *
 * Plain-TCP connections for http targets read in the socket's bulk mode
 * (`socket/bulk-read.ts`): Node's `onread` into one 256 KiB buffer per
 * connection, a short read copied out of it. With 32 requests in flight on
 * loopback nginx this took 6–10 % off the client's CPU per request, and a
 * large body arrives in fewer, larger chunks. The price is that buffer,
 * kept by each open connection (idle pooled ones included). TLS
 * connections, and a proxy connection that will carry a tunnel, read the
 * normal way (bulk mode cannot start TLS).
 *
 * @example
 * ```ts
 * declare const ca: string;
 * const conn = await openConnection({ target: resolveTarget('https://localhost:8443/'), timeout: 5000, tls: { ca } });
 * ```
 */
import net from 'node:net';
import type tls from 'node:tls';
import { ArgumentError, ReplyError } from '../../core/errors.js';
import { connect, type TcpClient } from '../../socket/index.js';
import { readHead } from './head-reader.js';
import { basicAuth, resolveTarget, type Target } from './target.js';
import { formatRequestHead, hostHeader } from './request-head.js';

/** A proxy as requests use it. */
export interface Proxy {
  host: string;
  port: number;
  /** `Proxy-Authorization` value from the proxy URL's userinfo. */
  authorization?: string;
  /** `http://host:port` (no credentials): part of the pool key. */
  origin: string;
}

/** Parses a proxy URL (`http://[user:password@]host[:port]`); only http proxies are supported. */
export function parseProxy(url: string): Proxy {
  const t = resolveTarget(url.includes('://') ? url : `http://${url}`);
  if (t.scheme !== 'http') throw new ArgumentError('only http:// proxies are supported');
  if (t.host.length > 255) throw new ArgumentError('proxy host name longer than 255 bytes');
  const p: Proxy = { host: t.host, port: t.port, origin: t.origin };
  if (t.user !== undefined) p.authorization = basicAuth(t.user, t.password ?? '');
  return p;
}

/** A custom way to make the TCP connection (LuaSocket's `create`). */
export type Create = (host: string, port: number, opts: { timeout: number | null; signal?: AbortSignal }) => Promise<TcpClient>;

export interface ConnectSpec {
  target: Target;
  proxy?: Proxy;
  tls?: tls.ConnectionOptions;
  /** Connect (and TLS handshake) bound, ms. */
  timeout: number | null;
  signal?: AbortSignal;
  create?: Create;
  maxHeaderBytes?: number;
}

/** Opens a connection ready for a request to `spec.target`. */
export async function openConnection(spec: ConnectSpec): Promise<TcpClient> {
  const { target, proxy } = spec;
  const host = proxy ? proxy.host : target.host;
  const port = proxy ? proxy.port : target.port;
  const direct = target.scheme === 'https' && !proxy;
  let sock: TcpClient;
  if (spec.create) {
    sock = await spec.create(host, port, { timeout: spec.timeout, signal: spec.signal });
    if (direct) await sock.startTls(tlsOptions(target, spec.tls));
  } else {
    const bulk = target.scheme === 'http'; // not https: direct TLS, or a tunnel that starts TLS
    sock = await connect(host, port, { timeout: spec.timeout, signal: spec.signal, tls: direct ? tlsOptions(target, spec.tls) : undefined, bulk });
  }
  try {
    sock.setOption('tcp-nodelay', true);
    sock.setTimeout(spec.timeout);
    if (proxy && target.scheme === 'https') {
      await tunnel(sock, target, proxy, spec);
      await sock.startTls({ ...tlsOptions(target, spec.tls), signal: spec.signal });
    }
    return sock;
  } catch (err) {
    await sock.close();
    throw err;
  }
}

function tlsOptions(target: Target, given: tls.ConnectionOptions | undefined): tls.ConnectionOptions {
  const servername = net.isIP(target.host) === 0 ? target.host : undefined;
  return { servername, ALPNProtocols: ['http/1.1'], ...given };
}

/** Asks the proxy for a tunnel to the target; any answer but 2xx is a ReplyError. */
async function tunnel(sock: TcpClient, target: Target, proxy: Proxy, spec: ConnectSpec): Promise<void> {
  const authority = hostHeader(target.host, target.port, -1);
  const fields: [string, string][] = [['Host', authority]];
  if (proxy.authorization) fields.push(['Proxy-Authorization', proxy.authorization]);
  await sock.send(Buffer.from(formatRequestHead('CONNECT', authority, { host: target.host }, fields), 'latin1'));
  const head = await readHead(sock, { method: 'CONNECT', maxHeaderBytes: spec.maxHeaderBytes, signal: spec.signal });
  if (head.code < 200 || head.code > 299) throw new ReplyError(head.code, head.status, `proxy refused the tunnel to ${authority}: ${head.status}`);
}
