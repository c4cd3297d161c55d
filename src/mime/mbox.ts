/**
 * netkit's `mbox`: LuaSocket's mbox module — split an mbox file into
 * messages, a message into its header and body, a header block into fields,
 * and a From address into name and address — with LuaSocket's results,
 * byte for byte (its Lua patterns are reproduced here, quirks included:
 * CRLF becomes LF first; only spaces, not tabs, continue a header line;
 * the first message keeps its `From ` line, the others lose theirs;
 * `parseFrom` gives the address as the name when there is no name).
 *
 * | LuaSocket            | netkit                  |
 * | -------------------- | ----------------------- |
 * | `mbox.split_mbox`    | `mbox.split`            |
 * | `mbox.parse`         | `mbox.parse`            |
 * | `mbox.parse_message` | `mbox.parseMessage`     |
 * | `mbox.split_message` | `mbox.splitMessage`     |
 * | `mbox.split_headers` | `mbox.splitHeaders`     |
 * | `mbox.parse_header`  | `mbox.parseHeader`      |
 * | `mbox.parse_headers` | `mbox.parseHeaders`     |
 * | `mbox.parse_from`    | `mbox.parseFrom`        |
 *
 * On ltn12: `mbox.messages(src)` splits an mbox arriving from a Source in
 * any chunking (as `split` would, message by message, holding one message at
 * a time, at most `maxMessageBytes` — LimitError beyond). Buffers are read
 * as Latin-1, so every byte maps to one character and back. For a full
 * MIME reading of a message use `mime.parseMessage`.
 *
 * @example
 * ```ts
 * assert.deepEqual(mbox.parseFrom('"Diego Nehab" <diego@impa.br>'), ['Diego Nehab', 'diego@impa.br']);
 * const [first] = mbox.parse('From x\nSubject: hi\n\nbody\n');
 * assert.equal(first.headers.subject, 'hi');
 * ```
 */
import { LimitError } from '../core/errors.js';
import { checkInteger } from '../core/validate.js';
import type { Source } from '../ltn12/types.js';

/** Largest message `messages` holds by default (64 MiB). */
export const MAX_MBOX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** A message as LuaSocket's `parse_message` gives it: lower-cased header names, repeated fields joined with ", ". */
export interface MboxMessage {
  headers: Record<string, string>;
  body: string;
}

const text = (s: string | Buffer) => (typeof s === 'string' ? s : s.toString('latin1'));
const lf = (s: string) => s.replace(/\r\n/g, '\n');
/** Lua's `%s`: the C locale's isspace. */
const SP = '[\\t\\n\\v\\f\\r ]';

/** LuaSocket's `split_message`: [header block (with its last LF), body]. */
export function splitMessage(message: string | Buffer): [string, string] {
  const s = lf(text(message));
  const blank = s.indexOf('\n\n');
  let headers: string | undefined;
  let body: string | undefined;
  if (blank >= 0) {
    headers = s.slice(0, blank + 1);
    body = s.slice(blank + 2);
  } else if (s.startsWith('\n')) body = s.slice(1);
  if (headers === undefined && body === undefined) headers = s;
  return [headers ?? '', body ?? ''];
}

/** LuaSocket's `split_headers`: the header lines, space-continued lines joined. */
export function splitHeaders(headers: string | Buffer): string[] {
  const s = lf(text(headers)).replace(/\n +/g, ' ');
  return `\n${s}`.split('\n').filter((line) => line !== '');
}

const HEADER = new RegExp(`([^\\t\\n\\v\\f\\r :]*?):${SP}*([^]*)`);

/** LuaSocket's `parse_header`: [name, value], or undefined without a colon. */
export function parseHeader(header: string | Buffer): [string, string] | undefined {
  const s = text(header).replace(/\n +/g, ' ').replace(/\n+/g, '');
  const m = HEADER.exec(s);
  return m ? [m[1]!, m[2]!] : undefined;
}

/** LuaSocket's `parse_headers`: names lower-cased, repeated fields joined with ", ". */
export function parseHeaders(headers: string | Buffer): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const line of splitHeaders(headers)) {
    const field = parseHeader(line);
    if (!field) continue;
    const name = field[0].toLowerCase();
    out[name] = name in out ? `${out[name]}, ${field[1]}` : field[1];
  }
  return out;
}

const ANGLE = new RegExp(`^${SP}*([^]*?)${SP}*<([^]*?)>`);
const BARE = new RegExp(`${SP}*([^]+)`);

/** LuaSocket's `parse_from`: [name, address]; the name is the address when absent, quotes removed. */
export function parseFrom(from: string | Buffer): [string, string] {
  const s = text(from);
  let name = '';
  let address = '';
  const m = ANGLE.exec(s);
  if (m) [name, address] = [m[1]!, m[2]!];
  else address = BARE.exec(s)?.[1] ?? '';
  if (name === '') name = address;
  return [name.replace(/"/g, ''), address];
}

const SEPARATOR = /\n\nFrom [^\n]*\n/g;

/** LuaSocket's `split_mbox`: the messages of an mbox file (see the module doc for the `From ` lines). */
export function split(mbox: string | Buffer): string[] {
  const s = `${lf(text(mbox))}\n\nFrom \n`;
  const out: string[] = [];
  let j = 0;
  SEPARATOR.lastIndex = 0;
  for (let m = SEPARATOR.exec(s); m; m = SEPARATOR.exec(s)) {
    out.push(s.slice(j, m.index));
    j = m.index + m[0].length;
  }
  return out;
}

/** LuaSocket's `parse_message`. */
export function parseMessage(message: string | Buffer): MboxMessage {
  const [headers, body] = splitMessage(message);
  return { headers: parseHeaders(headers), body };
}

/** LuaSocket's `parse`: every message of an mbox file, parsed. */
export function parse(mbox: string | Buffer): MboxMessage[] {
  return split(mbox).map(parseMessage);
}

/** Options of {@link messages}. */
export interface MboxStreamOptions {
  /** @default {@link MAX_MBOX_MESSAGE_BYTES} */
  maxMessageBytes?: number;
}

/** `split` over an ltn12 Source: yields the same messages, one at a time. */
export async function* messages(src: Source, opts: MboxStreamOptions = {}): AsyncGenerator<string> {
  const max = checkInteger('maxMessageBytes', opts.maxMessageBytes, { min: 1 }, MAX_MBOX_MESSAGE_BYTES);
  let buf = '';
  let scan = 0;
  let heldCr = false;
  for (;;) {
    const chunk = await src();
    let piece = chunk === null ? '' : chunk.toString('latin1');
    if (heldCr) piece = `\r${piece}`;
    heldCr = chunk !== null && piece.endsWith('\r');
    if (heldCr) piece = piece.slice(0, -1);
    buf += lf(piece);
    if (chunk === null) buf += '\n\nFrom \n';
    for (;;) {
      const at = buf.indexOf('\n\nFrom ', scan);
      const end = at < 0 ? -1 : buf.indexOf('\n', at + 7);
      if (end < 0) {
        scan = at < 0 ? Math.max(0, buf.length - 6) : at;
        break;
      }
      yield buf.slice(0, at);
      buf = buf.slice(end + 1);
      scan = 0;
    }
    if (chunk === null) return;
    if (buf.length > max) throw new LimitError('mbox message', max);
  }
}
