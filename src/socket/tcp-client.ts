/**
 * A connected stream socket (TCP, TLS or Unix) with LuaSocket's methods:
 * sequential `receive` by pattern, `send` with Lua ranges, timeouts in two
 * modes, options, statistics, and a TLS upgrade (`startTls`).
 *
 * @example
 * ```ts
 * declare const port: number;
 * import { socket } from 'netkit';
 * const c = await socket.connect('127.0.0.1', port);
 * c.setTimeout(5000);
 * await c.send('HELO me\r\n');
 * const reply: string = await c.receive();      // '*l' by default
 * const body: Buffer = await c.receive(512);     // exactly 512 bytes
 * await c.close();
 * ```
 */
import type { Socket } from 'node:net';
import tls from 'node:tls';
import { ArgumentError, ClosedError, NetError, ProtocolError, toNetError } from '../core/errors.js';
import type { BulkFeed } from './bulk-read.js';
import { bytesOf } from '../core/bytes.js';
import { checkInteger, checkOneOf } from '../core/validate.js';
import { Timeouts, type TimeoutMode } from '../core/deadline.js';
import {
  ReceiveBuffer,
  type BytesPattern,
  type LineEncoding,
  type LineOptions,
  type LinePattern,
  type Pattern,
  type ReceiveOptions,
} from '../core/receive-buffer.js';
import { OptionSet, type Linger, type OptionValue, type TcpOptionName } from './options.js';
import { luaRange, writeAll } from './send.js';
import { sockName, type SockName } from './address.js';
import { selectHooks, type SelectHooks } from './select-hooks.js';
import { onceEvent, waitFor } from '../core/wait.js';

/** Options of `send`. */
export interface SendOptions {
  signal?: AbortSignal;
  /**
   * Called once Node is done with the bytes: every one handed to the
   * kernel, or the send given up (the socket closed or the send refused).
   * `send` may resolve earlier, while a short tail still waits in Node's
   * queue; only after this call may the caller write into the buffer again.
   */
  onWritten?: (err?: Error) => void;
}

/** Options of {@link TcpClient.startTls}. */
export type StartTlsOptions = tls.ConnectionOptions & {
  /** Act as the TLS server (on an accepted socket); needs `key`/`cert` or `secureContext`. */
  isServer?: boolean;
  signal?: AbortSignal;
};

/** What {@link TcpClient.fromSocket} may be told about the socket. */
export interface ClientInit {
  /** Host name a later `startTls` verifies the certificate against. */
  servername?: string;
  /** For Unix sockets: the path, reported by `getSockName`/`getPeerName`. */
  path?: string;
  /** @internal the reads of a bulk-mode socket (`connect(…, { bulk: true })`) */
  feed?: BulkFeed;
}

/** See {@link TcpClient.setInline}: consumes a prefix of `chunk` at once and returns its length (0: none). */
export type InlineReader = (chunk: Buffer) => number;

/** Byte counters: `received`/`sent` in bytes, `age` in ms since creation. */
export interface SocketStats {
  received: number;
  sent: number;
  age: number;
}

/** How long `close()` keeps flushing queued data when `linger` is off. */
const BACKGROUND_FLUSH_MS = 10_000;

export class TcpClient {
  #sock: Socket;
  readonly #rb: ReceiveBuffer;
  readonly #timeouts = new Timeouts();
  readonly #options = new OptionSet('client');
  #detach: () => void = () => {};
  #inline: InlineReader | null = null;
  #sent = 0;
  #receivedBase = 0;
  #born = performance.now();
  #closing: Promise<void> | null = null;
  #servername: string | undefined;
  readonly #path: string | undefined;
  readonly #feed: BulkFeed | undefined;
  readonly #writeWatchers = new Set<() => void>();

