/**
 * LuaSocket's receive patterns, parsed: what `receive(pattern, prefix)`
 * means, apart from how the receive buffer carries it out.
 *
 * - `'*l'` (and anything LuaSocket reads as it by its first two characters,
 *   such as `'*line'`), or `'line'`: the next line as a string; LF ends it
 *   and every CR in it is dropped.
 * - `'*L'`: the next line with its end-of-line (a netkit extension).
 * - `'*a'` (`'*all'`, …) or `'all'`: everything until the peer closes.
 * - a number `n` ≥ 0: `n` bytes **counting the prefix** — LuaSocket reads
 *   `n - #prefix` more bytes, so `receive(n, err.partial)` resumes a read
 *   that failed; a prefix of `n` bytes or more is returned as it is.
 *
 * @example
 * ```ts
 * import { parsePattern } from 'netkit/core';
 * parsePattern('*line'); // 'l'
 * parsePattern('*all');  // 'a'
 * parsePattern(512);     // 512
 * ```
 */
import { ArgumentError } from './errors.js';
import { describe } from './validate.js';

/** A line as a string: `'*l'`/`'line'` (CR and LF dropped) or `'*L'` (kept). */
export type LinePattern = '*l' | 'line' | '*L' | `*l${string}` | `*L${string}`;
/** Bytes as a Buffer: `'*a'`/`'all'` (until close) or a count. */
export type BytesPattern = '*a' | 'all' | `*a${string}` | number;
/** Every pattern `receive` accepts. */
export type Pattern = LinePattern | BytesPattern;

/** A parsed pattern: `'l'` a LuaSocket line, `'L'` a line with its end, `'a'` all, or a byte count. */
export type ParsedPattern = 'l' | 'L' | 'a' | number;

/**
 * Parses a receive pattern the way LuaSocket's `buffer.c` does (a string is
 * told by its first two characters), plus netkit's `'line'`, `'all'` and
 * `'*L'`. Anything else is an {@link ArgumentError}.
 */
export function parsePattern(pattern: unknown): ParsedPattern {
  if (typeof pattern === 'number') {
    if (!Number.isSafeInteger(pattern) || pattern < 0) throw new ArgumentError(`byte count must be an integer ≥ 0, got ${describe(pattern)}`);
    return pattern;
  }
  if (pattern === 'line') return 'l';
  if (pattern === 'all') return 'a';
  if (typeof pattern === 'string' && pattern.charCodeAt(0) === 42 /* * */) {
    const c = pattern[1];
    if (c === 'l' || c === 'L' || c === 'a') return c;
  }
  throw new ArgumentError(`invalid receive pattern ${describe(pattern)}`);
}

/** Length in bytes of a receive prefix (a string is counted encoded). */
export function prefixLength(prefix: string | Buffer | undefined, encoding: BufferEncoding): number {
  if (prefix === undefined) return 0;
  return typeof prefix === 'string' ? Buffer.byteLength(prefix, encoding) : prefix.length;
}

/** `b` without its CR bytes (LuaSocket drops CRs from line data, partial lines too). */
export function dropCr(b: Buffer): Buffer {
  let cr = b.indexOf(13);
  if (cr === -1) return b;
  const out = Buffer.allocUnsafe(b.length);
  let n = 0;
  let from = 0;
  while (cr !== -1) {
    n += b.copy(out, n, from, cr);
    from = cr + 1;
    cr = b.indexOf(13, from);
  }
  n += b.copy(out, n, from);
  return out.subarray(0, n);
}
