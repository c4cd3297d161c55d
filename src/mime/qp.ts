/**
 * Quoted-printable (RFC 2045 §6.7) as chunk-safe filters, plus LuaSocket's
 * low-level `qp`/`unqp`.
 *
 * Encoding: printable ASCII other than `=` passes through; everything else
 * becomes `=XX` (upper-case hex). A space or tab is encoded when it would
 * end a line (before a hard line break or at the end of the data).
 * In `'text'` mode (default) CRLF is a hard line break and is kept; a lone CR
 * or LF is encoded, so decoding gives back the exact bytes. In `'binary'`
 * mode CR and LF are always encoded. Line length is the job of
 * `wrap('quoted-printable')`, which adds soft line breaks (chained right
 * after the encoder, the two fuse into one loop). The encoder lives in
 * `qp-encode.ts` and is re-exported here.
 *
 * Decoding: `=XX` (either case) gives the byte; `=` before a line break
 * (optionally after transport-added spaces) is a soft break and vanishes;
 * spaces and tabs at the end of a line are dropped (rule 3). Malformed input
 * (`=` not followed by two hex digits, or by a line break) is kept as it is
 * in the lenient mode (default), or throws {@link DecodeError} with
 * `{ strict: true }`, which also refuses bytes that QP may not carry raw
 * (controls other than TAB/CR/LF, and bytes ≥ 127).
 *
 * @example
 * ```ts
 * assert.equal(transform('café = ok \r\n', encodeQp()).toString(), 'caf=C3=A9 =3D ok=20\r\n');
 * assert.equal(transform('caf=C3=A9 =\r\n=3D', decodeQp()).toString(), 'café =');
 * ```
 */
import { bytes, type Chunk, type MimeFilter } from './bytes.js';
import type { DecodeOptions } from './base64.js';
import { DecodeError } from './decode-error.js';
import { copyOut, join, Scratch } from './fresh.js';

export { encodeQp, encodeWrapQp, qp, type QpMode } from './qp-encode.js';
import { LITERAL } from './qp-encode.js';

const EMPTY = Buffer.alloc(0);
const CR = 13;
const LF = 10;
const SP = 32;
const HT = 9;
const EQ = 61;

/** Hex digit values, -1 for anything else. */
const HEXVAL = new Int8Array(256).fill(-1);
for (let i = 0; i < 10; i++) HEXVAL[48 + i] = i;
for (let i = 0; i < 6; i++) HEXVAL[65 + i] = HEXVAL[97 + i] = 10 + i;

/**
 * Byte classes of the decoder: 0 copied as is, 1 space/tab (dropped at the
 * end of a line), 2 `=`, 3 not allowed raw (strict mode only).
 */
const LENIENT_CLASS = new Uint8Array(256);
LENIENT_CLASS[SP] = LENIENT_CLASS[HT] = 1;
LENIENT_CLASS[EQ] = 2;
const STRICT_CLASS = new Uint8Array(256).fill(3);
for (let b = 0; b < 256; b++) if (LITERAL[b] === 1 || b === CR || b === LF) STRICT_CLASS[b] = 0;
STRICT_CLASS[SP] = STRICT_CLASS[HT] = 1;
STRICT_CLASS[EQ] = 2;

/**
 * Decodes `data` into `out`; stops early (returning the stop index) where a
 * decision needs bytes not yet seen, unless `final`. Runs of plain bytes,
 * `=XX` and `=` CRLF take the short paths; everything else goes through
 * {@link decodeEscape} and the white-space rule.
 */
