/**
 * `open`: connects to an SMTP server and gives the low-level session, not
 * yet greeted (LuaSocket's `smtp.open(server, port, create)`).
 *
 * `host` names the server (LuaSocket's `server` is accepted as an alias);
 * `tls: 'implicit'` speaks TLS from the first byte (SMTPS, port 465).
 * Certificates are verified against `host` — a name, or an IP literal
 * against the certificate's IP addresses (an IP is never sent as SNI).
 *
 * @example
 * ```ts
 * const s = await open({ host: '127.0.0.1', port: 2525, signal: AbortSignal.timeout(5000) });
 * await s.greet('client.example');
 * await s.quit();
 * ```
 */
import type tls from 'node:tls';
import { ArgumentError } from '../../core/errors.js';
import { tlsClientOptions, tlsMode, type TlsMode, type TlsWord } from '../../core/tls-mode.js';
import { connect as tpConnect, type TextConn } from '../tp/index.js';
import { SmtpSession } from './session.js';

/** Options of {@link open}. */
export interface OpenOptions {
  /** The server's name or address. */
  host?: string;
  /** LuaSocket's name for `host` (an alias). */
  server?: string;
  /** @default 25, or 465 with tls 'implicit' */
  port?: number;
  /**
   * 'implicit' (SMTPS from the first byte), 'starttls' (required), 'none';
   * aliases 'explicit' and 'stls'. Unset: `send` uses STARTTLS when offered.
   */
  tls?: TlsWord;
  /** TLS options (ca, servername, rejectUnauthorized …). Certificates are verified by default. */
  tlsOptions?: tls.ConnectionOptions;
  /** Per-reply wait, ms. @default 60000 */
  timeout?: number;
  /** Allow AUTH over an unencrypted connection. @default false */
  allowPlainAuth?: boolean;
  /** LuaSocket's `create`: a ready TextConn to use instead of connecting. */
  create?: () => Promise<TextConn>;
  /** Aborts connecting (and the TLS handshake). */
  signal?: AbortSignal;
}

/** The server's name from `host` or its alias `server` (ArgumentError when they disagree). */
export function hostOf(opts: Pick<OpenOptions, 'host' | 'server'>): string | undefined {
  const { host, server } = opts;
  if (host !== undefined && server !== undefined && host !== server)
    throw new ArgumentError(`host ${JSON.stringify(host)} and its alias server ${JSON.stringify(server)} disagree`);
  const name = host ?? server;
  if (name !== undefined && (typeof name !== 'string' || name === '')) throw new ArgumentError(`host must be a non-empty string, got ${JSON.stringify(name)}`);
  return name;
}

/** The TLS mode the options ask for; `undefined` when they say nothing (opportunistic STARTTLS in `send`). */
export const modeOf = (opts: Pick<OpenOptions, 'tls'>): TlsMode | undefined => (opts.tls === undefined ? undefined : tlsMode(opts.tls));

/** Opens a connection to the server (not yet greeted). */
export async function open(opts: OpenOptions): Promise<SmtpSession> {
  const host = hostOf(opts);
  const implicit = modeOf(opts) === 'implicit';
  if (opts.create) return new SmtpSession(await opts.create(), { ...opts, host }, false);
  if (host === undefined) throw new ArgumentError('smtp.open needs a host (or server)');
  const conn = await tpConnect(host, opts.port ?? (implicit ? 465 : 25), {
    timeout: opts.timeout ?? 60_000,
    idleTimeout: opts.timeout ?? 60_000,
    signal: opts.signal,
    tls: implicit ? tlsClientOptions(host, opts.tlsOptions) : undefined,
  });
  return new SmtpSession(conn, { ...opts, host }, implicit);
}
