/**
 * `connect`: opens a POP3 session and logs in.
 *
 * TLS: `'implicit'` (POP3S, port 995), `'stls'` (STLS required), `'none'`, or
 * by default STLS when CAPA offers it. Certificates are verified unless the
 * caller's `tlsOptions` say otherwise, against `host` — a name, or an IP
 * literal against the certificate's IP addresses (an IP is never sent as
 * SNI). Login: APOP when `apop` is set (the
 * password never crosses the wire), AUTH PLAIN when `auth: 'plain'`, else
 * USER/PASS. Sending a password over an unencrypted connection is refused
 * (code 'tls') unless `allowPlainAuth` is set; APOP is allowed either way.
 *
 * @example
 * ```ts
 * declare const ca: string;
 * const s = await connect({ server: 'localhost', port: 110, user: 'alice', password: 'secret', tls: 'stls', tlsOptions: { ca } });
 * ```
 */
import { createHash } from 'node:crypto';
import type tls from 'node:tls';
import { ArgumentError, NetError, ProtocolError } from '../../core/errors.js';
import { tlsClientOptions, tlsMode, type TlsMode, type TlsWord } from '../../core/tls-mode.js';
import { connect as tpConnect, formatCommand, type TextConn } from '../tp/index.js';
import { abortable, checkLimits, command, readBlock, readStatus, Pop3Session, type Pop3Limits } from './session.js';

/** Options of {@link connect}. */
export interface Pop3Options extends Pop3Limits {
  /** The server's name or address. */
  host?: string;
  /** LuaSocket's name for `host` (an alias). */
  server?: string;
  /** @default 110, or 995 with tls 'implicit' */
  port?: number;
  user: string;
  password: string;
  /** 'implicit' (POP3S), 'stls' (required; alias 'starttls'), 'none'; unset: STLS when CAPA offers it. */
  tls?: TlsWord;
  tlsOptions?: tls.ConnectionOptions;
  /** Log in with APOP. */
  apop?: boolean;
  /** Log in with AUTH PLAIN instead of USER/PASS. */
  auth?: 'plain';
  /** Allow a password over an unencrypted connection. @default false */
  allowPlainAuth?: boolean;
  /** Per-reply wait, ms. @default 60000 */
  timeout?: number;
  /** Aborts connecting and logging in (the connection is closed; AbortError). */
  signal?: AbortSignal;
}

async function capa(conn: TextConn, limit: number, signal?: AbortSignal): Promise<Map<string, string>> {
  await conn.socket.send(formatCommand('CAPA'), undefined, undefined, { signal });
  try {
    await readStatus(conn, signal);
  } catch (err) {
    if ((err as NetError).code === 'reply') return new Map();
    throw err;
  }
  const lines = (await readBlock(conn, 'CAPA answer', limit, undefined, signal)).toString('latin1').split('\r\n').filter(Boolean);
  return new Map(lines.map((l) => [l.split(' ')[0]!.toUpperCase(), l.slice(l.indexOf(' ') + 1 || l.length)]));
}

export async function connect(opts: Pop3Options): Promise<Pop3Session> {
  const limits = checkLimits(opts);
  const host = opts.host ?? opts.server;
  if (typeof host !== 'string' || host === '') throw new ArgumentError('pop3.connect needs a host');
  if (opts.host !== undefined && opts.server !== undefined && opts.host !== opts.server)
    throw new ArgumentError(`host ${JSON.stringify(opts.host)} and its alias server ${JSON.stringify(opts.server)} disagree`);
  const { signal } = opts;
  const mode = opts.tls === undefined ? undefined : tlsMode(opts.tls);
  const implicit = mode === 'implicit';
  const conn = await tpConnect(host, opts.port ?? (implicit ? 995 : 110), {
    timeout: opts.timeout ?? 60_000,
    idleTimeout: opts.timeout ?? 60_000,
    maxLineBytes: 4096,
    signal,
    tls: implicit ? tlsClientOptions(host, opts.tlsOptions) : undefined,
  });
  try {
    return await abortable(conn, 'login', signal, () => login(conn, host, opts, limits, mode));
  } catch (err) {
    await conn.close();
    throw err;
  }
}

/** Greeting, CAPA, STLS when asked or offered, then APOP, AUTH PLAIN or USER/PASS. */
async function login(conn: TextConn, host: string, opts: Pop3Options, limits: Required<Pop3Limits>, mode: TlsMode | undefined): Promise<Pop3Session> {
  const { signal } = opts;
  const greeting = await readStatus(conn, signal);
  let encrypted = mode === 'implicit';
  let caps = await capa(conn, limits.maxListingBytes, signal);
  if (!encrypted && mode !== 'none' && (mode === 'starttls' || caps.has('STLS'))) {
    if (!caps.has('STLS')) throw new NetError('tls', 'the server does not offer STLS and tls is required');
    await command(conn, 'STLS', undefined, signal);
    await conn.socket.startTls({ ...tlsClientOptions(host, opts.tlsOptions), signal });
    encrypted = true;
    caps = await capa(conn, limits.maxListingBytes, signal);
  }
  if (opts.apop) {
    const stamp = /<[^<>]+>/.exec(greeting)?.[0];
    if (!stamp) throw new ProtocolError('APOP needs a timestamp in the greeting', greeting);
    const digest = createHash('md5')
      .update(stamp + opts.password)
      .digest('hex');
    await command(conn, 'APOP', `${opts.user} ${digest}`, signal);
  } else {
    if (!encrypted && !opts.allowPlainAuth)
      throw new NetError('tls', 'refusing to send a password over an unencrypted connection (allowPlainAuth to override)');
    if (opts.auth === 'plain') {
      await command(conn, 'AUTH', `PLAIN ${Buffer.from(`\0${opts.user}\0${opts.password}`).toString('base64')}`, signal);
    } else {
      await command(conn, 'USER', opts.user, signal);
      await command(conn, 'PASS', opts.password, signal);
    }
  }
  return new Pop3Session(conn, caps, limits);
}
