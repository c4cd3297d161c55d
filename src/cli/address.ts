/**
 * `--server` values as people write them: `host`, `host:port`, an IPv4
 * address, a bare IPv6 address (`::1`, never read as host `:` port 1) and a
 * bracketed IPv6 address with or without a port (`[::1]:2525`, `[::1]`).
 * Anything else is a {@link UsageError} naming the option.
 *
 * @example
 * ```ts
 * parseServer('[::1]:2525', 25); // { host: '::1', port: 2525 }
 * parseServer('::1', 25);        // { host: '::1', port: 25 }
 * parseServer('mail.test', 25);  // { host: 'mail.test', port: 25 }
 * ```
 */
import { isIPv6 } from 'node:net';
import { UsageError, parsePort } from './command.js';

/** A host and port taken from a `--server` value. */
export interface ServerAddress {
  host: string;
  port: number;
}

/** Reads `text` as `host[:port]`; `port` is `fallback` when the text has none. */
export function parseServer(text: string, fallback: number, what = '--server'): ServerAddress {
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(text);
  if (bracketed) {
    if (!isIPv6(bracketed[1]!)) throw new UsageError(`${what}: '${bracketed[1]}' in brackets is not an IPv6 address`);
    return { host: bracketed[1]!, port: parsePort(bracketed[2], fallback, `${what} port`) };
  }
  if (isIPv6(text)) return { host: text, port: fallback };
  const colon = text.lastIndexOf(':');
  if (colon < 0) {
    if (text === '' || /[\s/@]/.test(text)) throw new UsageError(`${what}: '${text}' is not a host name`);
    return { host: text, port: fallback };
  }
  const host = text.slice(0, colon);
  if (host === '' || host.includes(':') || /[\s/@]/.test(host))
    throw new UsageError(`${what}: '${text}' is not HOST[:PORT] (write an IPv6 address with a port as [::1]:2525)`);
  return { host, port: parsePort(text.slice(colon + 1), fallback, `${what} port`) };
}

/** `host:port` for messages, with brackets around an IPv6 address. */
export function formatServer({ host, port }: ServerAddress): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}
