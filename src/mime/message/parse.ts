/**
 * `parseMessage`: an RFC 5322 / MIME message, streamed from an ltn12
 * Source in any chunking, into its header and a tree of parts.
 *
 * - Multipart of any kind and depth (mixed, alternative, related, digest —
 *   whose parts default to `message/rfc822`), `message/rfc822` parts parsed
 *   as messages, preamble and epilogue kept.
 * - Each leaf's body is decoded from base64 / quoted-printable (7bit, 8bit
 *   and binary pass as they are) and given to a sink: `body(head)` may
 *   return the caller's Sink for that part (the decoded bytes stream to it,
 *   then `null`), `null` to skip the part, or `undefined` to have it
 *   collected into `content` (and, for text with a known charset, `text`).
 *   With `textOnly`, non-text leaves are skipped unless `body` takes them.
 *   Memory is bounded by the chunk size plus what is collected.
 * - From/To/Cc/Reply-To are parsed into addresses (groups included),
 *   Subject and Date decoded.
 *
 * Hostile input: every limit throws LimitError — nesting (`maxDepth`,
 * `what` 'depth'), parts (`maxParts`, 'parts'), one header block
 * (`maxHeaderBytes`, 'header'), a boundary parameter (`maxBoundaryLength`,
 * 'boundary'), collected bytes (`maxCollectBytes`, 'body'). Lenient mode
 * (default) reads what it can and lists the rest in each part's `defects`
 * (missing closing or opening boundary, unknown charset or transfer
 * encoding, malformed Content-Type); `strict: true` makes those a
 * ProtocolError and bad base64 / quoted-printable a DecodeError.
 *
 * @example
 * ```ts
 * declare const raw: Buffer;
 * const msg = await parseMessage(source.string(raw), { body: (h) => (h.filename ? sink.file(`/tmp/${h.filename}`) : undefined) });
 * console.log(msg.subject, msg.from[0], msg.parts?.map((p) => p.contentType));
 * ```
 */
import { LimitError, ProtocolError } from '../../core/errors.js';
import { checkInteger } from '../../core/validate.js';
import type { Filter, Sink, Source } from '../../ltn12/types.js';
import { decode } from '../filters.js';
import { parseAddresses, type Address, type AddressGroup } from './address.js';
import { decodeCharset } from './charset.js';
import { describeHead, header, utf8OrLatin1, type MessagePart, type PartHead } from './part.js';
import { ByteReader, scanBody, scanHeader, type Terminator } from './scan.js';

/** Nesting of multiparts and enclosed messages at most. */
export const MAX_DEPTH = 32;
/** Parts (every node of the tree) at most. */
export const MAX_PARTS = 1000;
/** Bytes of one header block at most. */
export const MAX_HEADER_BYTES = 256 * 1024;
/** Characters of a boundary at most (RFC 2046 allows 70; some senders use more). */
export const MAX_BOUNDARY_LENGTH = 200;
/** Bytes collected into one part's `content` (or a preamble or epilogue) at most. */
export const MAX_COLLECT_BYTES = 64 * 1024 * 1024;

/** Options of {@link parseMessage}. */
export interface ParseOptions {
  /** The sink for a leaf's decoded body: a Sink, `null` to skip it, `undefined` to collect it. */
  body?: (head: PartHead) => Sink | null | undefined;
  /** Collect text leaves only (others are skipped unless `body` takes them). @default false */
  textOnly?: boolean;
  /** Throw on what lenient mode lists in `defects`. @default false */
  strict?: boolean;
  /** @default {@link MAX_DEPTH} */
  maxDepth?: number;
  /** @default {@link MAX_PARTS} */
  maxParts?: number;
  /** @default {@link MAX_HEADER_BYTES} */
  maxHeaderBytes?: number;
  /** @default {@link MAX_BOUNDARY_LENGTH} */
  maxBoundaryLength?: number;
  /** @default {@link MAX_COLLECT_BYTES} */
  maxCollectBytes?: number;
}

/** A parsed message: the root part plus its decoded address and subject fields. */
export interface ParsedMessage extends MessagePart {
  subject?: string;
  date?: string;
  messageId?: string;
  from: (Address | AddressGroup)[];
  to: (Address | AddressGroup)[];
  cc: (Address | AddressGroup)[];
  replyTo: (Address | AddressGroup)[];
}

interface State {
  r: ByteReader;
  opts: ParseOptions;
  strict: boolean;
  maxDepth: number;
  maxParts: number;
  maxHeaderBytes: number;
  maxBoundaryLength: number;
  maxCollectBytes: number;
  parts: number;
}

/** Collects bytes up to a limit. */
function collector(limit: number): { sink: Sink; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  let size = 0;
  return {
    sink: async (chunk) => {
      if (chunk === null) return;
      size += chunk.length;
      if (size > limit) throw new LimitError('body', limit);
      chunks.push(chunk);
    },
    bytes: () => (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)),
  };
}

function defect(st: State, part: { defects: string[] }, what: string): void {
  if (st.strict) throw new ProtocolError(what);
  part.defects.push(what);
}

const IDENTITY = new Set(['7bit', '8bit', 'binary']);

function decoderFor(st: State, head: PartHead): Filter | null {
  const cte = head.transferEncoding;
  if (cte === 'base64' || cte === 'quoted-printable') return decode(cte, { strict: st.strict });
  if (!IDENTITY.has(cte)) defect(st, head, `unknown transfer encoding ${JSON.stringify(cte)}`);
  return null;
}

