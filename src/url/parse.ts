/**
 * `parse` and `build`: LuaSocket's URL tables, in linear time.
 *
 * `parse` splits a URL into the substrings LuaSocket names (nothing is
 * unescaped, `port` stays a string) and is lossless: `build(parse(s))`
 * gives `s` back for any `s` that has a scheme or path. Missing parts are
 * `undefined`, or taken from `defaults`. An empty URL (or a non-string) is
 * an ArgumentError `invalid url`, where LuaSocket returns `nil, "invalid url"`.
 *
 *     http://user:pw@[::1]:8080/a/b;p?q=1#top
 *     scheme 'http'  authority 'user:pw@[::1]:8080'  userinfo 'user:pw'
 *     user 'user'  password 'pw'  host '::1'  port '8080'
 *     path '/a/b'  params 'p'  query 'q=1'  fragment 'top'
 *
 * Differences from LuaSocket, on purpose: the userinfo ends at the LAST '@'
 * of the authority (RFC 3986 §3.2: '@' cannot appear in a host), and the
 * authority ends at the first '/', '?' or '#'. Backslashes are ordinary
 * characters, never separators. The port is not validated here: protocol
 * modules check it is 1–65535 before connecting.
 *
 * @example
 * ```ts
 * const u = parse('http://[::1]:8080/index.html?x=1');
 * assert.equal(u.host, '::1');
 * assert.equal(u.port, '8080');
 * assert.equal(build({ ...u, query: 'x=2' }), 'http://[::1]:8080/index.html?x=2');
 * ```
 */
import { ArgumentError } from '../core/errors.js';
import { describe } from '../core/validate.js';

/** The parts of a URL, as LuaSocket names them. */
export interface UrlParts {
  url?: string;
  scheme?: string;
  authority?: string;
  path?: string;
  params?: string;
  query?: string;
  fragment?: string;
  userinfo?: string;
  host?: string;
  port?: string;
  user?: string;
  password?: string;
}

const isAlpha = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isSchemeChar = (c: number) => isAlpha(c) || (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46;

/** The length of a valid `scheme:` prefix of `s` (without the colon), or 0. */
export function schemeLength(s: string): number {
  if (s.length === 0 || !isAlpha(s.charCodeAt(0))) return 0;
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 58) return i;
    if (!isSchemeChar(c)) return 0;
  }
  return 0;
}

/** Index of the first of `chars` in `s` at or after `from`, or `s.length`. */
function firstOf(s: string, chars: string, from = 0): number {
  for (let i = from; i < s.length; i++) if (chars.includes(s[i]!)) return i;
  return s.length;
}

/** Splits `url` into its parts; see the module doc for the rules. */
export function parse(url: string, defaults: UrlParts = {}): UrlParts {
  // LuaSocket: an empty URL parses to nil, "invalid url"
  if (typeof url !== 'string' || url === '') throw new ArgumentError(`invalid url: ${describe(url)}`);
  const parsed: UrlParts = { ...defaults, url };
  let rest = url;
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    parsed.fragment = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
  }
  const sl = schemeLength(rest);
  if (sl > 0) {
    parsed.scheme = rest.slice(0, sl).toLowerCase();
    rest = rest.slice(sl + 1);
  }
  if (rest.startsWith('//')) {
    const end = firstOf(rest, '/?', 2);
    parseAuthority(rest.slice(2, end), parsed);
    rest = rest.slice(end);
  }
  const q = rest.indexOf('?');
  if (q >= 0) {
    parsed.query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  const semi = rest.indexOf(';');
  if (semi >= 0) {
    parsed.params = rest.slice(semi + 1);
    rest = rest.slice(0, semi);
  }
  if (rest !== '') parsed.path = rest;
  return parsed;
}

function parseAuthority(authority: string, parsed: UrlParts): void {
  parsed.authority = authority;
  let hostport = authority;
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    const userinfo = authority.slice(0, at);
    parsed.userinfo = userinfo;
    hostport = authority.slice(at + 1);
    const colon = userinfo.indexOf(':');
    if (colon >= 0) {
      parsed.user = userinfo.slice(0, colon);
      parsed.password = userinfo.slice(colon + 1);
    } else {
      parsed.user = userinfo;
    }
  }
  let host = hostport;
  if (hostport.startsWith('[')) {
    const close = hostport.indexOf(']');
    // Brackets come off an IP literal only (it holds ':'), so build() can put them back.
    if (close > 0 && hostport.slice(1, close).includes(':')) {
      host = hostport.slice(1, close);
      const after = hostport.slice(close + 1);
      if (after.startsWith(':')) parsed.port = after.slice(1);
      else if (after !== '') host = hostport; // junk after ']': keep it all as the host
    }
  } else {
    // A host outside brackets holds no ':' (RFC 3986 §3.2.2), so the first one starts the port.
    const colon = hostport.indexOf(':');
    if (colon >= 0) {
      parsed.port = hostport.slice(colon + 1);
      host = hostport.slice(0, colon);
    }
  }
  if (host !== '') parsed.host = host;
}

/**
 * Builds a URL from its parts (the inverse of {@link parse}). `host`,
 * `port`, `user`/`password` or `userinfo` take precedence over `authority`;
 * a host containing ':' is bracketed. The path is used as given (escape
 * segments with `buildPath` first when they may hold reserved characters).
 */
export function build(parts: UrlParts): string {
  const path = parts.path ?? '';
  let url = path;
  if (parts.params !== undefined) url += `;${parts.params}`;
  if (parts.query !== undefined) url += `?${parts.query}`;
  let authority = parts.authority;
  if (parts.host !== undefined) {
    authority = parts.host.includes(':') && !parts.host.startsWith('[') ? `[${parts.host}]` : parts.host;
    if (parts.port !== undefined) authority += `:${parts.port}`;
    let userinfo = parts.userinfo;
    if (parts.user !== undefined) userinfo = parts.password !== undefined ? `${parts.user}:${parts.password}` : parts.user;
    if (userinfo !== undefined) authority = `${userinfo}@${authority}`;
  }
  if (authority !== undefined) {
    if (path !== '' && !path.startsWith('/')) url = `/${url}`;
    url = `//${authority}${url}`;
  }
  if (parts.scheme !== undefined) url = `${parts.scheme}:${url}`;
  if (parts.fragment !== undefined) url += `#${parts.fragment}`;
  return url;
}
