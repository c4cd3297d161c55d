/**
 * netkit/mime: LuaSocket's mime module — base64, quoted-printable, line
 * wrapping, end-of-line normalisation and SMTP dot-stuffing as chunk-safe
 * ltn12 filters (`encode`, `decode`, `wrap`, `normalize`, `stuff`) and as the
 * low-level functions LuaSocket exposes (`b64`, `unb64`, `qp`, `unqp`, `wrp`,
 * `qpwrp`, `eol`, `dot`); RFC 5322 header parsing and RFC 2047 words.
 *
 * Decoders follow one of two documented rules per call: lenient (skip what
 * does not belong, as LuaSocket and RFC 2045 do) or `{ strict: true }`
 * (a DecodeError with the byte offset).
 *
 * @example
 * ```ts
 * import { ltn12, mime } from 'netkit';
 * const b64 = ltn12.transform('hello', mime.encode('base64'), mime.wrap('base64'));
 * assert.equal(ltn12.transform(b64, mime.decode('base64')).toString(), 'hello');
 * ```
 */
export { encode, decode, wrap, encodet, decodet, wrapt, type Encoding } from './filters.js';
export { WIDTH, QP_WIDTH, QP_MIN_WIDTH, MAX_WIDTH } from './wrap.js';
export type { MimeFilter, Chunk } from './bytes.js';
export { b64, unb64, encodeBase64, decodeBase64, type DecodeOptions } from './base64.js';
export { qp, unqp, encodeQp, encodeWrapQp, decodeQp, type QpMode } from './qp.js';
export { wrp, qpwrp, wrapText, wrapQp } from './wrap.js';
export { eol, normalize } from './eol.js';
export { dot, stuff } from './dot.js';
export { DecodeError } from './decode-error.js';
export { parseHeaders, type HeaderField, type HeaderLimits, type ParsedHeaders } from './headers.js';
export { encodeWord, decodeWords, encodeHeaderValue, foldHeader, type EncodeWordOptions } from './words.js';
export {
  parseMessage,
  MAX_DEPTH,
  MAX_PARTS,
  MAX_HEADER_BYTES,
  MAX_BOUNDARY_LENGTH,
  MAX_COLLECT_BYTES,
  type ParseOptions,
  type ParsedMessage,
} from './message/parse.js';
export { header, headerText, type MessagePart, type PartHead } from './message/part.js';
export { parseAddresses, mailboxes, MAX_ADDRESSES, type Address, type AddressGroup } from './message/address.js';
export { parseParams, MAX_PARAMS, type ParsedParams } from './message/params.js';
export { decodeCharset } from './message/charset.js';
export * as mbox from './mbox.js';
