/**
 * Quoted-printable encoding (RFC 2045 §6.7): the `encodeQp` filter, the
 * fused encode-and-wrap filter `encodeWrapQp`, and LuaSocket's `qp`.
 *
 * Printable ASCII other than `=` passes through; everything else becomes
 * `=XX` (upper-case hex). A space or tab is encoded when it would end a line
 * (before a hard line break or at the end of the data). In `'text'` mode
 * (default) CRLF is a hard line break and is kept; a lone CR or LF is
 * encoded, so decoding gives back the exact bytes. In `'binary'` mode CR and
 * LF are always encoded.
 *
 * `encodeWrapQp(mode, width)` gives exactly the bytes of
 * `chain(encodeQp(mode), wrapQp(width))` in one pass; `filter.chain` uses it
 * by itself when a fresh `encodeQp` is followed by a fresh `wrapQp`.
 *
 * @example
 * ```ts
 * assert.equal(transform('café = ok \r\n', encodeQp()).toString(), 'caf=C3=A9 =3D ok=20\r\n');
 * const long = transform(Buffer.alloc(100, 0xe9), encodeWrapQp('text', 76)).toString();
 * assert.equal(long.split('\r\n')[0], '=E9'.repeat(25) + '=');
 * ```
 */
import { fuse, type FusableFilter } from '../ltn12/filter.js';
import { bytes, type Chunk, type MimeFilter } from './bytes.js';
import { MAX_WIDTH, QP_WIDTH, qpWrapWidth } from './wrap.js';
import { checkInteger } from '../core/validate.js';
import { copyOut, join, Scratch } from './fresh.js';

const EMPTY = Buffer.alloc(0);
const HEX = Buffer.from('0123456789ABCDEF', 'latin1');
const CR = 13;
const LF = 10;
const SP = 32;
const HT = 9;
const EQ = 61;

/** 1 for bytes that pass through literally (shared with the decoder in qp.ts). */
export const LITERAL = new Uint8Array(256);
for (let b = 33; b <= 126; b++) LITERAL[b] = b === EQ ? 0 : 1;

/** QP encoding mode. */
export type QpMode = 'text' | 'binary';

/**
 * Encodes `data[0, end)` into `out`, deciding each byte with the lookahead
 * available in `data`. Returns the number of bytes written.
 */
function encodeInto(data: Buffer, end: number, text: boolean, final: boolean, out: Buffer): number {
  let o = 0;
  for (let i = 0; i < end; i++) {
    const b = data[i]!;
    if (LITERAL[b] === 1) {
      out[o++] = b;
      continue;
    }
    if (b === SP || b === HT) {
      const atEnd = i + 1 === data.length && final;
      const beforeBreak = text && data[i + 1] === CR && data[i + 2] === LF;
      if (!atEnd && !beforeBreak) {
        out[o++] = b;
        continue;
      }
    } else if (text && b === CR && data[i + 1] === LF) {
      out[o++] = CR;
      out[o++] = LF;
      i++;
      continue;
    }
    out[o++] = EQ;
    out[o++] = HEX[b >> 4]!;
    out[o++] = HEX[b & 15]!;
  }
  return o;
}

/** Byte classes of the fused loop: literal, space/tab, CR, anything else (escaped). */
const CLASS = new Uint8Array(256).fill(3);
for (let b = 33; b <= 126; b++) CLASS[b] = b === EQ ? 3 : 0;
CLASS[SP] = CLASS[HT] = 1;
CLASS[CR] = 2;
/** The two hex digits of each byte's escape. */
const HEX_HI = new Uint8Array(256);
const HEX_LO = new Uint8Array(256);
for (let b = 0; b < 256; b++) {
  HEX_HI[b] = HEX[b >> 4]!;
  HEX_LO[b] = HEX[b & 15]!;
}

/**
 * `encodeInto` and `qpwrp` in one loop: before a literal, a soft break
 * (`=` CRLF) when at most 1 character is left on the line; before an
 * escape, when at most 3 are; a hard break restarts the line. `wrap.left`
 * carries the room left on the line across chunks. Needs `width` ≥ 4, where
 * an escape always fits on a fresh line (as `qpwrp` then never splits one).
 */
function encodeWrapInto(data: Buffer, end: number, text: boolean, final: boolean, out: Buffer, width: number, wrap: { left: number }): number {
  const len = data.length;
  let o = 0;
  let left = wrap.left;
  let i = 0;
  while (i < end) {
    // A run of literals, the common case: as many as the line has room for
    // before its soft break (left - 1), with no per-byte line check.
    let lim = i + left - 1;
    if (lim > end) lim = end;
    let j = i;
    for (; j < lim; j++) {
      const x = data[j]!;
      if (CLASS[x] !== 0) break;
      out[o++] = x;
    }
    left -= j - i;
    i = j;
    if (i === end) break;
    const b = data[i]!;
    const c = CLASS[b]!;
    if (c === 0) {
      // the line is full
      out[o] = EQ;
      out[o + 1] = CR;
      out[o + 2] = LF;
      o += 3;
      left = width;
      continue;
    }
    if (c === 1) {
      const endsLine = (i + 1 === len && final) || (text && data[i + 1] === CR && data[i + 2] === LF);
      if (!endsLine) {
        if (left <= 1) {
          out[o] = EQ;
          out[o + 1] = CR;
          out[o + 2] = LF;
          o += 3;
          left = width;
        }
        out[o++] = b;
        left--;
        i++;
        continue;
      }
    } else if (c === 2 && text && data[i + 1] === LF) {
      out[o] = CR;
      out[o + 1] = LF;
      o += 2;
      left = width;
      i += 2;
      continue;
    }
    if (left <= 3) {
      out[o] = EQ;
      out[o + 1] = CR;
      out[o + 2] = LF;
      o += 3;
      left = width;
    }
    out[o] = EQ;
    out[o + 1] = HEX_HI[b]!;
    out[o + 2] = HEX_LO[b]!;
    o += 3;
    left -= 3;
    i++;
  }
  wrap.left = left;
  return o;
}

