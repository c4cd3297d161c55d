/**
 * Reads request heads off one connection, one after another, with the two
 * deadlines that stop slowloris (hostile-inputs WS-14, WS-16):
 *
 * - between requests the connection may stay silent `idleTimeout` ms
 *   (keep-alive); then `next()` gives null and the server closes quietly;
 * - once the first byte of a head arrived, the whole head must be there
 *   within `headerTimeout` ms, however slowly it drips; past that `next()`
 *   throws TimeoutError (the server answers 408 and closes).
 *
 * Bytes after a head stay buffered here for the body or the next pipelined
 * request. The buffer never holds more than the head limit plus one read.
 * The deadlines are the connection's {@link ConnectionDeadline} (a
 * LongTimer and an AbortSignal), not the socket's timeouts.
 *
 * @example
 * ```ts
 * declare const client: socket.TcpClient;
 * declare const deadline: ConstructorParameters<typeof HeadReader>[1]['deadline'];   // the connection's ConnectionDeadline
 * const reader = new HeadReader(client, { idleTimeout: 5000, headerTimeout: 10000, deadline: deadline });
 * for (let head; (head = await reader.next()) !== null; ) console.log(head.method, head.target);
 * ```
 */
import { TimeoutError } from '../../core/errors.js';
import { parseRequestHead, type RequestHead, type RequestLimits } from '../../protocols/http/request-parser.js';
import type { TcpClient } from '../../socket/index.js';
import type { ConnectionDeadline } from './deadline.js';

export interface HeadReaderOptions {
  idleTimeout: number;
  headerTimeout: number;
  limits?: RequestLimits;
  /** The connection's deadline (shared with its sends). */
  deadline: ConnectionDeadline;
  /** Called with true while waiting idle for the next request, false when it starts. */
  onIdle?: (idle: boolean) => void;
}

const EMPTY = Buffer.alloc(0);
const READ = 65536;

export class HeadReader {
  readonly #client: TcpClient;
  readonly #opts: HeadReaderOptions;
  #buf: Buffer = EMPTY;
  #parked = false;

  constructor(client: TcpClient, opts: HeadReaderOptions) {
    this.#client = client;
    this.#opts = opts;
  }

  /** Waiting for the first bytes of the next request with nothing buffered: bytes arriving now start a new request. */
  get parked(): boolean {
    return this.#parked;
  }

  /** Bytes received but not yet used. */
  get buffered(): number {
    return this.#buf.length;
  }

  /**
   * The next request head; null when the client closed or stayed idle
   * between requests.
   * @throws {RequestError|LimitError} the head is malformed or too large.
   * @throws {TimeoutError} the head did not complete within `headerTimeout`.
   */
  async next(): Promise<RequestHead | null> {
    const client = this.#client;
    if (this.#buf.length === 0) {
      const deadline = this.#opts.deadline;
      this.#opts.onIdle?.(true);
      deadline.arm(this.#opts.idleTimeout, 'next request');
      let chunk: Buffer | null;
      this.#parked = true;
      try {
        chunk = await client.receivePartial(READ, { signal: deadline.signal });
      } catch {
        return null; // idle timeout, reset or local close between requests
      } finally {
        this.#parked = false;
        deadline.disarm();
        this.#opts.onIdle?.(false);
      }
      if (chunk === null) return null;
      this.#buf = chunk;
    }
    const started = performance.now();
    for (;;) {
      const r = parseRequestHead(this.#buf, this.#opts.limits);
      if (r !== null) {
        this.#buf = r.consumed === this.#buf.length ? EMPTY : this.#buf.subarray(r.consumed);
        return r.head;
      }
      const chunk = await this.#more(this.#opts.headerTimeout - (performance.now() - started), 'request head');
      if (chunk === null) return null; // closed part-way through a head: nothing to answer
      this.#buf = this.#buf.length === 0 ? chunk : Buffer.concat([this.#buf, chunk]);
    }
  }

  /** Discards `n` body bytes, waiting at most `timeout` ms for all of them; false if the client closed first. */
  async skip(n: number, timeout: number): Promise<boolean> {
    const started = performance.now();
    let left = n;
    for (;;) {
      const take = Math.min(left, this.#buf.length);
      this.#buf = take === this.#buf.length ? EMPTY : this.#buf.subarray(take);
      left -= take;
      if (left === 0) return true;
      const chunk = await this.#more(timeout - (performance.now() - started), 'request body');
      if (chunk === null) return false;
      this.#buf = chunk;
    }
  }

  async #more(leftMs: number, what: string): Promise<Buffer | null> {
    if (leftMs <= 0) throw new TimeoutError(`${what} not received in time`);
    const deadline = this.#opts.deadline;
    deadline.arm(leftMs, what);
    try {
      return await this.#client.receivePartial(READ, { signal: deadline.signal });
    } catch {
      if (deadline.expired) throw deadline.reason;
      return null;
    } finally {
      deadline.disarm();
    }
  }
}
