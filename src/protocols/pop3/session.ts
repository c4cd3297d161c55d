/**
 * POP3 (RFC 1939, RFC 2449, RFC 2595): a session after login, with LuaSocket's
 * vocabulary in camelCase — `stat`, `list`, `uidl`, `top`, `retrieve`,
 * `delete`, `reset`, `noop`, `quit`.
 *
 * Replies are `+OK` or `-ERR`; `-ERR` is a ReplyError with `replyCode` 0 and
 * the server's text. Multi-line answers are dot-terminated blocks read with
 * the strict CRLF reader; `retrieve` streams the message into a sink,
 * un-stuffed and byte-exact, or returns it as a Buffer.
 *
 * @example
 * ```ts
 * const s = await connect({ server: '127.0.0.1', port: 1100, user: 'alice', password: 'secret', allowPlainAuth: true });
 * const { count } = await s.stat();
 * const first = await s.retrieve(1);
 * await s.quit();
 * ```
 */
import { LimitError, ProtocolError, ReplyError } from '../../core/errors.js';
import { checkInteger } from '../../core/validate.js';
import { pump, type Sink } from '../../ltn12/index.js';
import { BlockCollector, dotSource, formatCommand, type TextConn } from '../tp/index.js';

/** Largest CAPA, LIST or UIDL answer the client keeps, octets (about 400,000 messages' lines). */
export const POP3_MAX_LISTING_BYTES = 8 * 1024 * 1024;
/** Largest message `retrieve`/`top` keeps in memory when given no sink, octets. */
export const POP3_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** The limits of a {@link Pop3Session}. */
export interface Pop3Limits {
  /** Largest CAPA, LIST or UIDL answer, octets. @default POP3_MAX_LISTING_BYTES */
  maxListingBytes?: number;
  /** Largest message kept without a sink (RETR, TOP), octets. @default POP3_MAX_MESSAGE_BYTES */
  maxMessageBytes?: number;
}

/** `limits` checked (ArgumentError for a bad one), defaults filled in. */
export function checkLimits(limits: Pop3Limits): Required<Pop3Limits> {
  return {
    maxListingBytes: checkInteger('maxListingBytes', limits.maxListingBytes, { min: 1 }, POP3_MAX_LISTING_BYTES),
    maxMessageBytes: checkInteger('maxMessageBytes', limits.maxMessageBytes, { min: 1 }, POP3_MAX_MESSAGE_BYTES),
  };
}

/** One `+OK` line's text. */
export async function readStatus(conn: TextConn): Promise<string> {
  const line = await conn.socket.receiveLine({ strict: true });
  if (line.startsWith('+OK')) return line.slice(3).trimStart();
  if (line.startsWith('-ERR')) throw new ReplyError(0, line);
  throw new ProtocolError('a POP3 reply starts with +OK or -ERR', line.slice(0, 200));
}

/** Sends a command (CR/LF/NUL refused) and reads its status. */
export async function command(conn: TextConn, cmd: string, arg?: string): Promise<string> {
  await conn.send(formatCommand(cmd, arg));
  return readStatus(conn);
}

/**
 * Reads a dot-terminated block into one Buffer of at most `limit` octets
 * (`what` names the limit), or streams it into `into`. Over the limit the
 * connection is closed (the rest of the block cannot be skipped safely) and
 * a LimitError thrown.
 */
export async function readBlock(conn: TextConn, what: string, limit: number, into?: Sink): Promise<Buffer> {
  if (into) {
    await pump.all(dotSource(conn), into);
    return Buffer.alloc(0);
  }
  const kept = new BlockCollector(limit);
  const src = dotSource(conn);
  for (let line = await src(); line !== null; line = await src()) {
    if (!kept.push(line)) {
      await conn.close();
      throw new LimitError(what, limit, undefined, `${what} longer than ${limit} octets: connection closed`);
    }
  }
  return kept.take();
}

