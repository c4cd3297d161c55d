/**
 * One transfer on an open control connection: set up the data connection,
 * send the command, move the bytes through an ltn12 pump, then read the
 * completion reply.
 *
 * Outcomes, none of them a wrong success:
 * - the command is refused (`425`, `550` …): ReplyError, nothing moved;
 * - the data connection fails (reset, timeout, abort): that error, unless
 *   the server's reply explains it (`426`, `451` …), then that ReplyError
 *   with the data error as `cause`;
 * - the data arrives but the completion reply is 4xx/5xx: ReplyError;
 * - fewer bytes arrive than the server announced (`SIZE`, or `(N bytes)` in
 *   the `150` reply) although it says `226`: ClosedError (truncated).
 *
 * Memory stays flat: chunks go from the socket to the sink (or from the
 * source to the socket) one at a time, with the pump's back-pressure.
 *
 * @example
 * ```ts
 * declare const link: Link;
 * const { bytes } = await transfer(link, { direction: 'receive', command: 'RETR', argument: 'big.iso', sink: sink.file('big.iso') });
 * ```
 */
import { AbortError, ClosedError, NetError, ProtocolError, ReplyError } from '../../core/errors.js';
import { pump, PumpError, sink as sinks, source as sources, type Sink, type Source } from '../../ltn12/index.js';
import type { Reply } from '../tp/index.js';
import { fromNetAscii, toNetAscii } from './ascii.js';
import { exchange, finalReply, readReply, type Control } from './control.js';
import { openData, type DataSocket, type DataState } from './data.js';
import type { ConnectOptions } from './request.js';

/** Per-transfer options. */
export interface TransferOptions {
  signal?: AbortSignal;
  /** LuaSocket's pump stepper. @default ltn12.pump.step */
  step?: (src: Source, snk: Sink) => Promise<boolean>;
  /** Bytes the server should send (SIZE); fewer is a ClosedError, more a ProtocolError as soon as they arrive. */
  expectedBytes?: number;
  /**
   * When set, a command that completes (2xx) without opening the data
   * connection is not an error: its reply is passed here (LuaSocket's
   * generic `ftp.get{ command = 'size', … }` hands it to the sink).
   */
  onCompleted?: (reply: Reply) => Promise<void>;
  /** Called once the data connection is open, with the announced byte count when known. */
  onStart?: (size: number | undefined) => void;
  /** Called after every chunk with the running byte count. */
  onProgress?: (bytes: number) => void;
}

/** What a finished transfer reports. */
export interface TransferResult {
  bytes: number;
  reply: Reply;
}

/** Longest wait for an explaining reply after a data connection failed, ms. */
const EXPLAIN_WAIT = 5000;

function unwrap(err: unknown, side: 'source' | 'sink'): unknown {
  return err instanceof PumpError && err.side === side ? err.cause : err;
}

/** After a data failure: the server's 4xx/5xx reply, if one comes soon, explains it better. */
async function explain(control: Control, err: unknown, timeout: number): Promise<never> {
  if (err instanceof NetError && err.code === 'aborted') throw err;
  let reply: Reply | undefined;
  try {
    reply = await readReply(control.tp, AbortSignal.timeout(Math.min(timeout, EXPLAIN_WAIT)));
  } catch {
    throw err;
  }
  if (reply.code >= 400) throw new ReplyError(reply.code, reply.text, undefined, { cause: err });
  throw err;
}

/** The connection a transfer runs on. */
export interface Link {
  control: Control;
  /** Data-connection mode (`passive`, `extended`, `usePasvAddress`), `timeout`, the session's `signal`, `create`. */
  opts: ConnectOptions;
  /** What the session learnt about EPSV/EPRT. */
  state: DataState;
}

/** One transfer: what to send, which way the bytes go, and how. */
export type Transfer = TransferOptions & {
  /** The transfer command (RETR, LIST, MLSD, NLST, STOR, APPE, STOU…), sent as given. */
  command: string;
  argument?: string;
  /** `'a'`: line ends become LF locally and CRLF on the wire; `'i'` or none: bytes as they are. */
  type?: 'a' | 'i';
  /** Resume from this byte: REST before the command (and SIZE's `expectedBytes` counts from 0). */
  offset?: number;
  /** Trust a `(N bytes)` count in the 1xx reply as the size to expect (not in TYPE A, not with an offset). @default false */
  announced?: boolean;
} & ({ direction: 'receive'; sink: Sink } | { direction: 'send'; source: Source });

