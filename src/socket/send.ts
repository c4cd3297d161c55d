/**
 * Writing to a Node stream socket with LuaSocket's `send(data, i, j)`
 * semantics: Lua's 1-based inclusive string ranges and a back-pressure wait
 * bounded by the socket's timeouts.
 */
import type { Socket } from 'node:net';
import { AbortError, ArgumentError, NetError, SendError, toNetError } from '../core/errors.js';
import type { Timeouts } from '../core/deadline.js';
import { waitFor } from '../core/wait.js';
import { describe } from '../core/validate.js';

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
  if (!Number.isSafeInteger(i) || !Number.isSafeInteger(j)) throw new ArgumentError(`send range i, j must be integers, got ${describe(i)}, ${describe(j)}`);
  let from = i < 0 ? Math.max(len + i + 1, 1) : i === 0 ? 1 : i;
  let to = j < 0 ? len + j + 1 : Math.min(j, len);
  from -= 1;
  if (to < from) to = from;
  if (from > len) from = to = len;
  return [from, to];
}

/**
 * Sends are queued in pieces of this size (256 KiB) so a failure can say
 * how much left, to within a piece. Each piece is one Node write: 64 KiB
 * pieces made a 1 MiB static-file response sixteen of them and cost it
 * 1–6 % of its rate (alternating `wrk` runs, 2026-12-04).
 */
export const SEND_PIECE = 256 * 1024;

/**
 * Queues `data` in pieces of {@link SEND_PIECE} bytes (views, no copies) and,
 * when Node's write buffer is over its high-water mark, waits for 'drain'.
 * Everything is queued at once, so a `close()` right after still flushes it.
 * Failures throw {@link SendError} whose `sent` is `base` plus the bytes
 * Node confirmed handed to the kernel. `onWritten` is called once every
 * piece's write has ended (handed over or failed), or at once when nothing
 * was written.
 */
export async function writeAll(
  sock: Socket,
  data: Buffer,
  timeouts: Timeouts,
  base: number,
  signal?: AbortSignal,
  onWritten?: (err?: Error) => void,
): Promise<void> {
  if (sock.destroyed || sock.writableEnded) refuse(new SendError('closed', 'cannot send: the socket is closed', base), onWritten);
  if (signal?.aborted) refuse(new SendError('aborted', 'send aborted', base, { cause: new AbortError() }), onWritten);
  let done = 0;
  let failure: Error | undefined;
  let ok = true;
  let pending = Math.ceil(data.length / SEND_PIECE);
  for (let off = 0; off < data.length; off += SEND_PIECE) {
    const piece = off === 0 && data.length <= SEND_PIECE ? data : data.subarray(off, off + SEND_PIECE);
    ok = sock.write(piece, (err) => {
      if (err) failure ??= err;
      else done += piece.length;
      if (--pending === 0) onWritten?.(failure);
    });
  }
  if (ok && failure === undefined) return;
  // a drain wait makes progress only when it completes: the block timeout bounds the whole wait
  const r = await waitDrain(sock, timeouts.limit, signal);
  if (failure !== undefined || r instanceof Error) {
    const e = toNetError(failure ?? r);
    throw new SendError(e.code === 'reset' || e.code === 'io' ? 'closed' : e.code, `send failed: ${e.message}`, base + done, { cause: e });
  }
  if (r === 'timeout') throw new SendError('timeout', 'send timed out (the peer is not reading)', base + done);
  if (r === 'aborted') throw new SendError('aborted', 'send aborted', base + done, { cause: new AbortError() });
}

/** A send refused before anything was written: `onWritten` hears of it, then it throws. */
function refuse(e: SendError, onWritten?: (err?: Error) => void): never {
  onWritten?.(e);
  throw e;
}

const TIMED_OUT = new Error('timeout');
const ABORTED = new Error('aborted');

/** Waits for 'drain' (any length of timeout); says how the wait ended instead of throwing. */
function waitDrain(sock: Socket, timeout: number | null, signal?: AbortSignal): Promise<'drained' | 'timeout' | 'aborted' | Error> {
  return waitFor<'drained'>(
    (done) => {
      const onDrain = (): void => done(null, 'drained');
      const onClose = (): void => done(new NetError('closed', 'connection closed while sending'));
      const onError = (e: Error): void => done(e);
      sock.on('drain', onDrain).on('close', onClose).on('error', onError);
      return () => void sock.off('drain', onDrain).off('close', onClose).off('error', onError);
    },
    { timeout, signal, what: 'send', onTimeout: () => TIMED_OUT, onAbort: () => ABORTED },
  ).catch((e: Error) => (e === TIMED_OUT ? 'timeout' : e === ABORTED ? 'aborted' : e));
}
