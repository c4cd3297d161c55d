/**
 * A keep-alive pool: idle connections kept per origin (and per proxy and
 * TLS settings, so a connection opened with one set of certificate rules
 * never serves a request made with another). A connection goes back only
 * when its response was read cleanly to the end and both sides agreed to
 * keep it (`Connection: close` from either side ends it). An idle
 * connection that the server closes, or that receives unexpected bytes, is
 * dropped at once; idle connections do not keep the process alive and are
 * closed after `idleTimeout` ms.
 *
 * @example
 * ```ts
 * declare const url: string;
 * declare const sink: ltn12.Sink;
 * const pool = new Pool({ idleTimeout: 2000 });
 * await http.request({ url, sink, pool });
 * await pool.close();
 * ```
 */
import type { Socket } from 'node:net';
import { ArgumentError } from '../../core/errors.js';
import { checkInteger, checkMs } from '../../core/validate.js';
import { MAX_TIMER_MS } from '../../core/wait.js';
import { selectHooks, type TcpClient } from '../../socket/index.js';

export interface PoolOptions {
  /** Idle connections kept per key. @default 16 */
  maxIdlePerKey?: number;
  /** An idle connection older than this is closed, ms; `null` = kept until the server closes it. @default 4000 */
  idleTimeout?: number | null;
}

interface Idle {
  sock: TcpClient;
  since: number;
  evict: () => void;
}

export class Pool {
  readonly maxIdlePerKey: number;
  readonly idleTimeout: number;
  readonly #idle = new Map<string, Idle[]>();
  /** Requests that found an idle connection to reuse. */
  hits = 0;
  #timer: NodeJS.Timeout | null = null;

  constructor(opts: PoolOptions = {}) {
    if (opts === null || typeof opts !== 'object') throw new ArgumentError('Pool takes an options object');
    this.maxIdlePerKey = checkInteger('maxIdlePerKey', opts.maxIdlePerKey, { min: 0 }, 16);
    this.idleTimeout = checkMs('idleTimeout', opts.idleTimeout, 4000) ?? Infinity;
  }

  /** Idle connections held now. */
  get size(): number {
    let n = 0;
    for (const list of this.#idle.values()) n += list.length;
    return n;
  }

  /** A live idle connection for `key` (most recently used first), or undefined. */
  take(key: string): TcpClient | undefined {
    const list = this.#idle.get(key);
    while (list !== undefined && list.length > 0) {
      const idle = list.pop()!;
      if (list.length === 0) this.#idle.delete(key);
      idle.sock[selectHooks].unwatchReadable(idle.evict);
      if (usable(idle.sock) && performance.now() - idle.since < this.idleTimeout) {
        ref(idle.sock, true);
        this.hits++;
        return idle.sock;
      }
      void idle.sock.close();
    }
    return undefined;
  }

  /** Gives a connection back after a clean exchange; closes it when it cannot be kept. */
  give(key: string, sock: TcpClient): void {
    let list = this.#idle.get(key);
    if (!usable(sock) || (list !== undefined && list.length >= this.maxIdlePerKey)) {
      void sock.close();
      return;
    }
    if (list === undefined) this.#idle.set(key, (list = []));
    const idle: Idle = {
      sock,
      since: performance.now(),
      evict: () => {
        const l = this.#idle.get(key);
        const i = l?.indexOf(idle) ?? -1;
        if (i >= 0) l!.splice(i, 1);
        if (l?.length === 0) this.#idle.delete(key);
        sock[selectHooks].unwatchReadable(idle.evict);
        void sock.close();
      },
    };
    list.push(idle);
    ref(sock, false);
    sock[selectHooks].watchReadable(idle.evict);
    this.#sweepLater();
  }

  /** Closes every idle connection. The pool stays usable. */
  async close(): Promise<void> {
    const all = [...this.#idle.values()].flat();
    this.#idle.clear();
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    await Promise.all(all.map((i) => (i.sock[selectHooks].unwatchReadable(i.evict), i.sock.close())));
  }

  #sweepLater(): void {
    if (this.#timer !== null || this.idleTimeout === Infinity) return;
    this.#timer = setInterval(
      () => {
        const now = performance.now();
        for (const list of [...this.#idle.values()]) for (const idle of [...list]) if (now - idle.since >= this.idleTimeout) idle.evict();
        if (this.#idle.size === 0 && this.#timer !== null) {
          clearInterval(this.#timer);
          this.#timer = null;
        }
      },
      Math.min(MAX_TIMER_MS, Math.max(100, this.idleTimeout / 2)),
    );
    this.#timer.unref();
  }
}

/** True when the connection is open and nothing (bytes, EOF, error) is waiting on it. */
function usable(sock: TcpClient): boolean {
  return !sock.closed && !sock[selectHooks].readable();
}

/** Lets an idle connection not hold the process open (and takes that back). */
function ref(sock: TcpClient, on: boolean): void {
  let s: Socket | undefined = sock.nodeSocket;
  for (let depth = 0; s !== undefined && depth < 3; depth++) {
    if (on) s.ref();
    else s.unref();
    s = (s as Socket & { _parent?: Socket })._parent ?? undefined;
  }
}
