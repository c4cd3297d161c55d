/**
 * The one-call forms, LuaSocket's `ftp.get`, `ftp.put` and `ftp.command`,
 * plus `list` and `download` (for `netkit get`). Each opens a session, does
 * one thing, says QUIT, and closes — also when it fails.
 *
 * - `get(url)` → Buffer; `get({ url | host…, path, sink })` streams into
 *   `sink`. `;type=a` transfers text (line ends → LF), `;type=d` lists names (NLST).
 * - `put(url, data)` uploads a Buffer or string; `put({ …, source })` streams.
 * - `command({ …, command, argument, check })` sends one command after login.
 * - `list(url)` → parsed entries (MLSD when offered, else LIST).
 *
 * @example
 * ```ts
 * import { ftp, ltn12 } from 'netkit';
 * const readme = await ftp.get('ftp://127.0.0.1:2121/README');
 * await ftp.put('ftp://user:pass@127.0.0.1:2121/up.txt', 'hello\n');
 * await ftp.get({ url: 'ftp://127.0.0.1:2121/big.iso', sink: ltn12.sink.file('big.iso') });
 * ```
 */
import { ArgumentError, LimitError, ReplyError } from '../../core/errors.js';
import { checkInteger } from '../../core/validate.js';
import { PumpError, source as sources, type Sink, type Source } from '../../ltn12/index.js';
import { checkLine, type Expected, type Reply } from '../tp/index.js';
import type { Entry } from './listing.js';
import { MAX_GET_BYTES, normalize, type FtpRequest, type Normalized } from './request.js';
import { connect, MAX_LISTING_BYTES, type FtpSession } from './session.js';
import type { TransferOptions, TransferResult } from './transfer.js';

async function withSession<T>(req: Normalized, fn: (s: FtpSession) => Promise<T>): Promise<T> {
  const s = await connect(req);
  let result: T;
  try {
    result = await fn(s);
  } catch (err) {
    await s.close();
    throw err;
  }
  await s.quit().catch(() => s.close());
  return result;
}

async function fetchInto(s: FtpSession, r: Normalized, sink: Sink, t: TransferOptions): Promise<TransferResult> {
  const argument = r.argument ?? (r.path || undefined);
  if (r.type === 'd') return s.transfer({ ...t, direction: 'receive', command: r.command ?? 'NLST', argument, sink });
  if (r.type === 'a') await s.type('a');
  if (r.command !== undefined && r.command.toUpperCase() !== 'RETR') {
    // LuaSocket's generic form: a command that completes with 2xx and no data connection (SIZE, MDTM…) hands its reply to the sink
    const onCompleted = async (reply: Reply) => {
      await sink(Buffer.from(reply.lines.join('\r\n'), 'utf8'));
      await sink(null);
    };
    return s.transfer({ ...t, direction: 'receive', command: r.command, argument, sink, onCompleted });
  }
  const path = r.argument ?? r.path;
  if (path === '') throw new ArgumentError('nothing to get: the request has no path');
  return s.retrieve(path, sink, { ...t, offset: r.offset });
}

/** Downloads: `get(url)` → Buffer; `get(request)` → Buffer, or a TransferResult when the request has a `sink`. */
export function get(req: string): Promise<Buffer>;
export function get(req: FtpRequest & { sink: Sink }): Promise<TransferResult>;
export function get(req: FtpRequest): Promise<Buffer>;
export async function get(req: string | FtpRequest): Promise<Buffer | TransferResult> {
  const r = normalize(req);
  const given = typeof req === 'string' ? undefined : req.sink;
  const fallback = r.type === 'd' ? MAX_LISTING_BYTES : MAX_GET_BYTES;
  const limit = checkInteger('maxBytes', typeof req === 'string' ? undefined : req.maxBytes, { min: 0 }, fallback);
  const [collect, all] = cappedSink(limit, r.type === 'd' ? 'listing' : 'ftp.get body');
  let result: TransferResult;
  try {
    result = await withSession(r, (s) => fetchInto(s, r, given ?? collect, { step: r.step }));
  } catch (err) {
    // our own cap, not a failure of the caller's sink: the LimitError itself
    if (given === undefined && err instanceof PumpError && err.cause instanceof LimitError) throw err.cause;
    throw err;
  }
  return given ? result : all();
}

/** A sink collecting at most `limit` bytes; more is a LimitError naming `what`. */
function cappedSink(limit: number, what: string): [Sink, () => Buffer] {
  const chunks: Buffer[] = [];
  let size = 0;
  const snk: Sink = async (chunk) => {
    if (chunk === null) return;
    size += chunk.length;
    if (size > limit) throw new LimitError(what, limit, undefined, `${what} larger than ${limit} bytes (maxBytes)`);
    chunks.push(chunk);
  };
  return [snk, () => (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks))];
}

/** Uploads: `put(url, data)` or `put({ url | host…, path, source })`. Resolves when the server confirmed (226). */
export async function put(req: string | FtpRequest, data?: Uint8Array | string | Source): Promise<TransferResult> {
  const r = normalize(req);
  const src = data ?? (typeof req === 'string' ? undefined : req.source);
  if (src === undefined) throw new ArgumentError('put needs data or a source');
  const path = r.argument ?? r.path;
  if (path === '' && r.command?.toUpperCase() !== 'STOU') throw new ArgumentError('nothing to put to: the request has no path');
  return withSession(r, async (s) => {
    if (r.type === 'a') await s.type('a');
    const t: TransferOptions = { step: r.step };
    const cmd = (r.command ?? 'STOR').toUpperCase();
    if (cmd === 'STOR' || cmd === 'APPE') return s.store(path, src, { ...t, append: cmd === 'APPE', offset: r.offset });
    return s.transfer({ ...t, direction: 'send', command: cmd, argument: path || undefined, source: typeof src === 'function' ? src : sources.string(src) });
  });
}