  /**
   * Wraps a connected Node socket (from `net`, `tls` or an accepted
   * connection). The wrapper owns it from now on: reads flow into its buffer.
   */
  constructor(sock: Socket, opts: ClientInit = {}) {
    this.#sock = sock;
    this.#servername = opts.servername;
    this.#path = opts.path;
    this.#feed = opts.feed;
    this.#rb = new ReceiveBuffer({ pause: () => this.#sock.pause(), resume: () => this.#sock.resume() }, 1024 * 1024, this.#timeouts);
    this.#attach(sock);
  }

  /** Same as `new TcpClient(sock)`: adopt a Node socket, e.g. one a `net.Server` accepted. */
  static fromSocket(sock: Socket, opts?: ClientInit): TcpClient {
    return new TcpClient(sock, opts);
  }

  /** The underlying Node socket (a `tls.TLSSocket` after `startTls`). Escape hatch; reading from it directly breaks `receive`. */
  get nodeSocket(): Socket {
    return this.#sock;
  }

  #attach(sock: Socket): void {
    const rb = this.#rb;
    // a read buffer is ours alone while we are its only listener
    const onData = (chunk: Buffer): void => {
      if (this.#inline !== null && rb.empty) {
        const n = this.#inline(chunk);
        if (n > 0) rb.tally(n);
        if (n >= chunk.length) return;
        if (n > 0) return void rb.push(chunk.subarray(n));
      }
      rb.push(chunk, sock.listenerCount('data') === 1);
    };
    const onEnd = (): void => rb.end();
    const onError = (err: Error): void => rb.fail(toNetError(err));
    const onClose = (): void => {
      rb.end();
      this.#notifyWritable();
    };
    const onDrain = (): void => this.#notifyWritable();
    sock.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose).on('drain', onDrain);
    this.#feed?.attach((chunk) => rb.push(chunk, true));
    this.#detach = () => {
      sock.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose).off('drain', onDrain);
      this.#feed?.detach();
    };
  }

  // ---- receiving -------------------------------------------------------------

  /**
   * Receives by LuaSocket pattern: `'*l'` (default; a line without CR/LF),
   * `'*L'` (with its end-of-line), `'*a'` (until the peer closes; it holds
   * everything in memory, gathered in one growing buffer so the peak stays
   * near the size received — bound it with `{ maxBytes }`) or a byte count
   * `n`, which counts the prefix as LuaSocket's does (`receive(n,
   * err.partial)` resumes a failed read). `'*line'`, `'*all'` and other
   * spellings LuaSocket accepts by their first two characters work too.
   * `prefix` is prepended to the result (and to `err.partial`).
   * @throws {TimeoutError} per `setTimeout`; `partial` holds what arrived.
   * @throws {ClosedError} the peer closed first (not for `'*a'`), with `partial`;
   *   `receive(0)` on a closed, drained socket too.
   * @throws {LimitError} a line is longer than the line limit (left buffered),
   *   or `'*a'` got more than `maxBytes` (`partial` holds the first `maxBytes`).
   */
  receive(pattern?: LinePattern, prefix?: string | Buffer, opts?: ReceiveOptions): Promise<string>;
  receive(pattern: BytesPattern, prefix?: string | Buffer, opts?: ReceiveOptions): Promise<Buffer>;
  receive(pattern?: Pattern, prefix?: string | Buffer, opts?: ReceiveOptions): Promise<string | Buffer>;
  receive(pattern?: Pattern, prefix?: string | Buffer, opts?: ReceiveOptions): Promise<string | Buffer> {
    return this.#rb.receive(pattern, prefix, opts);
  }

  /**
   * Receives one line with protocol options: `{ strict: true }` accepts only
   * CRLF (a bare CR or LF throws ProtocolError), `{ keepEol: true }` keeps
   * the end-of-line, `{ as: 'buffer' }` gives the raw bytes.
   */
  receiveLine(opts?: LineOptions & { as?: 'string' }): Promise<string>;
  receiveLine(opts: LineOptions & { as: 'buffer' }): Promise<Buffer>;
  receiveLine(opts?: LineOptions & { as?: 'string' | 'buffer' }): Promise<string | Buffer> {
    return this.#rb.line(opts as LineOptions & { as: 'buffer' });
  }

  /** Whatever is buffered (waiting only while nothing is), at most `max` bytes; `null` at the end. */
  receivePartial(max = 65536, opts?: ReceiveOptions): Promise<Buffer | null> {
    return this.#rb.partial(max, opts);
  }

  /** Up to `n` buffered bytes, not consumed. */
  peek(n?: number): Buffer {
    return this.#rb.peek(n);
  }

  /** Puts bytes back in front of the receive buffer. */
  unshift(data: Buffer): void {
    this.#rb.unshift(data);
  }

  /** True when bytes are buffered (LuaSocket's `dirty`). */
  dirty(): boolean {
    return this.#rb.length > 0;
  }

  /** How lines decode: `'utf8'` (default) or `'latin1'` (one char per byte); `null` restores the default. */
  setEncoding(encoding: LineEncoding | null): void {
    this.#rb.encoding = encoding === null ? 'utf8' : checkOneOf('encoding', encoding, ['utf8', 'latin1'] as const);
  }

  /** Longest line `receive('*l')` accepts, in bytes. @default 65536 */
  setLineLimit(bytes: number): void {
    this.#rb.lineLimit = bytes;
  }

  /**
   * Most bytes read from the peer ahead of the receives; past it the socket
   * stops reading until receives drain the buffer (the peer then waits on
   * TCP flow control). Never less than twice the line limit. A server with
   * many connections bounds its memory with it. @default 1 MiB
   *
   * @example
   * ```ts
   * declare const client: socket.TcpClient;
   * client.setReadAhead(64 * 1024);
   * ```
   */
  setReadAhead(bytes: number): void {
    this.#rb.highWater = bytes;
  }

  /** The read-ahead in force (see {@link setReadAhead}). */
  getReadAhead(): number {
    return this.#rb.highWater;
  }

  /**
   * Lets a server answer what it can without a receive: while set, every
   * chunk that arrives when nothing is buffered is first offered to `take`,
   * synchronously, and `take` returns how many bytes of it it consumed; the
   * rest is buffered for `receive` as usual (and wakes a waiting one), so no
   * byte is lost or reordered. `received` counts both. `null` removes it.
   * For request/response servers whose common case needs no waiting (the
   * static server answers cached files this way); plain TCP only.
   *
   * @example
   * ```ts
   * declare const client: socket.TcpClient;
   * // answer "ping\n" lines at once; anything else goes to receive()
   * client.setInline((chunk) => (chunk.toString('latin1') === 'ping\n' && client.write('pong\n') ? chunk.length : 0));
   * ```
   */
  setInline(take: InlineReader | null): void {
    if (take !== null && this.#feed !== undefined) throw new NetError('unsupported', 'an inline reader is for normal sockets, not bulk mode');
    this.#inline = take;
  }

  // ---- sending ---------------------------------------------------------------

  /**
   * Queues `data` without waiting, only when nothing is queued before it.
   * Returns false, queueing nothing, when earlier output still waits in
   * Node's buffer or the socket cannot write; use `send` to wait instead.
   */
  write(data: string | Uint8Array): boolean {
    const sock = this.#sock;
    if (sock.writableLength > 0 || sock.destroyed || sock.writableEnded || this.#closing !== null) return false;
    const buf = bytesOf(data, this.#rb.encoding);
    sock.write(buf);
    this.#sent += buf.length;
    return true;
  }

  /**
   * Sends `data` (a string is encoded like lines), or the part `i..j` of it
   * (1-based, inclusive, negative from the end — Lua's `string.sub`).
   * Waits for 'drain' when Node's write buffer is full.
   * @returns The index of the last byte sent (`j`, clamped).
   * @throws {SendError} with `sent`, the index of the last byte that left.
   */
  async send(data: string | Uint8Array, i?: number, j?: number, opts?: SendOptions): Promise<number> {
    const written = opts?.onWritten;
    let buf: Buffer;
    let range: [number, number];
    try {
      buf = bytesOf(data, this.#rb.encoding);
      range = luaRange(buf.length, i, j);
    } catch (e) {
      written?.(e as Error);
      throw e;
    }
    const [from, to] = range;
    if (from === to) {
      written?.();
      return to;
    }
    const part = from === 0 && to === buf.length ? buf : buf.subarray(from, to);
    await writeAll(this.#sock, part, this.#timeouts, from, opts?.signal, written);
    this.#sent += part.length;
    return to;
  }

  // ---- lifetime --------------------------------------------------------------

  /**
   * Closes the connection; resolves when the descriptor is released.
   * Queued output is still flushed (bounded); with `linger` `{ on: true }`
   * the flush waits at most `linger.timeout` ms, and timeout 0 resets.
   * Pending receives fail with ClosedError. Idempotent.
   */
  close(): Promise<void> {
    if (this.#closing !== null) return this.#closing;
    const sock = this.#sock;
    this.#rb.fail(new ClosedError('closed: the socket was closed locally'));
    this.#closing = new Promise<void>((resolve) => {
      if (sock.closed) resolve();
      else sock.once('close', () => resolve());
    });
    const linger = this.#options.get('linger') as Linger;
    if (linger.on && linger.timeout === 0) {
      sock.resetAndDestroy();
    } else if (sock.writableLength === 0 || sock.destroyed) {
      sock.destroy();
    } else {
      const bound = linger.on ? linger.timeout : BACKGROUND_FLUSH_MS;
      const timer = setTimeout(() => (sock.destroyed ? undefined : sock.resetAndDestroy()), bound);
      sock.once('close', () => clearTimeout(timer));
      sock.end(() => sock.destroy());
    }
    this.#notifyWritable();
    return this.#closing;
  }

  /** True once `close()` was called or the connection failed. */
  get closed(): boolean {
    return this.#closing !== null || this.#sock.destroyed;
  }

  /**
   * Shuts down one direction: `'send'` sends FIN after queued data,
   * `'receive'` ends receiving (later receives see the end), `'both'` both.
   */
  shutdown(how: 'both' | 'send' | 'receive' = 'both'): void {
    checkOneOf('shutdown direction', how, ['both', 'send', 'receive'] as const);
    if (how !== 'receive') this.#sock.end();
    if (how !== 'send') {
      this.#rb.end();
      this.#sock.resume(); // keep draining the kernel; data after shutdown is dropped
    }
  }

  /**
   * Upgrades the connection to TLS in place (SMTP STARTTLS, POP3 STLS, FTP
   * AUTH TLS). Any plaintext already buffered is refused: it throws
   * ProtocolError, because bytes that arrived before the handshake could be
   * injected by an attacker (curl CVE-2021-22947). After the handshake the
   * receive buffer starts empty. Certificates are verified unless
   * `rejectUnauthorized: false`.
   */
  async startTls(opts: StartTlsOptions = {}): Promise<void> {
    if (this.#closing !== null || this.#sock.destroyed) throw new ClosedError('cannot start TLS: the socket is closed');
    if (this.#feed !== undefined) throw new NetError('unsupported', 'cannot start TLS on a bulk-mode socket (bulk receive is for plain TCP)');
    if (this.#rb.length > 0) {
      throw new ProtocolError(`refusing TLS upgrade: ${this.#rb.length} plaintext bytes arrived before the handshake`, this.#rb.peek(80).toString('latin1'));
    }
    const { isServer, signal, ...tlsOpts } = opts;
    const raw = this.#sock;
    this.#detach();
    raw.on('error', () => {}); // errors surface on the TLS socket
    let secure: tls.TLSSocket;
    let event: string;
    if (isServer) {
      secure = new tls.TLSSocket(raw, { isServer: true, ...tlsOpts } as tls.TLSSocketOptions);
      event = 'secure';
    } else {
      secure = tls.connect({ servername: this.#servername, ...tlsOpts, socket: raw });
      event = 'secureConnect';
    }
    this.#rb.discard();
    this.#sock = secure;
    this.#attach(secure);
    try {
      await waitFor(onceEvent(secure, event), { timeout: this.#timeouts.limit, signal, what: 'TLS handshake' });
    } catch (err) {
      secure.destroy();
      throw toNetError(err, 'TLS handshake');
    }
  }

  // ---- settings and information ----------------------------------------------

  /** LuaSocket's `settimeout`: `'b'` per wait (idle), `'t'` per call; ms, `null` = none. */
  setTimeout(ms: number | null, mode: TimeoutMode = 'b'): void {
    this.#timeouts.set(ms, mode);
  }

  /** LuaSocket's `gettimeout`: the block (`'b'`) and total (`'t'`) timeouts in ms, `null` = none. */
  getTimeout(): { block: number | null; total: number | null } {
    return { block: this.#timeouts.block, total: this.#timeouts.total };
  }

  /** LuaSocket's `getfamily`: `'inet4'`, `'inet6'` or (netkit) `'unix'`. */
  getFamily(): 'inet4' | 'inet6' | 'unix' {
    if (this.#path !== undefined) return 'unix';
    const f = this.getSockName().family;
    return f === 'inet6' ? 'inet6' : f === 'unix' ? 'unix' : 'inet4';
  }

  /** Sets a LuaSocket option (see `options.ts` for what Node honours). */
  setOption(name: TcpOptionName, value: OptionValue): void {
    this.#options.set(name, value, this.#sock);
  }

  /** Reads an option's current value. */
  getOption(name: TcpOptionName): OptionValue | undefined {
    return this.#options.get(name);
  }

  /** @internal the master hands over its options */
  adoptOptions(from: OptionSet): void {
    from.copyTo(this.#options);
    this.#options.applyAll(this.#sock);
  }

  /** The remote end: `{ address, port, family }` (family `'inet'`, `'inet6'` or `'unix'`). */
  getPeerName(): SockName {
    return sockName(this.#sock, 'remote', this.#path);
  }

  /** The local end: `{ address, port, family }`. */
  getSockName(): SockName {
    return sockName(this.#sock, 'local', this.#path);
  }

  /** Bytes received and sent, and the age in ms. */
  getStats(): SocketStats {
    return { received: this.#rb.received - this.#receivedBase, sent: this.#sent, age: performance.now() - this.#born };
  }

  /** Resets the counters (LuaSocket's `setstats`): e.g. `setStats(0, 0, 0)`. */
  setStats(received: number, sent: number, age: number): void {
    checkInteger('received', received);
    checkInteger('sent', sent);
    if (typeof age !== 'number' || !Number.isFinite(age) || age < 0) throw new ArgumentError(`age must be milliseconds ≥ 0, got ${String(age)}`);
    this.#receivedBase = this.#rb.received - received;
    this.#sent = sent;
    this.#born = performance.now() - age;
  }

  /** True when Node's write buffer has room (select's notion of writable). */
  get writable(): boolean {
    const s = this.#sock;
    return !s.connecting && (s.destroyed || s.writableEnded || !s.writableNeedDrain);
  }

  #notifyWritable(): void {
    for (const w of [...this.#writeWatchers]) w();
  }

  /** Built once: select() reads the hooks of every socket on every call. */
  #hooks: SelectHooks | undefined;

  /** @internal hooks for `select` */
  get [selectHooks](): SelectHooks {
    return (this.#hooks ??= {
      readable: () => this.#rb.readable,
      writable: () => this.writable,
      watchReadable: (cb) => this.#rb.watch(cb),
      unwatchReadable: (cb) => this.#rb.unwatch(cb),
      watchWritable: (cb) => this.#writeWatchers.add(cb),
      unwatchWritable: (cb) => this.#writeWatchers.delete(cb),
    });
  }
}
