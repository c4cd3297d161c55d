/**
 * LuaSocket's generic-form URL fields: `http.request` takes the `url` apart
 * and lets the request's own `scheme`, `host`, `port`, `path`, `user` and
 * `password` fields override its parts (a request may give no `url` at all);
 * `uri` replaces the request target that goes on the request line. As in
 * LuaSocket, the overrides apply to the request as given — a redirect goes
 * where its `Location` says. `user` and `password` are taken as they are
 * (not percent-decoded); the URL's own userinfo is percent-decoded.
 *
 *     { url: 'http://a.test/x?q', host: '127.0.0.1', port: 8080 } → http://127.0.0.1:8080/x?q
 *     { host: '127.0.0.1', path: '/y' }                          → http://127.0.0.1/y
 *     { url: 'http://a.test/x', uri: '/raw;p?q' }                 → request line 'GET /raw;p?q HTTP/1.1'
 *
 * @example
 * ```ts
 * const { url } = requestUrl({ host: '127.0.0.1', port: 8080, path: '/index.html' });
 * assert.equal(url, 'http://127.0.0.1:8080/index.html');
 * ```
 */
import { ArgumentError } from '../../core/errors.js';
import { describe } from '../../core/validate.js';
import { build, escape, parse } from '../../url/index.js';

/** LuaSocket's URL fields of a request. */
export interface UrlFields {
  url?: string;
  scheme?: string;
  host?: string;
  port?: number | string;
  path?: string;
  user?: string;
  password?: string;
  uri?: string;
}

/** The URL a request goes to, and the request target that replaces the URL's (LuaSocket's `uri`). */
export function requestUrl(f: UrlFields): { url: string; uri: string | undefined } {
  for (const name of ['url', 'scheme', 'host', 'path', 'user', 'password', 'uri'] as const) {
    if (f[name] !== undefined && typeof f[name] !== 'string') throw new ArgumentError(`${name} must be a string, got ${describe(f[name])}`);
  }
  if (f.port !== undefined && typeof f.port !== 'number' && typeof f.port !== 'string')
    throw new ArgumentError(`port must be a number or a string, got ${describe(f.port)}`);
  const overrides =
    f.scheme !== undefined || f.host !== undefined || f.port !== undefined || f.path !== undefined || f.user !== undefined || f.password !== undefined;
  if (f.url === undefined && f.host === undefined) throw new ArgumentError('a request needs a url or a host');
  if (!overrides) return { url: f.url!, uri: f.uri };
  const p = f.url === undefined ? {} : parse(f.url);
  const parts = {
    ...p,
    scheme: f.scheme ?? p.scheme ?? 'http',
    host: f.host ?? p.host,
    path: f.path ?? p.path ?? '/',
    authority: undefined,
    userinfo: undefined,
  };
  if (f.port !== undefined) parts.port = String(f.port);
  if (f.user !== undefined) parts.user = escape(f.user);
  if (f.password !== undefined) parts.password = escape(f.password);
  if (parts.user === undefined) parts.password = undefined;
  if (parts.host?.startsWith('[') && parts.host.endsWith(']')) parts.host = parts.host.slice(1, -1);
  return { url: build(parts), uri: f.uri };
}
