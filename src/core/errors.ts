/**
 * The error hierarchy every netkit module throws.
 *
 * Each failure is a subclass of {@link NetError} with a stable `code` string,
 * LuaSocket's error strings where LuaSocket has one (`'timeout'`, `'closed'`,
 * `'refused'`, `'host not found'`, `'address in use'`), so code that used to
 * compare `err == "timeout"` now compares `err.code === 'timeout'`.
 * A receive that fails part-way carries what did arrive in `partial`.
 *
 * @example
 * ```ts
 * declare const sock: socket.TcpClient;
 * import { TimeoutError } from 'netkit/core';
 * try { await sock.receive('*l'); }
 * catch (err) { if (err instanceof TimeoutError) console.log('got so far:', err.partial); }
 * ```
 */

/** Every code a {@link NetError} can carry. */
export type NetErrorCode =
  | 'timeout'
  | 'closed'
  | 'refused'
  | 'reset'
  | 'host not found'
  | 'address in use'
  | 'address not available'
  | 'permission denied'
  | 'network unreachable'
  | 'protocol'
  | 'reply'
  | 'aborted'
  | 'too large'
  | 'unsupported'
  | 'invalid argument'
  | 'busy'
  | 'tls'
  | 'io';

/** Base class: a failure with a stable `code`. */
export class NetError extends Error {
  readonly code: NetErrorCode;
  constructor(code: NetErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A wait ran past its deadline. `partial` holds the bytes that did arrive. */
export class TimeoutError extends NetError {
  readonly partial: Buffer;
  constructor(message = 'timeout', partial: Buffer = Buffer.alloc(0), options?: ErrorOptions) {
    super('timeout', message, options);
    this.partial = partial;
  }
}

/** The peer closed before the pattern was satisfied. `partial` holds what arrived. */
export class ClosedError extends NetError {
  readonly partial: Buffer;
  constructor(message = 'closed', partial: Buffer = Buffer.alloc(0), options?: ErrorOptions) {
    super('closed', message, options);
    this.partial = partial;
  }
}

/** The peer sent something malformed. `line` is the offending line or a description of it. */
export class ProtocolError extends NetError {
  readonly line: string;
  constructor(message: string, line = '', options?: ErrorOptions) {
    super('protocol', message, options);
    this.line = line;
  }
}

/** The peer answered with a failure code (SMTP 5xx, FTP 550, POP3 -ERR …). */
export class ReplyError extends NetError {
  /** The numeric reply code (POP3's `-ERR` is reported as 0). */
  readonly replyCode: number;
  /** The full reply text, continuation lines joined by `\n`. */
  readonly reply: string;
  constructor(replyCode: number, reply: string, message?: string, options?: ErrorOptions) {
    super('reply', message ?? `server replied ${reply}`, options);
    this.replyCode = replyCode;
    this.reply = reply;
  }
}

/**
 * A named limit was exceeded (`what`: 'line', 'header', 'body' …). Code `'too large'`.
 * `partial` holds the bytes consumed so far where that is meaningful.
 */
export class LimitError extends NetError {
  readonly what: string;
  readonly limit: number;
  readonly partial: Buffer;
  constructor(what: string, limit: number, partial: Buffer = Buffer.alloc(0), message?: string) {
    super('too large', message ?? `${what} exceeds the limit of ${limit} bytes`);
    this.what = what;
    this.limit = limit;
    this.partial = partial;
  }
}

/** The caller's AbortSignal fired. `partial` holds what arrived before. */
export class AbortError extends NetError {
  readonly partial: Buffer;
  constructor(message = 'aborted', partial: Buffer = Buffer.alloc(0), options?: ErrorOptions) {
    super('aborted', message, options);
    this.partial = partial;
  }
}

/** A send failed part-way. `sent` is the index of the last byte that was handed to the kernel. */
export class SendError extends NetError {
  readonly sent: number;
  constructor(code: NetErrorCode, message: string, sent: number, options?: ErrorOptions) {
    super(code, message, options);
    this.sent = sent;
  }
}

/** The caller passed something unusable (CR/LF in a header value, a bad pattern …). */
export class ArgumentError extends NetError {
  constructor(message: string, options?: ErrorOptions) {
    super('invalid argument', message, options);
  }
}

const systemCodes: Record<string, NetErrorCode> = {
  ECONNREFUSED: 'refused',
  ECONNRESET: 'reset',
  ECONNABORTED: 'reset',
  EPIPE: 'closed',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  EAI_NONAME: 'host not found',
  EAI_FAIL: 'host not found',
  ENODATA: 'host not found',
  EADDRINUSE: 'address in use',
  EADDRNOTAVAIL: 'address not available',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENETUNREACH: 'network unreachable',
  EHOSTUNREACH: 'network unreachable',
  ETIMEDOUT: 'timeout',
  EMSGSIZE: 'too large',
  ENOENT: 'io',
};

/**
 * Wraps a Node system error (`err.code === 'ECONNREFUSED'` …) in a NetError with
 * the matching netkit code; the original stays reachable as `cause`.
 * NetErrors pass through unchanged.
 */
export function toNetError(err: unknown, context?: string): NetError {
  if (err instanceof NetError) return err;
  const e = err as NodeJS.ErrnoException | undefined;
  const sys = typeof e?.code === 'string' ? e.code : '';
  let code: NetErrorCode = systemCodes[sys] ?? 'io';
  if (sys.startsWith('ERR_SSL') || sys.startsWith('ERR_TLS') || /CERT|SELF_SIGNED|UNABLE_TO/.test(sys)) code = 'tls';
  if (e?.name === 'AbortError' || sys === 'ABORT_ERR') return new AbortError('aborted', undefined, { cause: err });
  const detail = e?.message ?? String(err);
  return new NetError(code, context ? `${context}: ${detail}` : detail, { cause: err });
}
