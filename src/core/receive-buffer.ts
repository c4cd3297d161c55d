/**
 * The receive buffer every stream transport shares: bytes come in with
 * {@link ReceiveBuffer.push}, callers take them out by LuaSocket pattern.
 *
 * Patterns (LuaSocket's `receive`):
 * - `'*l'` / `'line'`: the next line as a string. LF ends it and every CR in
 *   the line is dropped (LuaSocket's exact rule), so `"a\r\n"` and `"a\n"`
 *   both give `"a"`.
 * - `'*L'`: the next line with its end-of-line, nothing dropped.
 * - `'*a'` / `'all'`: everything until the peer closes, as one Buffer.
 * - a number `n`: exactly `n` bytes, as a Buffer.
 *
 * An optional `prefix` is put in front of the result, and in front of the
 * `partial` of a failure, so the LuaSocket idiom of resuming after a timeout
 * (`receive(p, err.partial)`) works. On timeout, peer close or abort the bytes
 * taken so far are consumed and handed back as `err.partial`.
 *
 * Protocol code reads lines with {@link ReceiveBuffer.line} `{ strict: true }`:
 * only CRLF ends a line there, and a bare CR or LF is a {@link ProtocolError}.
 *
 * Lines are limited to {@link ReceiveBuffer.lineLimit} bytes (default 64 KiB,
 * not counting the LF): a longer line throws {@link LimitError} and stays
 * buffered, so the caller may still take it with `receive(n)` or `partial()`.
 *
 * Lines are decoded as UTF-8 by default (invalid sequences become U+FFFD);
 * `encoding = 'latin1'` maps each byte to one char, LuaSocket's byte strings.
 *
 * The buffer asks its transport to pause when it holds `highWater` bytes and
 * nobody is waiting for more, and to resume once drained (back-pressure).
 *
 * @example
 * ```ts
 * const rb = new ReceiveBuffer();
 * rb.push(Buffer.from('HELO x\r\n1234'));
 * rb.end();
 * assert.equal(await rb.receive('*l'), 'HELO x');
 * assert.deepEqual(await rb.receive(2), Buffer.from('12'));
 * assert.deepEqual(await rb.receive('*a'), Buffer.from('34'));
 * ```
 */
import { AbortError, ArgumentError, ClosedError, LimitError, NetError, ProtocolError, TimeoutError } from './errors.js';
import { Deadline, Timeouts } from './deadline.js';

/** A line as a string: `'*l'`/`'line'` (CR and LF dropped) or `'*L'` (kept). */
export type LinePattern = '*l' | 'line' | '*L';
/** Bytes as a Buffer: `'*a'`/`'all'` (until close) or an exact count. */
export type BytesPattern = '*a' | 'all' | number;
/** Every pattern `receive` accepts. */
export type Pattern = LinePattern | BytesPattern;
/** How line receives decode bytes to a string. */
export type LineEncoding = 'utf8' | 'latin1';

/** Options every receive takes. */
export interface ReceiveOptions {
  /** Cancels the wait; the receive throws {@link AbortError} with `partial`. */
  signal?: AbortSignal;
}

/** Options of {@link ReceiveBuffer.line}. */
export interface LineOptions extends ReceiveOptions {
  /** Only CRLF ends a line; a bare CR or LF throws ProtocolError. @default false */
  strict?: boolean;
  /** Keep the end-of-line in the result. @default false */
  keepEol?: boolean;
}

/** What the transport does when the buffer asks to stop or restart the flow. */
export interface FlowControl {
  pause(): void;
  resume(): void;
}

type WaitResult = 'ready' | 'timeout' | 'aborted';
type Slicer = Buffer & { utf8Slice(start: number, end: number): string; latin1Slice(start: number, end: number): string };

const EMPTY = Buffer.alloc(0);
const fastSlices = typeof (EMPTY as Slicer).utf8Slice === 'function' && typeof (EMPTY as Slicer).latin1Slice === 'function';

