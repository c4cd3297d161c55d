/**
 * One connection of the static server: read a request head, answer it,
 * repeat while both sides keep the connection (HTTP/1.1 by default, 1.0
 * with `Connection: keep-alive`), answering pipelined requests in order.
 *
 * Per request: a method other than GET or HEAD gets 405 with `Allow`; a
 * body (`Content-Length`) is read and dropped up to `maxBodyBytes`, a bigger
 * one gets 413 and the connection is closed unread, as is a chunked body or
 * one behind `Expect: 100-continue`. A malformed head gets its 4xx/5xx with
 * `Connection: close`, then the connection closes (hostile-inputs WS-30).
 * Each request gives one access-log line.
 *
 * @example
 * ```ts
 * declare const context: any;
 * await servers.serve({ port: 0, idleTimeout: null }, (client) => serveConnection(client, context));
 * ```
 */
import { LimitError, NetError, TimeoutError } from '../../core/errors.js';
import { RequestError, requestErrorStatus, type RequestHead, type RequestLimits } from '../../protocols/http/request-parser.js';
import type { TcpClient } from '../../socket/index.js';
import { logRequest, writeAccess, type AccessLog } from './access-log.js';
import type { FileStore } from './file-store.js';
import { ConnectionDeadline } from './deadline.js';
import { HeadReader } from './head-reader.js';
import type { Inflight } from './inflight.js';
import type { ChunkSlots } from './chunk-slots.js';
import { afterLookup, beforeLookup, fromEntry, okFields, type Ready, simpleResponse } from './decide.js';
import { answerInline, type InlineConn } from './inline.js';
import { headText, sendFile, sendWhole, sendWithin, type Framing, type SendLimit } from './respond.js';
import { selectResponse } from './select-response.js';

/** What every connection of one server shares. */
export interface WebContext {
  store: FileStore;
  /** File bytes in flight beyond each connection's floor, server-wide. */
  pool: Inflight;
  /** The buffers file chunks are read into. */
  slots: ChunkSlots;
  limits: RequestLimits;
  maxPathBytes: number;
  idleTimeout: number;
  headerTimeout: number;
  sendTimeout: number;
  maxBodyBytes: number;
  maxRequests: number;
  dotfiles: boolean;
  log: AccessLog | null;
  /** Set by `close()`: finish the current response, take no more. */
  closing: boolean;
  /** Connections waiting for their next request (closed at once by `close()`). */
  idle: Set<TcpClient>;
}

/** Serves requests on `client` until either side ends the connection. */
export async function serveConnection(client: TcpClient, ctx: WebContext): Promise<void> {
  client.setOption('tcp-nodelay', true);
  client.setTimeout(null); // every wait is bounded by the connection's own deadline instead
  const remote = client.getPeerName().address;
  const deadline = new ConnectionDeadline();
  const limit: SendLimit = { deadline, ms: ctx.sendTimeout };
  const reader = new HeadReader(client, {
    idleTimeout: ctx.idleTimeout,
    headerTimeout: ctx.headerTimeout,
    limits: ctx.limits,
    deadline,
    onIdle: (idle) => (idle ? ctx.idle.add(client) : ctx.idle.delete(client)),
  });
  const conn: InlineConn = { client, ctx, reader, deadline, remote, served: 0 };
  client.setInline((chunk) => answerInline(conn, chunk));
  while (!ctx.closing) {
    const served = ++conn.served;
    let head: RequestHead | null;
    try {
      head = await reader.next();
    } catch (err) {
      await refuse(client, ctx, remote, err, limit);
      return;
    }
    if (head === null) return;
    const started = performance.now();
    const out: Outcome = { status: 0, bytes: 0 };
    const body = head.body;
    const unread = body.kind === 'chunked' || (body.kind === 'length' && (head.expectContinue || body.length > ctx.maxBodyBytes));
    const framing: Framing = { close: unread || !head.keepAlive || ctx.closing || served >= ctx.maxRequests, keepAlive10: head.version === '1.0' };
    try {
      if (body.kind === 'length' && body.length > ctx.maxBodyBytes) {
        await simple(client, out, 413, framing, head.method === 'HEAD', limit);
      } else {
        if (body.kind === 'length' && !framing.close && !(await reader.skip(body.length, ctx.headerTimeout))) return;
        await answer(client, ctx, head, framing, out, limit);
      }
    } catch (err) {
      if (err instanceof NetError) {
        // the client went away or stopped reading, or the file shrank: drop the connection, queued bytes and all
        client.setOption('linger', { on: true, timeout: 0 });
        return;
      }
      if (out.status === 0) await simple(client, out, 500, { close: true }, false, limit).catch(() => {});
      throw err; // a bug: serve's onError reports it, the connection closes
    } finally {
      if (ctx.log !== null) logRequest(ctx.log, remote, head, out.status, out.bytes, performance.now() - started);
    }
    if (framing.close) {
      if (unread) await lingeringClose(client, deadline);
      return;
    }
  }
}

