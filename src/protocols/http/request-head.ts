/**
 * Serialises an HTTP/1.1 request head, refusing — before anything is sent —
 * every input that could split or smuggle a request (hostile-inputs
 * HC-28…HC-30): a method that is not a token, a target with controls, space
 * or non-ASCII (a string with U+010D U+010A must not become CR LF), header
 * names that are not tokens, values with CR, LF, NUL or other controls.
 * `Host` gets IPv6 literals in brackets and the port only when it is not the
 * scheme's default.
 *
 *     formatRequestHead('GET', '/a?b', { host: '::1', port: 8080 }, [['Accept', '*\/*']])
 *     → 'GET /a?b HTTP/1.1\r\nHost: [::1]:8080\r\nAccept: *\/*\r\n\r\n'
 *
 * @example
 * ```ts
 * assert.throws(() => formatRequestHead('GET', '/x\r\nEvil: 1', { host: 'h' }, []));
 * ```
 */
import { ArgumentError } from '../../core/errors.js';
import { SENDABLE_VALUE, TARGET, TOKEN } from './fields.js';

/** `Host` for a host and port, bracketing IPv6 literals and leaving out a default port. */
export function hostHeader(host: string, port?: number, defaultPort = 80): string {
  if (!/^[A-Za-z0-9.\-:_%]+$/.test(host)) throw new ArgumentError(`bad host ${JSON.stringify(host)}`);
  const h = host.includes(':') ? `[${host}]` : host;
  return port === undefined || port === defaultPort ? h : `${h}:${port}`;
}

/** The request head as one string (latin1 on the wire). */
export function formatRequestHead(
  method: string,
  target: string,
  origin: { host: string; port?: number; defaultPort?: number },
  headers: readonly (readonly [string, string])[],
): string {
  if (!TOKEN.test(method)) throw new ArgumentError(`bad method ${JSON.stringify(method)}`);
  if (!TARGET.test(target)) throw new ArgumentError(`bad request target ${JSON.stringify(target.slice(0, 100))}: escape it first`);
  let head = `${method} ${target} HTTP/1.1\r\n`;
  const given = new Set(headers.map(([n]) => n.toLowerCase()));
  if (!given.has('host')) head += `Host: ${hostHeader(origin.host, origin.port, origin.defaultPort)}\r\n`;
  for (const [name, value] of headers) {
    if (!TOKEN.test(name)) throw new ArgumentError(`bad header name ${JSON.stringify(name)}`);
    if (!SENDABLE_VALUE.test(value)) throw new ArgumentError(`control character in the value of ${name}`);
    head += `${name}: ${value}\r\n`;
  }
  return `${head}\r\n`;
}
