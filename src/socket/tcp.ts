/**
 * `socket.connect` and `socket.bind`: the one-call ways to a connected
 * client or a listening server (LuaSocket's `socket.connect`/`socket.bind`).
 *
 * - `connect(host, port)` resolves `host` (a name or a literal IPv4/IPv6
 *   address), connects, and gives a {@link TcpClient}. With `{ tls: true }`
 *   (or TLS options) the connection is TLS from the start (HTTPS, SMTPS…);
 *   certificates are verified unless `rejectUnauthorized: false`.
 * - `bind(host, port)` listens: `'*'` means every interface (IPv6 and IPv4
 *   where the system is dual-stack), port 0 an ephemeral port; it gives a
 *   {@link TcpServer}. Give `'127.0.0.1'` or `'::1'` to stay on loopback.
 *
 * @example
 * ```ts
 * const server = await socket.bind('127.0.0.1', 0);
 * const client = await socket.connect('127.0.0.1', server.getSockName().port);
 * const peer = await server.accept();
 * await client.send('ping\n');
 * assert.equal(await peer.receive(), 'ping');
 * ```
 */
import net from 'node:net';
import tls from 'node:tls';
import { ArgumentError, NetError, toNetError } from '../core/errors.js';
import { checkTimeout } from '../core/deadline.js';
import { checkInteger } from '../core/validate.js';
import { TcpClient } from './tcp-client.js';
import { TcpServer } from './tcp-server.js';
import { BulkFeed } from './bulk-read.js';
import { onceEvent, waitFor } from '../core/wait.js';

/** Default bound on establishing a connection (TCP and TLS handshake). */
export const DEFAULT_CONNECT_TIMEOUT = 60_000;

/** Options of {@link connect}. */
export interface ConnectOptions {
  /** Bound on connecting (and the TLS handshake), ms; `null` = none. @default 60000 */
  timeout?: number | null;
  signal?: AbortSignal;
  /** Local address to bind before connecting. */
  localAddress?: string;
  /** Local port to bind before connecting. */
  localPort?: number;
  /** Address family for name lookup: 4 or 6. @default either */
  family?: 4 | 6;
  /** Implicit TLS: `true` or Node's `tls.ConnectionOptions` (servername defaults to `host`). */
  tls?: boolean | tls.ConnectionOptions;
  /**
   * Bulk receive mode (plain TCP only): reads of 256 KiB with `onread`
   * instead of 64 KiB `'data'` events, for downloads — see `bulk-read.ts`.
   * Receives, timeouts and errors are the same. @default false
   */
  bulk?: boolean;
}

/** Options of {@link bind}. */
export interface BindOptions {
  /** Kernel accept backlog. @default 32 (LuaSocket's) */
  backlog?: number;
  /** An IPv6 listener refuses IPv4 clients. @default false */
  ipv6Only?: boolean;
  /** Address family `'*'` stands for: 4 → 0.0.0.0, 6 → ::, unset → Node's dual-stack default. */
  family?: 4 | 6;
  /** Connections waiting for `accept()` beyond this are closed. @default 511 */
  maxQueue?: number;
  signal?: AbortSignal;
}

/** Throws ArgumentError unless `port` is an integer 0–65535. */
export function checkPort(port: number): void {
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ArgumentError(`port must be an integer 0–65535, got ${String(port)}`);
}

function checkHost(host: string): void {
  if (typeof host !== 'string' || host.length === 0 || /[\0\r\n\s]/.test(host)) throw new ArgumentError(`invalid host ${JSON.stringify(host)}`);
}

/**
 * Connects to `host:port`.
 * @throws {NetError} `'refused'`, `'host not found'`, `'timeout'`, `'tls'` …
 */
export async function connect(host: string, port: number, opts: ConnectOptions = {}): Promise<TcpClient> {
  checkHost(host);
  checkPort(port);
  const timeout = opts.timeout === undefined ? DEFAULT_CONNECT_TIMEOUT : checkTimeout(opts.timeout, 'timeout');
  const servername = net.isIP(host) === 0 ? host : undefined;
  if (opts.family !== undefined && opts.family !== 4 && opts.family !== 6) throw new ArgumentError(`family must be 4 or 6, got ${String(opts.family)}`);
  const literal = net.isIP(host);
  if (opts.family !== undefined && literal !== 0 && literal !== opts.family) {
    throw new NetError('host not found', `${host} is an IPv${literal} address; an IPv${opts.family} connection was asked for`);
  }
  const base = { host, port, localAddress: opts.localAddress, localPort: opts.localPort, family: opts.family, allowHalfOpen: true };
  if (opts.bulk && opts.tls) throw new ArgumentError('bulk receive mode is for plain TCP; it cannot be combined with tls');
  const feed = opts.bulk ? new BulkFeed() : undefined;
  let sock: net.Socket;
  if (opts.tls) {
    const tlsOpts = opts.tls === true ? {} : opts.tls;
    sock = tls.connect({ ...base, servername, ...tlsOpts });
  } else {
    sock = net.connect(feed === undefined ? base : ({ ...base, onread: feed.onread } as net.NetConnectOpts));
  }
  try {
    await waitFor(onceEvent(sock, opts.tls ? 'secureConnect' : 'connect'), { timeout, signal: opts.signal, what: `connect to ${host}:${port}` });
  } catch (err) {
    sock.destroy();
    throw toNetError(err, `connect to ${host}:${port}`);
  }
  return new TcpClient(sock, { servername, feed });
}

/** LuaSocket's `socket.connect4`: {@link connect} over IPv4 only. */
export function connect4(host: string, port: number, opts: Omit<ConnectOptions, 'family'> = {}): Promise<TcpClient> {
  return connect(host, port, { ...opts, family: 4 });
}

/** LuaSocket's `socket.connect6`: {@link connect} over IPv6 only. */
export function connect6(host: string, port: number, opts: Omit<ConnectOptions, 'family'> = {}): Promise<TcpClient> {
  return connect(host, port, { ...opts, family: 6 });
}

/** Maps LuaSocket's `'*'` (any address) for a family. */
export function anyHost(host: string, family?: 4 | 6): string | undefined {
  if (host !== '*') return host;
  return family === 4 ? '0.0.0.0' : family === 6 ? '::' : undefined;
}

/**
 * Listens on `host:port` (`'*'` = all interfaces, port 0 = ephemeral).
 * @throws {NetError} `'address in use'`, `'permission denied'` …
 */
export async function bind(host: string, port: number, opts: BindOptions = {}): Promise<TcpServer> {
  checkHost(host);
  checkPort(port);
  const backlog = checkInteger('backlog', opts.backlog, { min: 0 }, 32);
  if (opts.maxQueue !== undefined) checkInteger('maxQueue', opts.maxQueue, { min: 0 });
  const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: false });
  const listening = waitFor(onceEvent(server, 'listening'), { signal: opts.signal, what: `bind ${host}:${port}` });
  server.listen({ host: anyHost(host, opts.family), port, backlog, ipv6Only: opts.ipv6Only ?? false });
  try {
    await listening;
  } catch (err) {
    server.close();
    throw toNetError(err, `bind ${host}:${port}`);
  }
  return new TcpServer(server, { maxQueue: opts.maxQueue });
}
