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
/** Room for the encoded text in one word. */
const ROOM = MAX_WORD - PREFIX_LEN;
const HEXB = Buffer.from('0123456789ABCDEF', 'latin1');
/** Q-encoded length of each byte: 1 for RFC 2047 §5(3)'s safe characters and the space (written '_'), 3 for `=XX`. */
const Q_LEN = new Uint8Array(256).fill(3);
for (const ch of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!*+-/ ') Q_LEN[ch.charCodeAt(0)] = 1;

/** Length of the UTF-8 sequence a byte starts (a stray continuation byte counts alone). */
const seqLen = (b: number): number => (b < 0xc0 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4);

/**
 * Where the words start: offsets into `all`, then `all.length`. A word
 * takes whole characters while its encoded length fits {@link ROOM} (a
 * first character always goes in). Q: a byte is 1 or 3 characters (every
 * byte of a multi-byte character is 3); B: 4 per started 3 bytes.
 */
function wordCuts(all: Buffer, q: boolean): number[] {
  if (!q) return bCuts(all);
  const cuts = [0];
  let start = 0;
  let qLen = 0;
  for (let i = 0; i < all.length; ) {
    const b = all[i]!;
    const end = Math.min(i + seqLen(b), all.length);
    const add = q ? (end - i === 1 ? Q_LEN[b]! : 3 * (end - i)) : 0;
    const len = q ? qLen + add : Math.ceil((end - start) / 3) * 4;
    if (i > start && len > ROOM) {
      cuts.push(i);
      start = i;
      qLen = 0;
      continue;
    }
    qLen += add;
    i = end;
  }
  cuts.push(all.length);
  return cuts;
}

/** Bytes of text a B word holds: whole groups of 3 in {@link ROOM}. */
const B_BYTES = Math.floor(ROOM / 4) * 3;

/**
 * B word cuts: each word takes {@link B_BYTES} and backs off to the start of
 * the character there (`all` is UTF-8 from a string, so a character starts
 * at any byte that is not a continuation byte) — the same cuts as the
 * character walk, without visiting every byte.
 */
function bCuts(all: Buffer): number[] {
  const cuts = [0];
  for (let start = 0; ; ) {
    let i = start + B_BYTES;
    if (i >= all.length) break;
    while (i > start + 1 && (all[i]! & 0xc0) === 0x80) i--;
    cuts.push(i);
    start = i;
  }
  cuts.push(all.length);
  return cuts;
}

const Q_OPEN = Buffer.from('=?UTF-8?Q?', 'latin1');

/** Q-encoded words for the cuts, written in one byte loop into one buffer. */
function qWords(all: Buffer, cuts: number[]): string {
  let size = (cuts.length - 1) * (PREFIX_LEN + 1) - 1;
  for (let i = 0; i < all.length; i++) size += Q_LEN[all[i]!]!;
  const out = Buffer.allocUnsafe(size);
  let o = 0;
  for (let w = 0; w + 1 < cuts.length; w++) {
    if (w > 0) out[o++] = 32;
    o += Q_OPEN.copy(out, o);
    for (let i = cuts[w]!, end = cuts[w + 1]!; i < end; i++) {
      const b = all[i]!;
      if (b === 32)
        out[o++] = 95; // '_'
      else if (Q_LEN[b] === 1) out[o++] = b;
      else {
        out[o] = 61;
        out[o + 1] = HEXB[b >> 4]!;
        out[o + 2] = HEXB[b & 15]!;
        o += 3;
      }
    }
    out[o] = 63; // '?='
    out[o + 1] = 61;
    o += 2;
  }
  return out.toString('latin1', 0, o);
}

/**
 * Encodes `text` as RFC 2047 words (UTF-8), splitting on character
 * boundaries. Word lengths are counted as characters are added and the
 * words are written in one pass: linear time.
 */
export function encodeWord(text: string, opts: EncodeWordOptions = {}): string {
  const all = Buffer.from(text, 'utf8');
  let kind = opts.encoding ?? 'auto';
  if (kind === 'auto') {
    // Q while it is no longer than B; the count stops as soon as Q is longer (it only grows)
    const bLen = Math.ceil(all.length / 3) * 4;
    let q = 0;
    for (let i = 0; i < all.length && q <= bLen; i++) q += Q_LEN[all[i]!]!;
    kind = q <= bLen ? 'Q' : 'B';
  }
  const cuts = wordCuts(all, kind === 'Q');
  return kind === 'Q' ? qWords(all, cuts) : bWords(all, cuts);
}

const B64 = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 'latin1');
const B_OPEN = Buffer.from('=?UTF-8?B?', 'latin1');

