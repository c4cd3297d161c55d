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
 * Every command takes `{ signal }` as its last argument; an aborted command
 * closes the connection (the conversation is in an unknown state) and
 * throws AbortError.
 *
 * @example
 * ```ts
 * const s = await connect({ server: '127.0.0.1', port: 1100, user: 'alice', password: 'secret', allowPlainAuth: true });
 * const { count } = await s.stat();
 * const first = await s.retrieve(1);
 * await s.quit();
 * ```
 */
import { AbortError, LimitError, ProtocolError, ReplyError } from '../../core/errors.js';
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

/** Options of one POP3 step: the signal that aborts it. */
export interface Pop3StepOptions {
  signal?: AbortSignal;
}

/** One `+OK` line's text. */
export async function readStatus(conn: TextConn, signal?: AbortSignal): Promise<string> {
  const line = await conn.socket.receiveLine({ strict: true, signal });
  if (line.startsWith('+OK')) return line.slice(3).trimStart();
  if (line.startsWith('-ERR')) throw new ReplyError(0, line);
  throw new ProtocolError('a POP3 reply starts with +OK or -ERR', line.slice(0, 200));
}

/** Sends a command (CR/LF/NUL refused) and reads its status. */
export async function command(conn: TextConn, cmd: string, arg?: string, signal?: AbortSignal): Promise<string> {
  await conn.socket.send(formatCommand(cmd, arg), undefined, undefined, { signal });
  return readStatus(conn, signal);
}

/**
 * Runs one step with `signal`; when it aborts, the conversation is in an
 * unknown state, so the connection is closed and the step throws AbortError.
 */
export async function abortable<T>(conn: TextConn, what: string, signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!signal?.aborted) throw err;
    await conn.close();
    throw new AbortError(`POP3 ${what} aborted: connection closed`, undefined, { cause: signal.reason });
  }
}

/**
 * Reads a dot-terminated block into one Buffer of at most `limit` octets
 * (`what` names the limit), or streams it into `into`. Over the limit the
 * connection is closed (the rest of the block cannot be skipped safely) and
 * a LimitError thrown.
 */
export async function readBlock(conn: TextConn, what: string, limit: number, into?: Sink, signal?: AbortSignal): Promise<Buffer> {
  if (into) {
    await pump.all(dotSource(conn, { signal }), into);
    return Buffer.alloc(0);
  }
  const kept = new BlockCollector(limit);
  const src = dotSource(conn, { signal });
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

  /** Runs one command (and reads its block) with `signal`; see {@link abortable}. */
  #step<T>(what: string, opts: Pop3StepOptions, run: (signal: AbortSignal | undefined) => Promise<T>): Promise<T> {
    return abortable(this.conn, what, opts.signal, () => run(opts.signal));
  }

  /** Message count and total size in octets. */
  async stat(opts: Pop3StepOptions = {}): Promise<{ count: number; size: number }> {
    const [count, size] = numbers(await this.#step('STAT', opts, (signal) => command(this.conn, 'STAT', undefined, signal)), 'STAT');
    return { count: count!, size: size! };
  }

  /** Every message's number and size (or one message's, given `n`). */
  async list(n?: number, opts: Pop3StepOptions = {}): Promise<{ n: number; size: number }[]> {
    if (n !== undefined) {
      const [num, size] = numbers(await this.#step('LIST', opts, (signal) => command(this.conn, 'LIST', checkN(n), signal)), 'LIST');
      return [{ n: num!, size: size! }];
    }
    const block = await this.#step('LIST', opts, async (signal) => {
      await command(this.conn, 'LIST', undefined, signal);
      return readBlock(this.conn, 'LIST answer', this.#maxListing, undefined, signal);
    });
    return block
      .toString('latin1')
      .split('\r\n')
      .filter(Boolean)
      .map((l) => {
        const [num, size] = numbers(l, 'LIST');
        return { n: num!, size: size! };
      });
  }

  /** Every message's unique id (or one message's). */
  async uidl(n?: number, opts: Pop3StepOptions = {}): Promise<{ n: number; uid: string }[]> {
    const parse = (l: string) => {
      const m = /^(\d+) ([\x21-\x7e]{1,70})$/.exec(l.trim());
      if (!m) throw new ProtocolError('malformed UIDL line', l);
      return { n: Number(m[1]), uid: m[2]! };
    };
    if (n !== undefined) return [parse(await this.#step('UIDL', opts, (signal) => command(this.conn, 'UIDL', checkN(n), signal)))];
    const block = await this.#step('UIDL', opts, async (signal) => {
      await command(this.conn, 'UIDL', undefined, signal);
      return readBlock(this.conn, 'UIDL answer', this.#maxListing, undefined, signal);
    });
    return block.toString('latin1').split('\r\n').filter(Boolean).map(parse);
  }

  /** The header and the first `lines` lines of the body of message `n`. */
  async top(n: number, lines = 0, opts: Pop3StepOptions = {}): Promise<Buffer> {
    checkInteger('lines', lines);
    const arg = `${checkN(n)} ${lines}`;
    return this.#step('TOP', opts, async (signal) => {
      await command(this.conn, 'TOP', arg, signal);
      return readBlock(this.conn, 'message', this.#maxMessage, undefined, signal);
    });
  }

  /** Message `n`: streamed into `sink` when given (resolves to an empty Buffer), else returned whole. */
  async retrieve(n: number, sink?: Sink, opts: Pop3StepOptions = {}): Promise<Buffer> {
    const arg = checkN(n);
    return this.#step('RETR', opts, async (signal) => {
      await command(this.conn, 'RETR', arg, signal);
      return readBlock(this.conn, 'message', this.#maxMessage, sink, signal);
    });
  }

  /** Marks message `n` for deletion at QUIT. */
  async delete(n: number, opts: Pop3StepOptions = {}): Promise<void> {
    const arg = checkN(n);
    await this.#step('DELE', opts, (signal) => command(this.conn, 'DELE', arg, signal));
  }

  /** Unmarks every message marked for deletion. */
  async reset(opts: Pop3StepOptions = {}): Promise<void> {
    await this.#step('RSET', opts, (signal) => command(this.conn, 'RSET', undefined, signal));
  }

  async noop(opts: Pop3StepOptions = {}): Promise<void> {
    await this.#step('NOOP', opts, (signal) => command(this.conn, 'NOOP', undefined, signal));
  }

  /** QUIT (deletions take effect) and close. */
  async quit(opts: Pop3StepOptions = {}): Promise<void> {
    try {
      await this.#step('QUIT', opts, (signal) => command(this.conn, 'QUIT', undefined, signal));
    } finally {
      await this.conn.close();
    }
  }
}
