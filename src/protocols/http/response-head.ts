/**
 * A strict HTTP/1.x response head parser (status line and header fields)
 * and the framing decision of RFC 9112 §6.3. It rejects rather than repairs
 * anything that could make two parties disagree about where a message ends
 * (hostile-inputs HC-01…HC-15): CRLF only, no bare CR/NUL/CTL in values, no
 * space before the colon, one Content-Length of plain digits, never
 * Content-Length with Transfer-Encoding. Obsolete line folding is replaced
 * by one space, as RFC 9112 §5.2 tells a user agent (`X: a␍␊  b` → `a b`),
 * but refused in the framing fields. The field and framing rules are the
 * ones the server's request parser uses (`fields.ts`).
 *
 *     HTTP/1.1 200 OK␍␊Content-Length: 5␍␊␍␊hello
 *     → { code: 200, reason: 'OK', framing: { kind: 'length', length: 5 }, keepAlive: true }
 *
 * @example
 * ```ts
 * const r = parseResponseHead(Buffer.from('HTTP/1.1 204 No Content\r\n\r\n'), { method: 'GET' });
 * assert.equal(r?.head.framing.kind, 'none');
 * ```
 */
import { LimitError, ProtocolError } from '../../core/errors.js';
import { fieldTable, framingOf, hasToken, parseFieldLines } from './fields.js';

/** How the body of a response is delimited. */
export type Framing = { kind: 'none' } | { kind: 'length'; length: number } | { kind: 'chunked' } | { kind: 'close' };

export interface ResponseHead {
  version: '1.0' | '1.1';
  code: number;
  reason: string;
  /** The status line as received (LuaSocket's `status`). */
  status: string;
  /** Lower-cased names; repeated fields joined with ', ' (LuaSocket's shape). */
  headers: Record<string, string>;
  /** Every field as received, in order. */
  rawHeaders: [string, string][];
  framing: Framing;
  /** Whether the connection may carry another request after this body. */
  keepAlive: boolean;
}

export interface HeadOptions {
  /** The request method (HEAD responses have no body). */
  method?: string;
  /** Bytes of the whole head. @default 65536 */
  maxHeaderBytes?: number;
  /** @default 256 */
  maxHeaders?: number;
}

const END_OF_HEAD = Buffer.from('\r\n\r\n', 'latin1');
const HTTP_SLASH = Buffer.from('HTTP/', 'latin1');

/** A status line: version, code, optional reason without controls. */
export const STATUS = /^HTTP\/1\.([01]) ([1-5]\d\d)(?: ([^\x00-\x08\x0a-\x1f\x7f]*))?$/;

/**
 * Parses the head at the start of `buf`. Returns null when it is not complete
 * yet, or the head and the number of bytes it used. Throws ProtocolError on
 * anything malformed and LimitError past the limits.
 */
export function parseResponseHead(buf: Buffer, opts: HeadOptions = {}): { head: ResponseHead; consumed: number } | null {
  const max = opts.maxHeaderBytes ?? 65536;
  const end = buf.indexOf(END_OF_HEAD);
  if (buf.length >= 5 && buf.compare(HTTP_SLASH, 0, 5, 0, 5) !== 0) throw new ProtocolError('not an HTTP response', buf.subarray(0, 40).toString('latin1'));
  if (end < 0) {
    // A bare LF anywhere in the head is refused, even before the head is complete.
    for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) {
      if (i === 0 || buf[i - 1] !== 13) throw new ProtocolError('bare LF in the response head', buf.subarray(0, Math.min(i, 200)).toString('latin1'));
    }
    if (buf.length > max) throw new LimitError('response head', max);
    return null;
  }
  if (end + 4 > max) throw new LimitError('response head', max);
  // Complete: a bare LF or CR is inside a line now, where the status and field rules refuse it.
  const lines = buf.toString('latin1', 0, end).split('\r\n');
  const statusLine = lines[0]!;
  const m = STATUS.exec(statusLine);
  if (!m) throw new ProtocolError('malformed status line', statusLine.slice(0, 200));
  const rawHeaders = parseFields(lines.slice(1), opts.maxHeaders ?? 256, 'space');
  const headers = fieldTable(rawHeaders);
  const version = m[1] === '1' ? '1.1' : '1.0';
  const code = Number(m[2]);
  const framing = decideFraming(code, opts.method ?? 'GET', headers);
  const conn = headers.connection === undefined ? '' : headers.connection.toLowerCase();
  const keepAlive = framing.kind !== 'close' && (version === '1.1' ? !hasToken(conn, 'close') : hasToken(conn, 'keep-alive'));
  return { head: { version, code, reason: m[3] ?? '', status: statusLine, headers, rawHeaders, framing, keepAlive }, consumed: end + 4 };
}

const protocolError = (message: string, line: string): Error => new ProtocolError(message, line);

/** Header lines to [name, value] pairs, strictly (see `fields.ts`); obs-fold replaced by a space, or refused (trailers). */
export function parseFields(lines: string[], maxFields: number, obsFold: 'space' | 'reject' = 'reject'): [string, string][] {
  return parseFieldLines(lines, { maxFields, obsFold, bad: protocolError });
}

/** RFC 9112 §6.3 for a response, strictly: see the module doc. */
export function decideFraming(code: number, method: string, table: Readonly<Record<string, string>>): Framing {
  if ((code >= 100 && code < 200) || code === 204 || code === 304 || method.toUpperCase() === 'HEAD') return { kind: 'none' };
  const f = framingOf(table);
  switch (f.kind) {
    case 'problem':
      throw new ProtocolError(f.problem === 'codings before chunked' ? 'unsupported transfer coding before chunked' : f.problem, f.detail);
    case 'unframed':
    case 'unchunked':
      return { kind: 'close' };
    default:
      return f;
  }
}
