/**
 * Sends a request: the head, then the body — a Buffer (with its
 * Content-Length, in the same write as the head when small), or a source
 * pumped chunk by chunk: with the caller's `Content-Length` when known
 * (a source that gives more or fewer bytes is an ArgumentError and the
 * connection is not reused), else in the chunked coding, which needs no
 * length up front. The caller's `step` (LuaSocket's pump step) moves the
 * chunks when given.
 *
 * @example
 * ```ts
 * declare const sock: socket.TcpClient;
 * declare const head: any;
 * await writeRequest(sock, head, { source: ltn12.source.file('big.iso') }); // chunked
 * ```
 */
import { ArgumentError } from '../../core/errors.js';
import { pump, type Sink, type Source } from '../../ltn12/index.js';
import type { TcpClient } from '../../socket/index.js';

export interface RequestBody {
  body?: Buffer;
  source?: Source;
  /** Declared Content-Length for a source; undefined = chunked. */
  length?: number;
  step?: (src: Source, snk: Sink) => Promise<boolean>;
  signal?: AbortSignal;
}

const CRLF = Buffer.from('\r\n');
const LAST_CHUNK = Buffer.from('0\r\n\r\n');
/** Bodies up to this size travel in the same write as the head. */
export const COALESCE = 16 * 1024;

/** Writes `head` (already serialised) and the body. */
export async function writeRequest(sock: TcpClient, head: string, req: RequestBody): Promise<void> {
  const opts = { signal: req.signal };
  const headBytes = Buffer.from(head, 'latin1');
  if (req.body !== undefined) {
    if (req.body.length <= COALESCE) await sock.send(Buffer.concat([headBytes, req.body]), undefined, undefined, opts);
    else {
      await sock.send(headBytes, undefined, undefined, opts);
      await sock.send(req.body, undefined, undefined, opts);
    }
    return;
  }
  await sock.send(headBytes, undefined, undefined, opts);
  if (req.source === undefined) return;
  await pump.all(req.source, bodySink(sock, req.length, opts), req.step);
}

/** The sink a request body goes into: exactly `length` bytes when given (ArgumentError otherwise), else chunked. */
export function bodySink(sock: TcpClient, length: number | undefined, opts: { signal?: AbortSignal }): Sink {
  return length === undefined ? chunkedSink(sock, opts) : lengthSink(sock, length, opts);
}

function chunkedSink(sock: TcpClient, opts: { signal?: AbortSignal }): Sink {
  return async (chunk) => {
    if (chunk === null) {
      await sock.send(LAST_CHUNK, undefined, undefined, opts);
      return;
    }
    if (chunk.length === 0) return; // an empty chunk would end the body
    await sock.send(`${chunk.length.toString(16)}\r\n`, undefined, undefined, opts);
    await sock.send(chunk, undefined, undefined, opts);
    await sock.send(CRLF, undefined, undefined, opts);
  };
}

function lengthSink(sock: TcpClient, length: number, opts: { signal?: AbortSignal }): Sink {
  let sent = 0;
  return async (chunk) => {
    if (chunk === null) {
      if (sent !== length) throw new ArgumentError(`the source gave ${sent} bytes but Content-Length says ${length}`);
      return;
    }
    sent += chunk.length;
    if (sent > length) throw new ArgumentError(`the source gave more than the ${length} bytes Content-Length says`);
    await sock.send(chunk, undefined, undefined, opts);
  };
}
