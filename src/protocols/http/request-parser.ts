/**
 * A strict HTTP/1.x request head parser for servers (the request side of
 * RFC 9112): the request line, the header fields, and the framing of the
 * body. It rejects rather than repairs whatever could make a server and a
 * proxy disagree about where a request ends (hostile-inputs WS-13, WS-23…
 * WS-26): only CRLF ends a line (a bare LF or CR is refused as soon as it
 * arrives), no obs-fold, no space before the colon, no field line without a
 * colon, no controls in values, exactly one `Host` in HTTP/1.1, one plain
 * `Content-Length`, never `Content-Length` with `Transfer-Encoding`, no
 * HTTP/0.9. Up to four empty lines before the request line are skipped
 * (RFC 9112 §2.2).
 *
 * Limits count wire bytes: the request line (414 past `maxRequestLine`),
 * one field line (431 past `maxFieldLine`), the number of fields (431 past
 * `maxFields`) and the whole head (431 past `maxHeadBytes`).
 *
 *     GET /a?b HTTP/1.1␍␊Host: x␍␊␍␊
 *     → { method: 'GET', target: '/a?b', version: '1.1', keepAlive: true, body: { kind: 'none' } }
 *
 * @example
 * ```ts
 * const r = parseRequestHead(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
 * assert.equal(r?.head.target, '/');
 * assert.throws(() => parseRequestHead(Buffer.from('GET / HTTP/1.1\nHost: x\n\n')), RequestError);
 * ```
 */
import { LimitError, ProtocolError } from '../../core/errors.js';
import { TARGET, TOKEN, fieldTable, framingOf, hasToken, parseFieldBlock } from './fields.js';

/** How the body of a request is delimited (RFC 9112 §6.3). */
export type RequestBody = { kind: 'none' } | { kind: 'length'; length: number } | { kind: 'chunked' };

export interface RequestHead {
  method: string;
  /** The request target exactly as sent (visible ASCII only). */
  target: string;
  version: '1.0' | '1.1';
  /** Lower-cased names; repeated fields joined with ', '. */
  headers: Record<string, string>;
  /** Every field as received, in order. */
  rawHeaders: [string, string][];
  /** The client allows another request on this connection. */
  keepAlive: boolean;
  body: RequestBody;
  /** `Expect: 100-continue` was sent. */
  expectContinue: boolean;
}

/** The limits of {@link parseRequestHead}, in wire bytes. */
export interface RequestLimits {
  /** Request line, without its CRLF. @default 8192 */
  maxRequestLine?: number;
  /** One field line, without its CRLF. @default 8192 */
  maxFieldLine?: number;
  /** @default 100 */
  maxFields?: number;
  /** The whole head with its final empty line. @default 32768 */
  maxHeadBytes?: number;
}

/** A malformed request, with the status a server should answer (400, 501, 505). */
export class RequestError extends ProtocolError {
  readonly status: number;
  constructor(status: number, message: string, line = '') {
    super(message, line);
    this.status = status;
  }
}

/**
 * The status a server answers a request-head failure with: a
 * {@link RequestError}'s own, 414 for a request line over the limit, 431
 * for the other limits, 400 for anything else.
 */
export function requestErrorStatus(err: unknown): number {
  if (err instanceof RequestError) return err.status;
  if (err instanceof LimitError) return err.what === 'request line' ? 414 : 431;
  return 400;
}