function decode(buf: Buffer, start: number, end: number, encoding: LineEncoding): string {
  if (!fastSlices) return buf.toString(encoding, start, end);
  return encoding === 'utf8' ? (buf as Slicer).utf8Slice(start, end) : (buf as Slicer).latin1Slice(start, end);
}

/** Default line limit: 64 KiB. */
export const DEFAULT_LINE_LIMIT = 64 * 1024;

export class ReceiveBuffer {
  /** Timeouts applied to every wait; the owning socket's `setTimeout` sets them. */
  readonly timeouts: Timeouts;
  /** How lines become strings. @default 'utf8' */
  encoding: LineEncoding = 'utf8';

  #chunks: Buffer[] = [];
  #head = 0;
  #offset = 0;
  #length = 0;
  /** Bytes from the front already known to hold no LF. */
  #scanned = 0;
  #lineLimit = DEFAULT_LINE_LIMIT;
  #highWater: number;
  #minHighWater: number;
  #flow: FlowControl | null;
  #paused = false;
  #ended = false;
  #error: NetError | null = null;
  #wake: ((r: WaitResult) => void) | null = null;
  #need = 0;
  #lastProgress = 0;
  #received = 0;
  #listeners: Set<() => void> | null = null;
  /** Decoded lines of the head chunk not yet handed out (see #fastLine). */
  #cache: string[] | null = null;
  #cacheAt = 0;
  #uncacheable: Buffer | null = null;
  /**
   * Chunks handed over by the transport (`push(chunk, true)`) of which no
   * view was ever given out: bytes consumed from them were only copied, so
   * their memory may hold a result (see #take).
   */
  #owned = new WeakSet<Buffer>();

  /**
   * @param flow Pause/resume hooks of the transport (none for a detached buffer).
   * @param highWater Bytes held before asking the transport to pause;
   *   never less than twice the line limit. @default 1 MiB
   */
  constructor(flow: FlowControl | null = null, highWater = 1024 * 1024, timeouts = new Timeouts()) {
    this.#flow = flow;
    this.#minHighWater = highWater;
    this.#highWater = Math.max(highWater, 2 * this.#lineLimit);
    this.timeouts = timeouts;
  }

  /** Bytes buffered now. */
  get length(): number {
    return this.#length;
  }
  /** Total bytes ever pushed. */
  get received(): number {
    return this.#received;
  }
  /** True once the stream ended (peer closed, failed or shut down). */
  get ended(): boolean {
    return this.#ended;
  }
  /** True when a receive would not wait: data buffered, or end/error pending. */
  get readable(): boolean {
    return this.#length > 0 || this.#ended;
  }

  /** Longest line accepted, in bytes, not counting the LF. @default 65536 */
  get lineLimit(): number {
    return this.#lineLimit;
  }
  set lineLimit(bytes: number) {
    if (!Number.isSafeInteger(bytes) || bytes < 1) throw new RangeError(`line limit must be a positive integer, got ${bytes}`);
    this.#lineLimit = bytes;
    this.#highWater = Math.max(this.#minHighWater, 2 * bytes);
  }

  // ---- producer side -------------------------------------------------------

