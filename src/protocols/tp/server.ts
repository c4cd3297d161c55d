/**
 * The server half of tp: what a text-protocol *server* writes and reads —
 * replies (SMTP-style codes, single and multi-line; POP3 `+OK`/`-ERR`),
 * and dot-terminated data in both directions. `servers.mailbox` speaks SMTP
 * and POP3 through it.
 *
 * Replies never carry control bytes: any C0/C1 control or DEL in the text
 * (a peer's input echoed back, say) becomes `?`, so a reply cannot end early,
 * smuggle a line, or drive the client's terminal.
 *
 * Reading data ({@link readDotData}): only CRLF "." CRLF ends the block; a
 * leading dot is removed after CRLF only; the bytes are gathered in a
 * {@link BlockCollector}, so memory is bounded by `maxBytes` whatever the
 * line length. What the caller must refuse is reported, not thrown: bare CR
 * or LF (`bareLineEnd`), NUL (`nul`), more than `maxBytes` (`over`), a line
 * longer than the socket's line limit (`longLine`: the line is read and
 * dropped with {@link skipLine}) — the block is always read to its end so
 * the conversation stays in step.
 *
 * Writing data ({@link writeDotData}): dot-stuffed with `mime`'s one
 * stuffing (`dot`), a final CRLF added when missing, then "." CRLF.
 *
 * @example
 * ```ts
 * declare const client: socket.TcpClient;
 * declare function store(data: Buffer): void;
 * await sendReply(client, 250, ['mail.example hello', 'PIPELINING', 'SIZE 1000']);
 * const got = await readDotData(client, { maxBytes: 1 << 20 });
 * if (!got.over && !got.bareLineEnd) store(got.data);
 * await writeDotData(client, Buffer.from('.hidden\r\nline\r\n')); // '..hidden\r\nline\r\n.\r\n'
 * ```
 */
import { ClosedError, LimitError } from '../../core/errors.js';
import type { TcpClient } from '../../socket/index.js';
import { dot } from '../../mime/dot.js';
import { BlockCollector } from './collect.js';

/** `text` with every C0/C1 control byte and DEL replaced by `?` (tab too). */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x1f\x7f-\x9f]/g, '?');
}

/** `code text` CRLF, or `code-line` CRLF … `code last` CRLF for several lines. */
export function formatReply(code: number, text: string | readonly string[]): string {
  const lines = typeof text === 'string' ? [text] : text.length === 0 ? [''] : text;
  return lines.map((l, i) => `${code}${i === lines.length - 1 ? ' ' : '-'}${printable(l)}\r\n`).join('');
}

/** Sends an SMTP-style reply (see {@link formatReply}). */
export async function sendReply(client: TcpClient, code: number, text: string | readonly string[]): Promise<void> {
  await client.send(formatReply(code, text));
}

/** Sends a POP3 status line: `+OK text` or `-ERR text`. */
export async function sendStatus(client: TcpClient, ok: boolean, text = ''): Promise<void> {
  const t = printable(text);
  await client.send(`${ok ? '+OK' : '-ERR'}${t ? ` ${t}` : ''}\r\n`);
}

const CRLF = Buffer.from('\r\n');
const END = Buffer.from('.\r\n');

/** `data` as a dot-terminated block: stuffed, ending with CRLF, then "." CRLF. */
export function dotBlock(data: Uint8Array): Buffer {
  const [stuffed] = dot(1, Buffer.from(data.buffer, data.byteOffset, data.length));
  const ends = stuffed.length === 0 || (stuffed[stuffed.length - 2] === 13 && stuffed[stuffed.length - 1] === 10);
  return Buffer.concat(ends ? [stuffed, END] : [stuffed, CRLF, END]);
}

/** Sends `data` as one dot-terminated block (see {@link dotBlock}). */
export async function writeDotData(client: TcpClient, data: Uint8Array): Promise<void> {
  await client.send(dotBlock(data));
}

/** What {@link readDotData} read. */
export interface DotData {
  /** The block, un-stuffed, CRLFs kept; empty when `over`. */
  data: Buffer;
  /** Octets in the block (un-stuffed), kept or not. */
  size: number;
  /** More than `maxBytes` arrived (the rest was read and dropped). */
  over: boolean;
  /** A bare CR or LF appeared (a line not ended by CRLF, or a CR inside a line). */
  bareLineEnd: boolean;
  /** A NUL byte appeared. */
  nul: boolean;
  /** A line was longer than the socket's line limit (it was dropped; `data` is incomplete). */
  longLine: boolean;
}

/** Options of {@link readDotData}. */
export interface ReadDotOptions {
  /** Most octets kept; more are counted and dropped (`over`). */
  maxBytes: number;
  signal?: AbortSignal;
}

/**
 * Reads and drops everything up to and including the next LF — the rest of
 * a line too long for the socket's line limit — a buffer at a time, so
 * memory stays flat however long the line is. Returns the bytes dropped and
 * whether the line ended with CRLF (not a bare LF).
 *
 * @example
 * ```ts
 * declare const client: socket.TcpClient;
 * try { await client.receiveLine({ strict: true }); } catch { await skipLine(client); }
 * ```
 * @throws {ClosedError} the peer left before the end of the line.
 */
export async function skipLine(client: TcpClient, signal?: AbortSignal): Promise<{ skipped: number; crlf: boolean }> {
  let skipped = 0;
  let last = -1;
  for (;;) {
    const chunk = await client.receivePartial(65536, { signal });
    if (chunk === null) throw new ClosedError('the peer left in the middle of a line', Buffer.alloc(0));
    const lf = chunk.indexOf(10);
    if (lf < 0) {
      skipped += chunk.length;
      last = chunk[chunk.length - 1]!;
      continue;
    }
    client.unshift(chunk.subarray(lf + 1));
    skipped += lf + 1;
    return { skipped, crlf: (lf > 0 ? chunk[lf - 1] : last) === 13 };
  }
}

/**
 * Reads one dot-terminated block from a client (see the module doc).
 * @throws {ClosedError} the peer left before the final dot.
 */
export async function readDotData(client: TcpClient, opts: ReadDotOptions): Promise<DotData> {
  const kept = new BlockCollector(opts.maxBytes);
  let bare = false;
  let nul = false;
  let longLine = false;
  let skipped = 0;
  let lineStart = true; // the previous line ended with CRLF
  for (;;) {
    let line: Buffer;
    try {
      line = await client.receiveLine({ keepEol: true, as: 'buffer', signal: opts.signal });
    } catch (e) {
      if (!(e instanceof LimitError)) throw e;
      const rest = await skipLine(client, opts.signal);
      longLine = true;
      if (!rest.crlf) bare = true;
      skipped += rest.skipped;
      lineStart = rest.crlf;
      continue;
    }
    const n = line.length;
    const crlf = n >= 2 && line[n - 2] === 13 && line[n - 1] === 10;
    if (lineStart && crlf && n === 3 && line[0] === 0x2e) break;
    const cr = line.indexOf(13);
    if (!crlf || (cr >= 0 && cr < n - 2)) bare = true;
    if (!nul && line.indexOf(0) >= 0) nul = true;
    kept.push(lineStart && line[0] === 0x2e ? line.subarray(1) : line);
    lineStart = crlf;
  }
  const over = kept.over;
  const size = kept.size + skipped;
  const data = kept.take();
  return { data: over || longLine ? Buffer.alloc(0) : data, size, over, bareLineEnd: bare, nul, longLine };
}
