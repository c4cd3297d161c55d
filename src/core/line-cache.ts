/**
 * The fast path of LuaSocket's `'*l'`: the lines of a {@link ChunkQueue}'s
 * head chunk, decoded all at once and handed out one by one.
 *
 * What it buys: a chunk of short lines is decoded with one `toString` and
 * one `split` instead of one search and one decode per line — about twice
 * the lines per second on 42-byte lines (`bench/socket-lines.ts`, and
 * `bench/before-after.mjs lines` for a whole-program view). It is only
 * used while bytes and characters correspond one to one (ASCII text, or
 * `latin1`); a chunk that decodes otherwise is marked and left to the
 * straightforward path, as is a line not wholly in the head chunk.
 *
 * The bytes stay in the queue until their line is handed out, so a caller
 * that takes bytes any other way only has to {@link LineCache.drop} it.
 *
 * @example
 * ```ts
 * import { ChunkQueue } from '../core/chunk-queue.js';
 *
 * const q = new ChunkQueue();
 * q.push(Buffer.from('a\r\nbc\nrest'), false);
 * const lines = new LineCache();
 * assert.equal(lines.next(q, 'utf8', 1024), 'a');
 * assert.equal(lines.next(q, 'utf8', 1024), 'bc');
 * assert.equal(lines.next(q, 'utf8', 1024), undefined); // no complete line: the caller waits
 * assert.equal(q.length, 4);
 * ```
 */
import type { ChunkQueue } from './chunk-queue.js';
import { decode, type LineEncoding } from './line-text.js';

/** How much of the head chunk one decode looks at: 64 KiB. */
const SPAN = 65536;

export class LineCache {
  /** Decoded lines of the head chunk not yet handed out. */
  #lines: string[] | null = null;
  #at = 0;
  /** The last chunk found not to decode one byte per char. */
  #uncacheable: Buffer | null = null;

  /** Forgets the decoded lines (bytes were taken some other way). */
  drop(): void {
    this.#lines = null;
  }

  /**
   * The next line of the queue's head chunk without its end and its CRs,
   * consumed from the queue; `undefined` when the head chunk holds no
   * complete line of at most `limit` bytes, for the caller's general path
   * (which waits, or reports the over-long line).
   */
  next(q: ChunkQueue, encoding: LineEncoding, limit: number): string | undefined {
    let s: string;
    const lines = this.#lines ?? this.#fill(q, encoding);
    if (lines !== null) {
      s = lines[this.#at]!;
      if (s.length > limit) return undefined;
      if (++this.#at === lines.length) this.#lines = null;
      q.consumeHead(s.length + 1);
    } else {
      const chunk = q.chunks[q.head]!;
      const start = q.offset;
      const lf = chunk.indexOf(10, start);
      if (lf === -1 || lf - start > limit) return undefined;
      s = decode(chunk, start, lf, encoding);
      q.consumeHead(lf + 1 - start);
    }
    return s.includes('\r') ? s.replaceAll('\r', '') : s;
  }

  /** Decodes the complete lines of the head chunk's next 64 KiB, or gives null when they are not one byte per char. */
  #fill(q: ChunkQueue, encoding: LineEncoding): string[] | null {
    const chunk = q.chunks[q.head]!;
    if (chunk === this.#uncacheable) return null;
    const start = q.offset;
    const last = chunk.lastIndexOf(10, Math.min(chunk.length - 1, start + SPAN - 1));
    if (last < start) return null;
    const text = decode(chunk, start, last, encoding);
    if (text.length !== last - start) {
      this.#uncacheable = chunk;
      return null;
    }
    this.#at = 0;
    this.#lines = text.split('\n');
    return this.#lines;
  }
}