/** The two numbers that start a STAT or LIST line: plain decimal digits only (no sign, hex or exponent), each a safe integer. */
function numbers(line: string, what: string): number[] {
  const parts = line.trim().split(/\s+/).slice(0, 2);
  const nums = parts.map((p) => (/^\d{1,15}$/.test(p) ? Number(p) : NaN));
  if (nums.length < 2 || nums.some((n) => !Number.isSafeInteger(n))) throw new ProtocolError(`malformed ${what} line`, line);
  return nums;
}

const checkN = (n: number) => String(checkInteger('message number', n, { min: 1 }));

export class Pop3Session {
  readonly conn: TextConn;
  /** The capabilities from CAPA (upper-case keyword → arguments), empty if CAPA failed. */
  readonly capabilities: ReadonlyMap<string, string>;
  readonly #maxListing: number;
  readonly #maxMessage: number;

  constructor(conn: TextConn, capabilities: ReadonlyMap<string, string>, limits: Pop3Limits = {}) {
    this.conn = conn;
    this.capabilities = capabilities;
    ({ maxListingBytes: this.#maxListing, maxMessageBytes: this.#maxMessage } = checkLimits(limits));
  }

  /** Message count and total size in octets. */
  async stat(): Promise<{ count: number; size: number }> {
    const [count, size] = numbers(await command(this.conn, 'STAT'), 'STAT');
    return { count: count!, size: size! };
  }

  /** Every message's number and size (or one message's, given `n`). */
  async list(n?: number): Promise<{ n: number; size: number }[]> {
    if (n !== undefined) {
      const [num, size] = numbers(await command(this.conn, 'LIST', checkN(n)), 'LIST');
      return [{ n: num!, size: size! }];
    }
    await command(this.conn, 'LIST');
    return (await readBlock(this.conn, 'LIST answer', this.#maxListing)).toString('latin1').split('\r\n').filter(Boolean).map((l) => {
      const [num, size] = numbers(l, 'LIST');
      return { n: num!, size: size! };
    });
  }

  /** Every message's unique id (or one message's). */
  async uidl(n?: number): Promise<{ n: number; uid: string }[]> {
    const parse = (l: string) => {
      const m = /^(\d+) ([\x21-\x7e]{1,70})$/.exec(l.trim());
      if (!m) throw new ProtocolError('malformed UIDL line', l);
      return { n: Number(m[1]), uid: m[2]! };
    };
    if (n !== undefined) return [parse(await command(this.conn, 'UIDL', checkN(n)))];
    await command(this.conn, 'UIDL');
    return (await readBlock(this.conn, 'UIDL answer', this.#maxListing)).toString('latin1').split('\r\n').filter(Boolean).map(parse);
  }

  /** The header and the first `lines` lines of the body of message `n`. */
  async top(n: number, lines = 0): Promise<Buffer> {
    checkInteger('lines', lines);
    await command(this.conn, 'TOP', `${checkN(n)} ${lines}`);
    return readBlock(this.conn, 'message', this.#maxMessage);
  }

  /** Message `n`: streamed into `sink` when given (resolves to an empty Buffer), else returned whole. */
  async retrieve(n: number, sink?: Sink): Promise<Buffer> {
    await command(this.conn, 'RETR', checkN(n));
    return readBlock(this.conn, 'message', this.#maxMessage, sink);
  }

  /** Marks message `n` for deletion at QUIT. */
  async delete(n: number): Promise<void> {
    await command(this.conn, 'DELE', checkN(n));
  }

  /** Unmarks every message marked for deletion. */
  async reset(): Promise<void> {
    await command(this.conn, 'RSET');
  }

  async noop(): Promise<void> {
    await command(this.conn, 'NOOP');
  }

  /** QUIT (deletions take effect) and close. */
  async quit(): Promise<void> {
    try {
      await command(this.conn, 'QUIT');
    } finally {
      await this.conn.close();
    }
  }
}
