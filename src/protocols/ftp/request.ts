/**
 * FTP requests: LuaSocket's request tables (`host`, `port`, `user`,
 * `password`, `path`, `type`, `command`, `argument`, …) and `ftp://` URLs,
 * normalised into what a session needs. Fields given in the request win over
 * the parts of its `url` (LuaSocket's `override`).
 *
 * Rules, all checked before anything is sent:
 * - scheme `ftp` (port 21) or `ftps` (implicit TLS, port 990); a host is required;
 * - the port is 1–65535;
 * - the path is unescaped once (`%20` → space) and its leading `/` dropped,
 *   as LuaSocket does; CR, LF and NUL anywhere (also as `%0d`, `%0a`, `%00`)
 *   in the path, user, password or argument are refused with ArgumentError
 *   (FTP command injection, Python bpo-30119);
 * - `;type=` must be `a`, `i` or `d` (RFC 1738); any other parameter and any
 *   `?query` are refused.
 *
 * @example
 * ```ts
 * const r = normalize('ftp://user:pa%40ss@[::1]:2121/pub/a%20b.txt;type=a');
 * // r.host '::1', r.port 2121, r.password 'pa@ss', r.path 'pub/a b.txt', r.type 'a'
 * ```
 */
import type tls from 'node:tls';
import { tlsMode, type TlsMode, type TlsWord } from '../../core/tls-mode.js';
import { ArgumentError } from '../../core/errors.js';
import { checkInteger, checkMs, checkOneOf, describe } from '../../core/validate.js';
import type { Sink, Source } from '../../ltn12/index.js';
import type { TcpClient, ConnectOptions as SocketConnectOptions } from '../../socket/index.js';
import { parse, unescape } from '../../url/index.js';
import { checkLine } from '../tp/index.js';

/** Transfer type: `'i'` image (binary, the default), `'a'` ASCII text, `'d'` directory listing (NLST). */
export type TransferType = 'a' | 'i' | 'd';

/** LuaSocket's `create`: opens the TCP connections (control and passive data). */
export type Create = (host: string, port: number, opts: SocketConnectOptions) => Promise<TcpClient>;

/** How to reach and log in to a server, and how to move data. */
export interface ConnectOptions {
  host: string;
  /** @default 21, or 990 with tls 'implicit' */
  port?: number;
  /** @default 'anonymous' */
  user?: string;
  /** @default 'anonymous@' for anonymous, else '' */
  password?: string;
  /**
   * The project's `tls` words: `'starttls'` (alias `'explicit'`): AUTH TLS
   * then PBSZ 0 / PROT P; `'implicit'`: TLS from the first byte (FTPS);
   * `'none'` (or `false`). Anything else is an ArgumentError. @default 'none'
   */
  tls?: TlsWord | false;
  /** Node TLS options (e.g. `ca`); certificates are verified unless `rejectUnauthorized: false`. */
  tlsOptions?: tls.ConnectionOptions;
  /** Passive mode (the client connects for data). @default true */
  passive?: boolean;
  /** Try EPSV before PASV (passive) and EPRT before PORT (active). @default true */
  extended?: boolean;
  /** Connect to the address a PASV reply names instead of the control peer (FTP bounce risk). @default false */
  usePasvAddress?: boolean;
  /** Every wait (connect, reply, data, accept), ms. @default 60000 */
  timeout?: number;
  signal?: AbortSignal;
  /** Opens TCP connections (LuaSocket's `create`). @default socket.connect */
  create?: Create;
  /** Longest reply line, bytes. @default 8192 */
  maxLineBytes?: number;
  /** Most lines in one reply. @default 1000 */
  maxReplyLines?: number;
}

/** A request as LuaSocket's `ftp.get`/`ftp.put`/`ftp.command` take it. */
export interface FtpRequest extends Partial<ConnectOptions> {
  url?: string;
  path?: string;
  type?: TransferType;
  /** Transfer command (default RETR for get, STOR for put) or the command of `ftp.command`. */
  command?: string;
  /** Its argument (default: the path). */
  argument?: string;
  sink?: Sink;
  /**
   * Most bytes the one-call `get` collects when there is no `sink`
   * (default {@link MAX_GET_BYTES}, 256 MiB as HTTP's one-call form; a
   * `;type=d` listing: `MAX_LISTING_BYTES`, 16 MiB) → LimitError.
   */
  maxBytes?: number;
  source?: Source;
  /** LuaSocket's pump stepper, e.g. `ltn12.pump.step`. */
  step?: (src: Source, snk: Sink) => Promise<boolean>;
  /** Restart offset for RETR/STOR (REST). */
  offset?: number;
}

