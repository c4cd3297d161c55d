/**
 * Reads a response body off the connection into a sink, in the framing
 * the head decided: `length` (exactly Content-Length bytes), `chunked`
 * (decoded strictly, trailers collected), `close` (until the server
 * closes) or `none`. Chunks go to the sink as they arrive, as views of the
 * received buffers (no concatenation): memory stays flat for any size, and
 * a slow sink slows the socket down.
 *
 * A body cut short is a ClosedError saying how many bytes came of how many
 * (never a success); `maxBodyBytes` bounds it with a LimitError. The result
 * says whether the connection can carry another request: not after a
 * close-delimited body, nor when bytes follow the end of the body.
 *
 * @example
 * ```ts
 * declare const sock: socket.TcpClient;
 * declare const head: any;
 * const [sink, chunks] = ltn12.sink.table();
 * const { reusable } = await readBody(sock, head.framing, sink);
 * ```
 */
import { ClosedError, LimitError } from '../../core/errors.js';
import type { Sink } from '../../ltn12/index.js';
import type { TcpClient } from '../../socket/index.js';
import { ChunkedDecoder } from './chunked.js';
import type { Framing } from './response-head.js';

export interface BodyOptions {
  /** Largest body accepted (on the wire), bytes. @default unlimited */
  maxBodyBytes?: number;
  signal?: AbortSignal;
}

export interface BodyResult {
  /** Bytes of body read (on the wire, without chunk framing). */
  bytes: number;
  /** Trailer fields of a chunked body (framing fields removed). */
  trailers: [string, string][];
  /** True when the connection may carry another request. */
  reusable: boolean;
}

/** Streams the body into `sink` (without the final `null`). */
export async function readBody(sock: TcpClient, framing: Framing, sink: Sink, opts: BodyOptions = {}): Promise<BodyResult> {
  const max = opts.maxBodyBytes ?? Infinity;
  const ropts = { signal: opts.signal };
  switch (framing.kind) {
    case 'none':
      return { bytes: 0, trailers: [], reusable: !sock.dirty() };
    case 'length': {
      const total = framing.length;
      if (total > max) throw new LimitError('body', max, undefined, `the body (${total} bytes) exceeds the limit of ${max} bytes`);
      let left = total;
      while (left > 0) {
        const chunk = await sock.receivePartial(left, ropts);
        if (chunk === null) throw new ClosedError(`the server closed the connection after ${total - left} of ${total} body bytes`);
        left -= chunk.length;
        await sink(chunk);
      }
      return { bytes: total, trailers: [], reusable: !sock.dirty() };
    }
    case 'chunked': {
      const decoder = new ChunkedDecoder();
      let bytes = 0;
      while (!decoder.done) {
        const chunk = await sock.receivePartial(65536, ropts);
        if (chunk === null) throw new ClosedError(`the server closed the connection in the middle of a chunked body (${bytes} bytes decoded)`);
        for (const piece of decoder.push(chunk)) {
          bytes += piece.length;
          if (bytes > max) throw new LimitError('body', max);
          await sink(piece);
        }
      }
      return { bytes, trailers: decoder.trailers, reusable: decoder.rest.length === 0 && !sock.dirty() };
    }
    case 'close': {
      let bytes = 0;
      for (;;) {
        const chunk = await sock.receivePartial(65536, ropts);
        if (chunk === null) return { bytes, trailers: [], reusable: false };
        bytes += chunk.length;
        if (bytes > max) throw new LimitError('body', max);
        await sink(chunk);
      }
    }
  }
}
