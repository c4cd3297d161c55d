/**
 * Reads one response head from a connection: bytes are taken as they
 * arrive, parsed strictly (see `response-head.ts`), and whatever followed
 * the head is put back for the body reader. Interim responses (100, 102,
 * 103) are skipped, at most ten of them; an unrequested `101` is refused.
 *
 * @example
 * ```ts
 * declare const sock: socket.TcpClient;
 * await sock.send('GET / HTTP/1.1\r\nHost: h\r\n\r\n');
 * const head = await readHead(sock, { method: 'GET' });
 * head.code; // 200
 * ```
 */
import { ClosedError, ProtocolError } from '../../core/errors.js';
import type { TcpClient } from '../../socket/index.js';
import { parseResponseHead, type HeadOptions, type ResponseHead } from './response-head.js';

/** Interim (1xx) responses skipped before giving up. */
export const MAX_INTERIM = 10;

export interface ReadHeadOptions extends HeadOptions {
  signal?: AbortSignal;
  /** Called each time bytes came but the head is not complete yet (before waiting for more). */
  onPartial?: () => void;
}

/**
 * The next final response head on `sock`.
 * @throws {ProtocolError} malformed head, an unrequested 101, too many 1xx.
 * @throws {LimitError} past `maxHeaderBytes` or `maxHeaders`.
 * @throws {ClosedError} the peer closed first; `partial` holds the head bytes that came.
 */
export async function readHead(sock: TcpClient, opts: ReadHeadOptions = {}): Promise<ResponseHead> {
  let buf: Buffer | null = null;
  let interim = 0;
  for (;;) {
    const chunk = await sock.receivePartial(65536, { signal: opts.signal });
    if (chunk === null) {
      throw new ClosedError(
        buf === null ? 'the server closed the connection before responding' : 'the server closed the connection in the middle of the response head',
        buf ?? undefined,
      );
    }
    buf = buf === null ? chunk : Buffer.concat([buf, chunk]);
    for (;;) {
      const r = parseResponseHead(buf, opts);
      if (r === null) {
        opts.onPartial?.();
        break;
      }
      const rest: Buffer = buf.subarray(r.consumed);
      if (r.head.code >= 200) {
        if (rest.length > 0) sock.unshift(rest);
        return r.head;
      }
      if (r.head.code === 101) throw new ProtocolError('101 Switching Protocols without an upgrade request', r.head.status);
      if (++interim > MAX_INTERIM) throw new ProtocolError(`more than ${MAX_INTERIM} interim (1xx) responses`, r.head.status);
      buf = rest;
      if (buf.length === 0) {
        buf = null;
        break;
      }
    }
  }
}
