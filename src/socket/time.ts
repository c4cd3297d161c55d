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
import { AbortError } from '../core/errors.js';

/** Milliseconds since the epoch, with sub-millisecond resolution. */
export function getTime(): number {
  return performance.timeOrigin + performance.now();
}

/** Resolves after `ms` milliseconds; an aborted `signal` rejects with AbortError. */
export function sleep(ms: number, opts: { signal?: AbortSignal } = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new AbortError('sleep aborted'));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortError('sleep aborted'));
    };
    const timer = setTimeout(() => {
      opts.signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
  });
}
