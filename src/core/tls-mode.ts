/**
 * One vocabulary for TLS across every protocol, server and the CLI:
 *
 * - `tls`: *how* — `'none'` (plain), `'implicit'` (TLS from the first byte:
 *   HTTPS, SMTPS on 465, POP3S on 995, implicit FTPS on 990) or
 *   `'starttls'` (plain, then upgraded by the protocol's own command:
 *   SMTP `STARTTLS`, POP3 `STLS`, FTP `AUTH TLS`). `'explicit'` (FTP's word)
 *   and `'stls'` (POP3's word) are accepted as aliases of `'starttls'`.
 * - `tlsOptions`: *with what* — certificates and verification, Node's
 *   `tls.connect`/`tls.createSecureContext` options (`ca`, `cert`, `key`,
 *   `rejectUnauthorized`, `servername`, …).
 *
 * @example
 * ```ts
 * import { tlsMode } from 'netkit/core';
 * tlsMode('stls');               // 'starttls'
 * tlsMode(undefined, 'none');    // 'none'
 * tlsMode('maybe');              // throws ArgumentError
 * ```
 */
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { ArgumentError } from './errors.js';
import { describe } from './validate.js';

/** How a connection uses TLS. */
export type TlsMode = 'none' | 'implicit' | 'starttls';

/** Every word `tls` accepts: the three modes and their aliases. */
export type TlsWord = TlsMode | 'explicit' | 'stls';

/** Certificates and verification for a TLS client (Node's `tls.connect` options). */
export type TlsOptions = ConnectionOptions;

const WORDS: Record<string, TlsMode> = {
  none: 'none',
  implicit: 'implicit',
  starttls: 'starttls',
  explicit: 'starttls',
  stls: 'starttls',
};

/** The mode a `tls` word names; `undefined` gives `fallback`; anything else is ArgumentError. */
export function tlsMode(value: unknown, fallback: TlsMode = 'none'): TlsMode {
  if (value === undefined) return fallback;
  const mode = typeof value === 'string' ? WORDS[value] : undefined;
  if (mode === undefined) {
    throw new ArgumentError(`tls must be 'none', 'implicit' or 'starttls' (aliases 'explicit', 'stls'), got ${describe(value)}`);
  }
  return mode;
}

/**
 * Node's `tls.connect` options for a client of `host`: the certificate is
 * checked against `host` (a name, or an IP literal against the
 * certificate's IP addresses), and SNI carries `host` only when it is a
 * name — an IP in `servername` is not allowed by RFC 6066 and makes Node
 * warn (DEP0123). The caller's `given` options win.
 *
 * @example
 * ```ts
 * import { tlsClientOptions } from 'netkit/core';
 * tlsClientOptions('127.0.0.1', { ca: 'PEM' }); // { host: '127.0.0.1', servername: undefined, ca: 'PEM' }
 * tlsClientOptions('mail.example');             // { host: 'mail.example', servername: 'mail.example' }
 * ```
 */
export function tlsClientOptions(host: string | undefined, given: TlsOptions = {}): TlsOptions {
  if (host === undefined) return { ...given };
  return { host, servername: isIP(host) === 0 ? host : undefined, ...given };
}
