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
import { cleanValue, fieldTable, framingOf, hasToken, parseFieldBlock, parseFieldLines } from './fields.js';

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

/** The parts of a status line `line[0, end)` that {@link STATUS} accepts, or null; read without a regex (one per response). */
export function parseStatusLine(line: string, end = line.length): { minor: 0 | 1; code: number; reason: string } | null {
  if (end < 12 || !line.startsWith('HTTP/1.', 0)) return null;
  const minor = line.charCodeAt(7) - 48;
  const d0 = line.charCodeAt(9) - 48;
  const d1 = line.charCodeAt(10) - 48;
  const d2 = line.charCodeAt(11) - 48;
  if ((minor !== 0 && minor !== 1) || line.charCodeAt(8) !== 32 || !(d0 >= 1 && d0 <= 5) || !(d1 >= 0 && d1 <= 9) || !(d2 >= 0 && d2 <= 9)) return null;
  let reason = '';
  if (end > 12) {
    if (line.charCodeAt(12) !== 32 || !cleanValue(line, 13, end)) return null;
    reason = line.slice(13, end);
  }
  return { minor, code: d0 * 100 + d1 * 10 + d2, reason };
}

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
  const text = buf.toString('latin1', 0, end);
  let eol = text.indexOf('\r\n');
  if (eol < 0) eol = end;
  const status = parseStatusLine(text, eol);
  if (status === null) throw new ProtocolError('malformed status line', text.slice(0, Math.min(eol, 200)));
  const rawHeaders = parseFieldBlock(text, eol + 2, end, { maxFields: opts.maxHeaders ?? 256, obsFold: 'space', bad: protocolError });
  const headers = fieldTable(rawHeaders);
  const version = status.minor === 1 ? '1.1' : '1.0';
  const framing = decideFraming(status.code, opts.method ?? 'GET', headers);
  const conn = headers.connection === undefined ? '' : headers.connection.toLowerCase();
  const keepAlive = framing.kind !== 'close' && (version === '1.1' ? !hasToken(conn, 'close') : hasToken(conn, 'keep-alive'));
  const statusLine = eol === end ? text : text.slice(0, eol);
  return { head: { version, code: status.code, reason: status.reason, status: statusLine, headers, rawHeaders, framing, keepAlive }, consumed: end + 4 };
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
