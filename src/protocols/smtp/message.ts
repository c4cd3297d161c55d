/**
 * `message`: an RFC 5322 / MIME message as an ltn12 Source, streamed, never
 * buffered whole (LuaSocket's `smtp.message`).
 *
 * - `headers`: names as given; values with non-ASCII text become RFC 2047
 *   words, lines are folded at 78; CR/LF/NUL in a value is refused. A
 *   header whose value is `undefined` or `null` is left out (not written
 *   empty), as if it were not given. `Date`, `Message-ID` and
 *   `MIME-Version` are added when missing.
 * - `body`: a string or Buffer (its Content-Transfer-Encoding is chosen:
 *   7bit for short-lined ASCII, quoted-printable for other text, base64 for
 *   binary), a Source (sent as it comes, or encoded as its
 *   Content-Transfer-Encoding header says), or a multipart
 *   `{ preamble?, epilogue?, parts: [{ headers, body }, …] }`, nested to any
 *   depth. Text (a `text/*` part — a string body is `text/plain` unless
 *   its headers say otherwise) is made canonical before it is encoded:
 *   every line ends with CRLF, for base64 too (RFC 2045 §6.8), so a bare
 *   LF never hides inside the encoding. Binary content, and any part
 *   with `Content-Disposition: attachment`, is encoded byte-exact. Boundaries are 24 random bytes in hex; for string and Buffer
 *   content their absence is checked, for streamed content the 2^-96
 *   chance of a clash is accepted.
 * - `attachment(path)` makes a part that streams a file as base64.
 *
 * @example
 * ```ts
 * const src = message({
 *   headers: { from: 'a@example.test', to: 'b@example.test', subject: 'Grüße' },
 *   body: { parts: [{ body: 'hello' }, attachment('report.pdf')] },
 * });
 * ```
 */
import { basename } from 'node:path';
import mimeTypes from 'mime-types';
import { ArgumentError } from '../../core/errors.js';
import { filter, source, type Source } from '../../ltn12/index.js';
import { encode, foldHeader, normalize, wrap } from '../../mime/index.js';
import { randomHex } from '../../core/random-hex.js';

/** A header's value; `undefined` and `null` leave the header out. */
export type HeaderValue = string | undefined | null;

/** Header fields: an object or ordered pairs. */
export type Headers = Readonly<Record<string, HeaderValue>> | readonly (readonly [string, HeaderValue])[];

/** A multipart body. */
export interface Multipart {
  preamble?: string;
  epilogue?: string;
  parts: Part[];
}

/** A message or a part of one. */
export interface Part {
  headers?: Headers;
  body: string | Buffer | Source | Multipart;
}

const isMultipart = (b: Part['body']): b is Multipart => typeof b === 'object' && b !== null && !Buffer.isBuffer(b) && 'parts' in b;

/** The headers as pairs, those without a value left out. */
function pairs(headers: Headers | undefined): [string, string][] {
  if (!headers) return [];
  const all: (readonly [string, HeaderValue])[] = Array.isArray(headers) ? headers : Object.entries(headers);
  return all.filter((h): h is readonly [string, string] => h[1] !== undefined && h[1] !== null).map(([n, v]) => [n, v]);
}

/**
 * True when the part's content is text to canonicalise: `text/*` that is not
 * a file attachment (an attached file travels byte-exact, whatever its type).
 */
function isText(hs: [string, string][]): boolean {
  const ct = find(hs, 'content-type')?.[1];
  return ct !== undefined && /^\s*text\//i.test(ct) && !/^\s*attachment\b/i.test(find(hs, 'content-disposition')?.[1] ?? '');
}

/** The field named `name` (lower-case), any case; only names of its length are lower-cased to compare. */
const find = (hs: [string, string][], name: string) => hs.find(([n]) => n.length === name.length && n.toLowerCase() === name);

let dateSecond = -1;
let dateText = '';

/** The `Date` field's value for now (RFC 5322, `+0000`), formatted once per second. */
function dateNow(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(second * 1000).toUTCString().replace('GMT', '+0000');
  }
  return dateText;
}

