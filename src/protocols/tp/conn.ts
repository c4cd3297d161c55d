/**
 * `TextConn`: LuaSocket's `tp` — one connection speaking a line-based
 * command/reply protocol (SMTP, POP3, FTP). It reads replies with the strict
 * CRLF reader (only CRLF ends a line), joins multi-line replies, checks codes,
 * refuses CR, LF and NUL in commands before sending anything, and moves
 * dot-terminated data blocks both ways.
 *
 * @example
 * ```ts
 * const tp = await connect('127.0.0.1', 25);
 * await tp.check('2..');                  // the greeting
 * await tp.command('EHLO', 'client.example');
 * const ehlo = await tp.check('2..');     // all 250- lines joined
 * await tp.command('QUIT');
 * await tp.close();
 * ```
 */
import { ArgumentError, LimitError, ReplyError } from '../../core/errors.js';
import { connect as tcpConnect, type ConnectOptions, type TcpClient } from '../../socket/index.js';
import { isLastLine, makeReply, matches, parseFirstLine, type Expected, type Reply } from './reply.js';

/** Options of {@link connect}. */
export interface TextConnOptions extends ConnectOptions {
  /** Block timeout for every receive and send, ms. @default 60000 */
  idleTimeout?: number | null;
  /** Longest reply line, bytes. @default 8192 */
  maxLineBytes?: number;
  /** Most lines in one reply. @default 1000 */
  maxReplyLines?: number;
}

/** One protocol conversation over a TcpClient. */
export class TextConn {
  readonly socket: TcpClient;
  readonly #maxReplyLines: number;

  constructor(socket: TcpClient, opts: Pick<TextConnOptions, 'maxLineBytes' | 'maxReplyLines' | 'idleTimeout'> = {}) {
    this.socket = socket;
    this.#maxReplyLines = opts.maxReplyLines ?? 1000;
    socket.setLineLimit(opts.maxLineBytes ?? 8192);
    // Commands and replies are small and each waits for the other: Nagle's
    // algorithm would hold the last segment of every exchange for a delayed ACK.
    socket.setOption('tcp-nodelay', true);
    if (opts.idleTimeout !== undefined) socket.setTimeout(opts.idleTimeout, 'b');
  }

  /** Reads one complete reply (all continuation lines). */
  async getReply(opts: { signal?: AbortSignal } = {}): Promise<Reply> {
    const first = await this.socket.receiveLine({ strict: true, signal: opts.signal });
    const { code, more } = parseFirstLine(first);
    const lines = [first];
    if (more) {
      for (;;) {
        if (lines.length >= this.#maxReplyLines)
          throw new LimitError('reply lines', this.#maxReplyLines, undefined, `reply longer than ${this.#maxReplyLines} lines`);
        const line = await this.socket.receiveLine({ strict: true, signal: opts.signal });
        lines.push(line);
        if (isLastLine(line, code)) break;
      }
    }
    return makeReply(code, lines);
  }

  /** Reads a reply and returns it when it matches `expected`; otherwise throws ReplyError. */
  async check(expected: Expected, opts: { signal?: AbortSignal } = {}): Promise<Reply> {
    const reply = await this.getReply(opts);
    if (!matches(reply.code, expected, reply)) throw new ReplyError(reply.code, reply.text);
    return reply;
  }

  /** Sends `cmd` (and ` arg`) with CRLF. CR, LF or NUL in either is refused before anything is sent. */
  async command(cmd: string, arg?: string): Promise<void> {
    await this.socket.send(formatCommand(cmd, arg));
  }

  /**
   * Sends several commands in one write, then reads one reply per command,
   * in order (SMTP PIPELINING, RFC 2920). Every reply is returned; none is
   * checked, so the caller sees each recipient's fate.
   */
  async pipeline(commands: readonly (readonly [string, string?])[]): Promise<Reply[]> {
    if (commands.length === 0) return [];
    await this.socket.send(commands.map(([c, a]) => formatCommand(c, a)).join(''));
    const replies: Reply[] = [];
    for (let i = 0; i < commands.length; i++) replies.push(await this.getReply());
    return replies;
  }

  /** Sends raw data (no checks: for data blocks built by {@link dotSink} or the caller). */
  send(data: string | Uint8Array): Promise<number> {
    return this.socket.send(data);
  }

  /** Closes the connection. */
  close(): Promise<void> {
    return this.socket.close();
  }
}

/**
 * Returns `value`, or throws ArgumentError when it holds CR, LF or NUL —
 * characters that would end a command line early and smuggle in another
 * (command injection). The one check behind {@link formatCommand}; callers
 * that must refuse before anything is sent (a path checked before a TYPE
 * command goes out) call it early with the same words.
 *
 * @example
 * ```ts
 * checkLine('pub/file.txt', 'path');   // 'pub/file.txt'
 * checkLine('a\r\nDELE x', 'path');     // throws ArgumentError: CR, LF or NUL in the path
 * ```
 */
export function checkLine(value: string, what: string): string {
  if (/[\r\n\0]/.test(value)) throw new ArgumentError(`CR, LF or NUL in the ${what}`);
  return value;
}

/** `cmd[ arg]\r\n`, refusing CR, LF and NUL and an empty command. */
export function formatCommand(cmd: string, arg?: string): string {
  if (!/^[A-Za-z0-9]+( [A-Za-z0-9]+)?$/.test(cmd)) throw new ArgumentError(`bad command ${JSON.stringify(cmd)}`);
  if (arg !== undefined) checkLine(arg, `argument of ${cmd}`);
  return arg === undefined || arg === '' ? `${cmd}\r\n` : `${cmd} ${arg}\r\n`;
}

/** Connects and wraps the connection in a {@link TextConn} (LuaSocket's `tp.connect`). */
export async function connect(host: string, port: number, opts: TextConnOptions = {}): Promise<TextConn> {
  const socket = await tcpConnect(host, port, opts);
  return new TextConn(socket, {
    idleTimeout: opts.idleTimeout === undefined ? 60_000 : opts.idleTimeout,
    maxLineBytes: opts.maxLineBytes,
    maxReplyLines: opts.maxReplyLines,
  });
}
