/**
 * Line wrapping, LuaSocket's `wrp` and `qpwrp`.
 *
 * `wrapText(width)` (for text and base64): CR is dropped, LF becomes CRLF,
 * and a CRLF is inserted after every `width` characters of a line; at the
 * end of the input a non-empty last line gets its CRLF (as LuaSocket's
 * `wrp` and Python's `base64.encodebytes` do).
 * `wrapQp(width)`: soft line breaks (`=\r\n`) keep every encoded line at
 * most `width` characters including the `=`, and never split an `=XX`
 * escape; hard breaks (LF, CR dropped) become CRLF and restart the count;
 * a non-empty last line ends with a soft break `=\r\n`.
 *
 * Widths are integers from 1 ({@link QP_MIN_WIDTH} for QP) to
 * {@link MAX_WIDTH}; anything else is an ArgumentError.
 *
 * @example
 * ```ts
 * assert.equal(transform('abcdef', wrapText(4)).toString(), 'abcd\r\nef\r\n');
 * ```
 */
import { checkInteger } from '../core/validate.js';
import { bytes, type Chunk, type MimeFilter } from './bytes.js';
import { copyOut, fresh, Scratch } from './fresh.js';

const CR = 13;
const LF = 10;
const EQ = 61;
const EMPTY = Buffer.alloc(0);
const CRLF = Buffer.from('\r\n', 'latin1');
const EQCRLF = Buffer.from('=\r\n', 'latin1');
/** The default line width (RFC 2045's 76 characters). */
export const WIDTH = 76;
/** The default QP line width. */
export const QP_WIDTH = 76;
/** The narrowest QP width: an `=XX` escape plus its soft break's `=` must fit. */
export const QP_MIN_WIDTH = 4;
/** The widest line any wrap accepts (LuaSocket keeps widths in a C int). */
export const MAX_WIDTH = 2 ** 31 - 1;
/** The loops write here, then copy out at the exact size (calls are synchronous, so one is enough). */
const scratch = new Scratch();

/** A width checked as the wrap filters need it (ArgumentError otherwise). */
export function checkWidth(width: unknown, min = 1): number {
  return checkInteger('wrap width', width, { min, max: MAX_WIDTH });
}

/** A filter that breaks lines after `width` characters. */
export function wrapText(width: number = WIDTH): MimeFilter {
  checkWidth(width);
  let left = width;
  return (input) => {
    const [out, next] = wrp(left, input, width);
    left = next;
    return out;
  };
}

/**
 * Key of the hook by which a QP encoder recognises a fresh `wrapQp` after it
 * in a chain: `f[qpWrapWidth]()` gives the width, or `undefined` once the
 * filter has been used (its line position is then no longer the start).
 */
export const qpWrapWidth: unique symbol = Symbol('netkit.mime.qpWrapWidth');

/** A filter that adds quoted-printable soft line breaks. */
export function wrapQp(width: number = QP_WIDTH): MimeFilter {
  checkWidth(width, QP_MIN_WIDTH);
  let left = width;
  let used = false;
  const f = (input: Buffer | Uint8Array | string | null): Buffer => {
    used = true;
    const [out, next] = qpwrp(left, input, width);
    left = next;
    return out;
  };
  return Object.assign(f, { [qpWrapWidth]: () => (used ? undefined : width) });
}

/**
 * LuaSocket's `mime.wrp(left, C, length)`: wraps C given `left` characters
 * still allowed on the current line; returns `[wrapped, left]`. With
 * `null` (the end) it returns CRLF when the last line was not terminated.
 */
export function wrp(left: number, input: Chunk, length: number = WIDTH): [Buffer, number] {
  const c = bytes(input);
  // End of input: an unterminated last line gets its CRLF (LuaSocket returns nil where this returns an empty Buffer).
  if (c === null) return [left < length ? Buffer.from(CRLF) : EMPTY, length];
  const plain = c.indexOf(LF) < 0 && c.indexOf(CR) < 0;
  // Fast path: no line break inside and the chunk fits: nothing to do.
  if (plain && c.length < left) return [c, left - c.length];
  if (plain && length >= 1) return wrapPlain(left, c, length);
  const out = scratch.take(c.length * 2 + Math.ceil(c.length / Math.max(length, 1)) * 2 + 2);
  let o = 0;
  for (let i = 0; i < c.length; i++) {
    const b = c[i]!;
    if (b === CR) continue;
    if (b === LF) {
      out[o++] = CR;
      out[o++] = LF;
      left = length;
      continue;
    }
    if (left <= 0) {
      out[o++] = CR;
      out[o++] = LF;
      left = length;
    }
    out[o++] = b;
    left--;
  }
  return [copyOut(out, o), left];
}

/**
 * `wrp` for a chunk without CR or LF (base64): the breaks fall at known
 * places, so the output is allocated at its exact size and filled with
 * block copies, one per line.
 */
function wrapPlain(left: number, c: Buffer, length: number): [Buffer, number] {
  const len = c.length;
  const first = Math.max(left, 0); // bytes before the first break
  const breaks = len > first ? Math.floor((len - 1 - first) / length) + 1 : 0;
  if (breaks === 0) return [c, left - len];
  const out = fresh(len + 2 * breaks);
  let o = c.copy(out, 0, 0, first);
  for (let i = first; i < len; i += length) {
    out[o] = CR;
    out[o + 1] = LF;
    o += 2 + c.copy(out, o + 2, i, Math.min(i + length, len));
  }
  return [out, length - (len - (first + (breaks - 1) * length))];
}

/**
 * LuaSocket's `mime.qpwrp(left, C, length)`: adds soft line breaks to
 * QP-encoded C; returns `[wrapped, left]`. (Its loop mirrors `wrp` on
 * purpose: a shared loop with a per-byte callback cost a quarter of the
 * QP encode throughput.)
 */
export function qpwrp(left: number, input: Chunk, length: number = QP_WIDTH): [Buffer, number] {
  const c = bytes(input);
  // End of input: an unterminated last line gets a soft break.
  if (c === null) return [left < length ? Buffer.from(EQCRLF) : EMPTY, length];
  const out = scratch.take(c.length * 2 + Math.ceil(c.length / Math.max(length - 3, 1)) * 3 + 3);
  let o = 0;
  for (let i = 0; i < c.length; i++) {
    const b = c[i]!;
    if (b === CR) continue;
    if (b === LF) {
      out[o++] = CR;
      out[o++] = LF;
      left = length;
      continue;
    }
    if (left <= (b === EQ ? 3 : 1)) {
      out[o++] = EQ;
      out[o++] = CR;
      out[o++] = LF;
      left = length;
    }
    out[o++] = b;
    left--;
  }
  return [copyOut(out, o), left];
}
