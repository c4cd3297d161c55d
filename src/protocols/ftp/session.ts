/**
 * `connect` and the FTP session: several commands and transfers on one
 * control connection, with LuaSocket's verbs and the usual file commands.
 *
 * Transfers default to TYPE I (binary, byte-exact); `type('a')` switches to
 * TYPE A, where line ends become LF locally and CRLF on the wire.
 * `retrieve` and `store` take an `offset` to resume with REST. Paths and
 * arguments holding CR, LF or NUL are refused before anything is sent.
 * A transfer that fails other than by a clean reply (reset, timeout, abort)
 * leaves the control connection in an unknown state: the session closes it.
 *
 * @example
 * ```ts
 * const s = await connect({ host: '127.0.0.1', port: 2121, user: 'user', password: 'pass' });
 * await s.store('up.bin', source.file('local.bin'));
 * const size = await s.size('up.bin');
 * const again = await s.retrieve('up.bin');            // a Buffer
 * await s.retrieve('up.bin', sink.file('copy.bin'), { offset: 1000 });  // resume
 * await s.quit();
 * ```
 */
import { checkInteger, checkOneOf } from '../../core/validate.js';
import { ArgumentError, ClosedError, LimitError, ProtocolError, ReplyError } from '../../core/errors.js';
import { sink as sinks, source as sources, type Sink, type Source } from '../../ltn12/index.js';
import { checkLine, formatCommand, type Reply } from '../tp/index.js';
import { exchange, openControl, DEFAULT_TIMEOUT, type Control } from './control.js';
import type { DataState } from './data.js';
import { parseList, parseMlsd, parseTimeVal, type Entry } from './listing.js';
import { checkSettings, type ConnectOptions } from './request.js';
import { transfer, type Transfer, type TransferOptions, type TransferResult } from './transfer.js';

/** Options of `retrieve`/`store`. */
export interface SessionTransferOptions extends TransferOptions {
  /** Resume from this byte (REST). */
  offset?: number;
}

/** Options of one session step: the signal that aborts it (as well as the session's own `signal`). */
export interface StepOptions {
  signal?: AbortSignal;
}

/** Largest listing `list()` collects, bytes. */
export const MAX_LISTING_BYTES = 16 * 1024 * 1024;

function limitedSink(limit: number): [Sink, () => Buffer] {
  const chunks: Buffer[] = [];
  let size = 0;
  const snk: Sink = async (chunk) => {
    if (chunk === null) return;
    size += chunk.length;
    if (size > limit) throw new LimitError('listing', limit);
    chunks.push(chunk);
  };
  return [snk, () => Buffer.concat(chunks)];
}

function checkOffset(offset: number | undefined): void {
  if (offset !== undefined) checkInteger('offset', offset);
}

export class FtpSession {
  readonly #control: Control;
  readonly #opts: ConnectOptions;
  readonly #state: DataState = {};
  #type: 'a' | 'i' | undefined;
  #closed = false;

  constructor(control: Control, opts: ConnectOptions) {
    this.#control = control;
    this.#opts = opts;
  }

  /** The server's FEAT features (upper-case keyword → parameters). */
  get features(): ReadonlyMap<string, string> {
    return this.#control.features;
  }

  /** The greeting reply. */
  get greeting(): Reply {
    return this.#control.greeting;
  }

  /** True once the session was closed (quit, close, or a broken transfer). */
  get closed(): boolean {
    return this.#closed;
  }

  /** The control connection's socket (for inspection: TLS, addresses). */
  get socket() {
    return this.#control.tp.socket;
  }

  #live(): Control {
    if (this.#closed) throw new ClosedError('closed: the FTP session is closed');
    return this.#control;
  }

  /**
   * Sends any command and returns its reply, checked against `expected`
   * (default 2xx). Like every step, it waits at most `timeout` for each
   * reply and stops at `opts.signal` (or the session's signal): an aborted
   * step closes the session and throws AbortError.
   */
  async command(cmd: string, arg?: string, expected: Parameters<typeof exchange>[3] = '2..', opts: StepOptions = {}): Promise<Reply> {
    formatCommand(cmd.toUpperCase(), arg); // a bad name, CR, LF or NUL: ArgumentError before anything is sent, the session stays usable
    const signal = this.#signal(opts.signal);
    return this.#guard(() => exchange(this.#live().tp, cmd.toUpperCase(), arg, expected, signal));
  }

