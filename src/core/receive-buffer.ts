/**
 * The receive buffer every stream transport shares: bytes come in with
 * {@link ReceiveBuffer.push}, callers take them out by LuaSocket pattern.
 *
 * Patterns are LuaSocket's (see `receive-pattern.ts`): `'*l'` a line
 * without CRs, `'*L'` a line with its end, `'*a'` everything until the peer
 * closes (held in memory: bound it with `maxBytes`), a number `n` exactly
 * `n` bytes counting the prefix.
 *
 * An optional `prefix` is put in front of the result, and in front of the
 * `partial` of a failure, so the LuaSocket idiom of resuming after a timeout
 * (`receive(n, err.partial)`) works: a count includes the prefix, as in
 * LuaSocket. On timeout, peer close or abort the bytes taken so far are
 * consumed and handed back as `err.partial` (a failed `'*l'` without its
 * CRs, as LuaSocket drops them from line data).
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
import { AbortError, ArgumentError, ClosedError, LimitError, NetError, TimeoutError } from './errors.js';
import { type Deadline, Timeouts } from './deadline.js';
import { ChunkQueue } from './chunk-queue.js';
import { WaitSlot, type WaitFailures } from './wait-slot.js';
import { checkStrict, decode, EMPTY, prefixBuffer, type LineEncoding } from './line-text.js';
import { dropCr, parsePattern, prefixLength, type BytesPattern, type LinePattern, type Pattern } from './receive-pattern.js';
import { checkInteger } from './validate.js';
import { GrowingBuffer } from './growing-buffer.js';
import { LineCache } from './line-cache.js';

/** How a wait that has nothing to hand back fails (`partial`'s): the error's `partial` is empty. */
const NOTHING_TAKEN: WaitFailures = {
  timeout: () => new TimeoutError('timeout', EMPTY),
  abort: (reason) => new AbortError('aborted', EMPTY, { cause: reason }),
};

export type { LineEncoding, LinePattern, BytesPattern, Pattern };

/** Options every receive takes. */
export interface ReceiveOptions {
  /** Cancels the wait; the receive throws {@link AbortError} with `partial`. */
  signal?: AbortSignal;
  /**
   * `'*a'` only: the longest result (prefix included), in bytes. When more
   * arrives, the receive throws {@link LimitError} whose `partial` holds the
   * first `maxBytes` bytes; the rest stays buffered. @default no limit
   */
  maxBytes?: number;
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

/** A waiting `'*a'` gathers in place (one growing buffer, no final concatenation) once it holds this much: 1 MiB. */
export const GATHER_IN_PLACE_AT = 1024 * 1024;

/** Default line limit: 64 KiB. */
export const DEFAULT_LINE_LIMIT = 64 * 1024;

export class ReceiveBuffer {
  /** Timeouts applied to every wait; the owning socket's `setTimeout` sets them. */
  readonly timeouts: Timeouts;
  /** How lines become strings. @default 'utf8' */
  encoding: LineEncoding = 'utf8';

  readonly #q = new ChunkQueue();
  #lineLimit = DEFAULT_LINE_LIMIT;
  #highWater = 0;
  #minHighWater: number;
  #flow: FlowControl | null;
  #paused = false;
  #ended = false;
  #error: NetError | null = null;
  readonly #slot = new WaitSlot();
  #received = 0;
  #listeners: Set<() => void> | null = null;
  /** Decoded lines of the head chunk not yet handed out: `'*l'`'s fast path. */
  readonly #lines = new LineCache();
  /** Where a waiting `'*a'` gathers in place (see #gatherAll), and how much it may hold. */
  #acc: GrowingBuffer | null = null;
  #accLimit = 0;
  #gatherWanted: { prefix: string | Buffer | undefined; max: number } | null = null;

  /**
   * @param flow Pause/resume hooks of the transport (none for a detached buffer).
   * @param highWater Bytes held before asking the transport to pause;
   *   never less than twice the line limit. @default 1 MiB
   */
  constructor(flow: FlowControl | null = null, highWater = 1024 * 1024, timeouts = new Timeouts()) {
    this.#flow = flow;
    this.#minHighWater = highWater;
    this.#settleHighWater();
    this.timeouts = timeouts;
  }

  /** Bytes buffered now. */
  get length(): number {
    return this.#q.length;
  }
  /** Nothing buffered, nothing being gathered, not ended: the next chunk would be the first in line. */
  get empty(): boolean {
    return this.#q.length === 0 && this.#acc === null && !this.#ended;
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
    return this.#q.length > 0 || this.#ended;
  }

  /** Longest line accepted, in bytes, not counting the LF. @default 65536 */
  get lineLimit(): number {
    return this.#lineLimit;
  }
  set lineLimit(bytes: number) {
    this.#lineLimit = checkInteger('line limit', bytes, { min: 1 });
    this.#settleHighWater();
  }