  /**
   * Adds bytes that arrived. Ignored after the end. `owned`: the transport
   * hands the chunk over and keeps no other reference to it (a socket's
   * fresh read buffer), so its memory may be reused for a result.
   */
  push(chunk: Buffer, owned = false): void {
    if (this.#ended || chunk.length === 0) return;
    if (owned) this.#owned.add(chunk);
    this.#chunks.push(chunk);
    this.#length += chunk.length;
    this.#received += chunk.length;
    if (this.#wake !== null) {
      if (this.#length >= this.#need) this.#wake('ready');
      else this.#lastProgress = performance.now();
    }
    if (this.#wake === null && this.#length >= this.#highWater && !this.#paused && this.#flow !== null) {
      this.#paused = true;
      this.#flow.pause();
    }
    if (this.#listeners !== null) this.#notify();
  }

  /** Marks the end of the stream (peer closed). Buffered bytes stay readable. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#wake?.('ready');
    if (this.#listeners !== null) this.#notify();
  }

  /** Ends the stream with an error; later receives throw ClosedError with it as cause. */
  fail(err: NetError): void {
    if (this.#error === null && !this.#ended) this.#error = err;
    this.end();
  }

  /** Drops everything buffered (e.g. before a TLS upgrade). Returns how many bytes. */
  discard(): number {
    const n = this.#length;
    this.#cache = null;
    this.#chunks = [];
    this.#head = this.#offset = this.#length = this.#scanned = 0;
    this.#afterTake();
    return n;
  }

  /** Registers a callback run whenever readability may have changed (for select). */
  watch(listener: () => void): void {
    (this.#listeners ??= new Set()).add(listener);
  }
  unwatch(listener: () => void): void {
    this.#listeners?.delete(listener);
  }
  #notify(): void {
    for (const l of [...this.#listeners!]) l();
  }

  // ---- consumer side -------------------------------------------------------

  /**
   * Receives by LuaSocket pattern; see the module doc.
   * @throws {TimeoutError|ClosedError|AbortError} with `partial`.
   * @throws {LimitError} a line is longer than `lineLimit` (it stays buffered).
   */
  receive(pattern?: LinePattern, prefix?: string | Buffer, opts?: ReceiveOptions): Promise<string>;
  receive(pattern: BytesPattern, prefix?: string | Buffer, opts?: ReceiveOptions): Promise<Buffer>;
  receive(pattern?: Pattern, prefix?: string | Buffer, opts?: ReceiveOptions): Promise<string | Buffer>;
  receive(pattern: Pattern = '*l', prefix?: string | Buffer, opts?: ReceiveOptions): Promise<string | Buffer> {
    switch (pattern) {
      case '*l':
      case 'line':
        return this.#luaLine(prefix, opts?.signal);
      case '*L':
        return this.line({ keepEol: true, signal: opts?.signal }).then((s) => this.#prefixString(prefix, s));
      case '*a':
      case 'all':
        return this.all(opts).then((b) => prefixBuffer(prefix, b, this.encoding));
      default:
        if (typeof pattern !== 'number') return Promise.reject(new ArgumentError(`invalid receive pattern ${String(pattern)}`));
        return this.bytes(pattern, opts, prefix);
    }
  }

  async #luaLine(prefix: string | Buffer | undefined, signal: AbortSignal | undefined): Promise<string> {
    let s = this.#length !== 0 && this.#scanned === 0 ? this.#fastLine() : undefined;
    if (s === undefined) s = (await this.#waitFor(() => this.#tryLine(0), 1, signal, prefix)) as string;
    return prefix === undefined ? s : this.#prefixString(prefix, s);
  }

  /**
   * The common case: the line sits in the head chunk. The first call on a
   * chunk decodes all its complete lines at once (up to 64 KiB) and keeps
   * them as strings; later calls just hand them out. The bytes stay in the
   * buffer until handed out, so any other receive simply drops the cache.
   * Only used while bytes and chars correspond one to one (ASCII or latin1).
   */
  #fastLine(): string | undefined {
    let s: string;
    if (this.#cache !== null) {
      s = this.#cache[this.#cacheAt]!;
      if (s.length > this.#lineLimit) throw this.#limitError();
      if (++this.#cacheAt === this.#cache.length) this.#cache = null;
      this.#consumeHead(s.length + 1);
    } else {
      const chunk = this.#chunks[this.#head]!;
      const start = this.#offset;
      if (chunk !== this.#uncacheable) {
        const last = chunk.lastIndexOf(10, Math.min(chunk.length - 1, start + 65535));
        if (last >= start) {
          const text = decode(chunk, start, last, this.encoding);
          if (text.length === last - start) {
            this.#cache = text.split('\n');
            this.#cacheAt = 0;
            return this.#fastLine();
          }
          this.#uncacheable = chunk;
        }
      }
      const lf = chunk.indexOf(10, start);
      if (lf === -1 || lf - start > this.#lineLimit) return this.#tryLine(0) as string | undefined;
      s = decode(chunk, start, lf, this.encoding);
      this.#consumeHead(lf + 1 - start);
    }
    if (s.includes('\r')) s = s.replaceAll('\r', '');
    return s;
  }

  /** Consumes `n` bytes that lie in the head chunk. */
  #consumeHead(n: number): void {
    this.#length -= n;
    this.#offset += n;
    if (this.#offset === this.#chunks[this.#head]!.length) this.#dropHead();
    if (this.#paused) this.#afterTake();
  }

  /**
   * Receives one line as a string (or, with `{ as: 'buffer' }`, as bytes).
   * `strict`: only CRLF ends a line, a bare CR or LF in it throws ProtocolError
   * (the line is consumed). Without `keepEol` the end-of-line is removed; in
   * lenient mode every CR is dropped, LuaSocket's `'*l'`.
   */
  line(opts?: LineOptions & { as?: 'string' }): Promise<string>;
  line(opts: LineOptions & { as: 'buffer' }): Promise<Buffer>;
  line(opts: LineOptions & { as?: 'string' | 'buffer' } = {}): Promise<string | Buffer> {
    const kind = (opts.strict ? 2 : 0) + (opts.keepEol ? 1 : 0) + (opts.as === 'buffer' ? 4 : 0);
    return this.#waitFor(() => this.#tryLine(kind), 1, opts.signal, undefined);
  }

  /** Exactly `n` bytes (`n` a safe integer ≥ 0). */
  bytes(n: number, opts?: ReceiveOptions, prefix?: string | Buffer): Promise<Buffer> {
    if (!Number.isSafeInteger(n) || n < 0) return Promise.reject(new ArgumentError(`byte count must be an integer ≥ 0, got ${n}`));
    if (this.#length >= n && prefix === undefined) return Promise.resolve(this.#take(n));
    const got = this.#waitFor(() => (this.#length >= n ? this.#take(n) : undefined), n, opts?.signal, prefix, n);
    return prefix === undefined ? (got as Promise<Buffer>) : (got as Promise<Buffer>).then((b) => prefixBuffer(prefix, b, this.encoding));
  }

  /** Everything until the peer closes, concatenated once. */
  all(opts?: ReceiveOptions): Promise<Buffer> {
    return this.#waitFor(() => (this.#ended && this.#error === null ? this.#take(this.#length) : undefined), Infinity, opts?.signal, undefined) as Promise<Buffer>;
  }

  /**
   * Whatever is buffered, at most `max` bytes, waiting only while nothing is;
   * `null` once the peer closed and all was read. Zero-copy where possible.
   */
  async partial(max = 65536, opts?: ReceiveOptions): Promise<Buffer | null> {
    if (!Number.isSafeInteger(max) || max < 1) throw new ArgumentError(`max must be a positive integer, got ${max}`);
    if (this.#length === 0) {
      if (!this.#ended) await this.#waitFor(() => (this.#length > 0 || this.#ended ? true : undefined), 1, opts?.signal, undefined);
      if (this.#length === 0) {
        if (this.#error !== null) throw this.#closedError(EMPTY);
        return null;
      }
    }
    const head = this.#chunks[this.#head]!;
    return this.#take(Math.min(max, head.length - this.#offset));
  }

  /** Up to `n` buffered bytes without consuming them. */
  peek(n = this.#length): Buffer {
    const want = Math.min(n, this.#length);
    if (want === 0) return EMPTY;
    const head = this.#chunks[this.#head]!;
    if (head.length - this.#offset >= want) {
      this.#owned.delete(head);
      return head.subarray(this.#offset, this.#offset + want);
    }
    const out = Buffer.allocUnsafe(want);
    let filled = 0;
    for (let i = this.#head; filled < want; i++) {
      const c = this.#chunks[i]!;
      const s = i === this.#head ? this.#offset : 0;
      filled += c.copy(out, filled, s, Math.min(c.length, s + want - filled));
    }
    return out;
  }

  /** Puts bytes back in front of the buffer (they are read next). */
  unshift(data: Buffer): void {
    if (data.length === 0) return;
    this.#cache = null;
    if (this.#offset > 0) this.#chunks[this.#head] = this.#chunks[this.#head]!.subarray(this.#offset);
    this.#offset = 0;
    this.#chunks.splice(this.#head, 0, data);
    this.#length += data.length;
    this.#scanned = 0;
  }

  // ---- internals -----------------------------------------------------------

  /**
   * Tries to take a line. kind bits: 1 keep EOL, 2 strict, 4 as Buffer.
   * Returns undefined when no complete line is buffered yet.
   */
  #tryLine(kind: number): string | Buffer | undefined {
    const lf = this.#findLf();
    if (lf === -1) {
      if (this.#length > this.#lineLimit) throw this.#limitError();
      return undefined;
    }
    if (lf > this.#lineLimit) throw this.#limitError();
    const raw = this.#take(lf + 1);
    if (kind & 2) checkStrict(raw, this.encoding);
    let end = raw.length;
    if (!(kind & 1)) end -= kind & 2 ? 2 : end > 1 && raw[end - 2] === 13 ? 2 : 1;
    if (kind & 4) return raw.subarray(0, end);
    const s = decode(raw, 0, end, this.encoding);
    return kind === 0 && s.includes('\r') ? s.replaceAll('\r', '') : s;
  }

  /** Offset of the first LF from the front, or -1; remembers how far it looked. */
  #findLf(): number {
    let pos = 0;
    for (let i = this.#head; i < this.#chunks.length; i++) {
      const c = this.#chunks[i]!;
      const start = i === this.#head ? this.#offset : 0;
      const len = c.length - start;
      if (pos + len > this.#scanned) {
        const k = c.indexOf(10, start + Math.max(0, this.#scanned - pos));
        if (k !== -1) return pos + (k - start);
      }
      pos += len;
    }
    this.#scanned = this.#length;
    return -1;
  }

  #limitError(): LimitError {
    return new LimitError('line', this.#lineLimit, this.peek(this.#lineLimit), `line exceeds the limit of ${this.#lineLimit} bytes`);
  }

  /**
   * Takes `n` ≤ length bytes: a view when they sit in one chunk, else one
   * copy. The copy goes into the head chunk itself when the transport handed
   * it over (`owned`), no view of it was given out and it is big enough: its
   * bytes are moved to the front and the rest appended, so a receive(n) that
   * straddles chunks allocates nothing and writes to memory just read.
   */
  #take(n: number): Buffer {
    this.#scanned = 0;
    this.#cache = null;
    if (n === 0) return EMPTY;
    const head = this.#chunks[this.#head]!;
    const start = this.#offset;
    let out: Buffer;
    if (head.length - start >= n) {
      this.#owned.delete(head);
      out = head.subarray(start, start + n);
      this.#advance(head, n);
    } else {
      let filled = 0;
      if (head.length >= n && this.#owned.has(head)) {
        this.#owned.delete(head);
        out = head.subarray(0, n);
        if (start > 0) head.copyWithin(0, start);
        filled = head.length - start;
        this.#advance(head, filled);
      } else {
        out = Buffer.allocUnsafe(n);
      }
      while (filled < n) {
        const c = this.#chunks[this.#head]!;
        const k = c.copy(out, filled, this.#offset, Math.min(c.length, this.#offset + n - filled));
        filled += k;
        this.#advance(c, k);
      }
    }
    if (this.#paused) this.#afterTake();
    return out;
  }

  #advance(chunk: Buffer, k: number): void {
    this.#length -= k;
    this.#offset += k;
    if (this.#offset === chunk.length) this.#dropHead();
  }

  #dropHead(): void {
    this.#offset = 0;
    this.#chunks[this.#head++] = EMPTY;
    if (this.#head === this.#chunks.length) {
      this.#chunks.length = 0;
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#chunks.length) {
      this.#chunks.splice(0, this.#head);
      this.#head = 0;
    }
  }

  #afterTake(): void {
    if (this.#paused && this.#length < this.#highWater) {
      this.#paused = false;
      this.#flow?.resume();
    }
  }

  /**
   * Runs `attempt` until it gives a value, waiting for data in between.
   * `need`: bytes that must be buffered before trying again is worthwhile
   * (1 = any new byte). `partialMax` bounds what a failure consumes.
   */
  async #waitFor<T>(attempt: () => T | undefined, need: number, signal: AbortSignal | undefined, prefix: string | Buffer | undefined, partialMax = Infinity): Promise<T> {
    let deadline: Deadline | null = null;
    for (;;) {
      const v = attempt();
      if (v !== undefined) return v;
      if (this.#ended) throw this.#closedError(this.#takePartial(prefix, partialMax));
      if (signal?.aborted) throw new AbortError('aborted', this.#takePartial(prefix, partialMax), { cause: signal.reason });
      deadline ??= this.timeouts.unlimited ? null : this.timeouts.start();
      const r = await this.#wait(need === 1 ? this.#length + 1 : need, deadline, signal);
      if (r === 'timeout') throw new TimeoutError('timeout', this.#takePartial(prefix, partialMax));
      if (r === 'aborted') throw new AbortError('aborted', this.#takePartial(prefix, partialMax), { cause: signal?.reason });
    }
  }

  #wait(need: number, deadline: Deadline | null, signal: AbortSignal | undefined): Promise<WaitResult> {
    if (this.#wake !== null) return Promise.reject(new NetError('busy', 'another receive is already waiting on this socket'));
    return new Promise<WaitResult>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const onAbort = (): void => finish('aborted');
      const finish = (r: WaitResult): void => {
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.#wake = null;
        resolve(r);
      };
      this.#wake = finish;
      this.#need = need;
      this.#lastProgress = performance.now();
      if (deadline !== null) {
        const onTimer = (): void => {
          const left = deadline.waitMs(this.#lastProgress)!;
          if (left > 0) timer = setTimeout(onTimer, left);
          else finish('timeout');
        };
        timer = setTimeout(onTimer, deadline.waitMs(this.#lastProgress)!);
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      if (this.#paused) {
        this.#paused = false;
        this.#flow?.resume();
      }
    });
  }

  #takePartial(prefix: string | Buffer | undefined, max: number): Buffer {
    const got = this.#take(Math.min(max, this.#length));
    return prefix === undefined ? got : prefixBuffer(prefix, got, this.encoding);
  }

  #closedError(partial: Buffer): ClosedError {
    const err = this.#error;
    if (err === null) return new ClosedError('closed', partial);
    if (err instanceof ClosedError) return new ClosedError(err.message, partial, err.cause === undefined ? undefined : { cause: err.cause });
    return new ClosedError(`closed: ${err.message}`, partial, { cause: err });
  }

  #prefixString(prefix: string | Buffer | undefined, s: string): string {
    if (prefix === undefined) return s;
    return (typeof prefix === 'string' ? prefix : decode(prefix, 0, prefix.length, this.encoding)) + s;
  }
}

function prefixBuffer(prefix: string | Buffer | undefined, b: Buffer, encoding: LineEncoding): Buffer {
  if (prefix === undefined || prefix.length === 0) return b;
  const p = typeof prefix === 'string' ? Buffer.from(prefix, encoding) : prefix;
  return Buffer.concat([p, b], p.length + b.length);
}

/** Throws ProtocolError unless `raw` ends in CRLF and holds no other CR. */
function checkStrict(raw: Buffer, encoding: LineEncoding): void {
  const n = raw.length;
  if (n < 2 || raw[n - 2] !== 13) {
    throw new ProtocolError('line ended by a bare LF (only CRLF may end a line)', decode(raw, 0, n - 1, encoding));
  }
  const cr = raw.indexOf(13);
  if (cr < n - 2) throw new ProtocolError('bare CR inside a line', decode(raw, 0, n - 2, encoding));
}
