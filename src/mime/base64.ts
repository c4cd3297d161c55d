/**
 * Base64 (RFC 4648 §4), as chunk-safe filters and LuaSocket's low-level
 * `b64`/`unb64`.
 *
 * Encoding carries the 0–2 bytes that do not fill a 3-byte group to the
 * next chunk, and lets Node's native encoder do the rest.
 *
 * Decoding has two rules, chosen per call:
 * - lenient (default, RFC 2045 §6.8 and LuaSocket): bytes outside the
 *   alphabet are skipped; `=` ends the current group (its 2 or 3 characters
 *   give 1 or 2 bytes) and decoding goes on after it; a lone trailing
 *   character is dropped.
 * - strict (`{ strict: true }`, RFC 4648 §3.3): only the alphabet, CR and LF
 *   may appear; padding must complete the last group exactly and nothing but
 *   line breaks may follow it; input must end on a group boundary. Anything
 *   else throws {@link DecodeError} with the byte offset.
 *
 * @example
 * ```ts
 * assert.equal(transform('foobar', encodeBase64()).toString(), 'Zm9vYmFy');
 * assert.equal(transform('Zm9v\r\nYmE=', decodeBase64()).toString(), 'fooba');
 * ```
 */
import type { Filter } from '../ltn12/types.js';
import { Slab } from '../core/slab.js';
import { DecodeError } from './decode-error.js';

const EMPTY = Buffer.alloc(0);
const NOT_ALPHABET = /[^A-Za-z0-9+/]/;
const NOT_ALPHABET_G = /[^A-Za-z0-9+/=]/g;
const NOT_STRICT = /[^A-Za-z0-9+/=\r\n]/;

const ALPHABET = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 'latin1');

/**
 * A filter that base64-encodes; flushing pads the last group. The 1–2 bytes
 * of a group cut by a chunk boundary wait in a 2-byte scratch; the group
 * they start is encoded by hand, the rest of the chunk natively, straight
 * into one output buffer.
 */
export function encodeBase64(): Filter {
  const carry = Buffer.alloc(2);
  const slab = new Slab();
  let held = 0;
  return (chunk) => {
    if (chunk === null) {
      const out = held > 0 ? Buffer.from(carry.toString('base64', 0, held), 'latin1') : EMPTY;
      held = 0;
      return out;
    }
    const total = held + chunk.length;
    if (total < 3) {
      chunk.copy(carry, held);
      held = total;
      return EMPTY;
    }
    const whole = total - (total % 3);
    const out = slab.take((whole / 3) * 4);
    let o = 0;
    let from = 0;
    if (held > 0) {
      // the group straddling the boundary: carry + the chunk's first bytes
      from = 3 - held;
      const b0 = carry[0]!;
      const b1 = held === 2 ? carry[1]! : chunk[0]!;
      const b2 = chunk[from - 1]!;
      out[0] = ALPHABET[b0 >> 2]!;
      out[1] = ALPHABET[((b0 & 3) << 4) | (b1 >> 4)]!;
      out[2] = ALPHABET[((b1 & 15) << 2) | (b2 >> 6)]!;
      out[3] = ALPHABET[b2 & 63]!;
      o = 4;
    }
    const end = whole - held;
    if (end > from) out.write(chunk.toString('base64', from, end), o, 'latin1');
    held = chunk.length - end;
    if (held > 0) chunk.copy(carry, 0, end);
    return out;
  };
}

/** Options of the decoders. */
export interface DecodeOptions {
  /** Throw {@link DecodeError} on malformed input instead of skipping it. @default false */
  strict?: boolean;
}