  /**
   * Bytes held before the transport is asked to pause: at least twice the
   * line limit, whatever is set. @default 1 MiB
   */
  get highWater(): number {
    return this.#highWater;
  }
  set highWater(bytes: number) {
    this.#minHighWater = checkInteger('high water', bytes, { min: 1 });
    this.#settleHighWater();
  }

  /** The high water in force: what was asked, raised to twice the line limit (kept, not derived: push reads it per chunk). */
  #settleHighWater(): void {
    this.#highWater = Math.max(this.#minHighWater, 2 * this.#lineLimit);
  }

  // ---- producer side -------------------------------------------------------

  /**
   * Adds bytes that arrived. Ignored after the end. `owned`: the transport
   * hands the chunk over and keeps no other reference to it (a socket's
   * fresh read buffer), so its memory may be reused for a result. Returns
   * whether the chunk was kept: when false (it was copied, or ignored) the
   * transport may reuse its memory at once.
   */
  push(chunk: Buffer, owned = false): boolean {
    if (this.#ended || chunk.length === 0) return false;
    if (this.#acc !== null) return this.#pushGathered(chunk);
    const q = this.#q;
    q.push(chunk, owned);
    this.#received += chunk.length;
    if (this.#gatherWanted !== null && q.length >= GATHER_IN_PLACE_AT) this.#startGather();
    const slot = this.#slot;
    slot.arrived(q.length);
    if (!slot.busy && q.length >= this.#highWater && !this.#paused && this.#flow !== null) {
      this.#paused = true;
      this.#flow.pause();
    }
    if (this.#listeners !== null) this.#notify();
    return true;
  }

  /** A chunk arriving while `'*a'` gathers in place: copied, not kept (what passes the limit is queued). */
  #pushGathered(chunk: Buffer): boolean {
    const acc = this.#acc!;
    this.#received += chunk.length;
    const fit = Math.min(chunk.length, this.#accLimit - acc.length);
    if (fit > 0) acc.append(fit === chunk.length ? chunk : chunk.subarray(0, fit));
    if (fit < chunk.length) {
      this.#q.push(chunk.subarray(fit), false);
      this.#slot.wake();
    } else {
      this.#slot.arrived(0); // progress: restarts an idle timeout
    }
    if (this.#listeners !== null) this.#notify();
    return fit < chunk.length;
  }

  /** Counts `n` bytes the transport handed to an inline reader instead of pushing them, so `received` stays the total. */
  tally(n: number): void {
    this.#received += n;
  }

  /** Marks the end of the stream (peer closed). Buffered bytes stay readable. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#slot.wake();
    this.#slot.release();
    if (this.#listeners !== null) this.#notify();
  }

  /** Ends the stream with an error; later receives throw ClosedError with it as cause. */
  fail(err: NetError): void {
    if (this.#error === null && !this.#ended) this.#error = err;
    this.end();
  }

  /** Drops everything buffered (e.g. before a TLS upgrade). Returns how many bytes. */
  discard(): number {
    const n = this.#q.length + (this.#acc?.length ?? 0);
    this.#acc = null;
    this.#lines.drop();
    this.#q.clear();
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
    let p;
    try {
      p = parsePattern(pattern);
    } catch (err) {
      return Promise.reject(err);
    }
    switch (p) {
      case 'l':
        return this.#luaLine(prefix, opts?.signal);
      case 'L':
        return this.line({ keepEol: true, signal: opts?.signal }).then((s) => this.#prefixString(prefix, s));
      case 'a':
        return this.#luaAll(prefix, opts);
      default:
        return this.#luaCount(p, prefix, opts);
    }
  }

  /**
   * LuaSocket's numeric receive: the prefix counts toward `n`. A prefix of
   * `n` bytes or more comes back as it is, reading nothing. `receive(0)`
   * without a prefix waits until a byte is buffered (it stays buffered) and
   * gives an empty Buffer, or fails as any receive does — `closed` on a
   * closed, drained socket.
   */
  #luaCount(n: number, prefix: string | Buffer | undefined, opts: ReceiveOptions | undefined): Promise<Buffer> {
    const plen = prefixLength(prefix, this.encoding);
    if (plen > 0 && n <= plen) return Promise.resolve(prefixBuffer(prefix, EMPTY, this.encoding));
    if (n === 0) {
      if (this.#q.length > 0) return Promise.resolve(EMPTY);
      return this.#waitFor(() => (this.#q.length > 0 ? EMPTY : undefined), 1, opts?.signal, undefined, 0);
    }
    return this.bytes(n - plen, opts, prefix);
  }

  /** `'*a'`: everything until the peer closes, prefix in front, at most `maxBytes` in all. */
  #luaAll(prefix: string | Buffer | undefined, opts: ReceiveOptions | undefined): Promise<Buffer> {
    let max = Infinity;
    if (opts?.maxBytes !== undefined) {
      try {
        max = checkInteger('maxBytes', opts.maxBytes, { min: 0 });
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return this.#gatherAll(prefix, max, opts?.signal);
  }

  /**
   * Everything until the peer closes, `prefix` in front, at most `max` bytes
   * in all (else LimitError with the first `max` as partial, the rest left
   * buffered). Past {@link GATHER_IN_PLACE_AT} bytes, arriving chunks are
   * copied into one {@link GrowingBuffer} as they come instead of being
   * kept and concatenated at the end: memory peaks near the size received,
   * not twice it.
   */
  #gatherAll(prefix: string | Buffer | undefined, max: number, signal: AbortSignal | undefined): Promise<Buffer> {
    if (this.#acc !== null || this.#slot.busy) return Promise.reject(new NetError('busy', 'another receive is already waiting on this socket'));
    const room = max - prefixLength(prefix, this.encoding);
    if (room > GATHER_IN_PLACE_AT) this.#gatherWanted = { prefix, max };
    const attempt = (): Buffer | undefined => {
      const q = this.#q;
      if (this.#gatherWanted !== null && q.length >= GATHER_IN_PLACE_AT && !this.#ended) this.#startGather();
      const acc = this.#acc;
      if (acc === null) {
        if (q.length > room) {
          const partial = prefixBuffer(prefix, room > 0 ? this.#take(room) : EMPTY, this.encoding);
          throw new LimitError('receive', max, partial, `'*a' received more than maxBytes (${max} bytes)`);
        }
        // a connection closed with nothing left gives an empty Buffer (LuaSocket 3.1 fails 'closed' here; see the compatibility table)
        if (!this.#ended || this.#error !== null) return undefined;
        return prefixBuffer(prefix, this.#take(q.length), this.encoding);
      }
      if (q.length > 0) {
        this.#acc = null;
        throw new LimitError('receive', max, acc.result(), `'*a' received more than maxBytes (${max} bytes)`);
      }
      if (!this.#ended || this.#error !== null) return undefined;
      this.#acc = null;
      return acc.result();
    };
    const got = this.#waitFor(attempt, room === Infinity ? Infinity : Math.max(room, 0) + 1, signal, prefix);
    return got.finally(() => {
      this.#acc = null;
      this.#gatherWanted = null;
    });
  }

  /** Switches a waiting `'*a'` to gathering in place: the prefix and what is queued move into the accumulator. */
  #startGather(): void {
    const { prefix, max } = this.#gatherWanted!;
    this.#gatherWanted = null;
    const acc = GrowingBuffer.create(max === Infinity ? undefined : max);
    if (acc === null) return; // no reservation: keep the chunks and concatenate at the end
    if (prefix !== undefined && prefix.length > 0) acc.append(typeof prefix === 'string' ? Buffer.from(prefix, this.encoding) : prefix);
    const q = this.#q;
    while (q.length > 0) acc.append(this.#take(q.chunks[q.head]!.length - q.offset));
    this.#accLimit = Math.min(max, acc.length + acc.room);
    this.#acc = acc;
  }

  async #luaLine(prefix: string | Buffer | undefined, signal: AbortSignal | undefined): Promise<string> {
    let s = this.#q.length !== 0 && this.#q.scanned === 0 ? this.#fastLine() : undefined;
    if (s === undefined) s = (await this.#waitFor(() => this.#tryLine(0), 1, signal, prefix, Infinity, true)) as string;
    return prefix === undefined ? s : this.#prefixString(prefix, s);
  }

  /** The common case, a line wholly in the head chunk, through the line cache; else the general path. */
  #fastLine(): string | undefined {
    const s = this.#lines.next(this.#q, this.encoding, this.#lineLimit);
    if (s === undefined) return this.#tryLine(0) as string | undefined;
    if (this.#paused) this.#afterTake();
    return s;
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
    if (this.#q.length >= n && prefix === undefined) return Promise.resolve(this.#take(n));
    const got = this.#waitFor(() => (this.#q.length >= n ? this.#take(n) : undefined), n, opts?.signal, prefix, n);
    return prefix === undefined ? (got as Promise<Buffer>) : (got as Promise<Buffer>).then((b) => prefixBuffer(prefix, b, this.encoding));
  }

  /** Everything until the peer closes, as one Buffer (`'*a'` without a prefix or limit). */
  all(opts?: ReceiveOptions): Promise<Buffer> {
    return this.#gatherAll(undefined, Infinity, opts?.signal);
  }

  /**
   * Whatever is buffered, at most `max` bytes, waiting only while nothing is;
   * `null` once the peer closed and all was read. Zero-copy where possible.
   */
  partial(max = 65536, opts?: ReceiveOptions): Promise<Buffer | null> {
    if (!Number.isSafeInteger(max) || max < 1) return Promise.reject(new ArgumentError(`max must be a positive integer, got ${max}`));
    const q = this.#q;
    // What is buffered is taken at once: no async frame, no wait.
    if (q.length > 0) return Promise.resolve(this.#take(Math.min(max, q.chunks[q.head]!.length - q.offset)));
    return this.#partialWait(max, opts?.signal);
  }

  /** `partial` with nothing buffered: parks until bytes or the end come (a wait that fails has taken nothing: its `partial` is empty). */
  async #partialWait(max: number, signal: AbortSignal | undefined): Promise<Buffer | null> {
    const q = this.#q;
    let deadline: Deadline | null = null;
    while (q.length === 0 && !this.#ended) {
      if (signal?.aborted) throw new AbortError('aborted', EMPTY, { cause: signal.reason });
      deadline ??= this.timeouts.unlimited ? null : this.timeouts.start();
      await this.#wait(1, deadline, signal, NOTHING_TAKEN);
    }
    if (q.length === 0) {
      if (this.#error !== null) throw this.#closedError(EMPTY);
      return null;
    }
    return this.#take(Math.min(max, q.chunks[q.head]!.length - q.offset));
  }

  /** Up to `n` buffered bytes without consuming them. */
  peek(n?: number): Buffer {
    return this.#q.peek(n);
  }

  /** Puts bytes back in front of the buffer (they are read next). */
  unshift(data: Buffer): void {
    if (data.length === 0) return;
    this.#lines.drop();
    this.#q.unshift(data);
  }

  // ---- internals -----------------------------------------------------------

  /**
   * Tries to take a line. kind bits: 1 keep EOL, 2 strict, 4 as Buffer.
   * Returns undefined when no complete line is buffered yet.
   */
  #tryLine(kind: number): string | Buffer | undefined {
    const lf = this.#q.findLf();
    if (lf === -1) {
      if (this.#q.length > this.#lineLimit) throw this.#limitError();
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

  #limitError(): LimitError {
    return new LimitError('line', this.#lineLimit, this.peek(this.#lineLimit), `line exceeds the limit of ${this.#lineLimit} bytes`);
  }

  /** Takes `n` ≤ length bytes (see ChunkQueue.take); drops the line cache. */
  #take(n: number): Buffer {
    this.#lines.drop();
    const out = this.#q.take(n);
    if (this.#paused) this.#afterTake();
    return out;
  }

  #afterTake(): void {
    if (this.#paused && this.#q.length < this.#highWater) {
      this.#paused = false;
      this.#flow?.resume();
    }
  }

  /**
   * Runs `attempt` until it gives a value, waiting for data in between.
   * `need`: bytes that must be buffered before trying again is worthwhile
   * (1 = any new byte). `partialMax` bounds what a failure consumes.
   */
  async #waitFor<T>(
    attempt: () => T | undefined,
    need: number,
    signal: AbortSignal | undefined,
    prefix: string | Buffer | undefined,
    partialMax = Infinity,
    noCr = false,
  ): Promise<T> {
    let deadline: Deadline | null = null;
    for (;;) {
      const v = attempt();
      if (v !== undefined) return v;
      if (this.#ended) throw this.#closedError(this.#takePartial(prefix, partialMax, noCr));
      if (signal?.aborted) throw new AbortError('aborted', this.#takePartial(prefix, partialMax, noCr), { cause: signal.reason });
      deadline ??= this.timeouts.unlimited ? null : this.timeouts.start();
      await this.#wait(need === 1 ? this.#q.length + 1 : need, deadline, signal, {
        timeout: () => new TimeoutError('timeout', this.#takePartial(prefix, partialMax, noCr)),
        abort: (reason) => new AbortError('aborted', this.#takePartial(prefix, partialMax, noCr), { cause: reason }),
      });
    }
  }

  /** Parks in the wait slot, first resuming a transport paused at high water. */
  #wait(need: number, deadline: Deadline | null, signal: AbortSignal | undefined, fail: WaitFailures): Promise<void> {
    const parked = this.#slot.wait(need, deadline, signal, fail);
    if (this.#paused && this.#slot.busy) {
      this.#paused = false;
      this.#flow?.resume();
    }
    return parked;
  }

  #takePartial(prefix: string | Buffer | undefined, max: number, noCr: boolean): Buffer {
    const acc = this.#acc;
    if (acc !== null) {
      // a '*a' gathering in place: the prefix is already in front
      this.#acc = null;
      const head = acc.result();
      return this.#q.length === 0 ? head : Buffer.concat([head, this.#take(this.#q.length)]);
    }
    let got = this.#take(Math.min(max, this.#q.length));
    if (noCr) got = dropCr(got);
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
