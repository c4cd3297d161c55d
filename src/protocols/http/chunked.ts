/**
 * An incremental, strict decoder of the chunked transfer coding (RFC 9112
 * §7.1): feed it bytes as they arrive; it gives body data, then the
 * trailers, and hands back whatever followed the message.
 *
 * Refused (ProtocolError): a size that is not 1–16 hex digits, a size line or
 * data not ended by CRLF, a bare CR or LF, malformed trailers. Limits
 * (LimitError): the size line with its extensions (16 KiB) and the trailer
 * section (16 KiB). Framing fields in trailers are ignored.
 *
 * @example
 * ```ts
 * const d = new ChunkedDecoder();
 * const out = d.push(Buffer.from('5\r\nhello\r\n0\r\n\r\n'));
 * assert.equal(Buffer.concat(out).toString(), 'hello');
 * assert.equal(d.done, true);
 * ```
 */
import { LimitError, ProtocolError } from '../../core/errors.js';
import { parseFields } from './response-head.js';

const MAX_LINE = 16 * 1024;
const MAX_TRAILERS = 16 * 1024;

export class ChunkedDecoder {
  #state: 'size' | 'data' | 'data-crlf' | 'trailers' | 'done' = 'size';
  #left = 0;
  #pending: Buffer = Buffer.alloc(0);
  /** Trailer fields, once done (framing fields removed). */
  trailers: [string, string][] = [];
  /** Bytes after the end of the chunked body (another response, or garbage). */
  rest: Buffer = Buffer.alloc(0);

  get done(): boolean {
    return this.#state === 'done';
  }

  /** Decodes `chunk`; returns the body data it completed (views where possible). */
  push(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    let buf = this.#pending.length > 0 ? Buffer.concat([this.#pending, chunk]) : chunk;
    this.#pending = Buffer.alloc(0);
    while (buf.length > 0 && this.#state !== 'done') {
      if (this.#state === 'data') {
        const n = Math.min(this.#left, buf.length);
        out.push(buf.subarray(0, n));
        this.#left -= n;
        buf = buf.subarray(n);
        if (this.#left === 0) this.#state = 'data-crlf';
        continue;
      }
      if (this.#state === 'data-crlf') {
        if (buf.length < 2) break;
        if (buf[0] !== 13 || buf[1] !== 10) throw new ProtocolError('chunk data not followed by CRLF');
        buf = buf.subarray(2);
        this.#state = 'size';
        continue;
      }
      const used = this.#state === 'size' ? this.#sizeLine(buf) : this.#trailerSection(buf);
      if (used === 0) break;
      buf = buf.subarray(used);
    }
    if (this.#state === 'done') this.rest = this.rest.length > 0 ? Buffer.concat([this.rest, buf]) : Buffer.from(buf);
    else this.#pending = Buffer.from(buf);
    return out;
  }

  #sizeLine(buf: Buffer): number {
    const lf = buf.indexOf(10);
    if (lf < 0) {
      if (buf.length > MAX_LINE) throw new LimitError('chunk size line', MAX_LINE);
      return 0;
    }
    if (lf > MAX_LINE) throw new LimitError('chunk size line', MAX_LINE);
    if (lf === 0 || buf[lf - 1] !== 13) throw new ProtocolError('chunk size line not ended by CRLF');
    const line = buf.toString('latin1', 0, lf - 1);
    const m = /^([0-9A-Fa-f]{1,16})[ \t]*(;[^\x00-\x08\x0a-\x1f\x7f]*)?$/.exec(line);
    if (!m) throw new ProtocolError('malformed chunk size', line.slice(0, 100));
    const size = Number.parseInt(m[1]!, 16);
    if (!Number.isSafeInteger(size)) throw new ProtocolError('chunk size too large', m[1]!);
    this.#left = size;
    this.#state = size === 0 ? 'trailers' : 'data';
    return lf + 1;
  }

  #trailerSection(buf: Buffer): number {
    if (buf.length >= 2 && buf[0] === 13 && buf[1] === 10) {
      this.#state = 'done';
      return 2;
    }
    const end = buf.indexOf('\r\n\r\n');
    if (end < 0) {
      if (buf.length > MAX_TRAILERS) throw new LimitError('trailers', MAX_TRAILERS);
      if (hasBareLineEnd(buf)) throw new ProtocolError('bare CR or LF in trailers');
      return 0;
    }
    if (end + 4 > MAX_TRAILERS) throw new LimitError('trailers', MAX_TRAILERS);
    if (hasBareLineEnd(buf.subarray(0, end))) throw new ProtocolError('bare CR or LF in trailers');
    const text = buf.toString('latin1', 0, end);
    const framingFields = new Set(['content-length', 'transfer-encoding', 'host', 'trailer']);
    this.trailers = parseFields(text.split('\r\n'), 256).filter(([n]) => !framingFields.has(n.toLowerCase()));
    this.#state = 'done';
    return end + 4;
  }
}

/** True when `buf` holds an LF not after a CR, or a CR followed by anything but LF (a CR at the very end may still be half of CRLF). */
function hasBareLineEnd(buf: Buffer): boolean {
  for (let i = 0; i < buf.length; i++) {
    if (buf[i] === 10 && (i === 0 || buf[i - 1] !== 13)) return true;
    if (buf[i] === 13 && i + 1 < buf.length && buf[i + 1] !== 10) return true;
  }
  return false;
}