/** Chooses 7bit, quoted-printable or base64 for `data`. */
export function chooseEncoding(data: Buffer): '7bit' | 'quoted-printable' | 'base64' {
  let high = 0;
  let control = 0;
  let lineLen = 0;
  let longest = 0;
  for (let i = 0; i < data.length; i++) {
    const b = data[i]!;
    if (b === 10) {
      longest = Math.max(longest, lineLen);
      lineLen = 0;
      continue;
    }
    lineLen++;
    if (b >= 128) high++;
    else if (b < 32 && b !== 9 && b !== 13) control++;
  }
  longest = Math.max(longest, lineLen);
  if (high === 0 && control === 0 && longest <= 998) return '7bit';
  return control === 0 && high * 4 < data.length ? 'quoted-printable' : 'base64';
}

function boundaryFor(body: Multipart): string {
  for (;;) {
    const b = `=_netkit_${randomHex(12)}`;
    const texts = [body.preamble, body.epilogue, ...body.parts.map((p) => (typeof p.body === 'string' || Buffer.isBuffer(p.body) ? p.body : undefined))];
    if (!texts.some((t) => t !== undefined && Buffer.from(t).includes(b))) return b;
  }
}

function headerBlock(hs: [string, string][]): Buffer {
  return Buffer.from(`${hs.map(([n, v]) => `${foldHeader(n, v)}\r\n`).join('')}\r\n`, 'utf8');
}

/** The Source for one part (headers and body). */
function partSource(part: Part, top: boolean): Source {
  const hs = pairs(part.headers);
  if (top) {
    if (!find(hs, 'date')) hs.push(['Date', dateNow()]);
    if (!find(hs, 'message-id')) hs.push(['Message-ID', `<${randomHex(16)}@netkit.invalid>`]);
    if (!find(hs, 'mime-version')) hs.push(['MIME-Version', '1.0']);
  }
  const body = part.body;
  if (isMultipart(body)) {
    const boundary = boundaryFor(body);
    const ct = find(hs, 'content-type');
    if (ct) ct[1] = `${ct[1]}; boundary="${boundary}"`;
    else hs.push(['Content-Type', `multipart/mixed; boundary="${boundary}"`]);
    const pieces: Source[] = [source.string(headerBlock(hs))];
    if (body.preamble) pieces.push(source.chain(source.string(`${body.preamble}\r\n`), normalize()));
    for (const p of body.parts) pieces.push(source.string(`\r\n--${boundary}\r\n`), partSource(p, false));
    pieces.push(source.string(`\r\n--${boundary}--\r\n`));
    if (body.epilogue) pieces.push(source.chain(source.string(body.epilogue), normalize()));
    return source.cat(...pieces);
  }
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    const data = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    if (!find(hs, 'content-type')) hs.push(['Content-Type', typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/octet-stream']);
    let cte = find(hs, 'content-transfer-encoding')?.[1].toLowerCase();
    if (!cte) {
      cte = chooseEncoding(data);
      hs.push(['Content-Transfer-Encoding', cte]);
    }
    return source.cat(source.string(headerBlock(hs)), encoded(source.string(data), cte, isText(hs)));
  }
  if (typeof body !== 'function') throw new ArgumentError('a body is a string, a Buffer, a Source or { parts }');
  const cte = find(hs, 'content-transfer-encoding')?.[1].toLowerCase() ?? '';
  return source.cat(source.string(headerBlock(hs)), encoded(body, cte, isText(hs)));
}

/** The body encoded as `cte` says; text gets CRLF line ends first, for base64 too. */
function encoded(src: Source, cte: string, text: boolean): Source {
  if (cte === 'base64')
    return source.chain(src, text ? filter.chain(normalize(), encode('base64'), wrap('base64')) : filter.chain(encode('base64'), wrap('base64')));
  if (cte === 'quoted-printable') return source.chain(src, filter.chain(normalize(), encode('quoted-printable'), wrap('quoted-printable')));
  return source.chain(src, normalize());
}

/** The whole message as a Source; see the module doc. */
export function message(msg: Part): Source {
  return partSource(msg, true);
}

/** A part streaming the file at `path` as base64, with its content type and file name. */
export function attachment(path: string, opts: { filename?: string; contentType?: string } = {}): Part {
  const filename = opts.filename ?? basename(path);
  const contentType = opts.contentType ?? (mimeTypes.lookup(filename) || 'application/octet-stream');
  if (/["\r\n\\]/.test(filename)) throw new ArgumentError(`unsafe attachment name ${JSON.stringify(filename)}`);
  return {
    headers: [
      ['Content-Type', `${contentType}; name="${filename}"`],
      ['Content-Disposition', `attachment; filename="${filename}"`],
      ['Content-Transfer-Encoding', 'base64'],
    ],
    body: source.file(path),
  };
}
