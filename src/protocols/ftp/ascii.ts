/**
 * TYPE A line ends. On the wire ASCII data has CRLF line ends (RFC 959
 * §3.1.1.1); locally netkit uses LF. Downloads turn CRLF into LF (a lone CR
 * is kept); uploads turn LF, CR and CRLF into CRLF (`mime.normalize`).
 * Both are ltn12 filters, correct at any chunk boundary.
 *
 * @example
 * ```ts
 * const f = fromNetAscii();
 * Buffer.concat([f(Buffer.from('a\r')), f(Buffer.from('\nb')), f(null)]).toString(); // 'a\nb'
 * ```
 */
import type { Filter } from '../../ltn12/index.js';
import { normalize } from '../../mime/index.js';

/** CRLF → LF, stateful across chunks. */
export function fromNetAscii(): Filter {
  let pendingCr = false;
  return (chunk) => {
    if (chunk === null) {
      const out = pendingCr ? Buffer.from('\r') : Buffer.alloc(0);
      pendingCr = false;
      return out;
    }
    if (chunk.length === 0) return chunk;
    const out = Buffer.allocUnsafe(chunk.length + 1);
    let o = 0;
    let i = 0;
    if (pendingCr) {
      pendingCr = false;
      if (chunk[0] !== 0x0a) out[o++] = 0x0d;
    }
    for (; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (c === 0x0d) {
        if (i + 1 === chunk.length) pendingCr = true;
        else if (chunk[i + 1] !== 0x0a) out[o++] = c;
        continue;
      }
      out[o++] = c;
    }
    return out.subarray(0, o);
  };
}

/** Any line end → CRLF, stateful across chunks. */
export function toNetAscii(): Filter {
  return normalize('\r\n');
}
