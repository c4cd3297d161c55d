/**
 * End-of-line normalisation, LuaSocket's `eol`: each CR, LF, CRLF or LFCR
 * becomes one `marker`; CRCR and LFLF are two line breaks. Runs pair as
 * LuaSocket pairs them, left to right: a CR+CR or LF+LF pair is two breaks
 * and closes the pair, so `\r\r\n` is three breaks and `\n\n\r` three.
 *
 * @example
 * ```ts
 * assert.equal(transform('a\nb\r\nc\rd', normalize()).toString(), 'a\r\nb\r\nc\r\nd');
 * ```
 */
import { bytes, type Chunk, type MimeFilter } from './bytes.js';

const CR = 13;
const LF = 10;

/**
 * LuaSocket's `mime.eol(ctx, C, marker)`: `ctx` is the last byte seen if it
 * was a CR or LF (else 0). Returns `[normalised, ctx]`.
 *
 * Text whose breaks are already CRLF, or are all bare LF, with CRLF asked
 * for (a message body on its way to SMTP, twice) skips the byte loop: the
 * first comes back as it is, the second through one native replace.
 */
export function eol(ctx: number, input: Chunk, marker: string | Buffer = '\r\n'): [Buffer, number] {
  const c = bytes(input);
  if (c === null) return [Buffer.alloc(0), 0];
  const m = typeof marker === 'string' ? Buffer.from(marker, 'latin1') : marker;
  const lf = c.indexOf(LF);
  const cr = c.indexOf(CR);
  if (lf < 0 && cr < 0) return [c, 0];
  if (ctx === 0 && m.length === 2 && m[0] === CR && m[1] === LF) {
    const text = c.toString('latin1');
    if (cr < 0) return [Buffer.from(text.replaceAll('\n', '\r\n'), 'latin1'), trailingLf(c)];
    if (!LONE_BREAK.test(text)) return [c, 0];
  }
  return eolLoop(ctx, c, m);
}

/** A CR not before LF, or an LF not after CR: the text is not plain CRLF. */
const LONE_BREAK = /\r(?!\n)|(?<!\r)\n/;

/** The pairing state after a chunk without CR whose breaks all became markers: LF when it ends in an odd run of LFs. */
function trailingLf(c: Buffer): number {
  let run = 0;
  while (run < c.length && c[c.length - 1 - run] === LF) run++;
  return run % 2 === 1 ? LF : 0;
}

/** {@link eol} byte by byte: the general case, and the rule the short paths must agree with. */
export function eolLoop(ctx: number, c: Buffer, m: Buffer): [Buffer, number] {
  const out = Buffer.allocUnsafe(c.length * Math.max(m.length, 1));
  let o = 0;
  let last = ctx;
  for (let i = 0; i < c.length; i++) {
    const b = c[i]!;
    if (b === CR || b === LF) {
      if (last !== 0) {
        // the second of a pair: CRLF/LFCR is the same break, CRCR/LFLF a new one; either way the pair is closed
        if (last === b) for (let k = 0; k < m.length; k++) out[o++] = m[k]!;
        last = 0;
        continue;
      }
      for (let k = 0; k < m.length; k++) out[o++] = m[k]!;
      last = b;
    } else {
      out[o++] = b;
      last = 0;
    }
  }
  return [out.subarray(0, o), last];
}

/** A filter turning every line break into `marker` (default CRLF). */
export function normalize(marker: string = '\r\n'): MimeFilter {
  const m = Buffer.from(marker, 'latin1');
  let ctx = 0;
  return (chunk) => {
    const [out, next] = eol(ctx, chunk, m);
    ctx = next;
    return out;
  };
}