  /** The step's signal joined with the session's. */
  #signal(step: AbortSignal | undefined): AbortSignal | undefined {
    if (step !== undefined && !(step instanceof AbortSignal)) throw new ArgumentError('signal must be an AbortSignal');
    const session = this.#opts.signal;
    return step && session ? AbortSignal.any([step, session]) : (step ?? session);
  }

  /** Runs `fn`; a failure other than a ReplyError closes the session (its state is unknown). */
  async #guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof ReplyError)) await this.close();
      throw err;
    }
  }

  /** Sets the transfer type: `'i'` binary, `'a'` ASCII. */
  async type(t: 'a' | 'i', opts: StepOptions = {}): Promise<void> {
    checkOneOf('type', t, ['a', 'i']);
    if (this.#type === t) return;
    await this.command('TYPE', t.toUpperCase(), '2..', opts);
    this.#type = t;
  }

  async #binaryUnlessAscii(opts: StepOptions): Promise<'a' | 'i'> {
    if (this.#type === undefined) await this.type('i', opts);
    return this.#type!;
  }

  cwd(path: string, opts: StepOptions = {}): Promise<Reply> {
    return this.command('CWD', path, '2..', opts);
  }

  cdup(opts: StepOptions = {}): Promise<Reply> {
    return this.command('CDUP', undefined, '2..', opts);
  }

  /** The current directory (from the quoted name in the 257 reply). */
  async pwd(opts: StepOptions = {}): Promise<string> {
    const r = await this.command('PWD', undefined, 257, opts);
    const m = /"((?:[^"]|"")*)"/.exec(r.message);
    if (!m) throw new ProtocolError('PWD reply without a quoted directory name', r.text);
    return m[1]!.replace(/""/g, '"');
  }

  /** The size of a file in bytes (SIZE, RFC 3659; in the current TYPE). */
  async size(path: string, opts: StepOptions = {}): Promise<number> {
    checkLine(path, 'path'); // before TYPE goes out
    await this.#binaryUnlessAscii(opts);
    const r = await this.command('SIZE', path, 213, opts);
    const n = r.message.trim();
    if (!/^\d+$/.test(n) || !Number.isSafeInteger(Number(n))) throw new ProtocolError('malformed SIZE reply', r.text);
    return Number(n);
  }

  /** The modification time of a file (MDTM, RFC 3659). */
  async mdtm(path: string, opts: StepOptions = {}): Promise<Date> {
    const r = await this.command('MDTM', path, 213, opts);
    const d = parseTimeVal(r.message.trim());
    if (!d) throw new ProtocolError('malformed MDTM reply', r.text);
    return d;
  }

  /** Creates a directory; returns the name the server reports (257) or `path`. */
  async mkd(path: string, opts: StepOptions = {}): Promise<string> {
    const r = await this.command('MKD', path, 257, opts);
    return /"((?:[^"]|"")*)"/.exec(r.message)?.[1]?.replace(/""/g, '"') ?? path;
  }

  rmd(path: string, opts: StepOptions = {}): Promise<Reply> {
    return this.command('RMD', path, '2..', opts);
  }

  dele(path: string, opts: StepOptions = {}): Promise<Reply> {
    return this.command('DELE', path, '2..', opts);
  }

  /** Renames `from` to `to` (RNFR 350, RNTO 250). */
  async rename(from: string, to: string, opts: StepOptions = {}): Promise<Reply> {
    checkLine(to, 'argument'); // before RNFR goes out
    await this.command('RNFR', from, 350, opts);
    return this.command('RNTO', to, '2..', opts);
  }

  /**
   * Downloads `path` into `sink`, or returns it as a Buffer when no sink is
   * given. `offset` resumes with REST; the sink then gets the rest only.
   */
  retrieve(path: string, sink?: undefined, opts?: SessionTransferOptions): Promise<Buffer>;
  retrieve(path: string, sink: Sink, opts?: SessionTransferOptions): Promise<TransferResult>;
  async retrieve(path: string, sink?: Sink, opts: SessionTransferOptions = {}): Promise<Buffer | TransferResult> {
    const [collect, all] = sinks.buffer();
    const result = await this.#run({ ...opts, direction: 'receive', command: 'RETR', argument: path, sink: sink ?? collect, announced: true }, true);
    return sink ? result : all();
  }

  /**
   * Uploads `source` (or a Buffer/string) to `path`. `offset` resumes with
   * REST (the source must then start at that byte); `append` uses APPE;
   * `unique` uses STOU.
   */
  store(path: string, data: Source | Uint8Array | string, opts: SessionTransferOptions & { append?: boolean } = {}): Promise<TransferResult> {
    const source = typeof data === 'function' ? data : sources.string(data);
    return this.#run({ ...opts, direction: 'send', command: opts.append ? 'APPE' : 'STOR', argument: path, source }, true);
  }

  /** Runs a transfer command of the caller's choice (e.g. `'NLST'`) into `sink`. */
  receiveCommand(cmd: string, arg: string | undefined, sink: Sink, opts: TransferOptions = {}): Promise<TransferResult> {
    return this.transfer({ ...opts, direction: 'receive', command: cmd, argument: arg, sink });
  }

  /** Runs an upload command of the caller's choice (STOR, APPE, STOU) from `source`. */
  sendCommand(cmd: string, arg: string | undefined, source: Source, opts: TransferOptions = {}): Promise<TransferResult> {
    return this.transfer({ ...opts, direction: 'send', command: cmd, argument: arg, source });
  }

  /**
   * Runs one {@link Transfer} as given: the command (upper-cased) with its
   * argument, no TYPE change; `type: 'a'` converts line ends.
   *
   * @example
   * ```ts
   * declare const s: FtpSession;
   * await s.transfer({ direction: 'receive', command: 'NLST', sink: sink.file('names.txt') });
   * ```
   */
  transfer(t: Transfer): Promise<TransferResult> {
    return this.#run({ ...t, command: t.command.toUpperCase() }, false);
  }

  /**
   * Checks the command line (tp's formatCommand: CR/LF/NUL) and offset before anything is sent; with
   * `typed`, sets TYPE I unless the session is in TYPE A and transfers in
   * the session's type; then runs the transfer, closing the session when it
   * breaks.
   */
  async #run(t: Transfer, typed: boolean): Promise<TransferResult> {
    formatCommand(t.command, t.argument);
    checkOffset(t.offset);
    const signal = this.#signal(t.signal);
    const type = typed ? await this.#binaryUnlessAscii({ signal }) : t.type;
    return this.#guard(() => transfer({ control: this.#live(), opts: this.#opts, state: this.#state }, { ...t, type, signal }));
  }

  /** Lists a directory: MLSD when the server offers MLST, else LIST (Unix or DOS lines). */
  async list(path?: string, opts: TransferOptions = {}): Promise<Entry[]> {
    const mlsd = this.features.has('MLST');
    const [sink, all] = limitedSink(MAX_LISTING_BYTES);
    await this.#run({ ...opts, direction: 'receive', command: mlsd ? 'MLSD' : 'LIST', argument: path || undefined, sink }, false);
    return mlsd ? parseMlsd(all()) : parseList(all());
  }

  /** Names in a directory (NLST). */
  async nlst(path?: string, opts: TransferOptions = {}): Promise<string[]> {
    const [snk, all] = limitedSink(MAX_LISTING_BYTES);
    await this.receiveCommand('NLST', path || undefined, snk, opts);
    return all()
      .toString('utf8')
      .split(/\r?\n/)
      .filter((l) => l !== '');
  }

  /** Says QUIT (waiting for the 221) and closes. */
  async quit(opts: StepOptions = {}): Promise<void> {
    if (this.#closed) return;
    try {
      await exchange(this.#control.tp, 'QUIT', undefined, '2..', this.#signal(opts.signal));
    } finally {
      await this.close();
    }
  }

  /** Closes the control connection without QUIT. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#control.tp.close();
  }
}

/** Connects, logs in (anonymous by default), and gives a session. See {@link ConnectOptions}. */
export async function connect(opts: ConnectOptions): Promise<FtpSession> {
  const port = checkSettings(opts);
  for (const [v, what] of [
    [opts.user, 'user name'],
    [opts.password, 'password'],
  ] as const)
    if (v !== undefined) checkLine(v, what);
  const settings = { ...opts, port, timeout: opts.timeout ?? DEFAULT_TIMEOUT };
  return new FtpSession(await openControl(settings), settings);
}
