/**
 * Time, LuaSocket's `socket.gettime` and `socket.sleep`, in milliseconds.
 *
 * @example
 * ```ts
 * const t0 = getTime();
 * await sleep(50);
 * assert.ok(getTime() - t0 >= 49);
 * ```
 */
import { ArgumentError } from '../core/errors.js';
import { describe } from '../core/validate.js';
import { sleepFor } from '../core/wait.js';

/** Milliseconds since the epoch, with sub-millisecond resolution. */
export function getTime(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * Resolves after `ms` milliseconds (any length: 2^31 ms and more wait as
 * long as they say); `ms` ≤ 0 resolves at once, as LuaSocket's `sleep`.
 * An aborted `signal` rejects with AbortError.
 * @throws {ArgumentError} `ms` is not a number (or NaN).
 */
export function sleep(ms: number, opts: { signal?: AbortSignal } = {}): Promise<void> {
  if (typeof ms !== 'number' || Number.isNaN(ms)) return Promise.reject(new ArgumentError(`sleep takes milliseconds, got ${describe(ms)}`));
  return sleepFor(Math.max(0, ms), opts.signal);
}
