/**
 * Whether and where to follow a redirect (RFC 9110 §15.4), safely:
 *
 * - only 301, 302, 303, 307 and 308 with a `Location`;
 * - only to `http:`/`https:` targets, and never from https down to http
 *   (such responses are returned to the caller as they are);
 * - 303 turns any method but HEAD into GET without a body, and so do 301
 *   and 302 after a POST (what browsers do); 307 and 308 keep the method
 *   and body, but only when the body can be sent again (a Buffer, not a
 *   source that was already drained);
 * - to another origin (scheme, host or port), `Authorization`, `Cookie`
 *   and `Proxy-Authorization` given by the caller are dropped (and a
 *   caller's `Host`, which named the old origin);
 * - a `Location` with spaces or control characters, or longer than
 *   8 KiB, is a ProtocolError.
 *
 * @example
 * ```ts
 * declare const headers: any;
 * declare const body: any;
 * declare const head: any;
 * const next = planRedirect({ url: 'http://a/x', method: 'POST', headers, body }, head);
 * next?.method; // 'GET' after a 303
 * ```
 */
import { ProtocolError } from '../../core/errors.js';
import type { Source } from '../../ltn12/index.js';
import { absolute, parse } from '../../url/index.js';
import type { ResponseHead } from './response-head.js';

/** The request as it stands before a hop. */
export interface Hop {
  url: string;
  method: string;
  headers: [string, string][];
  body?: Buffer;
  source?: Source;
  /** The request target instead of the URL's (LuaSocket's `uri`); first hop only. */
  uri?: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const CREDENTIALS = new Set(['authorization', 'cookie', 'proxy-authorization', 'host']);
const BODY_FIELDS = new Set(['content-length', 'content-type', 'transfer-encoding', 'content-encoding']);
/** Longest `Location` followed. */
export const MAX_LOCATION = 8 * 1024;

/** The next hop, or null when the response is not a redirect to follow. */
export function planRedirect(current: Hop, head: ResponseHead): Hop | null {
  if (!REDIRECTS.has(head.code)) return null;
  const location = head.headers.location;
  if (location === undefined || location === '') return null;
  if (location.length > MAX_LOCATION) throw new ProtocolError(`Location longer than ${MAX_LOCATION} bytes`, location.slice(0, 200));
  if (/[\x00-\x20\x7f]/.test(location)) throw new ProtocolError('space or control character in Location', location.slice(0, 200));
  const next = absolute(current.url, encodeHigh(location));
  const from = parse(current.url);
  const to = parse(next);
  if (to.scheme !== 'http' && to.scheme !== 'https') return null;
  if (from.scheme === 'https' && to.scheme === 'http') return null;
  let { method, body, source } = current;
  let headers = current.headers;
  const upper = method.toUpperCase();
  if ((head.code === 303 && upper !== 'HEAD') || ((head.code === 301 || head.code === 302) && upper === 'POST')) {
    method = 'GET';
    body = undefined;
    source = undefined;
    headers = headers.filter(([n]) => !BODY_FIELDS.has(n.toLowerCase()));
  } else if (source !== undefined) {
    return null; // the body was a one-shot source: it cannot be sent again
  }
  if (origin(from) !== origin(to)) headers = headers.filter(([n]) => !CREDENTIALS.has(n.toLowerCase()));
  return { url: next, method, headers, body, source };
}

function origin(u: ReturnType<typeof parse>): string {
  const port = u.port !== undefined && u.port !== '' ? u.port : u.scheme === 'https' ? '443' : '80';
  return `${u.scheme}://${(u.host ?? '').toLowerCase()}:${port}`;
}

/** Bytes ≥ 0x80 (a latin1-decoded UTF-8 Location) percent-encoded. */
function encodeHigh(s: string): string {
  return s.replace(/[\x80-\xff]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
