/**
 * What a parsed message and its parts look like, and how a part's header
 * is read into its type, charset, transfer encoding, disposition and file
 * name (RFC 2045 defaults: `text/plain; charset=us-ascii`, `7bit`; inside
 * `multipart/digest` the default type is `message/rfc822`, RFC 2046 §5.1.5).
 *
 * Header values are kept as written (unfolded); `headerText` decodes their
 * RFC 2047 words, and bytes that are valid UTF-8 (RFC 6532) are read as such.
 *
 * @example
 * ```ts
 * const head = describeHead(Buffer.from('Content-Type: text/plain; charset="ISO-8859-1"\r\n'), 'text/plain', []);
 * assert.equal(head.charset, 'iso-8859-1');
 * ```
 */
import { ProtocolError } from '../../core/errors.js';
import { parseHeaders, type HeaderField } from '../headers.js';
import { decodeWords } from '../words.js';
import { parseParams } from './params.js';

/** One part of a message: a leaf, a multipart, or an enclosed message. */
export interface MessagePart {
  /** Where the part sits: `[]` for the message, `[1, 0]` for the first part of its second part. */
  path: number[];
  /** The header fields as written, unfolded, in order. */
  headers: HeaderField[];
  /** `type/subtype`, lower-cased. */
  contentType: string;
  /** Content-Type parameters, RFC 2231 and RFC 2047 decoded. */
  params: Record<string, string>;
  /** Content-Transfer-Encoding, lower-cased (`7bit` when absent). */
  transferEncoding: string;
  /** The charset of a text part, lower-cased. */
  charset?: string;
  /** `inline`, `attachment` … when there is a Content-Disposition. */
  disposition?: string;
  /** From Content-Disposition's `filename`, else Content-Type's `name`. */
  filename?: string;
  /** Content-ID without its angle brackets. */
  contentId?: string;
  /** The parts of a multipart. */
  parts?: MessagePart[];
  /** Text before the first delimiter of a multipart (line break before the delimiter excluded). */
  preamble?: Buffer;
  /** Text after the closing delimiter of a multipart. */
  epilogue?: Buffer;
  /** The enclosed message of a `message/rfc822` part. */
  message?: MessagePart;
  /** A leaf's decoded bytes, when it was collected (no sink of the caller's took it). */
  content?: Buffer;
  /** A text leaf's content decoded from its charset, when collected and the charset is known. */
  text?: string;
  /** Decoded bytes of a leaf. */
  size: number;
  /** What was wrong but could be read anyway (lenient mode), e.g. `missing closing boundary`. */
  defects: string[];
}

/** The head of a part as the sink factory sees it (before its body is read). */
export type PartHead = Omit<MessagePart, 'parts' | 'preamble' | 'epilogue' | 'message' | 'content' | 'text' | 'size'>;

/** A header value (read as Latin-1) re-read as UTF-8 when its bytes are valid UTF-8 (RFC 6532). */
export function utf8OrLatin1(value: string): string {
  if (!/[^\x00-\x7f]/.test(value)) return value;
  const utf8 = Buffer.from(value, 'latin1').toString('utf8');
  return utf8.includes('\uFFFD') ? value : utf8;
}

/** A header value with RFC 2047 words decoded and UTF-8 bytes read as UTF-8. */
export function headerText(value: string): string {
  return decodeWords(utf8OrLatin1(value));
}

/** The first field named `name` (case-insensitive) of `headers`, decoded, or undefined. */
export function header(headers: readonly HeaderField[], name: string): string | undefined {
  const key = name.toLowerCase();
  const f = headers.find((h) => h.name.toLowerCase() === key);
  return f === undefined ? undefined : headerText(f.value);
}

const TYPE = /^[!#$%&'*+\-.^_`|~0-9a-z]+\/[!#$%&'*+\-.^_`|~0-9a-z]+$/;

/** Reads a part's header block into a {@link PartHead}. */
export function describeHead(bytes: Buffer, defaultType: string, path: number[], strict = false, maxBytes?: number): PartHead {
  const defects: string[] = [];
  const headers = parseHeaders(bytes, { strict, maxBytes: maxBytes === undefined ? undefined : maxBytes + 1 }).fields;
  const raw = (name: string) => headers.find((h) => h.name.toLowerCase() === name)?.value;
  const ctRaw = raw('content-type');
  let { value: contentType, params } = parseParams(ctRaw ?? defaultType);
  if (!TYPE.test(contentType)) {
    if (strict) throw new ProtocolError('malformed Content-Type', ctRaw ?? '');
    defects.push(`malformed Content-Type ${JSON.stringify(ctRaw)}`);
    contentType = 'text/plain';
    params = Object.create(null);
  }
  const cd = raw('content-disposition');
  const disp = cd === undefined ? undefined : parseParams(cd);
  const head: PartHead = {
    path,
    headers,
    contentType,
    params,
    transferEncoding: (raw('content-transfer-encoding') ?? '7bit').trim().toLowerCase() || '7bit',
    defects,
  };
  if (contentType.startsWith('text/')) head.charset = (params.charset ?? 'us-ascii').toLowerCase();
  if (disp && disp.value !== '') head.disposition = disp.value;
  const filename = disp?.params.filename ?? params.name;
  if (filename !== undefined) head.filename = filename;
  const cid = raw('content-id');
  if (cid !== undefined) head.contentId = cid.trim().replace(/^<|>$/g, '');
  return head;
}