/**
 * Closes gracefully while the client may still be sending (a body we did
 * not read, a head we refused): FIN first, then read and drop what comes for
 * a short while, so the kernel does not answer the unread bytes with a reset
 * that could destroy the response before the client reads it.
 */
async function lingeringClose(client: TcpClient, deadline: ConnectionDeadline, ms = LINGER_MS, maxBytes = LINGER_BYTES): Promise<void> {
  client.shutdown('send');
  deadline.arm(ms, 'lingering close');
  try {
    for (let dropped = 0; dropped < maxBytes; ) {
      const chunk = await client.receivePartial(65536, { signal: deadline.signal }).catch(() => null);
      if (chunk === null) return;
      dropped += chunk.length;
    }
  } finally {
    deadline.disarm();
  }
}

/** How long a lingering close reads and drops what the client still sends, ms. */
export const LINGER_MS = 2000;
/** Bytes a lingering close reads and drops at most. */
export const LINGER_BYTES = 4 * 1024 * 1024;

/** The status of a response and the body bytes sent so far (for the log). */
export interface Outcome {
  status: number;
  bytes: number;
}

async function simple(client: TcpClient, out: Outcome, status: number, framing: Framing, isHead: boolean, limit: SendLimit): Promise<void> {
  await send(client, out, simpleResponse(status, framing, isHead), limit);
}

async function send(client: TcpClient, out: Outcome, r: Ready, limit: SendLimit): Promise<void> {
  out.status = r.status;
  if (r.wire !== undefined) await sendWithin(client, r.wire, limit.deadline, limit.ms);
  else await sendWhole(client, r.head, r.body, limit);
  out.bytes = r.body === null ? 0 : r.body.length;
}

/** Answers a request the reader could parse: from memory when it can (decide.ts), else from the file on disk. */
async function answer(client: TcpClient, ctx: WebContext, head: RequestHead, framing: Framing, out: Outcome, limit: SendLimit): Promise<void> {
  const path = beforeLookup(ctx, head, framing);
  if ('status' in path) return send(client, out, path, limit);
  const found = afterLookup(head, path, await ctx.store.lookup(path), framing);
  if ('status' in found) return send(client, out, found, limit);
  const opened = await ctx.store.open(found);
  if (opened === null) return simple(client, out, 404, framing, false, limit);
  try {
    const file = opened.file;
    const sel = selectResponse(head.method, head.headers, file);
    if ((sel.status !== 200 && sel.status !== 206) || sel.end === sel.start) return await send(client, out, fromEntry(head, file, framing, sel), limit);
    out.status = sel.status;
    await sendFile(client, opened.fh, headText(sel.status, okFields(file, sel), framing), sel.start, sel.end, out, ctx, limit);
  } finally {
    await opened.fh.close();
  }
}

/** Answers a head that could not be read (4xx/5xx, or 408 at the header deadline), logs it, and lets the connection close. */
async function refuse(client: TcpClient, ctx: WebContext, remote: string, err: unknown, limit: SendLimit): Promise<void> {
  let status: number;
  if (err instanceof RequestError || err instanceof LimitError) status = requestErrorStatus(err);
  else if (err instanceof TimeoutError) status = 408;
  else return;
  const started = performance.now();
  let bytes = 0;
  let sent = false;
  try {
    const r = simpleResponse(status, { close: true }, false);
    await sendWhole(client, r.head, r.body, limit);
    bytes = r.body!.length;
    sent = true;
  } catch {
    // the client is gone: nothing more to do
  }
  if (ctx.log !== null) {
    const line = err instanceof RequestError ? err.line : err instanceof NetError ? err.message : '';
    writeAccess(ctx.log, { remote, request: line.slice(0, 200), status, bytes, ms: performance.now() - started });
  }
  if (sent && status !== 408) await lingeringClose(client, limit.deadline); // the rest of a refused head may still be on its way
}