async function readLeaf(st: State, head: PartHead, bounds: Buffer[]): Promise<[MessagePart, Terminator]> {
  const part: MessagePart = { ...head, size: 0 };
  const decoder = decoderFor(st, head);
  let chosen = st.opts.body?.(head);
  if (chosen === undefined && st.opts.textOnly === true && !head.contentType.startsWith('text/')) chosen = null;
  const collect = chosen === undefined ? collector(st.maxCollectBytes) : null;
  const sink = chosen ?? collect?.sink ?? null;
  const give = async (out: Buffer) => {
    if (out.length === 0) return;
    part.size += out.length;
    if (sink) await sink(out);
  };
  const term = await scanBody(st.r, bounds, (bytes) => give(decoder ? decoder(bytes) : bytes));
  if (decoder) await give(decoder(null));
  if (sink) await sink(null);
  if (collect) {
    part.content = collect.bytes();
    if (part.charset !== undefined) {
      const text = decodeCharset(part.content, part.charset);
      if (text === undefined) defect(st, part, `unknown charset ${JSON.stringify(part.charset)}`);
      else part.text = text;
    }
  }
  return [part, term];
}

async function readMultipart(st: State, head: PartHead, bounds: Buffer[], depth: number): Promise<[MessagePart, Terminator]> {
  const part: MessagePart = { ...head, parts: [], size: 0 };
  const boundary = head.params.boundary!;
  if (boundary.length > st.maxBoundaryLength)
    throw new LimitError('boundary', st.maxBoundaryLength, undefined, `a boundary of ${boundary.length} characters (limit ${st.maxBoundaryLength})`);
  const inner = [...bounds, Buffer.from(boundary, 'latin1')];
  const level = inner.length - 1;
  const childType = head.contentType === 'multipart/digest' ? 'message/rfc822' : 'text/plain';
  const pre = collector(st.maxCollectBytes);
  let term = await scanBody(st.r, inner, pre.sink);
  part.preamble = pre.bytes();
  if (term.level !== level) {
    defect(st, part, 'no opening boundary');
    return [part, term];
  }
  while (term.level === level && !term.close) {
    const [child, next] = await readPart(st, inner, childType, [...head.path, part.parts!.length], depth + 1);
    part.parts!.push(child);
    term = next;
  }
  if (term.level !== level) {
    defect(st, part, 'missing closing boundary');
    return [part, term];
  }
  const epi = collector(st.maxCollectBytes);
  term = await scanBody(st.r, bounds, epi.sink);
  part.epilogue = epi.bytes();
  return [part, term];
}

async function readPart(st: State, bounds: Buffer[], defaultType: string, path: number[], depth: number): Promise<[MessagePart, Terminator]> {
  if (depth > st.maxDepth) throw new LimitError('depth', st.maxDepth, undefined, `parts nested deeper than ${st.maxDepth}`);
  if (++st.parts > st.maxParts) throw new LimitError('parts', st.maxParts, undefined, `more than ${st.maxParts} parts`);
  const block = await scanHeader(st.r, bounds, st.maxHeaderBytes);
  const head = describeHead(block.bytes, defaultType, path, st.strict, st.maxHeaderBytes);
  if (head.contentType.startsWith('multipart/')) {
    if (head.params.boundary) return readMultipart(st, head, bounds, depth);
    defect(st, head, 'multipart without a boundary');
  }
  if (head.contentType === 'message/rfc822' && IDENTITY.has(head.transferEncoding)) {
    const [message, term] = await readPart(st, bounds, 'text/plain', [...path, 0], depth + 1);
    return [{ ...head, message, size: 0 }, term];
  }
  return readLeaf(st, head, bounds);
}

const count = (name: string, v: unknown, fallback: number) => checkInteger(name, v, { min: 1 }, fallback);

/** Parses a message; see the module doc. */
export async function parseMessage(src: Source, opts: ParseOptions = {}): Promise<ParsedMessage> {
  const st: State = {
    r: new ByteReader(src),
    opts,
    strict: opts.strict === true,
    maxDepth: count('maxDepth', opts.maxDepth, MAX_DEPTH),
    maxParts: count('maxParts', opts.maxParts, MAX_PARTS),
    maxHeaderBytes: count('maxHeaderBytes', opts.maxHeaderBytes, MAX_HEADER_BYTES),
    maxBoundaryLength: count('maxBoundaryLength', opts.maxBoundaryLength, MAX_BOUNDARY_LENGTH),
    maxCollectBytes: count('maxCollectBytes', opts.maxCollectBytes, MAX_COLLECT_BYTES),
    parts: 0,
  };
  const [root, term] = await readPart(st, [], 'text/plain', [], 0);
  if (term.level !== -1 || !st.r.eof) throw new ProtocolError('message parser stopped before the end of its input');
  const h = root.headers;
  const list = (name: string) =>
    parseAddresses(
      h
        .filter((f) => f.name.toLowerCase() === name)
        .map((f) => utf8OrLatin1(f.value))
        .join(', '),
    );
  const msg: ParsedMessage = { ...root, from: list('from'), to: list('to'), cc: list('cc'), replyTo: list('reply-to') };
  const subject = header(h, 'subject');
  if (subject !== undefined) msg.subject = subject;
  const date = header(h, 'date');
  if (date !== undefined) msg.date = date;
  const id = header(h, 'message-id');
  if (id !== undefined) msg.messageId = id.trim().replace(/^<|>$/g, '');
  return msg;
}
