/**
 * Percent-encoding: `escape`/`unescape` for whole strings and
 * `parsePath`/`buildPath` for paths taken apart into segments.
 *
 * `escape` encodes every byte of the UTF-8 form except RFC 3986's
 * unreserved characters (`A–Z a–z 0–9 - . _ ~`), with upper-case hex.
 * `unescape` decodes `%XX` sequences to bytes and reads the result as UTF-8;
 * a `%` not followed by two hex digits is left as it is.
 *
 * @example
 * ```ts
 * assert.equal(escape('a b/ç'), 'a%20b%2F%C3%A7');
 * assert.equal(unescape('a%20b%zz'), 'a b%zz');
 * ```
 */

const HEXB = Buffer.from('0123456789ABCDEF', 'latin1');
/** Strings made only of unreserved characters: nothing to escape. */
const ALL_UNRESERVED = /^[A-Za-z0-9\-._~]*$/;
/** pchar minus unreserved: what may stay unescaped inside a path segment. */
const SEGMENT_SAFE = "!$&'()*+,;=:@";

const keepUnreserved = new Uint8Array(256);
for (const ch of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~') keepUnreserved[ch.charCodeAt(0)] = 1;
const keepSegment = keepUnreserved.slice();
for (const ch of SEGMENT_SAFE) keepSegment[ch.charCodeAt(0)] = 1;

/**
 * Percent-encodes the UTF-8 bytes of `s` that `keep` does not mark, in one
 * byte loop into one output buffer (a lone surrogate is U+FFFD, as
 * `Buffer.from` writes it). About 20× faster than building the string in
 * JS, and faster than `encodeURIComponent` followed by the replacements
 * needed to match LuaSocket's sets.
 *
 * With `seps` given, NUL bytes stand for '/' separators and are written as
 * '/'; when `s` does not hold exactly `seps` of them (a segment held a NUL)
 * the result is `null` and the caller escapes segment by segment.
 */
function encodeBytes(s: string, keep: Uint8Array, seps = -1): string | null {
  const src = Buffer.from(s, 'utf8');
  const n = src.length;
  let escapes = 0;
  let nuls = 0;
  for (let i = 0; i < n; i++) {
    const b = src[i]!;
    if (keep[b] === 0) {
      if (b === 0) nuls++;
      else escapes++;
    }
  }
  if (seps >= 0 && nuls !== seps) return null;
  if (seps < 0) escapes += nuls;
  if (escapes === 0) {
    // all ASCII: only the separators change
    if (nuls === 0) return s;
    for (let i = src.indexOf(0); i >= 0; i = src.indexOf(0, i + 1)) src[i] = 47;
    return src.toString('latin1', 0, n);
  }
  const out = Buffer.allocUnsafe(n + 2 * escapes);
  let o = 0;
  for (let i = 0; i < n; i++) {
    const b = src[i]!;
    if (keep[b] === 1) out[o++] = b;
    else if (b === 0 && seps >= 0)
      out[o++] = 47; // a separator: '/'
    else {
      out[o] = 37;
      out[o + 1] = HEXB[b >> 4]!;
      out[o + 2] = HEXB[b & 15]!;
      o += 3;
    }
  }
  return out.toString('latin1', 0, o);
}

/** What `encodeURIComponent` keeps but RFC 3986's unreserved set does not. */
const KEPT_SUB_DELIMS = /[!*'()]/g;
const HAS_KEPT_SUB_DELIM = /[!*'()]/;

/**
 * Percent-encodes everything but unreserved characters. A well-formed
 * string goes through the native `encodeURIComponent` (about twice as fast
 * as the byte loop on non-ASCII text), with the five characters it keeps
 * but RFC 3986 does not (`! * ' ( )`) escaped after; a string with a lone
 * surrogate takes the byte loop, which writes U+FFFD for it.
 */
export function escape(s: string): string {
  if (ALL_UNRESERVED.test(s)) return s;
  if (!isWellFormed(s)) return encodeBytes(s, keepUnreserved) as string;
  const e = encodeURIComponent(s);
  return HAS_KEPT_SUB_DELIM.test(s) ? e.replace(KEPT_SUB_DELIMS, subDelimEscape) : e;
}

const subDelimEscape = (c: string): string => `%${c.charCodeAt(0).toString(16).toUpperCase()}`;

/**
 * Path segments escaped and joined with '/': what a segment may hold stays
 * as it is, a '/' inside a segment (from `%2F`) is escaped. The segments
 * are joined with NUL and escaped in one pass that writes each NUL as '/';
 * only when a segment itself holds a NUL is each escaped alone.
 */
function escapeSegments(segments: string[]): string {
  if (segments.length === 0) return '';
  return encodeBytes(segments.join('\0'), keepSegment, segments.length - 1) ?? segments.map((seg) => encodeBytes(seg, keepSegment) as string).join('/');
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** Decodes `%XX` sequences to bytes; malformed ones stay as they are. */
export function unescapeBytes(s: string): Buffer {
  const src = Buffer.from(s, 'utf8');
  const out = Buffer.allocUnsafe(src.length);
  let o = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === 37 && i + 2 < src.length) {
      const hi = hexValue(src[i + 1]!);
      const lo = hexValue(src[i + 2]!);
      if (hi >= 0 && lo >= 0) {
        out[o++] = (hi << 4) | lo;
        i += 2;
        continue;
      }
    }
    out[o++] = c;
  }
  return out.subarray(0, o);
}

/** Decodes `%XX` sequences and reads the bytes as UTF-8. */
export function unescape(s: string): string {
  if (!s.includes('%')) return s;
  // The native decoder gives the same string when it accepts the input
  // (well-formed escapes of valid UTF-8, no lone surrogate); otherwise the
  // byte loop keeps malformed escapes and reads bad UTF-8 as U+FFFD.
  if (isWellFormed(s)) {
    try {
      return decodeURIComponent(s);
    } catch {
      // fall through
    }
  }
  return unescapeBytes(s).toString('utf8');
}

/** No lone surrogate in `s` (Node 20's `String.prototype.isWellFormed`). */
const isWellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed();

/** Path segments, with LuaSocket's flags. */
export interface PathSegments extends Array<string> {
  isAbsolute: boolean;
  isDirectory: boolean;
}

/**
 * Splits a path into unescaped segments (empty segments dropped, as in
 * LuaSocket), noting whether it started and ended with '/'.
 */
export function parsePath(path: string): PathSegments {
  const segments = splitUnescaped(path) as PathSegments;
  segments.isAbsolute = path.startsWith('/');
  segments.isDirectory = path.endsWith('/') && path.length > 0;
  return segments;
}

/**
 * The non-empty segments of `path`, unescaped: one byte loop decodes `%XX`
 * over the whole path into one buffer, writing each real separator as '/'
 * (or, when the path holds an escaped `%2F`, as NUL — if no NUL occurs
 * otherwise), then one native UTF-8 read and one split give the segments.
 * (Reading each segment alone cost 100 ns a segment.) UTF-8 decoding
 * restarts at every ASCII byte, so the segments are those of decoding each
 * alone. A path with a lone surrogate, or with both `%2F` and NUL, keeps
 * the segment-by-segment rule (a segment without `%` is returned as is).
 */
function splitUnescaped(path: string): string[] {
  if (!path.includes('%')) return nonEmpty(path.split('/'));
  if (!isWellFormed(path)) return segmentBySegment(path);
  const escapedSlash = /%2[Ff]/.test(path);
  if (escapedSlash && path.includes('\0')) return segmentBySegment(path);
  const sep = escapedSlash ? 0 : 47;
  const src = Buffer.from(path, 'utf8');
  const out = Buffer.allocUnsafe(src.length);
  let o = 0;
  let decodedNul = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === 47) {
      out[o++] = sep;
      continue;
    }
    if (c === 37 && i + 2 < src.length) {
      const hi = hexValue(src[i + 1]!);
      const lo = hexValue(src[i + 2]!);
      if (hi >= 0 && lo >= 0) {
        const b = (hi << 4) | lo;
        if (b === 0) decodedNul = true;
        out[o++] = b;
        i += 2;
        continue;
      }
    }
    out[o++] = c;
  }
  // a %00 would read as a separator when NUL stands for '/'
  if (decodedNul && sep === 0) return segmentBySegment(path);
  return nonEmpty(out.toString('utf8', 0, o).split(sep === 0 ? '\0' : '/'));
}

