/**
 * The HTTP field rules, once, for both directions (RFC 9110 §5, RFC 9112
 * §5 and §6.3): what a token is, what a field value may hold, how field
 * lines become `[name, value]` pairs, and how the framing fields decide
 * where a body ends. The client's response parser, the chunked trailers,
 * the request serialiser and the server's request parser all use these;
 * each side only chooses its errors (ProtocolError, or RequestError with a
 * status) and what an unframed body means (a response reads to the close,
 * a request has none).
 *
 * Strict: a field line without a colon, a name that is not a token (space
 * before the colon included), a value with NUL, a bare CR or another
 * control is refused. Obsolete line folding (`X: a␍␊  b`) is refused, or —
 * where the caller says so, as a user agent reading responses must (RFC
 * 9112 §5.2) — replaced by one space; never in a framing field.
 *
 *     parseFieldLines(['X: a', '  b', 'Y:  c '], { obsFold: 'space', ... }) → [['X', 'a b'], ['Y', 'c']]
 *     framingOf({ 'content-length': '5' })                               → { kind: 'length', length: 5 }
 *     framingOf({ 'transfer-encoding': 'gzip, chunked' })                → { kind: 'problem', problem: 'codings before chunked' }
 *
 * @example
 * ```ts
 * import { ProtocolError } from 'netkit/core';
 * const f = parseFieldLines(['Host: x', 'Accept: *\/*'], { maxFields: 100, obsFold: 'reject', bad: (m, l) => new ProtocolError(m, l) });
 * assert.deepEqual(f, [['Host', 'x'], ['Accept', '*\/*']]);
 * ```
 */
import { inspect } from 'node:util';
import { LimitError } from '../../core/errors.js';

/** A token (RFC 9110 §5.6.2): field names and methods. */
export const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** What a received field value may not hold: controls but HTAB (obs-text is allowed). */
export const BAD_VALUE = /[\x00-\x08\x0a-\x1f\x7f]/;
/** What a field value sent may hold: HTAB, visible ASCII, space, obs-text. */
export const SENDABLE_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** A request target as sent or received: visible ASCII only. */
export const TARGET = /^[\x21-\x7e]+$/;

/** How field lines are read. */
export interface FieldRules {
  /** More field lines than this is a LimitError ('header fields'). */
  maxFields: number;
  /** One field line longer than this (without CRLF) is a LimitError ('field line'). @default unlimited */
  maxFieldLine?: number;
  /** What obsolete line folding gets: refused, or replaced by one space (never in Content-Length / Transfer-Encoding). */
  obsFold: 'reject' | 'space';
  /** Builds the error for a malformed line. */
  bad: (message: string, line: string) => Error;
}

/** Field lines (without their CRLF) to [name, value] pairs, values trimmed of OWS. */
export function parseFieldLines(lines: readonly string[], rules: FieldRules): [string, string][] {
  const out: [string, string][] = [];
  if (lines.length > rules.maxFields && rules.obsFold === 'reject') throw tooMany(rules.maxFields);
  for (const line of lines) addFieldLine(line, 0, line.length, out, rules);
  return out;
}

/**
 * The field lines of `text` from `from` to `to` (CRLF-separated, `to` at
 * the CRLF that ends the last one, or `from` when there are none) to
 * [name, value] pairs: {@link parseFieldLines} without splitting the head
 * into line strings first.
 *
 *     parseFieldBlock('HTTP/1.1 200 OK\r\nA: 1\r\nB: 2', 17, 27, rules) → [['A', '1'], ['B', '2']]
 */
export function parseFieldBlock(text: string, from: number, to: number, rules: FieldRules): [string, string][] {
  const out: [string, string][] = [];
  if (rules.obsFold === 'reject' && (to - from + 2) / 3 > rules.maxFields && countLines(text, from, to) > rules.maxFields) throw tooMany(rules.maxFields);
  for (let a = from; a < to; ) {
    let b = text.indexOf('\r\n', a);
    if (b < 0 || b > to) b = to;
    addFieldLine(text, a, b, out, rules);
    a = b + 2;
  }
  return out;
}

function countLines(text: string, from: number, to: number): number {
  let n = 1;
  for (let i = text.indexOf('\r\n', from); i >= 0 && i < to; i = text.indexOf('\r\n', i + 2)) n++;
  return n;
}

/** Token characters by code (RFC 9110 §5.6.2): the same set as {@link TOKEN}. */
const TCHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) TCHAR[c] = TOKEN.test(String.fromCharCode(c)) ? 1 : 0;

/** True when `s[a, b)` holds no control but HTAB (what {@link BAD_VALUE} refuses): a field value, or a status line's reason. */
export function cleanValue(s: string, a = 0, b = s.length): boolean {
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if ((c < 32 && c !== 9) || c === 127) return false;
  }
  return true;
}

/** One field line, `s[a, b)`, appended to `out` (or folded into its last field) by the rules of the module doc. */
function addFieldLine(s: string, a: number, b: number, out: [string, string][], rules: FieldRules): void {
  const { maxFieldLine = Infinity, bad } = rules;
  if (b - a > maxFieldLine) throw new LimitError('field line', maxFieldLine, undefined, `header field line over ${maxFieldLine} bytes`);
  const c0 = s.charCodeAt(a);
  if (c0 === 32 || c0 === 9) {
    foldLine(s.slice(a, b), out, rules);
    return;
  }
  let i = a;
  for (let c = c0; i < b && c < 128 && TCHAR[c] === 1; c = s.charCodeAt(++i));
  if (i === a || i === b || s.charCodeAt(i) !== 58) {
    const line = s.slice(a, b);
    throw bad(line.includes(':') ? 'malformed header field name' : 'header field line without a colon', line.slice(0, 200));
  }
  const value = trimOws(s, i + 1, b);
  if (!cleanValue(value)) throw bad('control character in a header value', s.slice(a, Math.min(b, a + 200)));
  if (out.push([s.slice(a, i), value]) > rules.maxFields) throw tooMany(rules.maxFields);
}

