/**
 * `parseParams`: a `Content-Type` or `Content-Disposition` value into its
 * main value and its parameters, with RFC 2231 continuations
 * (`name*0=…; name*1=…`) and charsets (`name*=utf-8''%C3%A9`) joined and
 * decoded, and RFC 2047 words in plain values decoded (Outlook and Gmail put
 * them in quoted file names).
 *
 * Lenient like every mail reader: a parameter without `=` is skipped, an
 * unterminated quoted string runs to the end, a continuation with a gap in
 * its numbers keeps the pieces it has, in order. Names are lower-cased; the
 * first of two parameters with the same name wins. `maxParams` (default
 * {@link MAX_PARAMS}) bounds the work a hostile header can cause.
 *
 * @example
 * ```ts
 * const p = parseParams(`attachment; filename*0*=utf-8''caf%C3%A9; filename*1=".txt"`);
 * assert.equal(p.value, 'attachment');
 * assert.equal(p.params.filename, 'café.txt');
 * ```
 */
import { decodeWords } from '../words.js';
import { decodeCharset } from './charset.js';

/** Parameters read from one header value at most. */
export const MAX_PARAMS = 100;

/** The result of {@link parseParams}. */
export interface ParsedParams {
  /** The value before the first `;`, trimmed, lower-cased. */
  value: string;
  /** Parameters by lower-cased name, decoded. */
  params: Record<string, string>;
}

interface Piece {
  index: number;
  extended: boolean;
  text: string;
}

/** Splits `a=b; c="d;e"` into raw [name, value, quoted] triples. */
function rawParams(text: string, max: number): [string, string, boolean][] {
  const out: [string, string, boolean][] = [];
  let i = 0;
  while (i < text.length && out.length < max) {
    while (i < text.length && (text[i] === ';' || text[i] === ' ' || text[i] === '\t')) i++;
    const eq = text.indexOf('=', i);
    const semi = text.indexOf(';', i);
    if (eq < 0 || (semi >= 0 && semi < eq)) {
      if (semi < 0) break;
      i = semi + 1;
      continue;
    }
    const name = text.slice(i, eq).trim().toLowerCase();
    i = eq + 1;
    while (text[i] === ' ' || text[i] === '\t') i++;
    let value = '';
    let quoted = false;
    if (text[i] === '"') {
      quoted = true;
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        value += text[i++];
      }
      i++;
    } else {
      const end = text.indexOf(';', i);
      value = text.slice(i, end < 0 ? text.length : end).trim();
      i = end < 0 ? text.length : end;
    }
    if (name !== '') out.push([name, value, quoted]);
  }
  return out;
}

function percentDecode(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === '%' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(text.charCodeAt(i) & 0xff);
  }
  return Buffer.from(bytes);
}

/** Joins RFC 2231 pieces: the first extended piece names the charset. */
function joinPieces(pieces: Piece[]): string {
  pieces.sort((a, b) => a.index - b.index);
  let charset = 'us-ascii';
  const bytes: Buffer[] = [];
  pieces.forEach((p, n) => {
    let text = p.text;
    if (p.extended && n === 0) {
      const parts = text.split("'");
      if (parts.length >= 3) {
        charset = parts[0] || 'us-ascii';
        text = parts.slice(2).join("'");
      }
    }
    bytes.push(p.extended ? percentDecode(text) : Buffer.from(text, 'utf8'));
  });
  const all = Buffer.concat(bytes);
  return decodeCharset(all, charset) ?? all.toString('latin1');
}

/** Parses a header value with parameters; see the module doc. */
export function parseParams(header: string, maxParams = MAX_PARAMS): ParsedParams {
  const semi = header.indexOf(';');
  const value = (semi < 0 ? header : header.slice(0, semi)).trim().toLowerCase();
  const params: Record<string, string> = Object.create(null);
  const continued = new Map<string, Piece[]>();
  for (const [name, raw, quoted] of semi < 0 ? [] : rawParams(header.slice(semi + 1), maxParams)) {
    const m = /^([^*]+)\*(?:(\d{1,3})(\*)?)?$/.exec(name);
    if (m) {
      const list = continued.get(m[1]!) ?? [];
      list.push({ index: m[2] === undefined ? 0 : Number(m[2]), extended: m[2] === undefined || m[3] === '*', text: raw });
      continued.set(m[1]!, list);
    } else if (!(name in params)) {
      params[name] = quoted || raw.includes('=?') ? decodeWords(raw) : raw;
    }
  }
  for (const [name, pieces] of continued) params[name] = joinPieces(pieces);
  return { value, params };
}
