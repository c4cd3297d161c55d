/**
 * Turns a request target into safe path segments, or a refusal — before any
 * file system call (hostile-inputs WS-01…WS-07, WS-09, WS-12, WS-26, WS-29).
 *
 * The rule is "decode once, then check": the path is split on `/` first,
 * each segment is percent-decoded exactly once, and a segment is refused
 * (400) when it decodes to `.` or `..`, or contains `/`, `\`, NUL or another
 * control, or is not valid UTF-8 (overlong `%c0%ae`). A raw `\` anywhere,
 * a `#`, or a target that is neither origin-form (`/…`) nor absolute-form
 * (`http://host/…`, whose path is used) is refused too. Empty segments
 * (`//`) are merged. A segment starting with `.` marks a dotfile, which the
 * server hides (404) unless told otherwise. A path over `maxPathBytes` is 414.
 *
 *     '/a//b%20c/?x=1'  → { segments: ['a', 'b c'], trailingSlash: true, query: 'x=1' }
 *     '/%2e%2e/secret'  → { status: 400 }
 *     '/%252e%252e/x'   → { segments: ['%2e%2e', 'x'] }   (a literal name: 404 later)
 *
 * @example
 * ```ts
 * assert.deepEqual(parseTarget('/a/b.txt'), { segments: ['a', 'b.txt'], trailingSlash: false, query: '', dotfile: false });
 * assert.equal((parseTarget('/../x') as Refused).status, 400);
 * ```
 */

/** A target that can be looked up under the root. */
export interface SafePath {
  /** Decoded segments, none empty, `.` or `..`, none holding `/`, `\` or controls. */
  segments: string[];
  /** The path ended in `/` (a directory was asked for). */
  trailingSlash: boolean;
  /** The query without its `?` (not used to find the file). */
  query: string;
  /** Some segment starts with a dot. */
  dotfile: boolean;
}

/** A target refused before touching the file system. */
export interface Refused {
  status: 400 | 414;
  reason: string;
}

/** Longest path (bytes of the target's path part) looked up. @default 4096 */
export const MAX_PATH_BYTES = 4096;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** See the module doc. */
export function parseTarget(target: string, maxPathBytes = MAX_PATH_BYTES): SafePath | Refused {
  let path = target;
  if (path.charCodeAt(0) !== 47) {
    const m = /^https?:\/\/[^/?#]*/i.exec(path);
    if (m === null) return { status: 400, reason: 'request target is not a path' };
    path = path.slice(m[0].length);
    if (path.charCodeAt(0) !== 47) path = `/${path}`;
  }
  if (path.includes('#')) return { status: 400, reason: 'fragment in the request target' };
  let query = '';
  const q = path.indexOf('?');
  if (q >= 0) {
    query = path.slice(q + 1);
    path = path.slice(0, q);
  }
  if (path.length > maxPathBytes) return { status: 414, reason: `path over ${maxPathBytes} bytes` };
  if (path.includes('\\')) return { status: 400, reason: 'backslash in the path' };
  const segments: string[] = [];
  let dotfile = false;
  for (const raw of path.split('/')) {
    if (raw === '') continue;
    const seg = raw.includes('%') ? decodeSegment(raw) : raw;
    if (seg === null) return { status: 400, reason: 'bad percent-encoding in the path' };
    if (seg === '.' || seg === '..') return { status: 400, reason: 'dot segment in the path' };
    if (/[\x00-\x1f\x7f/\\]/.test(seg)) return { status: 400, reason: 'separator or control character in a path segment' };
    if (seg.charCodeAt(0) === 46) dotfile = true;
    segments.push(seg);
  }
  return { segments, trailingSlash: path.endsWith('/'), query, dotfile };
}

/** Percent-decodes one segment exactly once; null when malformed or not UTF-8. */
function decodeSegment(raw: string): string | null {
  const bytes = Buffer.allocUnsafe(raw.length);
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c !== 37) {
      bytes[n++] = c;
      continue;
    }
    const hi = hex(raw.charCodeAt(i + 1));
    const lo = hex(raw.charCodeAt(i + 2));
    if (hi < 0 || lo < 0) return null;
    bytes[n++] = hi * 16 + lo;
    i += 2;
  }
  try {
    return utf8.decode(bytes.subarray(0, n));
  } catch {
    return null;
  }
}

function hex(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** True when `parseTarget` refused the target. */
export function isRefused(p: SafePath | Refused): p is Refused {
  return (p as Refused).status !== undefined;
}

/** A path-only `Location` for a directory asked without its slash: one leading `/`, segments re-encoded. */
export function directoryLocation(p: SafePath): string {
  const path = `/${p.segments.map(encodeURIComponent).join('/')}/`;
  return p.query === '' ? path : `${path}?${p.query}`;
}