/**
 * How many trailing bytes must wait for the next chunk: a final CR (text
 * mode: is it half of CRLF?) and a space or tab before it (does it end a line?).
 */
function heldTail(data: Buffer, text: boolean): number {
  let n = 0;
  let end = data.length;
  if (text && end > 0 && data[end - 1] === CR) {
    n++;
    end--;
  }
  if (end > 0 && (data[end - 1] === SP || data[end - 1] === HT)) n++;
  return n;
}

/**
 * A filter that QP-encodes in `mode` (see the module doc). Followed by a
 * fresh `wrapQp` in `filter.chain`, the two fuse into {@link encodeWrapQp}.
 */
export function encodeQp(mode: QpMode = 'text'): MimeFilter {
  const text = mode === 'text';
  let held: Buffer = EMPTY;
  let used = false;
  const joined = new Scratch();
  const scratch = new Scratch();
  const f: FusableFilter = (input) => {
    const chunk = bytes(input as Chunk);
    used = true;
    const final = chunk === null;
    const data = held.length === 0 ? (chunk ?? EMPTY) : chunk === null ? held : join(joined, held, chunk);
    const keep = final ? 0 : heldTail(data, text);
    const end = data.length - keep;
    const out = scratch.take(end * 3);
    const n = encodeInto(data, end, text, final, out);
    held = keep > 0 ? Buffer.from(data.subarray(end)) : EMPTY;
    return n === 0 ? EMPTY : copyOut(out, n);
  };
  f[fuse] = (next) => {
    const width = (next as { [qpWrapWidth]?: () => number | undefined })[qpWrapWidth]?.();
    return used || width === undefined || !Number.isSafeInteger(width) || width < 4 ? undefined : encodeWrapQp(mode, width);
  };
  return f as MimeFilter;
}

/**
 * A filter that QP-encodes in `mode` and keeps encoded lines within `width`
 * characters (≥ 4) with soft line breaks: the same bytes as
 * `chain(encodeQp(mode), wrapQp(width))`, in one pass.
 */
export function encodeWrapQp(mode: QpMode = 'text', width: number = QP_WIDTH): MimeFilter {
  checkInteger('QP line width', width, { min: 4, max: MAX_WIDTH });
  const text = mode === 'text';
  const wrap = { left: width };
  let held: Buffer = EMPTY;
  const joined = new Scratch();
  const scratch = new Scratch();
  return (input) => {
    const chunk = bytes(input);
    const final = chunk === null;
    const data = held.length === 0 ? (chunk ?? EMPTY) : chunk === null ? held : join(joined, held, chunk);
    const keep = final ? 0 : heldTail(data, text);
    const end = data.length - keep;
    // at most 3 bytes per input byte, plus a 3-byte soft break per (width - 3) of those
    const out = scratch.take(end * 3 + Math.ceil((end * 3) / (width - 3)) * 3 + 6);
    const n = encodeWrapInto(data, end, text, final, out, width, wrap);
    held = keep > 0 ? Buffer.from(data.subarray(end)) : EMPTY;
    // The loop writes into a reused scratch (memory already touched) and the
    // result is copied out at its exact size: cheaper than writing into a
    // fresh bound-sized buffer, and the sink holds no slack.
    if (final && wrap.left < width) {
      // LuaSocket's qpwrp at the end: an unterminated last line gets a soft break
      out[n] = EQ;
      out[n + 1] = CR;
      out[n + 2] = LF;
      wrap.left = width;
      return copyOut(out, n + 3);
    }
    return n === 0 ? EMPTY : copyOut(out, n);
  };
}

/**
 * LuaSocket's `mime.qp(C, D, marker)`: encodes C..D as far as it can decide
 * and returns `[encoded, rest]`; without D encodes everything and returns
 * `[encoded, null]`. `marker` is the hard line break to emit for CRLF
 * (default CRLF).
 */
export function qp(cIn: Chunk, dIn?: Chunk, marker = '\r\n'): [Buffer | null, Buffer | null] {
  const c = bytes(cIn);
  const d = bytes(dIn);
  if (c === null) return [null, null];
  const data = d === undefined || d === null ? c : Buffer.concat([c, d]);
  const final = d === undefined || d === null;
  const keep = final ? 0 : heldTail(data, true);
  const out = Buffer.allocUnsafe((data.length - keep) * 3);
  let encoded = out.subarray(0, encodeInto(data, data.length - keep, true, final, out));
  if (marker !== '\r\n') encoded = Buffer.from(encoded.toString('latin1').split('\r\n').join(marker), 'latin1');
  return [encoded, final ? null : data.subarray(data.length - keep)];
}
