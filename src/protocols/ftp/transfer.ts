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
 * declare const control: any;
 * declare const opts: any;
 * declare const state: any;
 * const { bytes } = await receive(control, opts, state, 'RETR', 'big.iso', sink.file('big.iso'), {});
 * ```
 */
import { AbortError, ClosedError, NetError, ProtocolError, ReplyError } from '../../core/errors.js';
import { pump, PumpError, type Sink, type Source } from '../../ltn12/index.js';
import type { DataSocket } from './data.js';
import type { Reply } from '../tp/index.js';
import { finalReply, readReply, type Control } from './control.js';
import { openData, type DataState } from './data.js';
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

async function run(
  control: Control, opts: ConnectOptions, state: DataState, cmd: string, arg: string | undefined,
  move: (sock: DataSocket) => Promise<number>, t: TransferOptions, announced: boolean,
): Promise<TransferResult> {
  const signal = t.signal ?? opts.signal;
  const data = await openData(control, { ...opts, signal }, state);
  let bytes: number;
  let expected = t.expectedBytes;
  try {
    await control.tp.command(cmd, arg);
    const first = await readReply(control.tp, signal);
    if (first.code >= 400) throw new ReplyError(first.code, first.text);
    if (first.code >= 200 && first.code < 300 && t.onCompleted) {
      // LuaSocket's generic form: a command that completes at once (SIZE, MDTM, …) has its reply handed over
      await t.onCompleted(first);
      return { bytes: 0, reply: first };
    }
    if (first.code >= 200) throw new ProtocolError(`${cmd} completed without opening the data connection`, first.text);
    const m = announced && expected === undefined ? /\((\d+) bytes\)/i.exec(first.text) : null;
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

/** Runs `cmd arg` (RETR, LIST, MLSD, NLST) and pumps the data into `sink`. */
export function receive(control: Control, opts: ConnectOptions, state: DataState, cmd: string, arg: string | undefined, sink: Sink, t: TransferOptions = {}, announced = true): Promise<TransferResult> {
  return run(control, opts, state, cmd, arg, async (sock) => {
    let bytes = 0;
    const signal = t.signal ?? opts.signal;
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
  }, t, announced);
}

/** Runs `cmd arg` (STOR, APPE, STOU) and pumps `source` into the data connection, then closes it cleanly. */
export function send(control: Control, opts: ConnectOptions, state: DataState, cmd: string, arg: string | undefined, source: Source, t: TransferOptions = {}): Promise<TransferResult> {
  return run(control, opts, state, cmd, arg, async (sock) => {
    let bytes = 0;
    const signal = t.signal ?? opts.signal;
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
  }, t, false);
}