/** What {@link normalize} gives. */
export interface Normalized extends Omit<FtpRequest, keyof ConnectOptions | 'path' | 'type' | 'command' | 'argument'>, ConnectOptions {
  path: string;
  type: TransferType | undefined;
  command: string | undefined;
  argument: string | undefined;
}

/** Refuses CR, LF and NUL (tp's {@link checkLine}) in every field that ends up in a command line. */
function checkLines(r: Partial<Pick<Normalized, 'path' | 'user' | 'password' | 'argument' | 'command'>>): void {
  for (const [v, what] of [
    [r.path, 'path'],
    [r.user, 'user name'],
    [r.password, 'password'],
    [r.argument, 'argument'],
    [r.command, 'command'],
  ] as const) {
    if (v !== undefined) checkLine(v, what);
  }
}

function parseType(params: string): TransferType {
  const m = /^type=([aid])$/i.exec(params);
  if (!m) throw new ArgumentError(`unsupported ftp URL parameter ;${params} (only ;type=a, i or d)`);
  return m[1]!.toLowerCase() as TransferType;
}

function fromUrl(url: string): Partial<Normalized> {
  const u = parse(url);
  if (u.scheme !== 'ftp' && u.scheme !== 'ftps') throw new ArgumentError(`not an ftp URL: ${JSON.stringify(url.slice(0, 100))}`);
  if (u.query !== undefined) throw new ArgumentError('ftp URLs have no query (escape ? as %3F)');
  if (!u.host) throw new ArgumentError('ftp URL without a host');
  const out: Partial<Normalized> = { host: u.host };
  if (u.scheme === 'ftps') out.tls = 'implicit';
  if (u.port !== undefined && u.port !== '') {
    if (!/^\d{1,5}$/.test(u.port)) throw new ArgumentError(`bad port ${JSON.stringify(u.port)}`);
    out.port = Number(u.port);
  }
  if (u.user !== undefined) out.user = unescape(u.user);
  if (u.password !== undefined) out.password = unescape(u.password);
  out.path = unescape(u.path ?? '');
  if (u.params !== undefined) out.type = parseType(u.params);
  checkLines(out); // also the parts a request field overrides
  return out;
}

/** Most bytes `ftp.get` collects into a Buffer when no sink is given (as HTTP's one-call form). */
export const MAX_GET_BYTES = 256 * 1024 * 1024;

/** The TLS mode an FTP `tls` option names (`false` is `'none'`); ArgumentError for an unknown word. */
export function ftpTls(value: unknown): TlsMode {
  return tlsMode(value === false ? 'none' : value, 'none');
}

/**
 * Checks the connection options a session uses — `host`, `port` (1–65535,
 * default 21 or 990 with implicit TLS), `tls` words, `timeout` (ms),
 * `maxLineBytes`/`maxReplyLines` (≥ 1), the `passive`/`extended`/
 * `usePasvAddress` switches and `signal` — and returns the port. Anything
 * else is an ArgumentError naming the option.
 */
export function checkSettings(o: Partial<ConnectOptions>): number {
  if (typeof o.host !== 'string' || o.host === '' || /[\0\r\n\s]/.test(o.host)) throw new ArgumentError(`invalid host ${describe(o.host)}`);
  const port = checkInteger('port', o.port, { min: 1, max: 65535 }, ftpTls(o.tls) === 'implicit' ? 990 : 21);
  checkMs('timeout', o.timeout);
  for (const name of ['maxLineBytes', 'maxReplyLines'] as const) if (o[name] !== undefined) checkInteger(name, o[name], { min: 1 });
  for (const name of ['passive', 'extended', 'usePasvAddress'] as const) {
    if (o[name] !== undefined && typeof o[name] !== 'boolean') throw new ArgumentError(`${name} must be true or false, got ${describe(o[name])}`);
  }
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) throw new ArgumentError(`signal must be an AbortSignal, got ${describe(o.signal)}`);
  return port;
}

/** Merges a URL or request into checked connection settings plus path, type, command and argument. */
export function normalize(req: string | FtpRequest): Normalized {
  const r: FtpRequest = typeof req === 'string' ? { url: req } : req;
  const base = r.url !== undefined ? fromUrl(r.url) : {};
  const defined = Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as FtpRequest;
  const merged = { ...base, ...defined } as Partial<Normalized> & FtpRequest;
  if (!merged.host) throw new ArgumentError('an ftp request needs a host or url');
  const port = checkSettings(merged);
  if (merged.type !== undefined) checkOneOf('type', merged.type, ['a', 'i', 'd']);
  if (merged.offset !== undefined) checkInteger('offset', merged.offset);
  checkLines(merged);
  const path = (merged.path ?? '').replace(/^[/\\]/, '');
  return { ...merged, host: merged.host, port, path, type: merged.type, command: merged.command, argument: merged.argument };
}
