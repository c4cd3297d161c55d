/**
 * The one wait primitive: every wait in netkit — a receive, a connect, a TLS
 * handshake, a drain, an accept, a select, a sleep, a datagram, an FTP data
 * connection, an HTTP head — is a {@link waitFor} call: the caller arms its
 * own listeners, and `waitFor` adds the deadline, the AbortSignal and one
 * cleanup that runs exactly once, however the wait ends.
 *
 * Timers of any length work: Node fires a `setTimeout` of 2^31 ms or more
 * after 1 ms (with a `TimeoutOverflowWarning`), so {@link LongTimer} chains
 * shorter timers until the full time has passed.
 *
 * @example
 * ```ts
 * import { EventEmitter } from 'node:events';
 * import { waitFor } from 'netkit/core';
 * const emitter = new EventEmitter();
 * setImmediate(() => emitter.emit('ready', 42));
 * const value = await waitFor<number>((done) => {
 *   const on = (v: number): void => done(null, v);
 *   emitter.once('ready', on);
 *   return () => emitter.off('ready', on);
 * }, { timeout: 1000, what: 'ready' });
 * // value === 42
 * ```
 */
import type { EventEmitter } from 'node:events';
import { AbortError, TimeoutError } from './errors.js';

/** The longest delay one Node timer can hold (2^31 − 1 ms). */
export const MAX_TIMER_MS = 0x7fffffff;

/**
 * A timer that may run longer than {@link MAX_TIMER_MS}: it chains Node
 * timers until `ms` have passed, then calls `fire` once. `unref()` lets the
 * process exit while it runs, as for Node's own timers.
 *
 * @example
 * ```ts
 * const t = new LongTimer(() => console.log('a month later'), 30 * 24 * 3600e3);
 * t.clear();
 * ```
 */
export class LongTimer {
  #timer: NodeJS.Timeout | undefined;
  /** When `fire` is due, and when the running Node timer goes off (performance.now() ms). */
  #due = 0;
  #at = 0;
  #fire: () => void;
  #unref = false;

  constructor(fire: () => void, ms: number) {
    this.#fire = fire;
    this.restart(ms);
  }

  /**
   * Starts over: `fire` is now due `ms` from now (any finite ms ≥ 0). When
   * the running Node timer goes off no later than that, it is kept — its
   * tick waits out the rest — so pushing an idle deadline back on every
   * request costs a clock read, not a timer cancelled and scheduled again.
   */
  restart(ms: number): void {
    this.#due = performance.now() + ms;
    if (this.#timer !== undefined && this.#at <= this.#due) return;
    this.clear();
    this.#arm(ms);
  }

  /** Cancels the timer; `fire` will not be called (until a restart). */
  clear(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Lets the process exit while this timer is pending. */
  unref(): this {
    return this.setRef(false);
  }

  /** Whether the pending timer holds the process open (as Node's `ref()`/`unref()`; on by default). */
  setRef(on: boolean): this {
    this.#unref = !on;
    if (on) this.#timer?.ref();
    else this.#timer?.unref();
    return this;
  }

  #arm(ms: number): void {
    const delay = Math.min(Math.max(0, ms), MAX_TIMER_MS);
    this.#at = performance.now() + delay;
    this.#timer = setTimeout(() => this.#tick(), delay);
    if (this.#unref) this.#timer.unref();
  }

  #tick(): void {
    const left = this.#due - performance.now();
    if (left > 1) this.#arm(left);
    else {
      this.#timer = undefined;
      this.#fire();
    }
  }
}

/** Ends a wait: an error rejects it, else it resolves with `value`. */
export type Done<T> = (err: Error | null, value?: T) => void;

/** Options of {@link waitFor}. */
export interface WaitOptions {
  /** Milliseconds the wait may last; `null`/`undefined` = no limit. Any length. */
  timeout?: number | null;
  /** Aborts the wait with {@link AbortError}. */
  signal?: AbortSignal;
  /** Names what is waited for in error messages (`'connect to …'`). */
  what: string;
  /** Builds the error for a timeout (default: `TimeoutError('<what> timed out')`). */
  onTimeout?: () => Error;
  /** Builds the error for an abort (default: `AbortError('<what> aborted')`). */
  onAbort?: (reason: unknown) => Error;
}

/** The AbortError for `what`, with the signal's reason as its cause. */
export function abortError(what: string, reason: unknown): AbortError {
  return new AbortError(`${what} aborted`, undefined, { cause: reason });
}

/**
 * Waits for what `arm` sets up. `arm` receives `done` and returns its own
 * cleanup (listeners to remove); `waitFor` calls that cleanup exactly once —
 * when `done` is called, when the timeout passes or when the signal aborts —
 * and settles the promise with the first of those. An already aborted
 * signal rejects at once without calling `arm`; a signal that `arm` itself
 * aborted rejects as soon as `arm` returns.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: an arm with nothing to clean up returns nothing
export function waitFor<T>(arm: (done: Done<T>) => (() => void) | void, opts: WaitOptions): Promise<T> {
  const { signal, timeout } = opts;
  if (signal?.aborted) return Promise.reject(opts.onAbort?.(signal.reason) ?? abortError(opts.what, signal.reason));
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let timer: LongTimer | undefined;
    // biome-ignore lint/suspicious/noConfusingVoidType: what arm returned
    let disarm: (() => void) | void;
    const onAbort = (): void => finish(opts.onAbort?.(signal?.reason) ?? abortError(opts.what, signal?.reason));
    const finish = (err: Error | null, value?: T): void => {
      if (settled) return;
      settled = true;
      timer?.clear();
      signal?.removeEventListener('abort', onAbort);
      if (disarm) disarm();
      if (err) reject(err);
      else resolve(value as T);
    };
    disarm = arm(finish);
    if (settled) {
      if (disarm) disarm();
      return;
    }
    if (timeout !== null && timeout !== undefined) {
      timer = new LongTimer(() => finish(opts.onTimeout?.() ?? new TimeoutError(`${opts.what} timed out`)), timeout);
    }
    if (signal?.aborted) return onAbort(); // `arm` itself may have led to the abort
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Resolves after `ms` milliseconds (any length); rejects with AbortError when
 * `signal` aborts first.
 *
 * @example
 * ```ts
 * import { sleepFor } from 'netkit/core';
 * await sleepFor(10);
 * ```
 */
export function sleepFor(ms: number, signal?: AbortSignal): Promise<void> {
  return waitFor<void>(
    (done) => {
      const t = new LongTimer(() => done(null), ms);
      return () => t.clear();
    },
    { signal, what: 'sleep' },
  );
}

/**
 * An `arm` for {@link waitFor} that waits for one `event` of `emitter`
 * (resolving with its first argument); an `'error'` event rejects with it.
 *
 * @example
 * ```ts
 * declare const port: number;
 * import net from 'node:net';
 * import { onceEvent, waitFor } from 'netkit/core';
 * const sock = net.connect(port, '127.0.0.1');
 * await waitFor(onceEvent(sock, 'connect'), { timeout: 5000, what: 'connect' });
 * ```
 */
export function onceEvent<T = unknown>(emitter: EventEmitter, event: string): (done: Done<T>) => () => void {
  return (done) => {
    const onEvent = (value: T): void => done(null, value);
    const onError = (err: Error): void => done(err);
    emitter.once(event, onEvent).once('error', onError);
    return () => void emitter.off(event, onEvent).off('error', onError);
  };
}
