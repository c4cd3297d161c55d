/**
 * Bytes to text for the receive buffer: decoding a range of a chunk as UTF-8
 * or latin1 without an intermediate copy, putting a caller's prefix in front
 * of a result, and the strict CRLF check of protocol lines.
 *
 * @example
 * ```ts
 * const b = Buffer.from('HELO x\r\n');
 * assert.equal(decode(b, 0, 6, 'utf8'), 'HELO x');
 * checkStrict(b, 'utf8'); // passes: CRLF ends it, no other CR
 * assert.equal(prefixBuffer('>', Buffer.from('1'), 'utf8').toString(), '>1');
 * ```
 */
import { ProtocolError } from './errors.js';

/** How line receives decode bytes to a string. */
export type LineEncoding = 'utf8' | 'latin1';

type Slicer = Buffer & { utf8Slice(start: number, end: number): string; latin1Slice(start: number, end: number): string };

/** A zero-length Buffer to hand out where nothing was read. */
export const EMPTY = Buffer.alloc(0);
const fastSlices = typeof (EMPTY as Slicer).utf8Slice === 'function' && typeof (EMPTY as Slicer).latin1Slice === 'function';

/** `buf[start, end)` as a string (Buffer's own slicers, skipping `toString`'s argument checks). */
export function decode(buf: Buffer, start: number, end: number, encoding: LineEncoding): string {
  if (!fastSlices) return buf.toString(encoding, start, end);
  return encoding === 'utf8' ? (buf as Slicer).utf8Slice(start, end) : (buf as Slicer).latin1Slice(start, end);
}

/** `prefix` (a string is encoded with `encoding`) followed by `b`; `b` itself when there is no prefix. */
export function prefixBuffer(prefix: string | Buffer | undefined, b: Buffer, encoding: LineEncoding): Buffer {
  if (prefix === undefined || prefix.length === 0) return b;
  const p = typeof prefix === 'string' ? Buffer.from(prefix, encoding) : prefix;
  return Buffer.concat([p, b], p.length + b.length);
}

/** Throws ProtocolError unless `raw` ends in CRLF and holds no other CR. */
export function checkStrict(raw: Buffer, encoding: LineEncoding): void {
  const n = raw.length;
  if (n < 2 || raw[n - 2] !== 13) {
    throw new ProtocolError('line ended by a bare LF (only CRLF may end a line)', decode(raw, 0, n - 1, encoding));
  }
  const cr = raw.indexOf(13);
  if (cr < n - 2) throw new ProtocolError('bare CR inside a line', decode(raw, 0, n - 2, encoding));
}