/** One command of {@link command}'s list form. */
export interface FtpCommand {
  command: string;
  argument?: string;
  /** What its reply must be (default 2xx). */
  check?: Expected;
}

/**
 * Sends a command after login and returns its reply (checked against
 * `check`, default 2xx). As LuaSocket's `ftp.command`, `command` may also be
 * a list — of names with `argument` and `check` lists beside them, or of
 * `{ command, argument, check }` — sent in order; the replies come back in
 * a list and the first failing check stops there (ReplyError).
 *
 * @example
 * ```ts
 * await ftp.command({ url: 'ftp://127.0.0.1:2121/', command: ['MKD', 'RMD'], argument: ['tmp', 'tmp'], check: [257, 250] });
 * ```
 */
export async function command(req: FtpRequest & { command: string; check?: Expected }): Promise<Reply>;
export async function command(
  req: Omit<FtpRequest, 'command' | 'argument'> & {
    command: readonly (string | FtpCommand)[];
    argument?: readonly (string | undefined)[];
    check?: readonly Expected[];
  },
): Promise<Reply[]>;
export async function command(
  req: Omit<FtpRequest, 'command' | 'argument'> & { command?: unknown; argument?: unknown; check?: unknown },
): Promise<Reply | Reply[]> {
  if (!Array.isArray(req.command)) {
    const r = normalize(req as FtpRequest);
    if (!r.command) throw new ArgumentError('ftp.command needs a command');
    return withSession(r, (s) => s.command(r.command!, r.argument, (req.check as Expected | undefined) ?? '2..'));
  }
  const list = listOfCommands(req.command, req.argument, req.check);
  const r = normalize({ ...req, command: undefined, argument: undefined, check: undefined } as FtpRequest);
  return withSession(r, async (s) => {
    const replies: Reply[] = [];
    for (const c of list) replies.push(await s.command(c.command, c.argument, c.check ?? '2..'));
    return replies;
  });
}

/** The list form of `command` as `{ command, argument, check }` items, each checked before anything is sent. */
function listOfCommands(commands: unknown[], args: unknown, checks: unknown): FtpCommand[] {
  if (commands.length === 0) throw new ArgumentError('ftp.command needs at least one command');
  if (args !== undefined && !Array.isArray(args)) throw new ArgumentError('with a list of commands, argument is a list too');
  if (checks !== undefined && !Array.isArray(checks)) throw new ArgumentError('with a list of commands, check is a list too');
  return commands.map((c, i) => {
    const item: FtpCommand =
      typeof c === 'string'
        ? { command: c, argument: (args as unknown[] | undefined)?.[i] as string | undefined, check: (checks as Expected[] | undefined)?.[i] }
        : (c as FtpCommand);
    if (typeof item !== 'object' || item === null || typeof item.command !== 'string' || item.command === '')
      throw new ArgumentError(`ftp.command: item ${i} is not a command`);
    checkLine(item.command, 'command');
    if (item.argument !== undefined) checkLine(String(item.argument), 'argument');
    return item;
  });
}

/** Lists a directory as parsed entries. */
export async function list(req: string | FtpRequest): Promise<Entry[]> {
  const r = normalize(req);
  return withSession(r, (s) => s.list(r.argument ?? (r.path || undefined)));
}

/** Progress of {@link download}. */
export interface DownloadOptions {
  /** Called once when the transfer starts, with the size when the server tells it (SIZE or the 150 reply). */
  onStart?: (size: number | undefined) => void;
  /** Called after every chunk with the bytes received so far. */
  onProgress?: (bytes: number) => void;
  step?: TransferOptions['step'];
  signal?: AbortSignal;
}

/**
 * Downloads a URL into `sink`, reporting its size when known (SIZE) and the
 * progress; for the `netkit get` command. Fewer bytes than SIZE announced
 * is a ClosedError.
 *
 * @example
 * ```ts
 * declare const bar: any;
 * const { bytes, size } = await download('ftp://127.0.0.1:2121/big.iso', ltn12.sink.file('big.iso'), {
 *   onStart: (size) => bar.start(size), onProgress: (n) => bar.update(n),
 * });
 * ```
 */
export async function download(req: string | FtpRequest, sink: Sink, opts: DownloadOptions = {}): Promise<{ bytes: number; size: number | undefined }> {
  const r = normalize(req);
  if (opts.signal) r.signal = opts.signal;
  return withSession(r, async (s) => {
    let size: number | undefined;
    if (r.type !== 'a' && r.type !== 'd' && r.path !== '') {
      size = await s.size(r.path).catch((err: unknown) => {
        if (err instanceof ReplyError) return undefined;
        throw err;
      });
    }
    let announced: number | undefined;
    const t: TransferOptions = { step: opts.step, onProgress: opts.onProgress, onStart: (n) => opts.onStart?.((announced = n)), expectedBytes: size };
    const { bytes } = await fetchInto(s, r, sink, t);
    return { bytes, size: size ?? announced };
  });
}
