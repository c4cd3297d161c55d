/**
 * `parseHeaders`: an RFC 5322 header block into fields, unfolded, in order.
 *
 * Lines end with CRLF (a bare LF is accepted unless `strict`); a line
 * starting with a space or tab continues the previous field (the line break
 * is removed, the white space kept). Parsing stops at the first empty line
 * (the end of the header) or at the end of the input. `bytes` says how much
 * was consumed, blank line included, so a caller can find the body.
 *
 * Limits: `maxFields` (default 1000) and `maxBytes` (default 256 KiB) throw
 * LimitError (code 'too large'). A line with no colon, a field name with
 * spaces or controls, or a continuation with nothing to continue is skipped,
 * or throws ProtocolError when `strict` is set.
 *
 * @example
 * ```ts
 * const h = parseHeaders('Subject: a\r\n b\r\nReceived: x\r\nReceived: y\r\n\r\nbody');
 * assert.equal(h.get('subject'), 'a b');
 * assert.deepEqual(h.all('received'), ['x', 'y']);
 * ```
 */
import { LimitError, ProtocolError } from '../core/errors.js';

/** Options of {@link parseHeaders}. */
export interface HeaderLimits {
  /** @default 1000 */
  maxFields?: number;
  /** @default 262144 */
  maxBytes?: number;
  /** Refuse malformed lines and bare LF instead of skipping or accepting them. @default false */
  strict?: boolean;
}

/** One field, its name as written and its unfolded value (outer white space trimmed). */
export interface HeaderField {
  name: string;
  value: string;
}

/** The result of {@link parseHeaders}. */
export interface ParsedHeaders {
  /** Every field in order. */
  fields: HeaderField[];
  /** Bytes consumed, including the blank line that ended the header if there was one. */
  bytes: number;
  /** The first value of a field (case-insensitive name), or undefined. */
  get(name: string): string | undefined;
  /** Every value of a field, in order. */
  all(name: string): string[];
  /** LuaSocket's shape: lower-cased names, repeated fields joined with ", ". */
  toObject(): Record<string, string>;
}

/** RFC 5322 §3.6.8 field-name: printable US-ASCII except the colon (ftext), not HTTP's narrower token. */
const FIELD_NAME = /^[!-9;-~]+$/;

/** Parses a header block; see the module doc. */
export function parseHeaders(input: string | Buffer, limits: HeaderLimits = {}): ParsedHeaders {
  const maxFields = limits.maxFields ?? 1000;
  const maxBytes = limits.maxBytes ?? 256 * 1024;
  const strict = limits.strict === true;
  const text = typeof input === 'string' ? input : input.toString('latin1');
  const fields: HeaderField[] = [];
  let pos = 0;
  for (;;) {
    const lf = text.indexOf('\n', pos);
    const end = lf < 0 ? text.length : lf;
    if (end > maxBytes) throw new LimitError('header', maxBytes);
    const crlf = end > pos && text.charCodeAt(end - 1) === 13;
    if (strict && lf >= 0 && !crlf) throw new ProtocolError('header line ends with a bare LF', text.slice(pos, end));
    const line = text.slice(pos, crlf ? end - 1 : end);
    const next = lf < 0 ? text.length : lf + 1;
    if (line === '') {
      pos = next;
      break;
    }
    addLine(fields, line, strict);
    if (fields.length > maxFields) throw new LimitError('header fields', maxFields, undefined, `more than ${maxFields} header fields`);
    pos = next;
    if (lf < 0) break;
  }
  return makeParsed(fields, pos);
}

function addLine(fields: HeaderField[], line: string, strict: boolean): void {
  const first = line.charCodeAt(0);
  if (first === 32 || first === 9) {
    const last = fields[fields.length - 1];
    if (last) last.value = `${last.value} ${line.trim()}`.trim();
    else if (strict) throw new ProtocolError('continuation line with no field before it', line);
    return;
  }
  const colon = line.indexOf(':');
  const name = colon > 0 ? line.slice(0, colon) : '';
  if (!FIELD_NAME.test(name)) {
    if (strict) throw new ProtocolError('malformed header line', line);
    return;
  }
  if (strict && /[\0\r]/.test(line)) throw new ProtocolError('control character in a header value', line);
  fields.push({ name, value: line.slice(colon + 1).trim() });
}

function makeParsed(fields: HeaderField[], bytes: number): ParsedHeaders {
  const all = (name: string) => {
    const key = name.toLowerCase();
    return fields.filter((f) => f.name.toLowerCase() === key).map((f) => f.value);
  };
  return {
    fields,
    bytes,
    get: (name) => all(name)[0],
    all,
    toObject() {
      const out: Record<string, string> = Object.create(null);
      for (const f of fields) {
        const key = f.name.toLowerCase();
        out[key] = key in out ? `${out[key]}, ${f.value}` : f.value;
      }
      return out;
    },
  };
}