/** The slow rule: split on '/', then unescape each non-empty segment alone. */
const segmentBySegment = (path: string): string[] => nonEmpty(path.split('/')).map(unescape);

/** `parts` without its empty strings (in place: the split's array is ours). */
function nonEmpty(parts: string[]): string[] {
  let k = 0;
  for (let i = 0; i < parts.length; i++) if (parts[i] !== '') parts[k++] = parts[i]!;
  parts.length = k;
  return parts;
}

/**
 * Joins segments into a path, escaping in each segment what a segment may
 * not hold (unless `unsafe` is true, when segments are used as given).
 */
export function buildPath(segments: string[] & Partial<Pick<PathSegments, 'isAbsolute' | 'isDirectory'>>, unsafe = false): string {
  const body = unsafe ? segments.join('/') : escapeSegments(segments);
  let path = segments.isAbsolute ? `/${body}` : body;
  // as LuaSocket: the directory slash follows a last segment; no segments, no slash (only the absolute one)
  if (segments.isDirectory && segments.length > 0) path += '/';
  return path;
}

/**
 * True when `s` holds a character that must never reach the wire inside a
 * URL: C0 controls (CR, LF, NUL, TAB …), DEL or a space. Protocol modules
 * reject such URLs before sending anything.
 */
export function hasControlChars(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 32 || c === 127) return true;
  }
  return false;
}
