/**
 * Writing to a Node stream socket with LuaSocket's `send(data, i, j)`
 * semantics: Lua's 1-based inclusive string ranges and a back-pressure wait
 * bounded by the socket's timeouts.
 */
import type { Socket } from 'node:net';
import { AbortError, NetError, SendError, toNetError } from '../core/errors.js';
import type { Timeouts } from '../core/deadline.js';

/**
 * Resolves Lua's `string.sub(s, i, j)` bounds for a length: 1-based,
 * inclusive, negative counts from the end. Returns `[from, to]` with
 * `0 ≤ from ≤ to ≤ len` as a half-open 0-based range.
 *
 * @example
 * ```ts
 * assert.deepEqual(luaRange(5, 2, -2), [1, 4]);   // "hello" → "ell"
 * ```
 */
export function luaRange(len: number, i = 1, j = -1): [number, number] {
  if (!Number.isInteger(i) || !Number.isInteger(j)) throw new RangeError('send range i, j must be integers');
  let from = i < 0 ? Math.max(len + i + 1, 1) : i === 0 ? 1 : i;
  let to = j < 0 ? len + j + 1 : Math.min(j, len);
  from -= 1;
  if (to < from) to = from;
  if (from > len) from = to = len;
  return [from, to];
}

/**
 * Writes `data`; resolves once Node accepted it without back-pressure, or
 * after 'drain'. Failures throw {@link SendError} whose `sent` counts the
 * bytes of `data` that left the process (`base` is added to it).
 */
export async function writeAll(sock: Socket, data: Buffer, timeouts: Timeouts, base: number, signal?: AbortSignal): Promise<void> {
  if (sock.destroyed || sock.writableEnded) throw new SendError('closed', 'cannot send: the socket is closed', base);
  if (signal?.aborted) throw new SendError('aborted', 'send aborted', base, { cause: new AbortError() });
  let failure: Error | undefined;
  const ok = sock.write(data, (err) => {
    if (err) failure = err;
  });
  if (ok && failure === undefined) return;
  const flushed = (): number => base + Math.max(0, data.length - sock.writableLength);
  const r = await waitDrain(sock, timeouts, signal);
  if (failure !== undefined || r instanceof Error) {
    const e = toNetError(failure ?? r);
    throw new SendError(e.code === 'reset' || e.code === 'io' ? 'closed' : e.code, `send failed: ${e.message}`, flushed(), { cause: e });
  }
  if (r === 'timeout') throw new SendError('timeout', 'send timed out (peer not reading)', flushed());
  if (r === 'aborted') throw new SendError('aborted', 'send aborted', flushed(), { cause: new AbortError() });
}

function waitDrain(sock: Socket, timeouts: Timeouts, signal?: AbortSignal): Promise<'drained' | 'timeout' | 'aborted' | Error> {
  return new Promise((resolve) => {
    const deadline = timeouts.unlimited ? null : timeouts.start();
    let timer: NodeJS.Timeout | undefined;
    const done = (r: 'drained' | 'timeout' | 'aborted' | Error): void => {
      if (timer !== undefined) clearTimeout(timer);
      sock.off('drain', onDrain).off('close', onClose).off('error', onError);
      signal?.removeEventListener('abort', onAbort);
      resolve(r);
    };
    const onDrain = (): void => done('drained');
    const onClose = (): void => done(new NetError('closed', 'connection closed while sending'));
    const onError = (e: Error): void => done(e);
    const onAbort = (): void => done('aborted');
    sock.on('drain', onDrain).on('close', onClose).on('error', onError);
    signal?.addEventListener('abort', onAbort, { once: true });
    if (deadline !== null) {
      // a drain-wait makes progress only when it completes, so block = total wait
      timer = setTimeout(() => done('timeout'), deadline.waitMs(deadline.started)!);
    }
  });
}
