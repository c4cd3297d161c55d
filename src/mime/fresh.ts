/**
 * Output memory for the codecs' byte loops: a reusable scratch to write
 * into, and fresh buffers to hand out, paced so that dead outputs do not
 * pile up.
 *
 * A filter's output must be new memory (a sink may keep it), and V8 frees a
 * dead Buffer only at a young-generation GC. It starts one when the young
 * JS heap fills, or when 32 MiB of Buffer memory has been allocated since
 * the last one (Node 20, 64-bit). A byte loop allocates next to nothing on
 * the JS heap, so a long stream through it kept up to 32 MiB of dead output
 * resident, plus what the allocator had not reused yet (measured: +37 MiB
 * RSS for 64 MiB through a filter that only copies; string-based code
 * escaped it because its strings filled the young heap). So every
 * {@link PACE} bytes handed out, {@link pace} allocates short-lived JS
 * strings as large as the room left in the young heap (at most 2 MiB): the
 * next allocation then starts the GC that frees the dead outputs. That is
 * one young GC per 4 MiB of output, and it costs no speed: measured in
 * separate processes, the QP filters ran as fast without it, and 1.4–1.7×
 * faster with it when each run starts after a full GC (as in the
 * benchmark), since their output memory is then reused instead of fetched
 * afresh for 32 MiB.
 *
 * @example
 * ```ts
 * const s = new Scratch();
 * const buf = s.take(100);             // reused from call to call: write, then copy out
 * buf.write('abc', 'latin1');
 * assert.equal(copyOut(buf, 3).toString(), 'abc');   // fresh, exact size
 * ```
 */
import { getHeapSpaceStatistics } from 'node:v8';

const MiB = 1024 * 1024;
/** Bytes handed out between two nudges of the young GC. */
export const PACE = 4 * MiB;
/** The most JS heap one nudge allocates. */
const MAX_NUDGE = 2 * MiB;
/** Ballast pieces are strings copied from this: 64 KiB each, below V8's large-object size. */
const ZEROS = Buffer.alloc(64 * 1024);

let owed = 0;

/** Room left in the young JS heap, in bytes. */
function youngRoom(): number {
  for (const s of getHeapSpaceStatistics()) if (s.space_name === 'new_space') return s.space_available_size;
  return MiB;
}

/** Counts `bytes` of output handed out; every {@link PACE} bytes, fills the young heap (see the module doc). */
export function pace(bytes: number): void {
  owed += bytes;
  if (owed < PACE) return;
  owed = 0;
  const room = Math.min(youngRoom(), MAX_NUDGE);
  // Strings made by a native call: the compiler cannot drop them, and
  // nothing keeps them, so the GC they start copies none of them.
  for (let filled = 0; filled <= room; filled += ZEROS.length) ZEROS.toString('latin1');
}

/** A new buffer of `n` bytes (uninitialised), paced. */
export function fresh(n: number): Buffer {
  pace(n);
  return Buffer.allocUnsafe(n);
}

/** A fresh copy of `buf[0, n)`, paced. */
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
