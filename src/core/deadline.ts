/**
 * Timeouts with LuaSocket's two modes, in milliseconds.
 *
 * - **block** (`'b'`): the longest a call may wait without progress. Each
 *   time bytes arrive (or a write drains) the clock restarts, so a peer that
 *   trickles one byte every 100 ms never trips a 1 s block timeout.
 * - **total** (`'t'`): the longest one call (a `receive`, `send`, `accept`,
 *   `connect`) may take from start to finish, however steady the progress.
 *
 * Both may be set at once; the call fails at whichever comes first. `null`
 * means "no limit" (LuaSocket's `settimeout(nil)`), the default.
 *
 * As in LuaSocket's `timeout.c`, the total budget is measured from the start
 * of each call (`timeout_markstart`), not from `setTimeout`.
 *
 * @example
 * ```ts
 * const t = new Timeouts();
 * t.set(1000, 'b');
 * const d = t.start();                  // at the start of a call
 * assert.equal(d.waitMs(performance.now()), 1000);
 * ```
 */

import { ArgumentError } from './errors.js';
import { checkMs } from './validate.js';

/** `'b'`: per wait (idle) timeout; `'t'`: per call total. */
export type TimeoutMode = 'b' | 't';

/** Checks a timeout value: a finite number ≥ 0, or null/undefined (no limit). */
export function checkTimeout(ms: number | null | undefined, what = 'timeout'): number | null {
  if (ms === null || ms === undefined) return null;
  return checkMs(what, ms);
}

/** The timeout settings of one socket: a block and a total timeout. */
export class Timeouts {
  /** Per-wait (idle) limit in ms, or null. */
  block: number | null = null;
  /** Per-call limit in ms, or null. */
  total: number | null = null;

  /** Sets one mode; `null` clears it. */
  set(ms: number | null, mode: TimeoutMode = 'b'): void {
    const value = checkTimeout(ms);
    if (mode === 'b') this.block = value;
    else if (mode === 't') this.total = value;
    else throw new ArgumentError(`timeout mode must be 'b' or 't', got ${String(mode)}`);
  }

  /** True when neither limit is set. */
  get unlimited(): boolean {
    return this.block === null && this.total === null;
  }

  /** How long one wait that makes no progress until it ends may last: the smaller limit, or null. */
  get limit(): number | null {
    if (this.block === null) return this.total;
    return this.total === null ? this.block : Math.min(this.block, this.total);
  }

  /** Marks the start of a call and returns its deadline. */
  start(): Deadline {
    return new Deadline(this.block, this.total, performance.now());
  }
}

/** The deadline of one call: computes how long the next wait may last. */
export class Deadline {
  readonly block: number | null;
  readonly total: number | null;
  readonly started: number;

  constructor(block: number | null, total: number | null, started = performance.now()) {
    this.block = block;
    this.total = total;
    this.started = started;
  }

  /**
   * Milliseconds the current wait may still last, given the time of the last
   * progress (`performance.now()` units); `null` = unlimited. Never negative.
   */
  waitMs(lastProgress: number): number | null {
    const now = performance.now();
    let ms: number | null = null;
    if (this.block !== null) ms = this.block - (now - lastProgress);
    if (this.total !== null) {
      const left = this.total - (now - this.started);
      ms = ms === null ? left : Math.min(ms, left);
    }
    return ms === null ? null : Math.max(0, ms);
  }

  /** Milliseconds since the call started. */
  elapsed(): number {
    return performance.now() - this.started;
  }
}

/** A deadline that never expires. */
export const NO_DEADLINE = new Deadline(null, null, 0);
