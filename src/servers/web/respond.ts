/**
 * Writes responses: a head with `Date`, the connection header and
 * `Content-Length`, and a body — a small one in the same write as the head
 * (one system call, one packet), a larger one held in memory in one
 * `writev` with the head (never a short segment with the head alone: on a
 * cached 1 MiB file under `wrk -t1 -c50` that took the client 10 % less
 * CPU per response and raised the rate 25–70 % in alternating runs), a
 * large file streamed from its handle in
 * big chunks with the next read overlapping the current send, so memory
 * stays flat (two chunks per connection) and a slow reader only slows its
 * own connection (hostile-inputs WS-15). A file that shrinks while it is
 * sent makes `sendFile` throw, and the server closes the connection: the
 * client sees a short body, never a hang (WS-28).
 *
 * @example
 * ```ts
 * declare const client: socket.TcpClient;
 * declare const deadline: Parameters<typeof sendWhole>[3]['deadline'];   // the connection's ConnectionDeadline
 * const body = Buffer.from('hello\n');
 * await sendWhole(client, headText(200, `Content-Length: ${body.length}\r\n`, { close: false }), body, { deadline, ms: 30_000 });
 * ```
 */
import type { FileHandle } from 'node:fs/promises';
import { NetError } from '../../core/errors.js';
import type { TcpClient } from '../../socket/index.js';
import { dateHeaderNow } from './http-date.js';
import type { ConnectionDeadline } from './deadline.js';
import { CHUNK, INFLIGHT_FLOOR, type Inflight } from './inflight.js';
import type { ChunkSlots } from './chunk-slots.js';

/**
 * Sends `data`, bounded by the connection's deadline: a client that takes
 * none of it for `ms` ends the send with SendError (aborted). Several
 * buffers are queued corked, so they leave together in one `writev`.
 * `onWritten` (one buffer only) is called once Node is done with it.
 */
export async function sendWithin(
  client: TcpClient,
  data: Buffer | readonly Buffer[],
  deadline: ConnectionDeadline,
  ms: number,
  onWritten?: () => void,
): Promise<void> {
  deadline.arm(ms, 'send');
  try {
    if (Buffer.isBuffer(data)) {
      await client.send(data, undefined, undefined, { signal: deadline.signal, onWritten });
      return;
    }
    const opts = { signal: deadline.signal };
    const sock = client.nodeSocket;
    let sent: Promise<unknown>;
    sock.cork();
    try {
      sent = Promise.all(data.map((b) => client.send(b, undefined, undefined, opts)));
    } finally {
      sock.uncork();
    }
    await sent;
  } finally {
    deadline.disarm();
  }
}

/** Where and how long a response may wait for the client to take it. */
export interface SendLimit {
  deadline: ConnectionDeadline;
  /** ms a single send may wait. */
  ms: number;
}

/** Reason phrases of the statuses the server sends. */
export const REASONS: Record<number, string> = {
  200: 'OK',
  206: 'Partial Content',
  301: 'Moved Permanently',
  304: 'Not Modified',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  413: 'Content Too Large',
  414: 'URI Too Long',
  416: 'Range Not Satisfiable',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  505: 'HTTP Version Not Supported',
};

/** How the response ends the exchange. */
export interface Framing {
  /** Send `Connection: close` (and the caller closes after). */
  close: boolean;
  /** The client spoke HTTP/1.0 and keeps the connection: say `Connection: keep-alive`. */
  keepAlive10?: boolean;
}

/** The head text: status line, Date, `fields` (CRLF-terminated lines), the connection line, the empty line. */
export function headText(status: number, fields: string, f: Framing): string {
  const conn = f.close ? 'Connection: close\r\n' : f.keepAlive10 ? 'Connection: keep-alive\r\n' : '';
  return `HTTP/1.1 ${status} ${REASONS[status] ?? 'Unknown'}\r\nDate: ${dateHeaderNow()}\r\n${fields}${conn}\r\n`;
}

/**
 * Sends a head and, unless omitted, `body`: in one write when the body is at
 * most {@link INFLIGHT_FLOOR} bytes, else the head and then the body itself
 * (a cached file's buffer, shared by every connection sending it, not copied).
 */