const METHOD = TOKEN;
const HOST = /^[A-Za-z0-9.\-:[\]_~%!$&'()*+,;=]*$/;
const MAX_EMPTY_LINES = 4;
const END_OF_HEAD = Buffer.from('\r\n\r\n', 'latin1');

/**
 * Parses the request head at the start of `buf`. Returns null when it is not
 * complete yet, else the head and the bytes it used (the body follows).
 * @throws {RequestError} malformed (with `status`).
 * @throws {LimitError} a limit was passed (`what`: 'request line', 'field line', 'header fields', 'request head').
 */
export function parseRequestHead(buf: Buffer, limits: RequestLimits = {}): { head: RequestHead; consumed: number } | null {
  const maxLine = limits.maxRequestLine ?? 8192;
  const maxField = limits.maxFieldLine ?? 8192;
  const maxHead = limits.maxHeadBytes ?? 32768;
  let start = 0;
  for (let n = 0; n < MAX_EMPTY_LINES && buf[start] === 13 && buf[start + 1] === 10; n++) start += 2;
  const end = buf.indexOf(END_OF_HEAD, start);
  if (end < 0) {
    checkIncomplete(buf, start, maxLine, maxField, maxHead);
    return null;
  }
  if (end + 4 - start > maxHead) throw new LimitError('request head', maxHead, undefined, `request head over ${maxHead} bytes`);
  const text = buf.toString('latin1', start, end);
  const firstEnd = text.indexOf('\r\n');
  const requestLine = firstEnd < 0 ? text : text.slice(0, firstEnd);
  if (requestLine.length > maxLine) throw new LimitError('request line', maxLine, undefined, `request line over ${maxLine} bytes`);
  const { method, target, version } = parseRequestLine(requestLine);
  const head = parseFields(text, firstEnd < 0 ? text.length : firstEnd + 2, maxField, limits.maxFields ?? 100, method, target, version);
  return { head, consumed: end + 4 };
}

/** While the head is incomplete: refuse bare LF/CR and over-limit lines as soon as they show. */
function checkIncomplete(buf: Buffer, start: number, maxLine: number, maxField: number, maxHead: number): void {
  let lineStart = start;
  let first = true;
  for (let i = buf.indexOf(10, start); i >= 0; i = buf.indexOf(10, i + 1)) {
    if (buf[i - 1] !== 13 || i === start) throw bareLf(buf, start, i);
    if (first) parseRequestLine(checkLine(buf, lineStart, i - 1, maxLine, 'request line'));
    else checkLine(buf, lineStart, i - 1, maxField, 'field line');
    first = false;
    lineStart = i + 1;
  }
  checkLine(buf, lineStart, buf.length, first ? maxLine : maxField, first ? 'request line' : 'field line');
  if (buf.length - start > maxHead) throw new LimitError('request head', maxHead, undefined, `request head over ${maxHead} bytes`);
}

function checkLine(buf: Buffer, from: number, to: number, max: number, what: string): string {
  if (to - from > max) throw new LimitError(what, max, undefined, `${what} over ${max} bytes`);
  const cr = buf.indexOf(13, from);
  if (cr >= 0 && cr < to - (to === buf.length ? 1 : 0))
    throw new RequestError(400, 'bare CR in the request head', buf.toString('latin1', from, Math.min(to, from + 200)));
  return buf.toString('latin1', from, to);
}

function bareLf(buf: Buffer, start: number, at: number): RequestError {
  return new RequestError(400, 'bare LF in the request head (only CRLF ends a line)', buf.toString('latin1', start, Math.min(at, start + 200)));
}

function parseRequestLine(line: string): { method: string; target: string; version: '1.0' | '1.1' } {
  const sp1 = line.indexOf(' ');
  const sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
  if (sp2 < 0) throw new RequestError(400, 'malformed request line (HTTP/0.9 is not served)', line.slice(0, 200));
  const method = line.slice(0, sp1);
  const target = line.slice(sp1 + 1, sp2);
  const proto = line.slice(sp2 + 1);
  if (!METHOD.test(method) || !TARGET.test(target)) throw new RequestError(400, 'malformed request line', line.slice(0, 200));
  if (proto === 'HTTP/1.1') return { method, target, version: '1.1' };
  if (proto === 'HTTP/1.0') return { method, target, version: '1.0' };
  if (/^HTTP\/\d\.\d$/.test(proto)) throw new RequestError(505, `unsupported version ${proto}`, line.slice(0, 200));
  throw new RequestError(400, 'malformed request line', line.slice(0, 200));
}

const requestError = (message: string, line: string): Error => new RequestError(400, message, line);

/** The field lines of the head `text` from `from` on, and what they say about the request. */
function parseFields(text: string, from: number, maxField: number, maxFields: number, method: string, target: string, version: '1.0' | '1.1'): RequestHead {
  const rawHeaders = parseFieldBlock(text, from, text.length, { maxFields, maxFieldLine: maxField, obsFold: 'reject', bad: requestError });
  const headers = fieldTable(rawHeaders);
  let hosts = 0;
  for (const [n] of rawHeaders) if (n.length === 4 && n.toLowerCase() === 'host') hosts++;
  if (hosts > 1) throw new RequestError(400, 'more than one Host header');
  if (hosts === 0 && version === '1.1') throw new RequestError(400, 'no Host header in an HTTP/1.1 request');
  if (hosts === 1 && !HOST.test(headers.host!)) throw new RequestError(400, 'malformed Host header', headers.host!.slice(0, 200));
  const body = framing(headers, version);
  const conn = headers.connection === undefined ? '' : headers.connection.toLowerCase();
  const keepAlive = version === '1.1' ? !hasToken(conn, 'close') : hasToken(conn, 'keep-alive') && !hasToken(conn, 'close');
  const expect = headers.expect;
  return { method, target, version, headers, rawHeaders, keepAlive, body, expectContinue: expect !== undefined && expect.toLowerCase() === '100-continue' };
}

/** RFC 9112 §6.3 for a request (the rule `fields.ts` states once); 400/501 for what cannot be framed. */
function framing(table: Record<string, string>, version: '1.0' | '1.1'): RequestBody {
  const f = framingOf(table);
  if (version === '1.0' && (f.kind === 'chunked' || f.kind === 'unchunked' || (f.kind === 'problem' && f.problem === 'codings before chunked'))) {
    throw new RequestError(400, 'Transfer-Encoding in an HTTP/1.0 request');
  }
  switch (f.kind) {
    case 'problem':
      throw new RequestError(
        f.problem === 'codings before chunked' ? 501 : 400,
        f.problem === 'codings before chunked' ? 'unsupported transfer coding' : f.problem,
        f.detail.slice(0, 200),
      );
    case 'unchunked':
      throw new RequestError(400, 'Transfer-Encoding without chunked last', f.codings.slice(0, 200));
    case 'unframed':
      return { kind: 'none' };
    case 'chunked':
      return f;
    default:
      return f.length === 0 ? { kind: 'none' } : f;
  }
}
