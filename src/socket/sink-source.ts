/**
 * ltn12 sinks and sources over a connected socket (LuaSocket's
 * `socket.sink` and `socket.source`).
 *
 * Sinks: `'close-when-done'` closes the socket at the end (null chunk);
 * `'keep-open'` leaves it open. Sources: `'by-length'` gives exactly
 * `length` bytes (ClosedError if the peer closes first); `'until-closed'`
 * (and `'default'`) gives everything until the peer closes, then closes the
 * socket. Chunks are whatever arrived, at most 64 KiB, without copying.
 *
 * @example
 * ```ts
 * declare const client: socket.TcpClient;
 * declare const out: string;
 * await ltn12.pump.all(socket.source('until-closed', client), ltn12.sink.file(out));
 * ```
 */
import { ArgumentError, ClosedError } from '../core/errors.js';
import type { Sink, Source } from '../ltn12/types.js';
import type { TcpClient } from './tcp-client.js';

/** Largest chunk a socket source gives. */
export const SOURCE_CHUNK = 65536;

export type SinkMode = 'close-when-done' | 'keep-open';
export type SourceMode = 'by-length' | 'until-closed' | 'default';

/** A sink that sends every chunk to `sock`. */
export function sink(mode: SinkMode, sock: TcpClient): Sink {
  if (mode !== 'close-when-done' && mode !== 'keep-open') throw new ArgumentError(`unknown sink mode ${String(mode)}`);
  return async (chunk) => {
    if (chunk === null) {
      if (mode === 'close-when-done') await sock.close();
      return;
    }
    if (chunk.length > 0) await sock.send(chunk);
  };
}

/** A source that receives from `sock`. */
export function source(mode: SourceMode, sock: TcpClient, length?: number): Source {
  if (mode === 'by-length') {
    if (length === undefined || !Number.isSafeInteger(length) || length < 0) throw new ArgumentError("'by-length' needs a length ≥ 0");
    let left = length;
    return async () => {
      if (left === 0) return null;
      const chunk = await sock.receivePartial(Math.min(left, SOURCE_CHUNK));
      if (chunk === null) throw new ClosedError(`closed: ${left} of ${length} bytes missing`);
      left -= chunk.length;
      return chunk;
    };
  }
  if (mode !== 'until-closed' && mode !== 'default') throw new ArgumentError(`unknown source mode ${String(mode)}`);
  let done = false;
  return async () => {
    if (done) return null;
    const chunk = await sock.receivePartial(SOURCE_CHUNK);
    if (chunk === null) {
      done = true;
      await sock.close();
    }
    return chunk;
  };
}
