/**
 * Dot-terminated data blocks (SMTP DATA, POP3 RETR/TOP/LIST): a source that
 * reads one and a sink that writes one.
 *
 * Reading: lines must end with CRLF; a leading `.` is removed from lines that
 * start with one (un-stuffing); the block ends at the line `.` and only
 * there. Each line is given with its CRLF, byte-exact. A connection that ends
 * first is a ClosedError carrying what arrived, never a short success.
 *
 * Writing: the data is normalised (any CR, LF or CRLF becomes CRLF), a dot
 * at the start of every line is doubled, a final CRLF is added when missing,
 * then `.` CRLF. No bare CR or LF and no early `.` line can leave, so a
 * message cannot end early or smuggle a second one (SMTP smuggling).
 *
 * @example
 * ```ts
 * declare const conn: tp.TextConn;
 * await pump.all(source.string('hello\n.dot line'), dotSink(conn));
 * // sends 'hello\r\n..dot line\r\n.\r\n'
 * ```
 */
import { filter } from '../../ltn12/index.js';
import type { Sink, Source } from '../../ltn12/index.js';
import { normalize, stuff } from '../../mime/index.js';
import type { TextConn } from './conn.js';

const CRLF = Buffer.from('\r\n');
const END = Buffer.from('.\r\n');

/** A source giving the lines of one dot-terminated block, un-stuffed, with CRLF. */
export function dotSource(conn: TextConn, opts: { signal?: AbortSignal } = {}): Source {
  let done = false;
  return async () => {
    if (done) return null;
    const line = await conn.socket.receiveLine({ strict: true, keepEol: true, as: 'buffer', signal: opts.signal });
    if (line.length === 3 && line[0] === 0x2e) {
      done = true;
      return null;
    }
    return line[0] === 0x2e ? line.subarray(1) : line;
  };
}

/** Bytes a dot sink gathers before writing, so small chunks do not become small packets. */
const BATCH = 16 * 1024;

/** A sink writing one dot-terminated block to `conn` (see the module doc); `signal` aborts a write that waits. */
export function dotSink(conn: TextConn, opts: { signal?: AbortSignal } = {}): Sink {
  const f = filter.chain(normalize('\r\n'), stuff());
  let lastTwo: Buffer = Buffer.from('\r\n'); // the data starts at a line start
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const remember = (out: Buffer) => {
    if (out.length >= 2) lastTwo = out.subarray(out.length - 2);
    else if (out.length === 1) lastTwo = Buffer.from([lastTwo[1]!, out[0]!]);
  };
  const flush = async (extra: Buffer[] = []) => {
    const all = [...pending, ...extra];
    pending = [];
    pendingBytes = 0;
    if (all.length > 0) await conn.socket.send(all.length === 1 ? all[0]! : Buffer.concat(all), undefined, undefined, { signal: opts.signal });
  };
  return async (chunk) => {
    if (chunk === null) {
      const rest = f(null);
      remember(rest);
      await flush(lastTwo.equals(CRLF) ? [rest, END] : [rest, CRLF, END]);
      return;
    }
    const out = f(chunk);
    if (out.length === 0) return;
    remember(out);
    pending.push(out);
    pendingBytes += out.length;
    if (pendingBytes >= BATCH) await flush();
  };
}
