/**
 * `BlockCollector`: gathers many small pieces (the lines of a message) into
 * a few large blocks, so memory follows the bytes kept and not the number
 * of pieces. A line-per-Buffer list costs ~45× the payload for 3-byte lines
 * (each Buffer view carries its own object). Blocks double from 16 KiB up
 * to 256 KiB and are never copied while collecting (a single growing block
 * held up to twice the payload: the old block beside the new one, and the
 * unused half after), so what a collector holds is the payload plus at
 * most one block's free space, and never more than `limit`. `take` joins
 * the blocks once.
 *
 * Bytes past `limit` are counted (`size`) but not kept (`over` turns true),
 * so a caller can drain an oversized message and still refuse it.
 *
 * @example
 * ```ts
 * const c = new BlockCollector(10);
 * c.push(Buffer.from('a\r\n'));
 * c.push(Buffer.from('b\r\n'));
 * c.take().toString(); // 'a\r\nb\r\n'
 * ```
 */
import { checkInteger } from '../../core/validate.js';

/** The first block a collector allocates, bytes. */
const FIRST_BLOCK = 16 * 1024;
/** The largest block a collector allocates (a larger piece gets a block of its own size). */
const MAX_BLOCK = 256 * 1024;

export class BlockCollector {
  readonly limit: number;
  /** Full blocks, then the one being filled (`#block`). */
  #full: Buffer[] = [];
  #block: Buffer = Buffer.alloc(0);
  #used = 0;
  #size = 0;

  /** `limit`: most bytes kept (an integer ≥ 0). */
  constructor(limit: number) {
    this.limit = checkInteger('limit', limit);
  }

  /** Bytes pushed so far, kept or not. */
  get size(): number {
    return this.#size;
  }

  /** Bytes of the blocks held: what was kept plus the free end of the last block. */
  get capacity(): number {
    let n = this.#block.length;
    for (const b of this.#full) n += b.length;
    return n;
  }

  /** True once more than `limit` bytes were pushed (the excess was dropped). */
  get over(): boolean {
    return this.#size > this.limit;
  }

  /** Appends `piece` (copied); returns false once the total passes `limit`. */
  push(piece: Uint8Array): boolean {
    const before = this.#size;
    this.#size += piece.length;
    if (this.#size > this.limit) return false;
    let from = 0;
    while (from < piece.length) {
      if (this.#used === this.#block.length) this.#next(before + from, piece.length - from);
      const n = Math.min(piece.length - from, this.#block.length - this.#used);
      this.#block.set(n === piece.length ? piece : piece.subarray(from, from + n), this.#used);
      this.#used += n;
      from += n;
    }
    return true;
  }

  /** The bytes kept, as one Buffer; the collector starts over empty. */
  take(): Buffer {
    const last = this.#block.subarray(0, this.#used);
    let out: Buffer;
    if (this.#full.length > 0) out = Buffer.concat([...this.#full, last]);
    // A block much larger than its content would pin the slack for as long as the result lives.
    else out = this.#block.length - this.#used > this.#used / 4 ? Buffer.from(last) : last;
    this.#full = [];
    this.#block = Buffer.alloc(0);
    this.#used = 0;
    this.#size = 0;
    return out;
  }

  /** Starts a new block for `kept` bytes held so far and `need` more: twice the bytes held, 16 KiB to 256 KiB, never past the limit. */
  #next(kept: number, need: number): void {
    if (this.#used > 0) this.#full.push(this.#block);
    const size = Math.min(this.limit - kept, Math.max(need, Math.min(MAX_BLOCK, Math.max(FIRST_BLOCK, kept))));
    this.#block = Buffer.allocUnsafe(size);
    this.#used = 0;
  }
}
