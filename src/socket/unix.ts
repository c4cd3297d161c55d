/**
 * Unix-domain stream sockets with the same objects as TCP: `connect(path)`
 * gives a {@link TcpClient}, `bind(path)` a {@link TcpServer}; addresses are
 * reported as `{ address: path, port: 0, family: 'unix' }`.
 *
 * `bind` never removes an existing file: a path that exists (a stale socket
 * or a regular file) fails with `'address in use'`. The socket file is
 * removed when the server closes. Paths longer than 107 bytes (the kernel's
 * `sun_path`) are refused with ArgumentError.
 *
 * @example
 * ```ts
 * import { join } from 'node:path';
 * declare const dir: string;
 * const path = join(dir, 'app.sock');
 * const server = await socket.unix.bind(path);
 * const client = await socket.unix.connect(path);
 * ```
 */
import net from 'node:net';
import { ArgumentError, toNetError } from '../core/errors.js';
import { checkTimeout } from '../core/deadline.js';
import { checkInteger } from '../core/validate.js';
import { TcpClient } from './tcp-client.js';
import { TcpServer } from './tcp-server.js';
import { DEFAULT_CONNECT_TIMEOUT } from './tcp.js';
import { onceEvent, waitFor } from '../core/wait.js';

/** Longest path the kernel accepts (`sizeof(sun_path) - 1`). */
export const MAX_UNIX_PATH = 107;

function checkPath(path: string): void {
  if (typeof path !== 'string' || path.length === 0 || path.includes('\0'))
    throw new ArgumentError('a Unix socket path must be a non-empty string without NUL');
  if (Buffer.byteLength(path) > MAX_UNIX_PATH) throw new ArgumentError(`Unix socket path is ${Buffer.byteLength(path)} bytes; the limit is ${MAX_UNIX_PATH}`);
}

/** Connects to the Unix socket at `path`. */
export async function connect(path: string, opts: { timeout?: number | null; signal?: AbortSignal } = {}): Promise<TcpClient> {
  checkPath(path);
  const timeout = opts.timeout === undefined ? DEFAULT_CONNECT_TIMEOUT : checkTimeout(opts.timeout, 'timeout');
  const sock = net.connect({ path, allowHalfOpen: true });
  try {
    await waitFor(onceEvent(sock, 'connect'), { timeout, signal: opts.signal, what: `connect to ${path}` });
  } catch (err) {
    sock.destroy();
    throw toNetError(err, `connect to ${path}`);
  }
  return new TcpClient(sock, { path });
}

/** Listens on the Unix socket `path` (which must not exist). */
export async function bind(path: string, opts: { backlog?: number; maxQueue?: number; signal?: AbortSignal } = {}): Promise<TcpServer> {
  checkPath(path);
  const backlog = checkInteger('backlog', opts.backlog, { min: 0 }, 32);
  if (opts.maxQueue !== undefined) checkInteger('maxQueue', opts.maxQueue, { min: 0 });
  const server = net.createServer({ allowHalfOpen: true });
  const listening = waitFor(onceEvent(server, 'listening'), { signal: opts.signal, what: `bind ${path}` });
  server.listen({ path, backlog });
  try {
    await listening;
  } catch (err) {
    server.close();
    throw toNetError(err, `bind ${path}`);
  }
  return new TcpServer(server, { path, maxQueue: opts.maxQueue });
}
