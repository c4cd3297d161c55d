/**
 * Writes responses: a head with `Date`, the connection header and
 * `Content-Length`, and a body — a small one in the same write as the head
 * (one system call, one packet), a large file streamed from its handle in
 * big chunks with the next read overlapping the current send, so memory
 * stays flat (two chunks per connection) and a slow reader only slows its
 * own connection (hostile-inputs WS-15). A file that shrinks while it is
 * sent makes `sendFile` throw, and the server closes the connection: the
 * client sees a short body, never a hang (WS-28).
 *
 * @example
 * ```ts
 * declare const client: socket.TcpClient;
 * await sendSimple(client, 404, { close: false, head: false });
 * ```
 */
import type { FileHandle } from 'node:fs/promises';
import { NetError } from '../../core/errors.js';
import type { TcpClient } from '../../socket/index.js';
import { dateHeaderNow } from './http-date.js';

/** Reason phrases of the statuses the server sends. */
export const REASONS: Record<number, string> = {
  200: 'OK', 206: 'Partial Content', 301: 'Moved Permanently', 304: 'Not Modified',
  400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 408: 'Request Timeout',
  413: 'Content Too Large', 414: 'URI Too Long', 416: 'Range Not Satisfiable', 431: 'Request Header Fields Too Large',
  500: 'Internal Server Error', 501: 'Not Implemented', 505: 'HTTP Version Not Supported',
};

/** How the response ends the exchange. */
export interface Framing {
  /** Send `Connection: close` (and the caller closes after). */
  close: boolean;
  /** The client spoke HTTP/1.0 and keeps the connection: say `Connection: keep-alive`. */
  keepAlive10?: boolean;
}

/** Bytes per read when streaming a file. */
export const CHUNK = 256 * 1024;

/** The head text: status line, Date, `fields` (CRLF-terminated lines), the connection line, the empty line. */
export function headText(status: number, fields: string, f: Framing): string {
  const conn = f.close ? 'Connection: close\r\n' : f.keepAlive10 ? 'Connection: keep-alive\r\n' : '';
  return `HTTP/1.1 ${status} ${REASONS[status] ?? 'Unknown'}\r\nDate: ${dateHeaderNow()}\r\n${fields}${conn}\r\n`;
}

/** Sends a head and, unless omitted, `body`, in one write. */
export async function sendWhole(client: TcpClient, head: string, body: Buffer | null): Promise<void> {
  const bodyLen = body === null ? 0 : body.length;
  const out = Buffer.allocUnsafe(head.length + bodyLen);
  out.write(head, 0, 'latin1');
  if (body !== null) body.copy(out, head.length);
  await client.send(out);
}

/** A plain-text response (`404 Not Found\n`) with `extra` fields; the body is left out for HEAD. */
export async function sendSimple(client: TcpClient, status: number, f: Framing & { head: boolean; extra?: string }): Promise<number> {
  const body = Buffer.from(`${status} ${REASONS[status] ?? ''}\n`, 'latin1');
  const fields = `Server: netkit\r\n${f.extra ?? ''}Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\n`;
  await sendWhole(client, headText(status, fields, f), f.head ? null : body);
  return f.head ? 0 : body.length;
}

/**
 * Sends `head`, then bytes `[start, end)` of the open file: the first chunk
 * rides in the head's write, each later read starts before the previous
 * send has drained. `progress.bytes` counts the body bytes handed to the socket.
 * @throws {NetError} 'io' when the file ends before `end`.
 */
export async function sendFile(client: TcpClient, fh: FileHandle, head: string, start: number, end: number, progress: { bytes: number }): Promise<void> {
  const read = async (pos: number, room: number, lead: number): Promise<Buffer> => {
    const buf = Buffer.allocUnsafe(lead + room);
    let got = 0;
    while (got < room) {
      const { bytesRead } = await fh.read(buf, lead + got, room - got, pos + got);
      if (bytesRead === 0) throw new NetError('io', `file ended ${end - pos - got} bytes early while being sent`);
      got += bytesRead;
    }
    return buf;
  };
  const firstLen = Math.min(CHUNK, end - start);
  const first = await read(start, firstLen, head.length);
  first.write(head, 0, 'latin1');
  let pos = start + firstLen;
  let pending: Promise<Buffer> | null = pos < end ? read(pos, Math.min(CHUNK, end - pos), 0) : null;
  pending?.catch(() => {}); // awaited below; a failure must not go unhandled while the send waits
  await client.send(first);
  progress.bytes = firstLen;
  while (pending !== null) {
    const chunk = await pending;
    pos += chunk.length;
    pending = pos < end ? read(pos, Math.min(CHUNK, end - pos), 0) : null;
    pending?.catch(() => {});
    await client.send(chunk);
    progress.bytes += chunk.length;
  }
}
