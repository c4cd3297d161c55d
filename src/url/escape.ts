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

const HEX = '0123456789ABCDEF';
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
/** pchar minus unreserved: what may stay unescaped inside a path segment. */
const SEGMENT_SAFE = "!$&'()*+,;=:@";

function encodeBytes(s: string, keep: (ch: string) => boolean): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += byte < 128 && keep(ch) ? ch : `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
  }
  return out;
}

/** Percent-encodes everything but unreserved characters. */
export function escape(s: string): string {
  return encodeBytes(s, (ch) => UNRESERVED.test(ch));
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
  return s.includes('%') ? unescapeBytes(s).toString('utf8') : s;
}

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
  const segments = path.split('/').filter((s) => s !== '').map(unescape) as PathSegments;
  segments.isAbsolute = path.startsWith('/');
  segments.isDirectory = path.endsWith('/') && path.length > 0;
  return segments;
}

/**
 * Joins segments into a path, escaping in each segment what a segment may
 * not hold (unless `unsafe` is true, when segments are used as given).
 */
export function buildPath(segments: string[] & Partial<Pick<PathSegments, 'isAbsolute' | 'isDirectory'>>, unsafe = false): string {
  const body = segments.map((s) => (unsafe ? s : encodeBytes(s, (ch) => UNRESERVED.test(ch) || SEGMENT_SAFE.includes(ch)))).join('/');
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
