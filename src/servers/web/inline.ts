/**
 * The static server's inline path: requests whose answer memory alone
 * decides — a cached file, HEAD, a 304, a 404, a folder's redirect — are
 * answered synchronously as their bytes arrive (`TcpClient.setInline`),
 * with no receive, promise or timer per request. This is what brings a
 * small cached file near nginx's rate; see BENCHMARKS.md (web server, 1 KiB).
 *
 * The path only takes what it can finish at once: the connection must be
 * waiting idle for its next request, each head complete, without a body,
 * keeping the connection, its response decided from memory and sent in one
 * write with nothing queued before it. Anything else — a partial or
 * malformed head, a file to read from disk, a full send buffer, the last
 * request allowed on the connection — stops the path at that request's
 * first byte, and the awaited loop in `connection.ts` takes over from there
 * with the same checks, so answers and order are the same on both paths.
 *
 * @example
 * ```ts
 * declare const conn: InlineConn;
 * declare const chunk: Buffer;
 * const consumed = answerInline(conn, chunk); // bytes of whole requests answered
 * ```
 */
import { parseRequestHead, type RequestHead } from '../../protocols/http/request-parser.js';
import type { TcpClient } from '../../socket/index.js';
import { logRequest } from './access-log.js';
import type { WebContext } from './connection.js';
import type { ConnectionDeadline } from './deadline.js';
import { afterLookup, beforeLookup, type Ready } from './decide.js';
import type { HeadReader } from './head-reader.js';
import { oneWrite, type Framing } from './respond.js';

/** One connection as both paths see it; `served` counts the requests answered on either. */
export interface InlineConn {
  client: TcpClient;
  ctx: WebContext;
  reader: HeadReader;
  deadline: ConnectionDeadline;
  remote: string;
  served: number;
}

/** Answers the whole requests at the start of `chunk` that memory alone decides; returns the bytes they took. */
export function answerInline(conn: InlineConn, chunk: Buffer): number {
  if (!conn.reader.parked || conn.ctx.closing) return 0;
  let off = 0;
  try {
    while (off < chunk.length) {
      const r = parseRequestHead(off === 0 ? chunk : chunk.subarray(off), conn.ctx.limits);
      if (r === null || !answerOne(conn, r.head)) break;
      off += r.consumed;
    }
  } catch {
    // a malformed head: the awaited path parses it again and answers with its 4xx
  }
  if (off > 0) conn.deadline.arm(conn.ctx.idleTimeout, 'next request'); // the idle wait starts again
  return off;
}

/** Sends the response to `head` if it can be done now, else false (nothing sent). */
function answerOne(conn: InlineConn, head: RequestHead): boolean {
  const { ctx } = conn;
  if (head.body.kind !== 'none' || !head.keepAlive || conn.served + 1 >= ctx.maxRequests) return false;
  const started = performance.now();
  const framing: Framing = { close: false, keepAlive10: head.version === '1.0' };
  const r = decideNow(ctx, head, framing);
  if (r === null || framing.close) return false;
  const bytes = r.wire ?? oneWrite(r.head, r.body);
  if (bytes === null || !conn.client.write(bytes)) return false;
  conn.served++;
  if (ctx.log !== null) logRequest(ctx.log, conn.remote, head, r.status, r.body === null ? 0 : r.body.length, performance.now() - started);
  return true;
}

/** The response when memory decides it (the lookup is cached), else null. */
function decideNow(ctx: WebContext, head: RequestHead, framing: Framing): Ready | null {
  const path = beforeLookup(ctx, head, framing);
  if ('status' in path) return path;
  const found = ctx.store.cached(path);
  if (found === undefined) return null;
  const r = afterLookup(head, path, found, framing);
  return 'status' in r ? r : null;
}