function decodeInto(data: Buffer, final: boolean, strict: boolean, base: number, out: Buffer): [number, number] {
  const cls = strict ? STRICT_CLASS : LENIENT_CLASS;
  const len = data.length;
  let o = 0;
  let i = 0;
  while (i < len) {
    // a run of plain bytes, the common case
    let j = i;
    for (; j < len; j++) {
      const x = data[j]!;
      if (cls[x] !== 0) break;
      out[o++] = x;
    }
    i = j;
    if (i === len) break;
    const b = data[i]!;
    const c = cls[b]!;
    if (c === 2) {
      if (i + 2 < len) {
        const x = data[i + 1]!;
        const y = data[i + 2]!;
        const hi = HEXVAL[x]!;
        const lo = HEXVAL[y]!;
        if ((hi | lo) >= 0) {
          out[o++] = (hi << 4) | lo;
          i += 3;
          continue;
        }
        if (x === CR && y === LF) {
          i += 3; // soft line break
          continue;
        }
      }
      const step = decodeEscape(data, i, final, strict, base, out, o);
      if (step === 0) break;
      if (step < 0) {
        out[o++] = EQ;
        i++;
      } else {
        if (step === 3 && HEXVAL[data[i + 1]!]! >= 0) o++;
        i += step;
      }
    } else if (c === 1) {
      let j = i + 1;
      while (j < len && (data[j] === SP || data[j] === HT)) j++;
      if (j === len && !final) break;
      if (j === len || data[j] === LF || (data[j] === CR && (j + 1 < len ? data[j + 1] === LF : !final))) {
        if (j + 1 === len && data[j] === CR && !final) break;
        i = j; // trailing white space: dropped
      } else {
        while (i < j) out[o++] = data[i++]!;
      }
    } else {
      throw new DecodeError(`byte 0x${b.toString(16).padStart(2, '0')} may not appear raw in quoted-printable`, base + i);
    }
  }
  return [o, i];
}

/**
 * Handles the `=` at `data[i]`: writes a decoded byte at `out[o]` (the caller
 * advances `o`) and returns how many input bytes it used; 0 to wait for more
 * input; -1 for a malformed escape in lenient mode (the `=` is kept).
 */
function decodeEscape(data: Buffer, i: number, final: boolean, strict: boolean, base: number, out: Buffer, o: number): number {
  const len = data.length;
  if (i + 1 >= len) {
    if (!final) return 0;
    if (strict) throw new DecodeError("'=' at the end of the data", base + i);
    return 1; // a dangling '=' at the very end: a soft break
  }
  const hi = HEXVAL[data[i + 1]!]!;
  if (hi >= 0) {
    if (i + 2 >= len && !final) return 0;
    const lo = i + 2 < len ? HEXVAL[data[i + 2]!]! : -1;
    if (lo >= 0) {
      out[o] = (hi << 4) | lo;
      return 3;
    }
  } else {
    // a soft line break: '=' [spaces] (CRLF | LF)
    let k = i + 1;
    while (k < len && (data[k] === SP || data[k] === HT)) k++;
    if (k < len && data[k] === LF) return k + 1 - i;
    if (k + 1 < len && data[k] === CR && data[k + 1] === LF) return k + 2 - i;
    if (!final && (k === len || (k + 1 === len && data[k] === CR))) return 0;
  }
  if (strict) throw new DecodeError("'=' not followed by two hex digits or a line break", base + i);
  return -1;
}

/**
 * A filter that QP-decodes under the rule chosen by `opts` (see the module
 * doc). The bytes held back from the last chunk are joined to the next in a
 * reused buffer, and the loop writes into another, copied out at the exact
 * size.
 */
export function decodeQp(opts: DecodeOptions = {}): MimeFilter {
  const strict = opts.strict === true;
  let held: Buffer = EMPTY;
  let offset = 0;
  const joined = new Scratch();
  const scratch = new Scratch();
  return (input) => {
    const chunk = bytes(input);
    const final = chunk === null;
    const data = held.length === 0 ? (chunk ?? EMPTY) : chunk === null ? held : join(joined, held, chunk);
    const out = scratch.take(data.length);
    const [n, used] = decodeInto(data, final, strict, offset, out);
    offset += used;
    held = used < data.length ? Buffer.from(data.subarray(used)) : EMPTY;
    return n === 0 ? EMPTY : copyOut(out, n);
  };
}

/**
 * LuaSocket's `mime.unqp(C, D)`: decodes C..D (leniently) as far as it can
 * decide and returns `[decoded, rest]`; without D decodes everything.
 */
export function unqp(cIn: Chunk, dIn?: Chunk): [Buffer | null, Buffer | null] {
  const c = bytes(cIn);
  const d = bytes(dIn);
  if (c === null) return [null, null];
  const final = d === undefined || d === null;
  const data = final ? c : Buffer.concat([c, d]);
  const out = Buffer.allocUnsafe(data.length);
  const [n, used] = decodeInto(data, final, false, 0, out);
  return [out.subarray(0, n), final ? null : data.subarray(used)];
}
