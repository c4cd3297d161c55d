/**
 * A listening stream socket (TCP or Unix) with LuaSocket's server methods.
 * Connections are accepted by Node as they come and wait in a bounded queue
 * until `accept()` takes them, so `select` can report a server readable.
 *
 * @example
 * ```ts
 * const server = await socket.bind('127.0.0.1', 0);
 * const { port } = server.getSockName();
 * const client = await server.accept();
 * await client.send('hello\n');
 * await client.close();
 * await server.close();
 * ```
 */
import type { Server, Socket } from 'node:net';
import { ClosedError, toNetError } from '../core/errors.js';
import { waitFor } from '../core/wait.js';
import { Timeouts, type TimeoutMode } from '../core/deadline.js';
import { TcpClient } from './tcp-client.js';
import { familyOf, type SockName } from './address.js';
import { selectHooks, type SelectHooks } from './select-hooks.js';

/** Connections waiting for `accept()` beyond this are closed at once. @default 511 */
export const DEFAULT_ACCEPT_QUEUE = 511;

interface Waiter {
  resolve(c: TcpClient): void;
  reject(e: Error): void;
}

export class TcpServer {
  readonly #server: Server;
  readonly #queue: TcpClient[] = [];
  readonly #waiters = new Set<Waiter>();
  readonly #timeouts = new Timeouts();
  readonly #watchers = new Set<() => void>();
  readonly #path: string | undefined;
  readonly #maxQueue: number;
  #closed = false;
  #error: Error | null = null;

  /**
   * Adopts a listening Node server. Use `socket.bind` rather than this.
   * @param path For Unix servers, the socket path.
   */
  constructor(server: Server, opts: { path?: string; maxQueue?: number } = {}) {
    this.#server = server;
    this.#path = opts.path;
    this.#maxQueue = opts.maxQueue ?? DEFAULT_ACCEPT_QUEUE;
    server.on('connection', (sock: Socket) => this.#onConnection(sock));
    server.on('error', (err) => {
      this.#error = toNetError(err);
      for (const w of this.#waiters) w.reject(this.#error);
      this.#waiters.clear();
    });
  }

  #onConnection(sock: Socket): void {
    if (this.#closed || this.#queue.length >= this.#maxQueue) {
      sock.destroy();
      return;
    }
    const client = new TcpClient(sock, this.#path === undefined ? {} : { path: this.#path });
    const waiter = this.#waiters.values().next().value as Waiter | undefined;
    if (waiter !== undefined) {
      this.#waiters.delete(waiter);
      waiter.resolve(client);
      return;
    }
    this.#queue.push(client);
    for (const w of [...this.#watchers]) w();
  }

  /** Connections waiting to be accepted. */
  get pending(): number {
    return this.#queue.length;
  }

  /**
   * The next connection, waiting as long as the server's timeout allows.
   * @throws {TimeoutError} nothing came in time.
   * @throws {ClosedError} the server was closed.
   */
  accept(opts: { signal?: AbortSignal } = {}): Promise<TcpClient> {
    const queued = this.#queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.#closed) return Promise.reject(new ClosedError('closed: the server was closed'));
    if (this.#error !== null) return Promise.reject(this.#error);
    return waitFor<TcpClient>(
      (done) => {
        const waiter: Waiter = { resolve: (c) => done(null, c), reject: (e) => done(e) };
        this.#waiters.add(waiter);
        return () => void this.#waiters.delete(waiter);
      },
      { timeout: this.#timeouts.limit, signal: opts.signal, what: 'accept' },
    );
  }

  /** The address it listens on: `{ address, port, family }`. */
  getSockName(): SockName {
    if (this.#path !== undefined) return { address: this.#path, port: 0, family: 'unix' };
    const a = this.#server.address();
    if (a === null || typeof a === 'string') return { address: a ?? '', port: 0, family: 'unix' };
    return { address: a.address, port: a.port, family: familyOf(a.family) };
  }

  /** LuaSocket's `gettimeout`: the timeouts of `accept` in ms, `null` = none. */
  getTimeout(): { block: number | null; total: number | null } {
    return { block: this.#timeouts.block, total: this.#timeouts.total };
  }

  /** LuaSocket's `getfamily`: `'inet4'`, `'inet6'` or (netkit) `'unix'`. */
  getFamily(): 'inet4' | 'inet6' | 'unix' {
    const f = this.getSockName().family;
    return f === 'inet6' ? 'inet6' : f === 'unix' ? 'unix' : 'inet4';
  }

  /** Timeout of `accept` (both modes bound the whole call). */
  setTimeout(ms: number | null, mode: TimeoutMode = 'b'): void {
    this.#timeouts.set(ms, mode);
  }

  /** The underlying Node server. */
  get nodeServer(): Server {
    return this.#server;
  }

  /**
   * Stops listening and closes connections not yet accepted; pending
   * `accept()` calls fail with ClosedError. Accepted clients stay open.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#server.close();
    const queued = this.#queue.splice(0);
    for (const w of this.#waiters) w.reject(new ClosedError('closed: the server was closed'));
    this.#waiters.clear();
    for (const w of [...this.#watchers]) w();
    await Promise.all(queued.map((c) => c.close()));
  }

  /** True once closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Built once: select() reads the hooks of every socket on every call. */
  #hooks: SelectHooks | undefined;

  /** @internal hooks for `select`: readable = a connection is waiting (or closed). */
  get [selectHooks](): SelectHooks {
    return (this.#hooks ??= {
      readable: () => this.#queue.length > 0 || this.#closed || this.#error !== null,
      writable: () => false,
      watchReadable: (cb) => this.#watchers.add(cb),
      unwatchReadable: (cb) => this.#watchers.delete(cb),
      watchWritable: () => {},
      unwatchWritable: () => {},
    });
  }
}
