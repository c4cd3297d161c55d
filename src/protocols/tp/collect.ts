/**
 * `BlockCollector`: gathers many small pieces (the lines of a message) into
 * one growing block, so memory follows the bytes kept and not the number of
 * pieces. A line-per-Buffer list costs ~45× the payload for 3-byte lines
 * (each Buffer view carries its own object); one block costs at most twice
 * the payload while growing and never more than `limit`.
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

export class BlockCollector {
  readonly limit: number;
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

  /** True once more than `limit` bytes were pushed (the excess was dropped). */
  get over(): boolean {
    return this.#size > this.limit;
  }

  /** Appends `piece` (copied); returns false once the total passes `limit`. */
  push(piece: Uint8Array): boolean {
    this.#size += piece.length;
    if (this.#size > this.limit) return false;
    const need = this.#used + piece.length;
    if (need > this.#block.length) this.#grow(need);
    this.#block.set(piece, this.#used);
    this.#used = need;
    return true;
  }

  /** The bytes kept, as one Buffer; the collector starts over empty. */
  take(): Buffer {
    const kept = this.#used;
    // A block much larger than its content would pin the slack for as long as the result lives.
    const out = this.#block.length - kept > kept / 4 ? Buffer.from(this.#block.subarray(0, kept)) : this.#block.subarray(0, kept);
    this.#block = Buffer.alloc(0);
    this.#used = 0;
    this.#size = 0;
    return out;
  }

  #grow(need: number): void {
    const size = Math.min(this.limit, Math.max(need, FIRST_BLOCK, this.#block.length * 2));
    const next = Buffer.allocUnsafe(size);
    this.#block.copy(next, 0, 0, this.#used);
    this.#block = next;
  }
}
