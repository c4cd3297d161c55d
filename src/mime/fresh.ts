/**
 * Output memory for the codecs' byte loops (a speed trick, kept private to
 * mime): a reusable scratch to write into, and exact-size fresh copies to
 * hand out. A filter's output must be new memory (a sink may keep it), but
 * its size is only known after the loop; writing into a reused scratch
 * (memory already touched) and copying out at the exact size was measured
 * cheaper than writing into a fresh bound-sized buffer, and the sink holds
 * no slack.
 *
 * This module also used to pace V8's young GC (a JS-heap nudge every 4 MiB
 * of output). Measured in separate processes with pacing on and off
 * (R-14, 64 MiB through base64 and QP: peak RSS growth 24.6 and 25.5 MiB on,
 * 24.1 and 24.4 MiB off; QP encode+wrap and base64 decode of 64 MiB after a
 * full GC, best of 3 CPU times, within noise of each other), it bought
 * nothing, so it was removed.
 *
 * @example
 * ```ts
 * const s = new Scratch();
 * const buf = s.take(100);             // reused from call to call: write, then copy out
 * buf.write('abc', 'latin1');
 * assert.equal(copyOut(buf, 3).toString(), 'abc');   // fresh, exact size
 * ```
 */

const MiB = 1024 * 1024;

/** A new buffer of `n` bytes (uninitialised). */
export function fresh(n: number): Buffer {
  return Buffer.allocUnsafe(n);
}

/** A fresh copy of `buf[0, n)`. */
export function copyOut(buf: Buffer, n: number): Buffer {
  const out = fresh(n);
  buf.copy(out, 0, 0, n);
  return out;
}

/**
 * A buffer reused from call to call, for a loop to write into before the
 * result is copied out at its exact size. Requests above `keep` bytes get
 * a buffer that is not kept, so one huge chunk does not pin its memory.
 */
export class Scratch {
  #buf: Buffer = Buffer.alloc(0);
  readonly keep: number;

  constructor(keep = 1 * MiB) {
    this.keep = keep;
  }

  /** A buffer of at least `n` bytes; its contents are undefined. */
  take(n: number): Buffer {
    if (n <= this.#buf.length) return this.#buf;
    const buf = Buffer.allocUnsafeSlow(Math.max(n, 4096));
    if (n <= this.keep) this.#buf = buf;
    return buf;
  }
}

/** `a` then `b` in `scratch` (a view of exactly their length). */
export function join(scratch: Scratch, a: Buffer, b: Buffer): Buffer {
  const n = a.length + b.length;
  const buf = scratch.take(n);
  a.copy(buf, 0);
  b.copy(buf, a.length);
  return buf.subarray(0, n);
}