/** A filter that base64-decodes under the rule chosen by `opts` (see the module doc). */
export function decodeBase64(opts: DecodeOptions = {}): Filter {
  const strict = opts.strict === true;
  let carry = ''; // valid characters of an unfinished group (0–3)
  let offset = 0; // bytes of input seen before this chunk
  let padOpen = 0; // strict: '=' still owed to finish the padded group
  let padded = false; // strict: padding seen, only line breaks may follow
  const slab = new Slab();
  return (chunk) => {
    if (chunk === null) {
      if (strict && (carry.length > 0 || padOpen > 0)) throw new DecodeError('base64 input ends inside a group', offset);
      const out = carry.length >= 2 ? Buffer.from(carry, 'base64') : EMPTY;
      carry = '';
      return out;
    }
    const text = chunk.toString('latin1');
    const start = offset;
    offset += chunk.length;
    if (carry === '' && !padded && padOpen === 0 && chunk.length % 4 === 0) {
      // Fast path: a whole number of groups. Node's decoder gives exactly 3/4
      // of the length only when every byte is in its alphabet and there is no
      // padding; '-' and '_' (which Node also accepts) are ruled out first.
      if (chunk.indexOf(45) < 0 && chunk.indexOf(95) < 0) {
        const want = (chunk.length / 4) * 3;
        const out = slab.take(want);
        if (out.write(text, 'base64') === want) return out;
      }
    }
    if (!padded && padOpen === 0 && !NOT_ALPHABET.test(text)) {
      const all = carry + text;
      const whole = all.length - (all.length % 4);
      carry = all.slice(whole);
      return whole > 0 ? Buffer.from(all.slice(0, whole), 'base64') : EMPTY;
    }
    if (strict) return decodeStrictSlow(text, start);
    return decodeLenientSlow(text);
  };

  function decodeLenientSlow(clean: string): Buffer {
    const [out, rest] = decodeLenient(carry + clean);
    carry = rest;
    return out;
  }

  function decodeStrictSlow(text: string, start: number): Buffer {
    const bad = NOT_STRICT.exec(text);
    if (bad) throw new DecodeError(`byte 0x${text.charCodeAt(bad.index).toString(16).padStart(2, '0')} is not base64`, start + bad.index);
    let s = carry;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13 || c === 10) continue;
      if (c === 61) {
        if (padOpen > 0) padOpen--;
        else if (!padded && (s.length % 4 === 2 || s.length % 4 === 3)) {
          padOpen = s.length % 4 === 2 ? 1 : 0;
          padded = true;
        } else throw new DecodeError('misplaced padding', start + i);
        continue;
      }
      if (padded) throw new DecodeError('data after padding', start + i);
      s += text[i];
    }
    if (padded) {
      carry = '';
      return s.length > 0 ? Buffer.from(s, 'base64') : EMPTY;
    }
    const whole = s.length - (s.length % 4);
    carry = s.slice(whole);
    return whole > 0 ? Buffer.from(s.slice(0, whole), 'base64') : EMPTY;
  }
}

/**
 * LuaSocket's `mime.b64(C, D)`: encodes the largest whole-group prefix of
 * C..D and returns `[encoded, rest]`; without D (end of data) encodes all of
 * C with padding and returns `[encoded, null]`.
 */
export function b64(c: Buffer | null, d?: Buffer | null): [Buffer | null, Buffer | null] {
  if (c === null) return [null, null];
  if (d === undefined || d === null) return [Buffer.from(c.toString('base64'), 'latin1'), null];
  const data = Buffer.concat([c, d]);
  const whole = data.length - (data.length % 3);
  return [Buffer.from(data.toString('base64', 0, whole), 'latin1'), data.subarray(whole)];
}

/**
 * Lenient decoding of `s`: skips bytes outside the alphabet, lets each run
 * of `=` end a group, and returns the bytes of the whole groups plus the
 * 0–3 characters of the unfinished one.
 */
function decodeLenient(s: string): [Buffer, string] {
  const parts: Buffer[] = [];
  let rest = s.replace(NOT_ALPHABET_G, '');
  for (let eq = rest.indexOf('='); eq >= 0; eq = rest.indexOf('=')) {
    if (eq > 0) parts.push(Buffer.from(rest.slice(0, eq), 'base64'));
    let after = eq;
    while (rest.charCodeAt(after) === 61) after++;
    rest = rest.slice(after);
  }
  const whole = rest.length - (rest.length % 4);
  if (whole > 0) parts.push(Buffer.from(rest.slice(0, whole), 'base64'));
  return [parts.length === 1 ? parts[0]! : Buffer.concat(parts), rest.slice(whole)];
}

/**
 * LuaSocket's `mime.unb64(C, D)`: decodes the whole groups of C..D
 * (leniently) and returns `[decoded, rest]`; without D decodes what is left
 * and returns `[decoded, null]`.
 */
export function unb64(c: Buffer | null, d?: Buffer | null): [Buffer | null, Buffer | null] {
  if (c === null) return [null, null];
  const [out, rest] = decodeLenient(Buffer.concat([c, d ?? Buffer.alloc(0)]).toString('latin1'));
  if (d === undefined || d === null) return [rest.length >= 2 ? Buffer.concat([out, Buffer.from(rest, 'base64')]) : out, null];
  return [out, Buffer.from(rest, 'latin1')];
}
