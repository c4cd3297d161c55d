/**
 * One request and its response on one connection: take a pooled
 * connection for the target (or open one), send the request, read the
 * head within `headersTimeout`, let the caller choose where the body goes,
 * read it into the sink and end the sink, and give the connection back to the pool only when the
 * exchange ended cleanly and both sides agreed to keep it.
 *
 * A pooled connection the server closed while it sat idle fails the first
 * write or read without a single response byte; such a request is sent
 * again once, on a new connection, when it is idempotent and has no
 * one-shot source (RFC 9112 §9.3.1). A fresh connection is never retried.
 *
 * @example
 * ```ts
 * declare const ctx: any;
 * declare const target: any;
 * declare const fields: any;
 * declare const sink: ltn12.Sink;
 * const r = await exchange(ctx, target, { method: 'GET', requestTarget: '/', fields, close: false }, (head) => ({ sink }));
 * ```
 */
import { ClosedError, NetError, SendError, TimeoutError } from '../../core/errors.js';
import type { Sink } from '../../ltn12/index.js';
import type { TcpClient } from '../../socket/index.js';
import { readBody, type BodyResult } from './body-reader.js';
import { writeRequest, type RequestBody } from './body-writer.js';
import { readHead } from './head-reader.js';
import type { Pool } from './pool.js';
import { formatRequestHead } from './request-head.js';
import type { ResponseHead } from './response-head.js';
import type { Target } from './target.js';
import { openConnection, type ConnectSpec } from './transport.js';

export interface ExchangeContext extends Omit<ConnectSpec, 'target'> {
  pool: Pool | null;
  /** Pool key for this target (origin, proxy and TLS settings). */
  key: string;
  headersTimeout: number | null;
  maxHeaders?: number;
}

export interface Outgoing extends RequestBody {
  method: string;
  /** The request target as sent: origin-form, or absolute-form through a proxy. */
  requestTarget: string;
  fields: [string, string][];
  /** The caller asked for `Connection: close`. */
  close: boolean;
}

/** Where the body of a response goes (the sink is ended with `null` after it); `null` = not wanted (the connection is closed instead). */
export type BodyPlan = { sink: Sink; maxBodyBytes?: number } | null;

export interface Exchanged {
  head: ResponseHead;
  body: BodyResult | null;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE']);

export async function exchange(ctx: ExchangeContext, target: Target, out: Outgoing, plan: (head: ResponseHead) => BodyPlan | Promise<BodyPlan>): Promise<Exchanged> {
  const head = formatRequestHead(out.method, out.requestTarget, target, out.fields);
  const retryable = IDEMPOTENT.has(out.method.toUpperCase()) && out.source === undefined;
  for (let attempt = 0; ; attempt++) {
    let sock = attempt === 0 && ctx.pool !== null ? ctx.pool.take(ctx.key) : undefined;
    const reused = sock !== undefined;
    sock ??= await openConnection({ ...ctx, target });
    let response: ResponseHead;
    try {
      if (reused) sock.setTimeout(ctx.timeout);
      await writeRequest(sock, head, out);
      response = await headWithin(sock, out.method, ctx);
    } catch (err) {
      await sock.close();
      if (reused && retryable && isStale(err)) continue;
      throw err;
    }
    let body: BodyPlan;
    try {
      body = await plan(response);
    } catch (err) {
      await sock.close();
      throw err;
    }
    return finish(ctx, sock, out, response, body);
  }
}

async function finish(ctx: ExchangeContext, sock: TcpClient, out: Outgoing, head: ResponseHead, plan: BodyPlan): Promise<Exchanged> {
  if (plan === null) {
    await sock.close();
    return { head, body: null };
  }
  let body: BodyResult;
  try {
    body = await readBody(sock, head.framing, plan.sink, { maxBodyBytes: plan.maxBodyBytes, signal: ctx.signal });
    // Ended here, before the connection can go back to the pool: a body that fails at its end
    // (content decoding finds truncated or trailing data) closes its connection like any other failure.
    await plan.sink(null);
  } catch (err) {
    await sock.close();
    throw err;
  }
  if (ctx.pool !== null && body.reusable && head.keepAlive && !out.close) ctx.pool.give(ctx.key, sock);
  else await sock.close();
  return { head, body };
}

/** Reads the head, failing with TimeoutError when it is not complete within `headersTimeout`. */
async function headWithin(sock: TcpClient, method: string, ctx: ExchangeContext): Promise<ResponseHead> {
  const opts = { method, maxHeaderBytes: ctx.maxHeaderBytes, maxHeaders: ctx.maxHeaders, signal: ctx.signal };
  const ms = ctx.headersTimeout;
  if (ms === null) return readHead(sock, opts);
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    void sock.close();
  }, ms);
  try {
    return await readHead(sock, opts);
  } catch (err) {
    if (expired) throw new TimeoutError(`no complete response head within ${ms} ms`, err instanceof ClosedError ? err.partial : undefined);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/** The failure of a reused connection that the server had already closed: nothing of a response came. */
function isStale(err: unknown): boolean {
  if (err instanceof ClosedError) return err.partial.length === 0;
  if (err instanceof SendError) return err.code === 'closed' || err.code === 'reset';
  return err instanceof NetError && err.code === 'reset';
}
