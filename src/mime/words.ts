/**
 * RFC 2047 encoded words (`=?UTF-8?B?…?=`) for non-ASCII header text, and
 * header folding.
 *
 * `encodeWord` turns text into one or more encoded words of at most 75
 * characters each, separated by a space, never splitting a character.
 * `decodeWords` decodes every encoded word in a header value (B and Q;
 * UTF-8, ISO-8859-x, windows-125x and whatever else `TextDecoder` knows),
 * drops white space between adjacent encoded words, and leaves malformed
 * words or unknown charsets untouched.
 *
 * @example
 * ```ts
 * assert.equal(encodeWord('café', { encoding: 'Q' }), '=?UTF-8?Q?caf=C3=A9?=');
 * assert.equal(decodeWords('=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=c'), 'abc');
 * ```
 */
import { ArgumentError } from '../core/errors.js';

/** Options of {@link encodeWord}. */
export interface EncodeWordOptions {
  /** 'B' (base64), 'Q', or 'auto' (the shorter). @default 'auto' */
  encoding?: 'B' | 'Q' | 'auto';
}

const MAX_WORD = 75;
const PREFIX_LEN = '=?UTF-8?X?'.length + '?='.length;
const Q_SAFE = /^[A-Za-z0-9!*+\-/]$/;

function qEncode(bytes: Buffer): string {
  let out = '';
  for (const b of bytes) {
    const ch = String.fromCharCode(b);
    if (b === 32) out += '_';
    else if (b < 128 && Q_SAFE.test(ch)) out += ch;
    else out += `=${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const encoders = {
  B: (bytes: Buffer) => bytes.toString('base64'),
  Q: qEncode,
};

/** Encodes `text` as RFC 2047 words (UTF-8), splitting on character boundaries. */
export function encodeWord(text: string, opts: EncodeWordOptions = {}): string {
  const all = Buffer.from(text, 'utf8');
  let kind = opts.encoding ?? 'auto';
  if (kind === 'auto') kind = encoders.Q(all).length <= encoders.B(all).length ? 'Q' : 'B';
  const encodeBytes = encoders[kind];
  const words: string[] = [];
  let current = '';
  for (const ch of text) {
    const candidate = current + ch;
    if (current !== '' && PREFIX_LEN + encodeBytes(Buffer.from(candidate, 'utf8')).length > MAX_WORD) {
      words.push(current);
      current = ch;
    } else {
      current = candidate;
    }
  }
  if (current !== '' || words.length === 0) words.push(current);
  return words.map((w) => `=?UTF-8?${kind}?${encodeBytes(Buffer.from(w, 'utf8'))}?=`).join(' ');
}

const WORD = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;

function decodeOne(charset: string, kind: string, data: string): string | undefined {
  let bytes: Buffer;
  if (kind === 'B' || kind === 'b') {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data)) return undefined;
    bytes = Buffer.from(data, 'base64');
  } else {
    const text = data.replace(/_/g, ' ');
    const out: number[] = [];
    for (let i = 0; i < text.length; i++) {
      if (text[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
        out.push(parseInt(text.slice(i + 1, i + 3), 16));
        i += 2;
      } else out.push(text.charCodeAt(i) & 0xff);
    }
    bytes = Buffer.from(out);
  }
  const label = charset.split('*')[0]!.toLowerCase();
  if (label === 'windows-1252' || label === 'cp1252') return decodeCp1252(bytes);
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    return undefined;
  }
}

/** windows-1252's 0x80–0x9F (Node's TextDecoder reads this label as ISO-8859-1). */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

function decodeCp1252(bytes: Buffer): string {
  let out = '';
  for (const b of bytes) out += b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80] : String.fromCharCode(b);
  return out;
}

/** Decodes every RFC 2047 word in `text`. */
export function decodeWords(text: string): string {
  let out = '';
  let last = 0;
  let prevWordEnd = -1;
  for (const m of text.matchAll(WORD)) {
    const decoded = decodeOne(m[1]!, m[2]!, m[3]!);
    if (decoded === undefined) continue;
    const gap = text.slice(last, m.index);
    out += prevWordEnd === last && /^[ \t\r\n]*$/.test(gap) ? '' : gap;
    out += decoded;
    last = m.index! + m[0].length;
    prevWordEnd = last;
  }
  return out + text.slice(last);
}

/** The value unchanged when it is printable ASCII, else its non-ASCII words encoded. */
export function encodeHeaderValue(value: string): string {
  if (/[\r\n\0]/.test(value)) throw new ArgumentError('CR, LF or NUL in a header value');
  if (/^[\x20-\x7e\t]*$/.test(value)) return value;
  const tokens = value.split(' ');
  const out: string[] = [];
  let run: string[] = [];
  const flush = () => {
    if (run.length > 0) out.push(encodeWord(run.join(' ')));
    run = [];
  };
  for (const t of tokens) {
    if (/^[\x20-\x7e\t]*$/.test(t) && run.length === 0) out.push(t);
    else if (/^[\x20-\x7e\t]*$/.test(t)) {
      flush();
      out.push(t);
    } else run.push(t);
  }
  flush();
  return out.join(' ');
}

/**
 * `Name: value` folded at white space so lines stay within `width`
 * characters where the words allow; continuation lines start with a space.
 * Lines are joined with CRLF, with no CRLF at the end.
 */
export function foldHeader(name: string, value: string, width = 78): string {
  if (/[\r\n\0:\s]/.test(name) || name === '') throw new ArgumentError(`bad header name ${JSON.stringify(name)}`);
  const words = encodeHeaderValue(value).split(' ');
  const lines: string[] = [];
  let line = `${name}:`;
  for (const w of words) {
    if (line.length + 1 + w.length > width && line.trim() !== `${name}:` && line !== '') {
      lines.push(line);
      line = ` ${w}`;
    } else {
      line += ` ${w}`;
    }
  }
  lines.push(line);
  return lines.join('\r\n');
}
