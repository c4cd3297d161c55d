/**
 * Hands out non-overlapping pieces of larger allocations, so code that makes
 * many small output buffers (a filter on 8 KiB chunks) pays one allocation
 * per slab instead of one per buffer — the allocation, not the copying, is
 * what a small Buffer costs. Node's own Buffer pool does the same below
 * 4 KiB. A piece keeps its whole slab alive while referenced, so slabs stay
 * small (64 KiB by default) and requests above a quarter of the slab get a
 * buffer of their own. Pieces are never handed out twice: holding on to one
 * is safe.
 *
 * @example
 * ```ts
 * const slab = new Slab();
 * const a = slab.take(10);
 * const b = slab.take(10);
 * assert.equal(a.buffer, b.buffer);            // one allocation
 * assert.equal(b.byteOffset, a.byteOffset + 10); // no overlap
 * ```
 */
import { checkInteger } from './validate.js';

export class Slab {
  /** Bytes per slab. */
  readonly size: number;
  #buf: Buffer;
  #pos: number;

  constructor(size = 65536) {
    checkInteger('slab size', size, { min: 64 });
    this.size = size;
    this.#buf = Buffer.alloc(0);
    this.#pos = 0;
  }

  /** A fresh, uninitialised buffer of `n` bytes (a piece of the current slab when small). */
  take(n: number): Buffer {
    if (n > this.size >> 2) return Buffer.allocUnsafe(n);
    if (this.#buf.length - this.#pos < n) {
      this.#buf = Buffer.allocUnsafeSlow(this.size);
      this.#pos = 0;
    }
    const start = this.#pos;
    this.#pos += n;
    return this.#buf.subarray(start, this.#pos);
  }
}
