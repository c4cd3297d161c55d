/**
 * A raw HTTP/1.1 test server on a `net` socket: it reads each request
 * (head, then a Content-Length or chunked body), records it, and lets the
 * test answer with exactly the bytes it wants — well-formed or hostile.
 * Keep-alive works naturally: requests on one connection are handled in
 * order. Counts connections, for pooling tests.
 */
import net from 'node:net';

export interface RawRequest {
  /** Connection number, from 1. */
  conn: number;
  method: string;
  target: string;
  /** The head as received, CRLFs included. */
  head: string;
  /** Lower-cased names; repeated fields joined with ', '. */
  headers: Record<string, string>;
  body: Buffer;
}

export interface RawServer {
  port: number;
  host: string;
  /** `http://host:port` (IPv6 in brackets). */
  url: string;
  requests: RawRequest[];
  connections: number;
  close(): Promise<void>;
}

export type Respond = (req: RawRequest, sock: net.Socket) => void | Promise<void>;

/** Starts a raw server on `host` (127.0.0.1) and an ephemeral port. */
export async function rawHttpServer(respond: Respond, host = '127.0.0.1'): Promise<RawServer> {
  const sockets = new Set<net.Socket>();
  const state: RawServer = { port: 0, host, url: '', requests: [], connections: 0, close: async () => {} };
  const server = net.createServer((sock) => {
    const conn = ++state.connections;
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => {});
    let buf = Buffer.alloc(0);
    let busy = false;
    const pump = async (): Promise<void> => {
      if (busy) return;
      busy = true;
      try {
        for (;;) {
          const req = takeRequest(buf, conn);
          if (req === null) break;
          buf = buf.subarray(req.used);
          state.requests.push(req.request);
          await respond(req.request, sock);
        }
      } finally {
        busy = false;
      }
    };
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      void pump();
    });
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  state.port = (server.address() as net.AddressInfo).port;
  state.url = `http://${host.includes(':') ? `[${host}]` : host}:${state.port}`;
  state.close = () =>
    new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    });
  return state;
}

function takeRequest(buf: Buffer, conn: number): { request: RawRequest; used: number } | null {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const head = buf.toString('latin1', 0, end + 4);
  const [line, ...fields] = head.slice(0, -4).split('\r\n');
  const [method = '', target = ''] = line!.split(' ');
  const headers: Record<string, string> = {};
  for (const f of fields) {
    const c = f.indexOf(':');
    const k = f.slice(0, c).toLowerCase();
    const v = f.slice(c + 1).trim();
    headers[k] = k in headers ? `${headers[k]}, ${v}` : v;
  }
  let pos = end + 4;
  let body = Buffer.alloc(0);
  if (headers['transfer-encoding']?.toLowerCase() === 'chunked') {
    const parts: Buffer[] = [];
    for (;;) {
      const lf = buf.indexOf('\r\n', pos);
      if (lf < 0) return null;
      const size = parseInt(buf.toString('latin1', pos, lf), 16);
      if (buf.length < lf + 2 + size + 2) return null;
      parts.push(buf.subarray(lf + 2, lf + 2 + size));
      pos = lf + 2 + size + 2;
      if (size === 0) break;
    }
    body = Buffer.concat(parts);
  } else if (headers['content-length'] !== undefined) {
    const n = Number(headers['content-length']);
    if (buf.length < pos + n) return null;
    body = Buffer.from(buf.subarray(pos, pos + n));
    pos += n;
  }
  return { request: { conn, method, target, head, headers, body }, used: pos };
}

/** A well-formed response with a Content-Length body. */
export function ok(body: string | Buffer = '', fields: Record<string, string> = {}, status = '200 OK'): Buffer {
  const b = Buffer.from(body);
  let head = `HTTP/1.1 ${status}\r\nContent-Length: ${b.length}\r\n`;
  for (const [k, v] of Object.entries(fields)) head += `${k}: ${v}\r\n`;
  return Buffer.concat([Buffer.from(`${head}\r\n`, 'latin1'), b]);
}
