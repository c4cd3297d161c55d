/**
 * Base64 (RFC 4648 §4), as chunk-safe filters and LuaSocket's low-level
 * `b64`/`unb64`.
 *
 * Encoding carries the 0–2 bytes that do not fill a 3-byte group to the
 * next chunk, and lets Node's native encoder do the rest.
 *
 * Decoding has two rules, chosen per call:
 * - lenient (default, RFC 2045 §6.8 and LuaSocket): bytes outside the
 *   alphabet are skipped; `=` ends the current group (its 2 or 3 characters
 *   give 1 or 2 bytes) and decoding goes on after it; a lone trailing
 *   character is dropped.
 * - strict (`{ strict: true }`, RFC 4648 §3.3): only the alphabet, CR and LF
 *   may appear; padding must complete the last group exactly and nothing but
 *   line breaks may follow it; input must end on a group boundary. Anything
 *   else throws {@link DecodeError} with the byte offset.
 *
 * @example
 * ```ts
 * assert.equal(transform('foobar', encodeBase64()).toString(), 'Zm9vYmFy');
 * assert.equal(transform('Zm9v\r\nYmE=', decodeBase64()).toString(), 'fooba');
 * ```
 */
import { bytes, type Chunk, type MimeFilter } from './bytes.js';
import { Slab } from '../core/slab.js';
import { decodeInto, finish, freshState, pending } from './base64-decode.js';

export { decodeBase64, type DecodeOptions } from './base64-decode.js';

const EMPTY = Buffer.alloc(0);

const ALPHABET = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 'latin1');

/**
 * A filter that base64-encodes; flushing pads the last group. The 1–2 bytes
 * of a group cut by a chunk boundary wait in a 2-byte scratch; the group
 * they start is encoded by hand, the rest of the chunk natively, straight
 * into one output buffer.
 */
export function encodeBase64(): MimeFilter {
  const carry = Buffer.alloc(2);
  const slab = new Slab();
  let held = 0;
  return (input) => {
    const chunk = bytes(input);
    if (chunk === null) {
      const out = held > 0 ? Buffer.from(carry.toString('base64', 0, held), 'latin1') : EMPTY;
      held = 0;
      return out;
    }
    const total = held + chunk.length;
    if (total < 3) {
      chunk.copy(carry, held);
      held = total;
      return EMPTY;
    }
    const whole = total - (total % 3);
    const out = slab.take((whole / 3) * 4);
    let o = 0;
    let from = 0;
    if (held > 0) {
      // the group straddling the boundary: carry + the chunk's first bytes
      from = 3 - held;
      const b0 = carry[0]!;
      const b1 = held === 2 ? carry[1]! : chunk[0]!;
      const b2 = chunk[from - 1]!;
      out[0] = ALPHABET[b0 >> 2]!;
      out[1] = ALPHABET[((b0 & 3) << 4) | (b1 >> 4)]!;
      out[2] = ALPHABET[((b1 & 15) << 2) | (b2 >> 6)]!;
      out[3] = ALPHABET[b2 & 63]!;
      o = 4;
    }
    const end = whole - held;
    if (end > from) out.write(chunk.toString('base64', from, end), o, 'latin1');
    held = chunk.length - end;
    if (held > 0) chunk.copy(carry, 0, end);
    return out;
  };
}

/**
 * LuaSocket's `mime.b64(C, D)`: encodes the largest whole-group prefix of
 * C..D and returns `[encoded, rest]`; without D (end of data) encodes all of
 * C with padding and returns `[encoded, null]`.
 */
export function b64(cIn: Chunk, dIn?: Chunk): [Buffer | null, Buffer | null] {
  const c = bytes(cIn);
  const d = bytes(dIn);
  if (c === null) return [null, null];
  if (d === undefined || d === null) return [Buffer.from(c.toString('base64'), 'latin1'), null];
  const data = Buffer.concat([c, d]);
  const whole = data.length - (data.length % 3);
  return [Buffer.from(data.toString('base64', 0, whole), 'latin1'), data.subarray(whole)];
}

/**
 * LuaSocket's `mime.unb64(C, D)`: decodes the whole groups of C..D
 * (leniently) and returns `[decoded, rest]`, rest being the characters of
 * the unfinished group; without D decodes what is left and returns
 * `[decoded, null]`.
 */
export function unb64(cIn: Chunk, dIn?: Chunk): [Buffer | null, Buffer | null] {
  const c = bytes(cIn);
  const d = bytes(dIn);
  if (c === null) return [null, null];
  const data = d === undefined || d === null ? c : Buffer.concat([c, d]);
  const st = freshState();
  const out = Buffer.allocUnsafe((data.length * 3) >> 2);
  const decoded = out.subarray(0, decodeInto(data, st, false, 0, out));
  if (d === undefined || d === null) return [Buffer.concat([decoded, finish(st)]), null];
  return [decoded, pending(st)];
}