export async function sendWhole(client: TcpClient, head: string, body: Buffer | null, limit: SendLimit): Promise<void> {
  const one = oneWrite(head, body);
  if (one !== null) return sendWithin(client, one, limit.deadline, limit.ms);
  // Head and body leave in one writev: no short segment with the head alone.
  await sendWithin(client, [Buffer.from(head, 'latin1'), body!], limit.deadline, limit.ms);
}

/** Head and body in one buffer when the body is at most {@link INFLIGHT_FLOOR} bytes (or none), else null. */
export function oneWrite(head: string, body: Buffer | null): Buffer | null {
  const bodyLen = body === null ? 0 : body.length;
  if (bodyLen > INFLIGHT_FLOOR) return null;
  const out = Buffer.allocUnsafe(head.length + bodyLen);
  out.write(head, 0, 'latin1');
  if (body !== null) body.copy(out, head.length);
  return out;
}

/** Where a file response's chunk buffers and their server-wide byte allowance come from. */
export interface FileMemory {
  pool: Inflight;
  slots: ChunkSlots;
}

/** A chunk read from the file: its buffer (a slot of `slots`) and the pool bytes it holds. */
interface Chunk {
  buf: Buffer;
  extra: number;
}

/**
 * Sends `head`, then bytes `[start, end)` of the open file: the first chunk
 * rides in the head's write, and while a chunk is sent the next one is read.
 * Each chunk is {@link INFLIGHT_FLOOR} bytes plus what the server-wide
 * `pool` lends (up to {@link CHUNK}); the next chunk is read ahead only with
 * bytes from the pool, so a stalled client holds at most one floor-sized
 * chunk beyond what the pool lent it. Chunk buffers are slots of
 * `mem.slots`, each given back once Node is done writing it (not when the
 * send resolves: a short tail may still wait in Node's queue).
 * `progress.bytes` counts the body bytes handed to the socket.
 * @throws {NetError} 'io' when the file ends before `end`.
 */
export async function sendFile(
  client: TcpClient,
  fh: FileHandle,
  head: string,
  start: number,
  end: number,
  progress: { bytes: number },
  mem: FileMemory,
  limit: SendLimit,
): Promise<void> {
  const { pool, slots } = mem;
  let lent = 0; // pool bytes held by the chunks below; all given back however this ends
  const read = async (pos: number, lead: number, floor: number): Promise<Chunk | null> => {
    const want = Math.min(CHUNK, end - pos);
    const extra = pool.take(Math.max(0, want - floor));
    lent += extra;
    const room = Math.min(want, floor + extra);
    if (room === 0) return null;
    const buf = slots.take(lead + room);
    try {
      await readFully(fh, buf, lead, pos, end);
    } catch (err) {
      slots.give(buf);
      throw err;
    }
    return { buf, extra };
  };
  const send = (c: Chunk): Promise<void> => sendWithin(client, c.buf, limit.deadline, limit.ms, () => slots.give(c.buf));
  let ahead: Promise<Chunk | null> | null = null;
  try {
    let cur = (await read(start, head.length, INFLIGHT_FLOOR))!;
    cur.buf.write(head, 0, 'latin1');
    let pos = start + cur.buf.length - head.length;
    let body = cur.buf.length - head.length;
    for (;;) {
      ahead = pos < end ? read(pos, 0, 0) : null;
      ahead?.catch(() => {}); // awaited below; a failure must not go unhandled while the send waits
      await send(cur);
      progress.bytes += body;
      pool.give(cur.extra);
      lent -= cur.extra;
      if (pos >= end) return;
      const next = (await ahead) ?? (await read(pos, 0, INFLIGHT_FLOOR))!;
      ahead = null;
      cur = next;
      body = next.buf.length;
      pos += body;
    }
  } finally {
    pool.give(lent);
    // a chunk read ahead and never sent: its slot comes back once the read has ended
    ahead?.then((c) => c !== null && slots.give(c.buf)).catch(() => {});
  }
}

/**
 * Fills `buf` from `lead` on with the file's bytes from `pos`.
 * @throws {NetError} 'io' when the file ends first (saying how far short of `end`, where the response ends).
 */
async function readFully(fh: FileHandle, buf: Buffer, lead: number, pos: number, end: number): Promise<void> {
  const room = buf.length - lead;
  let got = 0;
  while (got < room) {
    const { bytesRead } = await fh.read(buf, lead + got, room - got, pos + got);
    if (bytesRead === 0) throw new NetError('io', `file ended ${end - pos - got} bytes early while being sent`);
    got += bytesRead;
  }
}