/** An obs-fold line: refused, or its value joins the field before it after one space. */
function foldLine(line: string, out: [string, string][], rules: FieldRules): void {
  const last = out[out.length - 1];
  if (rules.obsFold === 'reject' || last === undefined) throw rules.bad('obsolete line folding', line.slice(0, 200));
  const k = last[0].toLowerCase();
  if (k === 'content-length' || k === 'transfer-encoding') throw rules.bad(`obsolete line folding in ${last[0]}`, line.slice(0, 200));
  const more = trimOws(line, 0);
  if (!cleanValue(more)) throw rules.bad('control character in a header value', line.slice(0, 200));
  if (more !== '') last[1] = last[1] === '' ? more : `${last[1]} ${more}`;
}

function tooMany(max: number): LimitError {
  return new LimitError('header fields', max, undefined, `more than ${max} header fields`);
}

/**
 * A table's maker: its prototype has no prototype, so a field named
 * `__proto__`, `constructor` or `toString` is an own entry like any other
 * and nothing is inherited; unlike `Object.create(null)`, whose objects V8
 * keeps in slow dictionary mode, its objects get fast shapes (the same
 * fields in the same order share one).
 */
const Table = function Table(this: Record<string, string>) {} as unknown as new () => Record<string, string>;
Table.prototype = Object.create(null, {
  // Printed as the plain table it is (a symbol key: never a field name).
  [inspect.custom]: {
    value(this: Record<string, string>) {
      return { ...this };
    },
  },
}) as Record<string, string>;

/**
 * Lower-cased field names already seen: a name seen before costs a lookup,
 * not a new string to lower-case and intern as a key. Bounded whatever a
 * peer sends: at most 512 names of at most 64 characters, each kept as a
 * copy of its own (a name sliced from a head would keep the whole head
 * alive).
 */
const lowered = new Map<string, string>();
const MAX_LOWERED = 512;
const MAX_LOWERED_NAME = 64;

function lowerName(name: string): string {
  let k = lowered.get(name);
  if (k === undefined) {
    k = name.toLowerCase();
    if (lowered.size < MAX_LOWERED && name.length <= MAX_LOWERED_NAME) {
      const copy = Buffer.from(name, 'latin1').toString('latin1');
      if (copy === name) lowered.set(copy, k); // (a name beyond latin1 is not cached)
    }
  }
  return k;
}

/** The fields as a table: lower-cased names, repeated fields joined with ', ' (LuaSocket's shape); nothing inherited. */
export function fieldTable(fields: readonly (readonly [string, string])[]): Record<string, string> {
  const t = new Table();
  for (const [n, v] of fields) {
    const k = lowerName(n);
    const had = t[k];
    t[k] = had === undefined ? v : `${had}, ${v}`;
  }
  return t;
}

/** `s[from, to)` without leading and trailing spaces and tabs. */
export function trimOws(s: string, from: number, to = s.length): string {
  let a = from;
  let b = to;
  while (a < b && (s.charCodeAt(a) === 32 || s.charCodeAt(a) === 9)) a++;
  while (b > a && (s.charCodeAt(b - 1) === 32 || s.charCodeAt(b - 1) === 9)) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** True when the comma-separated `list` holds `token` (compared as given: lower-case both). */
export function hasToken(list: string, token: string): boolean {
  if (list === token) return true;
  if (list.length <= token.length || !list.includes(token)) return false;
  return list.split(',').some((t) => t.trim() === token);
}

/**
 * What the framing fields of a message say (RFC 9112 §6.3, strictly): a
 * chunked body, a length, nothing (`unframed`: a response reads to the
 * close, a request has no body), a transfer coding without chunked last
 * (`unchunked`), or a problem that makes the message ambiguous.
 */
export type FramingFields =
  | { kind: 'chunked' }
  | { kind: 'length'; length: number }
  | { kind: 'unframed' }
  | { kind: 'unchunked'; codings: string }
  | { kind: 'problem'; problem: 'both Content-Length and Transfer-Encoding' | 'bad Content-Length' | 'codings before chunked'; detail: string };

/**
 * Reads the framing fields of a message's head, from its field table
 * ({@link fieldTable}: repeated fields are joined with ', ', so two
 * Content-Length fields read as a list, which is refused like one).
 */
export function framingOf(table: Readonly<Record<string, string>>): FramingFields {
  const teField = table['transfer-encoding'];
  const cl = table['content-length'];
  if (teField !== undefined) {
    const te = teField
      .toLowerCase()
      .split(',')
      .map((t) => t.trim());
    if (cl !== undefined) return { kind: 'problem', problem: 'both Content-Length and Transfer-Encoding', detail: `${cl} / ${te.join(',')}` };
    if (te[te.length - 1] !== 'chunked') return { kind: 'unchunked', codings: te.join(', ') };
    if (te.length > 1) return { kind: 'problem', problem: 'codings before chunked', detail: te.join(', ') };
    return { kind: 'chunked' };
  }
  if (cl === undefined) return { kind: 'unframed' };
  if (!/^\d{1,15}$/.test(cl)) return { kind: 'problem', problem: 'bad Content-Length', detail: cl };
  return { kind: 'length', length: Number(cl) };
}
