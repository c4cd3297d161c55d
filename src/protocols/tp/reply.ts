/**
 * Text-protocol replies (SMTP RFC 5321 §4.2, FTP RFC 959 §4.2): a three-digit
 * code, then `-` on every line but the last, which repeats the code and a
 * space. FTP lets the lines in between say anything; so do we, and only the
 * line that starts with the same code and a space ends the reply.
 *
 *     250-mail.example greets you
 *     250-PIPELINING
 *     250 SIZE 10240000      → { code: 250, lines: [3 lines], message: 'mail.example greets you\nPIPELINING\nSIZE 10240000' }
 *
 * `expect` matching, as LuaSocket's `tp.check`: a number (that code), a
 * pattern of three characters where `.` is any digit (`'2..'`, `'25.'`), a
 * list of those, or a predicate.
 *
 * @example
 * ```ts
 * assert.equal(matches(250, '2..'), true);
 * assert.equal(matches(354, [250, '3..']), true);
 * ```
 */
import { ArgumentError, ProtocolError } from '../../core/errors.js';

/** A complete reply. */
export interface Reply {
  code: number;
  /** The reply's lines as received, without line ends. */
  lines: string[];
  /** The text of every line after its code and separator, joined with '\n'. */
  message: string;
  /** The whole reply, lines joined with '\n' (what ReplyError reports). */
  text: string;
}

/** What a reply may be checked against. */
export type Expected = number | string | readonly (number | string)[] | ((code: number, reply: Reply) => boolean);

/** Splits the first line of a reply; throws ProtocolError unless it starts with three digits and ' ', '-' or its end. */
export function parseFirstLine(line: string): { code: number; more: boolean; rest: string } {
  const c0 = line.charCodeAt(0);
  const c1 = line.charCodeAt(1);
  const c2 = line.charCodeAt(2);
  const sep = line.charAt(3);
  const digits = c0 >= 48 && c0 <= 57 && c1 >= 48 && c1 <= 57 && c2 >= 48 && c2 <= 57;
  if (!digits || (sep !== ' ' && sep !== '-' && sep !== '')) throw new ProtocolError('malformed reply line', line.slice(0, 200));
  return { code: Number(line.slice(0, 3)), more: sep === '-', rest: line.slice(4) };
}

/** True when `line` ends a multi-line reply with `code`. */
export function isLastLine(line: string, code: number): boolean {
  const prefix = String(code);
  return line.startsWith(prefix) && (line.length === 3 || line.charAt(3) === ' ');
}

/** Builds a Reply from its lines (the first already validated). */
export function makeReply(code: number, lines: string[]): Reply {
  const message = lines.map((l, i) => (i === 0 || /^\d{3}[ -]/.test(l) || /^\d{3}$/.test(l) ? l.slice(4) : l)).join('\n');
  return { code, lines, message, text: lines.join('\n') };
}

function checkPattern(p: number | string): void {
  if (typeof p === 'number' ? !Number.isInteger(p) || p < 100 || p > 999 : !/^[0-9.]{3}$/.test(p)) {
    throw new ArgumentError(`reply pattern must be a code or three characters of digits and '.', got ${JSON.stringify(p)}`);
  }
}

/** Whether `code` (with its reply) satisfies `expected`. */
export function matches(code: number, expected: Expected, reply?: Reply): boolean {
  if (typeof expected === 'function') return expected(code, reply ?? makeReply(code, [String(code)]));
  const list = Array.isArray(expected) ? expected : [expected as number | string];
  const digits = String(code);
  return list.some((p) => {
    checkPattern(p);
    if (typeof p === 'number') return p === code;
    return [...p].every((ch, i) => ch === '.' || ch === digits[i]);
  });
}
