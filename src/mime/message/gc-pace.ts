/**
 * A private speed-and-memory trick of the message parser: every
 * {@link PACE} bytes of input it nudges V8 into a young-generation GC.
 *
 * Why: a parsed body streams through the decoders, whose outputs are fresh
 * Buffers a sink usually drops at once. V8 frees a dead Buffer only at a
 * young GC, which starts when the young JS heap fills or after 32 MiB of
 * Buffer memory (Node 20, 64-bit); a byte loop allocates next to nothing on
 * the JS heap, so a long body kept up to 32 MiB of dead output resident.
 * The nudge allocates short-lived strings as large as the room left in the
 * young heap (at most 2 MiB), so the next allocation starts the GC.
 *
 * What it buys, measured: a 100 MiB base64 attachment through
 * `parseMessage` into a discarding sink peaks at 57–61 MiB RSS with the
 * nudge and 83 MiB without (`node dist/bench/mail-parse-child.js netkit big
 * FILE 1`, separate processes). The codec filters alone do not need it:
 * with and without pacing the R-14 figure read the same (24–25 MiB), so
 * only the parser calls this.
 *
 * @example
 * ```ts
 * pace(64 * 1024);   // counts 64 KiB of input; every 4 MiB it nudges the young GC
 * ```
 */
import { getHeapSpaceStatistics } from 'node:v8';

const MiB = 1024 * 1024;
/** Input bytes between two nudges of the young GC. */
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

/** Counts `bytes`; every {@link PACE} bytes, fills the young heap (see the module doc). */
export function pace(bytes: number): void {
  owed += bytes;
  if (owed < PACE) return;
  owed = 0;
  const room = Math.min(youngRoom(), MAX_NUDGE);
  // Strings made by a native call: the compiler cannot drop them, and
  // nothing keeps them, so the GC they start copies none of them.
  for (let filled = 0; filled <= room; filled += ZEROS.length) ZEROS.toString('latin1');
}
