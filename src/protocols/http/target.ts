/**
 * Where a request goes: an `http:` or `https:` URL taken apart into what
 * the connection and the request line need. Only http and https are
 * accepted; the port must be 1–65535; the userinfo becomes basic-auth
 * credentials (never part of the request line). The request target keeps
 * the URL's path, params and query; spaces and non-ASCII are
 * percent-encoded as UTF-8 (so U+010D U+010A can never become CR LF), and a
 * control character is refused before anything is sent.
 *
 *     http://u:p@[::1]:8080/a b?x=1#f
 *     → { scheme 'http', host '::1', port 8080, path '/a%20b?x=1', user 'u', password 'p' }
 *
 * @example
 * ```ts
 * const t = resolveTarget('https://example.test/x?y');
 * assert.equal(t.port, 443);
 * assert.equal(t.origin, 'https://example.test:443');
 * ```
 */
import { ArgumentError } from '../../core/errors.js';
import { parse, unescape } from '../../url/index.js';
import { hostHeader } from './request-head.js';

export interface Target {
  scheme: 'http' | 'https';
  /** Host name or address, IPv6 without brackets. */
  host: string;
  port: number;
  defaultPort: number;
  /** The origin-form request target: path, params and query. */
  path: string;
  user?: string;
  password?: string;
  /** `scheme://host:port`, the identity used for pooling and for redirects. */
  origin: string;
  /** The URL as given. */
  url: string;
}

const DEFAULT_PORTS = { http: 80, https: 443 } as const;

/** Targets of recently requested URLs (a program fetches the same few URLs again and again). */
const recent = new Map<string, Readonly<Target>>();
/** URLs kept in {@link recent}; the map starts over when full. */
const RECENT_URLS = 256;

/** Takes `url` apart; throws ArgumentError for anything but a usable http/https URL. The result is shared: do not change it. */
export function resolveTarget(url: string): Target {
  if (typeof url !== 'string') throw new ArgumentError('the URL must be a string');
  const known = recent.get(url);
  if (known !== undefined) return known as Target;
  const t = Object.freeze(parseTarget(url));
  if (recent.size >= RECENT_URLS) recent.clear();
  recent.set(url, t);
  return t;
}

function parseTarget(url: string): Target {
  const p = parse(url);
  const scheme = p.scheme;
  if (scheme !== 'http' && scheme !== 'https') throw new ArgumentError(`only http: and https: URLs are supported, got ${JSON.stringify(url.slice(0, 100))}`);
  if (p.host === undefined) throw new ArgumentError(`no host in ${JSON.stringify(url.slice(0, 100))}`);
  const host = p.host.toLowerCase();
  const defaultPort = DEFAULT_PORTS[scheme];
  let port: number = defaultPort;
  if (p.port !== undefined && p.port !== '') {
    if (!/^\d{1,5}$/.test(p.port) || Number(p.port) < 1 || Number(p.port) > 65535) throw new ArgumentError(`bad port ${JSON.stringify(p.port)}`);
    port = Number(p.port);
  }
  hostHeader(host, port, defaultPort); // refuses hosts with CR, LF, spaces …
  let path = p.path ?? '/';
  if (!path.startsWith('/')) path = `/${path}`;
  if (p.params !== undefined) path += `;${p.params}`;
  if (p.query !== undefined) path += `?${p.query}`;
  const t: Target = {
    scheme,
    host,
    port,
    defaultPort,
    path: encodeTarget(path),
    origin: `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`,
    url,
  };
  if (p.user !== undefined) {
    t.user = unescape(p.user);
    t.password = p.password === undefined ? '' : unescape(p.password);
  }
  return t;
}

const HEX = '0123456789ABCDEF';

/**
 * Percent-encodes spaces and non-ASCII (as UTF-8) in a request target and
 * refuses control characters (CR, LF, NUL, DEL …) outright.
 */
export function encodeTarget(path: string): string {
  if (/^[\x21-\x7e]*$/.test(path)) return path;
  if (/[\x00-\x1f\x7f]/.test(path)) throw new ArgumentError(`control character in the request target ${JSON.stringify(path.slice(0, 100))}`);
  let out = '';
  for (const byte of Buffer.from(path, 'utf8')) out += byte > 0x20 && byte < 0x7f ? String.fromCharCode(byte) : `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
  return out;
}

/** The `Authorization: Basic` value for a user and password. */
export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}
