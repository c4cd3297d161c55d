/**
 * A server-wide bound on file bytes held in memory on their way to clients
 * (a client that asks for a large file and stops reading must not
 * cost the server a buffer it never gives back).
 *
 * Every connection may always hold {@link INFLIGHT_FLOOR} bytes of file data
 * (so each keeps moving, however many stall); anything above that — bigger
 * chunks, reading the next chunk while the current one is sent — comes from
 * one shared pool of `limit` bytes, taken without waiting: a connection gets
 * what is free and falls back to the floor when nothing is. The server's
 * file buffers are therefore bounded by `connections × INFLIGHT_FLOOR +
 * limit`, whatever the clients do.
 *
 * @example
 * ```ts
 * const pool = new Inflight(32 * 1024 * 1024);
 * const extra = pool.take(256 * 1024 - INFLIGHT_FLOOR); // 0 … what was asked
 * // … read and send INFLIGHT_FLOOR + extra bytes …
 * pool.give(extra);
 * ```
 */

/** File bytes each connection may always hold, outside the shared pool. */
export const INFLIGHT_FLOOR = 16 * 1024;

/** Bytes per read when streaming a file, at most: the floor and what the pool lends. */
export const CHUNK = 256 * 1024;

/** Default size of the shared pool: `servers.web`'s `maxInflightBytes`. */
export const MAX_INFLIGHT_BYTES = 16 * 1024 * 1024;

export class Inflight {
  readonly limit: number;
  #used = 0;

  constructor(limit: number) {
    this.limit = limit;
  }

  /** Bytes of the shared pool held now. */
  get used(): number {
    return this.#used;
  }

  /** Takes up to `want` bytes from the pool, at once; returns how many (0 when none are free). */
  take(want: number): number {
    const n = Math.max(0, Math.min(want, this.limit - this.#used));
    this.#used += n;
    return n;
  }

  /** Gives back bytes taken with `take`. */
  give(n: number): void {
    this.#used -= n;
  }
}