/**
 * Runs one transfer on `link` (see the module doc): REST when `offset`,
 * the data connection, the command, the bytes, the completion reply.
 */
export async function transfer(link: Link, t: Transfer): Promise<TransferResult> {
  const { control, opts } = link;
  const signal = t.signal ?? opts.signal;
  if (t.offset) await exchange(control.tp, 'REST', String(t.offset), 350, signal);
  if (t.direction === 'send') {
    const source = t.type === 'a' ? sources.chain(t.source, toNetAscii()) : t.source;
    return run(link, t, signal, t.expectedBytes, (sock) => sendAll(sock, source, t, signal));
  }
  const sink = t.type === 'a' ? sinks.chain(fromNetAscii(), t.sink) : t.sink;
  const limit = t.type === 'a' || t.expectedBytes === undefined ? undefined : t.expectedBytes - (t.offset ?? 0);
  return run(link, t, signal, limit, (sock) => receiveAll(sock, sink, { ...t, expectedBytes: limit }, signal));
}

async function run(
  link: Link,
  t: Transfer,
  signal: AbortSignal | undefined,
  expectedBytes: number | undefined,
  move: (sock: DataSocket) => Promise<number>,
): Promise<TransferResult> {
  const { control, opts } = link;
  const data = await openData(control, { ...opts, signal }, link.state);
  let bytes: number;
  let expected = expectedBytes;
  try {
    await control.tp.command(t.command, t.argument);
    const first = await readReply(control.tp, signal);
    if (first.code >= 400) throw new ReplyError(first.code, first.text);
    if (first.code >= 200 && first.code < 300 && t.onCompleted) {
      // LuaSocket's generic form: a command that completes at once (SIZE, MDTM, …) has its reply handed over
      await t.onCompleted(first);
      return { bytes: 0, reply: first };
    }
    if (first.code >= 200) throw new ProtocolError(`${t.command} completed without opening the data connection`, first.text);
    const m = t.announced && t.type !== 'a' && !t.offset && expected === undefined ? /\((\d+) bytes\)/i.exec(first.text) : null;
    if (m) expected = Number(m[1]);
    const sock = await data.ready();
    t.onStart?.(expected);
    try {
      bytes = await move(sock);
    } catch (err) {
      await data.close();
      return await explain(control, err, opts.timeout ?? 60_000);
    }
  } finally {
    await data.close();
  }
  const reply = await finalReply(control.tp, '2..', signal);
  if (expected !== undefined && bytes < expected) {
    throw new ClosedError(`closed: the data connection ended after ${bytes} of ${expected} bytes`);
  }
  return { bytes, reply };
}

/** Pumps the data connection into `sink`; more than `t.expectedBytes` is a ProtocolError as soon as it arrives. */
async function receiveAll(sock: DataSocket, sink: Sink, t: TransferOptions, signal: AbortSignal | undefined): Promise<number> {
  let bytes = 0;
  const src: Source = async () => {
    if (signal?.aborted) throw new AbortError('aborted', undefined, { cause: signal.reason });
    const chunk = await sock.receive(signal);
    if (chunk !== null) {
      bytes += chunk.length;
      if (t.expectedBytes !== undefined && bytes > t.expectedBytes) {
        throw new ProtocolError(`the data connection sent more than the ${t.expectedBytes} bytes SIZE announced (${bytes} so far)`);
      }
      t.onProgress?.(bytes);
    }
    return chunk;
  };
  try {
    await pump.all(src, sink, t.step);
  } catch (err) {
    throw unwrap(err, 'source');
  }
  return bytes;
}

/** Pumps `source` into the data connection, then closes it cleanly. */
async function sendAll(sock: DataSocket, source: Source, t: TransferOptions, signal: AbortSignal | undefined): Promise<number> {
  let bytes = 0;
  const snk: Sink = async (chunk) => {
    if (chunk === null || chunk.length === 0) return;
    await sock.send(chunk, signal);
    bytes += chunk.length;
    t.onProgress?.(bytes);
  };
  try {
    await pump.all(source, snk, t.step);
  } catch (err) {
    throw unwrap(err, 'sink');
  }
  // FIN (and TLS close_notify), then wait for the server to close its side:
  // only then has it seen every byte.
  sock.shutdown();
  while ((await sock.receive(signal)) !== null);
  return bytes;
}
