/**
 * The socket a plain (non-TLS) passive data connection uses: a TCP
 * connection that reads with `onread` into fresh 256 KiB buffers — four
 * times fewer reads, and a third less CPU per byte, than a socket's 64 KiB
 * 'data' events — behind the small {@link DataSocket} interface the
 * transfer loop speaks. Chunks are never reused, so a sink may keep them.
 *
 * Bounded: at most {@link MAX_QUEUED} chunks wait for the reader (then the
 * socket is paused, so memory stays flat); every wait has the block timeout.
 *
 * @example
 * ```ts
 * declare const consume: any;
 * const d = await connectBulk('127.0.0.1', 30001, { timeout: 60000 });
 * for (let c; (c = await d.receive()) !== null;) consume(c);
 * await d.close();
 * ```
 */
import net from 'node:net';
import { AbortError, ClosedError, SendError, TimeoutError, toNetError } from '../../core/errors.js';
import type { TcpClient } from '../../socket/index.js';

/** What the transfer loop needs from a data connection. */
export interface DataSocket {
  /** The next chunk, or null at the end. */
  receive(signal?: AbortSignal): Promise<Buffer | null>;
  send(chunk: Buffer, signal?: AbortSignal): Promise<void>;
  /** Sends FIN (and TLS close_notify) after queued data. */
  shutdown(): void;
  close(): Promise<void>;
}

/** Largest chunk a TcpClient-backed data socket hands out. */
const CHUNK = 256 * 1024;

/** A {@link DataSocket} over a TcpClient (TLS, active mode, or a caller's `create`). */
export function clientDataSocket(sock: TcpClient): DataSocket {
  return {
    receive: (signal) => sock.receivePartial(CHUNK, { signal }),
    send: async (chunk, signal) => void (await sock.send(chunk, undefined, undefined, { signal })),
    shutdown: () => sock.shutdown('send'),
    close: () => sock.close(),
  };
}

/** Bytes per read. */
export const READ_SIZE = 256 * 1024;
/** Chunks held for the reader before the socket is paused. */
export const MAX_QUEUED = 8;

/** Connects a bulk data socket (see the module doc). */
export async function connectBulk(host: string, port: number, opts: { timeout: number; signal?: AbortSignal }): Promise<DataSocket> {
  const queue: Buffer[] = [];
  let head = 0;
  let ended = false;
  let closed = false;
  let failure: Error | null = null;
  let paused = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  const sock = net.connect({
    host, port, allowHalfOpen: true, noDelay: false,
    onread: {
      buffer: () => Buffer.allocUnsafe(READ_SIZE),
      callback: (n: number, buf: Uint8Array) => {
        queue.push(Buffer.from(buf.buffer, buf.byteOffset, n));
        notify();
        if (queue.length - head >= MAX_QUEUED) {
          paused = true;
          return false;
        }
        return true;
      },
    },
  } as net.NetConnectOpts);
  sock.on('end', () => ((ended = true), notify()));
  sock.on('close', () => ((closed = ended = true), notify()));
  sock.on('error', (err) => ((failure = toNetError(err)), notify()));
  sock.on('drain', notify);

  /** Waits for `ready()`, a failure or the close, bounded by the block timeout and the signal. */
  const wait = (ready: () => boolean, what: string, signal?: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(new AbortError(`${what} aborted`, undefined, { cause: signal.reason }));
      const timer = setTimeout(() => finish(new TimeoutError(`${what} timed out`)), opts.timeout);
      const onAbort = () => finish(new AbortError(`${what} aborted`, undefined, { cause: signal?.reason }));
      signal?.addEventListener('abort', onAbort, { once: true });
      const finish = (err?: Error) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        wake = null;
        if (err) reject(err);
        else resolve();
      };
      const check = () => (ready() || closed || failure ? finish() : (wake = check));
      check();
    });

  const connected = new Promise<void>((resolve, reject) => {
    sock.once('connect', resolve);
    sock.once('error', reject);
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      connected,
      new Promise((_r, reject) => (timer = setTimeout(() => reject(new TimeoutError(`connect to ${host}:${port} timed out`)), opts.timeout))),
    ]);
  } catch (err) {
    sock.destroy();
    throw toNetError(err, `connect to ${host}:${port}`);
  } finally {
    clearTimeout(timer);
  }

  return {
    async receive(signal) {
      if (head === queue.length && !ended && failure === null) await wait(() => head < queue.length || ended, 'data receive', signal);
      if (head < queue.length) {
        const chunk = queue[head]!;
        queue[head++] = undefined as unknown as Buffer;
        if (head === queue.length) queue.length = head = 0;
        if (paused && queue.length - head < MAX_QUEUED / 2) {
          paused = false;
          sock.resume();
        }
        return chunk;
      }
      if (failure !== null) throw new ClosedError(`closed: ${(failure as Error).message}`, undefined, { cause: failure });
      return null;
    },
    async send(chunk, signal) {
      if (failure !== null || sock.destroyed) throw new SendError('closed', 'cannot send: the data connection is closed', 0, { cause: failure ?? undefined });
      if (sock.write(chunk)) return;
      await wait(() => !sock.writableNeedDrain, 'data send', signal);
      if (failure !== null || (closed && sock.writableNeedDrain)) throw new SendError('closed', `send failed: ${(failure as Error | null)?.message ?? 'closed'}`, 0, { cause: failure ?? undefined });
    },
    shutdown: () => void sock.end(),
    close: () =>
      new Promise<void>((resolve) => {
        if (sock.closed) return resolve();
        sock.once('close', () => resolve());
        sock.destroy();
      }),
  };
}
