/**
 * The bytes a {@link ReceiveBuffer} holds: the chunks the transport pushed,
 * read front to back without joining them until a caller needs contiguous
 * bytes. Taking bytes that sit in one chunk gives a view; bytes spread over
 * several are copied once.
 *
 * A chunk pushed as `owned` (the transport keeps no reference to it, like a
 * socket's fresh read buffer) may have its memory reused for a result, as
 * long as no view of it was handed out: see {@link ChunkQueue.take}.
 *
 * @example
 * ```ts
 * const q = new ChunkQueue();
 * q.push(Buffer.from('ab'), false);
 * q.push(Buffer.from('c\nd'), false);
 * assert.equal(q.findLf(), 2);
 * assert.equal(q.take(3).toString(), 'abc');
 * assert.equal(q.length, 2);
 * ```
 */

import { EMPTY } from './line-text.js';

export class ChunkQueue {
  /** The chunks; those before `head` are spent. Read-only outside this class. */
  chunks: Buffer[] = [];
  /** Index of the first chunk with unread bytes. Read-only outside this class. */
  head = 0;
  /** Bytes of the head chunk already read. Read-only outside this class. */
  offset = 0;
  /** Unread bytes in all chunks. Read-only outside this class. */
  length = 0;
  /** Bytes from the front already known to hold no LF (see findLf). */
  scanned = 0;
  /** Chunks handed over whose memory no view was ever given out of. */
  #owned = new WeakSet<Buffer>();

  /** Appends a chunk (not empty); `owned` as in the module doc. */
  push(chunk: Buffer, owned: boolean): void {
    if (owned) this.#owned.add(chunk);
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  /** Forgets every byte. */
  clear(): void {
    this.chunks = [];
    this.head = this.offset = this.length = this.scanned = 0;
  }

  /** Consumes `n` bytes that lie in the head chunk (bytes the caller read through `chunks`). */
  consumeHead(n: number): void {
    this.length -= n;
    this.offset += n;
    if (this.offset === this.chunks[this.head]!.length) this.#dropHead();
  }

  /** Offset of the first LF from the front, or -1; remembers how far it looked. */
  findLf(): number {
    let pos = 0;
    for (let i = this.head; i < this.chunks.length; i++) {
      const c = this.chunks[i]!;
      const start = i === this.head ? this.offset : 0;
      const len = c.length - start;
      if (pos + len > this.scanned) {
        const k = c.indexOf(10, start + Math.max(0, this.scanned - pos));
        if (k !== -1) return pos + (k - start);
      }
      pos += len;
    }
    this.scanned = this.length;
    return -1;
  }

  /**
   * Takes `n` ≤ length bytes: a view when they sit in one chunk, else one
   * copy. The copy goes into the head chunk itself when it is owned, no view
   * of it was given out and it is big enough: its bytes are moved to the
   * front and the rest appended, so a receive(n) that straddles chunks
   * allocates nothing and writes to memory just read.
   */
  take(n: number): Buffer {
    this.scanned = 0;
    if (n === 0) return EMPTY;
    const head = this.chunks[this.head]!;
    const start = this.offset;
    if (head.length - start >= n) {
      this.#owned.delete(head);
      const view = head.subarray(start, start + n);
      this.#advance(head, n);
      return view;
    }
    let out: Buffer;
    let filled = 0;
    if (head.length >= n && this.#owned.has(head)) {
      this.#owned.delete(head);
      out = head.subarray(0, n);
      if (start > 0) head.copyWithin(0, start);
      filled = head.length - start;
      this.#advance(head, filled);
    } else {
      out = Buffer.allocUnsafe(n);
    }
    while (filled < n) {
      const c = this.chunks[this.head]!;
      const k = c.copy(out, filled, this.offset, Math.min(c.length, this.offset + n - filled));
      filled += k;
      this.#advance(c, k);
    }
    return out;
  }

  /** Up to `n` bytes from the front without consuming them. */
  peek(n = this.length): Buffer {
    const want = Math.min(n, this.length);
    if (want === 0) return EMPTY;
    const head = this.chunks[this.head]!;
    if (head.length - this.offset >= want) {
      this.#owned.delete(head);
      return head.subarray(this.offset, this.offset + want);
    }
    const out = Buffer.allocUnsafe(want);
    let filled = 0;
    for (let i = this.head; filled < want; i++) {
      const c = this.chunks[i]!;
      const s = i === this.head ? this.offset : 0;
      filled += c.copy(out, filled, s, Math.min(c.length, s + want - filled));
    }
    return out;
  }

  /** Puts bytes back in front (they are read next). */
  unshift(data: Buffer): void {
    if (this.offset > 0) this.chunks[this.head] = this.chunks[this.head]!.subarray(this.offset);
    this.offset = 0;
    this.chunks.splice(this.head, 0, data);
    this.length += data.length;
    this.scanned = 0;
  }

  #advance(chunk: Buffer, k: number): void {
    this.length -= k;
    this.offset += k;
    if (this.offset === chunk.length) this.#dropHead();
  }

  #dropHead(): void {
    this.offset = 0;
    this.chunks[this.head++] = EMPTY;
    if (this.head === this.chunks.length) {
      this.chunks.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.chunks.length) {
      this.chunks.splice(0, this.head);
      this.head = 0;
    }
  }
}
