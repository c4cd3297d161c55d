/**
 * The filter factories by name, as LuaSocket's `mime.encode`, `mime.decode`
 * and `mime.wrap` choose them.
 *
 * @example
 * ```ts
 * const f = filter.chain(encode('base64'), wrap('base64'));
 * ```
 */
import type { Filter } from '../ltn12/types.js';
import { ArgumentError } from '../core/errors.js';
import { decodeBase64, encodeBase64, type DecodeOptions } from './base64.js';
import { decodeQp, encodeQp, type QpMode } from './qp.js';
import { wrapQp, wrapText } from './wrap.js';

/** The transfer encodings the codecs know. */
export type Encoding = 'base64' | 'quoted-printable';

/** An encoding filter; `mode` applies to quoted-printable ('text' by default). */
export function encode(encoding: Encoding, mode: QpMode = 'text'): Filter {
  if (encoding === 'base64') return encodeBase64();
  if (encoding === 'quoted-printable') return encodeQp(mode);
  throw new ArgumentError(`unknown encoding ${String(encoding)}`);
}

/** A decoding filter; `{ strict: true }` throws DecodeError on malformed input. */
export function decode(encoding: Encoding, opts: DecodeOptions = {}): Filter {
  if (encoding === 'base64') return decodeBase64(opts);
  if (encoding === 'quoted-printable') return decodeQp(opts);
  throw new ArgumentError(`unknown encoding ${String(encoding)}`);
}

/** A wrapping filter: 'text' and 'base64' break lines, 'quoted-printable' adds soft breaks. */
export function wrap(kind: 'text' | 'base64' | Encoding = 'text', width = 76): Filter {
  if (kind === 'text' || kind === 'base64') return wrapText(width);
  if (kind === 'quoted-printable') return wrapQp(width);
  throw new ArgumentError(`unknown wrap kind ${String(kind)}`);
}
