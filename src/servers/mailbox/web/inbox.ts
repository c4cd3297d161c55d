/**
 * The development mailbox's web inbox (like Mailpit's): a page on
 * 127.0.0.1:8025 listing the caught mail, live, and the JSON API of
 * `api.ts`, on netkit's own `serve`, the static server's request head
 * reader and HTTP/1.1 framing — no web framework.
 *
 * `GET /api/events` is a server-sent event stream: each delivery is an
 * event `message` carrying its summary, each deletion an event `delete`;
 * a comment line every `heartbeat` ms finds clients that went away. A
 * request with a body is refused (413) unless the body is empty; any other
 * method than GET, HEAD and DELETE gets 405. Limits: the static server's
 * head limits and header deadline, `maxConnections` live connections.
 * `close()` ends the event streams and stops the server.
 *
 * @example
 * ```ts
 * declare const catalog: Parameters<typeof webInbox>[0];   // a Catalog over the mailbox's store
 * const web = await webInbox(catalog, { port: 8025 });
 * console.log(`http://${web.address}:${web.port}/`);
 * await web.close();
 * ```
 */
import { NetError } from '../../../core/errors.js';
import { checkInteger } from '../../../core/validate.js';
import { waitFor } from '../../../core/wait.js';
import { RequestError, requestErrorStatus, type RequestHead } from '../../../protocols/http/request-parser.js';
import type { TcpClient } from '../../../socket/index.js';
import { serve } from '../../serve.js';
import { HeadReader } from '../../web/head-reader.js';
import { headText, REASONS, sendWhole, type SendLimit } from '../../web/respond.js';
import { ConnectionDeadline } from '../../web/deadline.js';
import { route, type Reply } from './api.js';
import type { Catalog, CatalogEvent } from './catalog.js';

/** The web inbox's port when none is given (Mailpit's). */
export const WEB_INBOX_PORT = 8025;

/** Options of {@link webInbox}. */
export interface WebInboxOptions {
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default {@link WEB_INBOX_PORT} */
  port?: number;
  /** @default 256 */
  maxConnections?: number;
  /** A request head must arrive within this many ms. @default 10000 */
  headerTimeout?: number;
  /** Idle keep-alive connections are closed after this many ms. @default 5000 */
  idleTimeout?: number;
  /** A comment on each event stream every this many ms. @default 15000 */
  heartbeat?: number;
}

/** A running web inbox. */
export interface WebInbox {
  address: string;
  port: number;
  /** `http://address:port/` */
  url: string;
  close(): Promise<void>;
}

/** The longest one response's send may wait (ms). */
const SEND_TIMEOUT = 30_000;

const COMMON = 'Server: netkit\r\nX-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\nCache-Control: no-store\r\n';

async function reply(client: TcpClient, r: Reply, close: boolean, head: boolean, limit: SendLimit): Promise<void> {
  const fields = `${COMMON}${r.fields ?? ''}Content-Type: ${r.type}\r\nContent-Length: ${r.body.length}\r\n`;
  await sendWhole(client, headText(r.status, fields, { close }), head || r.status === 204 ? null : r.body, limit);
}

/** Streams catalog events to one client until it leaves or the server closes. */
async function eventStream(client: TcpClient, catalog: Catalog, heartbeat: number, closing: AbortSignal): Promise<void> {
  await client.send(`${headText(200, `${COMMON}Content-Type: text/event-stream; charset=utf-8\r\n`, { close: true })}: connected\n\n`);
  const queue: CatalogEvent[] = [];
  let wake: (() => void) | null = null;
  const off = catalog.on((e) => {
    queue.push(e);
    wake?.();
  });
  try {
    while (!closing.aborted) {
      if (queue.length === 0) {
        await waitFor<void>(
          (done) => {
            wake = () => done(null);
            return () => void (wake = null);
          },
          { timeout: heartbeat, signal: closing, what: 'inbox event', onTimeout: () => new Error('heartbeat') },
        ).catch(() => {});
      }
      let out = queue.length === 0 ? ': heartbeat\n\n' : '';
      for (const e of queue.splice(0)) out += `event: ${e.kind}\ndata: ${JSON.stringify(e.kind === 'message' ? e.summary : { ids: e.ids })}\n\n`;
      if (!closing.aborted) await client.send(Buffer.from(out, 'utf8'));
    }
  } finally {
    off();
  }
}

async function connection(
  client: TcpClient,
  catalog: Catalog,
  o: Required<Omit<WebInboxOptions, 'host' | 'port' | 'maxConnections'>>,
  closing: AbortSignal,
): Promise<void> {
  const deadline = new ConnectionDeadline();
  const limit: SendLimit = { deadline, ms: SEND_TIMEOUT };
  const reader = new HeadReader(client, { idleTimeout: o.idleTimeout, headerTimeout: o.headerTimeout, deadline });
  while (!closing.aborted) {
    let head: RequestHead | null;
    try {
      head = await reader.next();
    } catch (err) {
      if (err instanceof RequestError || err instanceof NetError) {
        const status = err instanceof RequestError ? requestErrorStatus(err) : 408;
        await reply(client, { status, type: 'text/plain; charset=utf-8', body: Buffer.from(`${status} ${REASONS[status] ?? ''}\n`) }, true, false, limit).catch(
          () => {},
        );
      }
      return;
    }
    if (head === null) return;
    client.setTimeout(null, 't');
    client.setTimeout(30_000, 'b');
    const hasBody = head.body.kind === 'chunked' || (head.body.kind === 'length' && head.body.length > 0);
    if (hasBody) {
      await reply(client, { status: 413, type: 'text/plain; charset=utf-8', body: Buffer.from('413 requests here carry no body\n') }, true, false, limit);
      return;
    }
    const path = head.target.split('?')[0];
    if (head.method === 'GET' && path === '/api/events') return eventStream(client, catalog, o.heartbeat, closing);
    const known = head.method === 'GET' || head.method === 'HEAD' || head.method === 'DELETE';
    const r: Reply = known
      ? await route(catalog, head.method, head.target)
      : { status: 405, type: 'text/plain; charset=utf-8', body: Buffer.from('405 Method Not Allowed\n'), fields: 'Allow: GET, HEAD, DELETE\r\n' };
    const close = !head.keepAlive || closing.aborted;
    await reply(client, r, close, head.method === 'HEAD', limit);
    if (close) return;
  }
}

/** Starts the web inbox over `catalog`; see the module doc. */
export async function webInbox(catalog: Catalog, opts: WebInboxOptions = {}): Promise<WebInbox> {
  const o = {
    headerTimeout: checkInteger('headerTimeout', opts.headerTimeout, { min: 1 }, 10_000),
    idleTimeout: checkInteger('idleTimeout', opts.idleTimeout, { min: 1 }, 5000),
    heartbeat: checkInteger('heartbeat', opts.heartbeat, { min: 1 }, 15_000),
  };
  const port = checkInteger('port', opts.port, { min: 0, max: 65535 }, WEB_INBOX_PORT);
  const maxConnections = checkInteger('maxConnections', opts.maxConnections, { min: 1 }, 256);
  const closing = new AbortController();
  const served = await serve({ host: opts.host ?? '127.0.0.1', port, maxConnections, idleTimeout: null, closeGrace: 1000 }, (client) =>
    connection(client, catalog, o, closing.signal),
  );
  const host = served.family === 'IPv6' ? `[${served.address}]` : served.address;
  return {
    address: served.address,
    port: served.port,
    url: `http://${host}:${served.port}/`,
    close: async () => {
      closing.abort();
      await served.close();
    },
  };
}
