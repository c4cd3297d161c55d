/**
 * What the mime filters and low-level functions accept as a chunk: a
 * Buffer, any Uint8Array, or a string (UTF-8, as `ltn12.transform` reads
 * one), so `mime.wrap('text', 5)('abc')` works as LuaSocket's string
 * filters do. Anything else is an {@link ArgumentError}, never a raw
 * TypeError from deep inside a loop.
 *
 * @example
 * ```ts
 * assert.equal(bytes('é')!.length, 2);
 * assert.equal(bytes(null), null);
 * ```
 */
import { ArgumentError } from '../core/errors.js';
import { describe } from '../core/validate.js';

/** A chunk as the mime functions take it (`null` or `undefined`: the end). */
export type Chunk = Buffer | Uint8Array | string | null | undefined;

/** A filter that takes strings and Uint8Arrays as well as Buffers (assignable to ltn12's `Filter`). */
export type MimeFilter = (chunk: Buffer | Uint8Array | string | null) => Buffer;

/** `c` as a Buffer (no copy for a Buffer or Uint8Array), `null` for the end; ArgumentError for anything else. */
export function bytes(c: Chunk): Buffer | null {
  if (c === null || c === undefined) return null;
  if (Buffer.isBuffer(c)) return c;
  if (typeof c === 'string') return Buffer.from(c, 'utf8');
  if (c instanceof Uint8Array) return Buffer.from(c.buffer, c.byteOffset, c.byteLength);
  throw new ArgumentError(`a chunk must be a Buffer, a Uint8Array, a string or null, got ${describe(c)}`);
}