/** Base64 words for the cuts, written in one loop into one buffer (one native call per word cost a third more). */
function bWords(all: Buffer, cuts: number[]): string {
  let size = (cuts.length - 1) * (PREFIX_LEN + 1) - 1;
  for (let w = 0; w + 1 < cuts.length; w++) size += Math.ceil((cuts[w + 1]! - cuts[w]!) / 3) * 4;
  const out = Buffer.allocUnsafe(size);
  let o = 0;
  for (let w = 0; w + 1 < cuts.length; w++) {
    if (w > 0) out[o++] = 32;
    o += B_OPEN.copy(out, o);
    const end = cuts[w + 1]!;
    let i = cuts[w]!;
    for (; i + 2 < end; i += 3) {
      const x = (all[i]! << 16) | (all[i + 1]! << 8) | all[i + 2]!;
      out[o] = B64[x >> 18]!;
      out[o + 1] = B64[(x >> 12) & 63]!;
      out[o + 2] = B64[(x >> 6) & 63]!;
      out[o + 3] = B64[x & 63]!;
      o += 4;
    }
    if (i < end) {
      const two = i + 1 < end;
      const x = (all[i]! << 16) | (two ? all[i + 1]! << 8 : 0);
      out[o] = B64[x >> 18]!;
      out[o + 1] = B64[(x >> 12) & 63]!;
      out[o + 2] = two ? B64[(x >> 6) & 63]! : 61;
      out[o + 3] = 61;
      o += 4;
    }
    out[o] = 63; // '?='
    out[o + 1] = 61;
    o += 2;
  }
  return out.toString('latin1', 0, o);
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

/** A token (between single spaces) holding something other than printable ASCII or tab. */
const NA = '[^ ]*[^\\x20-\\x7e\\t][^ ]*';
/**
 * A run of such tokens separated by single spaces, starting and ending at
 * token boundaries (the lookbehind keeps the scan linear: a match is tried
 * only where a token starts).
 */
const NON_ASCII_RUN = new RegExp(`(?<![^ ])${NA}(?: ${NA})*(?![^ ])`, 'g');
const PRINTABLE = /^[\x20-\x7e\t]*$/;

/**
 * The value unchanged when it is printable ASCII, else each run of
 * space-separated tokens holding other characters encoded as RFC 2047 words
 * (the printable tokens between runs stay as they are).
 */
export function encodeHeaderValue(value: string): string {
  if (/[\r\n\0]/.test(value)) throw new ArgumentError('CR, LF or NUL in a header value');
  if (PRINTABLE.test(value)) return value;
  return value.replace(NON_ASCII_RUN, (run) => encodeWord(run));
}

/**
 * `Name: value` folded at white space so lines stay within `width`
 * characters where the words allow; continuation lines start with a space.
 * Lines are joined with CRLF, with no CRLF at the end.
 */
export function foldHeader(name: string, value: string, width = 78): string {
  if (/[\r\n\0:\s]/.test(name) || name === '') throw new ArgumentError(`bad header name ${JSON.stringify(name)}`);
  const v = encodeHeaderValue(value);
  const folds = foldPoints(v, name.length + 1, width);
  if (folds.length === 0) return `${name}: ${v}`;
  // each fold's space becomes CRLF + space: the pieces between folds are views of v, joined in one copy
  const lines = new Array<string>(folds.length + 1);
  let from = 0;
  for (let i = 0; i < folds.length; i++) {
    lines[i] = v.slice(from, folds[i]);
    from = folds[i]!;
  }
  lines[folds.length] = v.slice(from);
  return `${name}: ${lines.join('\r\n')}`;
}

/**
 * Offsets of the spaces in `v` where a line is broken: a word that would
 * take the line past `width` starts a new line, once the line holds a word
 * (any continuation line, or a first line with a non-blank word).
 */
function foldPoints(v: string, first: number, width: number): number[] {
  const folds: number[] = [];
  let lineLen = first;
  let holdsWord = false;
  for (let ws = 0; ws <= v.length; ) {
    let we = v.indexOf(' ', ws);
    if (we < 0) we = v.length;
    const len = we - ws;
    if (holdsWord && lineLen + 1 + len > width) {
      folds.push(ws - 1);
      lineLen = 1 + len;
    } else {
      lineLen += 1 + len;
      if (!holdsWord && len > 0 && !isBlank(v, ws, we)) holdsWord = true;
    }
    ws = we + 1;
  }
  return folds;
}

/** Only tabs between `from` and `to` (spaces cannot occur: they end words). */
function isBlank(v: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (v.charCodeAt(i) !== 9) return false;
  return true;
}
