/**
 * `decodeCharset`: bytes in a MIME charset to text, or `undefined` when the
 * charset is unknown (the caller keeps the bytes and reports it).
 *
 * UTF-8, US-ASCII (read as UTF-8, since mislabelled 8-bit text is common),
 * ISO-8859-1 (true Latin-1, as Python reads it), Windows-1252 (its
 * 0x80–0x9F punctuation; Node's TextDecoder reads that label as Latin-1) and
 * whatever else `TextDecoder` knows: ISO-8859-x, Windows-125x, KOI8,
 * Shift_JIS, GB18030, Big5 …. Bytes that are not valid in the charset
 * become U+FFFD.
 *
 * @example
 * ```ts
 * assert.equal(decodeCharset(Buffer.from([0x80]), 'windows-1252'), '€');
 * assert.equal(decodeCharset(Buffer.from('hi'), 'x-unknown'), undefined);
 * ```
 */

/** windows-1252's 0x80–0x9F. */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

function cp1252(bytes: Buffer): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    out += b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80] : String.fromCharCode(b);
  }
  return out;
}

const ALIASES: Record<string, string> = {
  'us-ascii': 'utf-8',
  ascii: 'utf-8',
  utf8: 'utf-8',
  'ansi_x3.4-1968': 'utf-8',
  cp1252: 'windows-1252',
  'x-cp1252': 'windows-1252',
};

/** The charset label normalised (lower case, quotes and language suffix gone). */
export function charsetLabel(charset: string): string {
  const label = charset.trim().replace(/^"|"$/g, '').split('*')[0]!.toLowerCase();
  return ALIASES[label] ?? label;
}

/** Decodes `bytes` from `charset`; `undefined` when the charset is unknown. */
export function decodeCharset(bytes: Buffer, charset: string): string | undefined {
  const label = charsetLabel(charset);
  if (label === 'utf-8') return bytes.toString('utf8');
  if (label === 'iso-8859-1' || label === 'latin1' || label === 'iso_8859-1' || label === 'l1') return bytes.toString('latin1');
  if (label === 'windows-1252') return cp1252(bytes);
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    return undefined;
  }
}
