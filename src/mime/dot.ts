/**
 * SMTP dot-stuffing (RFC 5321 §4.5.2), LuaSocket's `dot`.
 *
 * A `.` at the start of a line gets a second `.` in front. Stricter than
 * LuaSocket on purpose: a line starts after CRLF and also after a bare CR or
 * LF, so even a message that was not normalised cannot make a server that
 * accepts bare line ends see an early end of data (SMTP smuggling). Chain
 * `normalize()` before it so only CRLF line ends leave.
 *
 * @example
 * ```ts
 * assert.equal(transform('.a\r\n..b\r\nc.\r\n', stuff()).toString(), '..a\r\n...b\r\nc.\r\n');
 * ```
 */
import { bytes, type Chunk, type MimeFilter } from './bytes.js';

const CR = 13;
const LF = 10;
const DOT = 46;

/**
 * LuaSocket's `mime.dot(state, C)`: `state` is 1 when the next byte starts
 * a line (the start of the data counts), 0 otherwise. Returns `[stuffed, state]`.
 */
export function dot(state: number, input: Chunk): [Buffer, number] {
  const c = bytes(input);
  if (c === null) return [Buffer.alloc(0), 1];
  // No dot starts a line (two native searches): the chunk goes out as it is.
  if (c.length > 0 && !(state === 1 && c[0] === DOT) && c.indexOf(LF_DOT) < 0 && c.indexOf(CR_DOT) < 0) {
    const last = c[c.length - 1];
    return [c, last === CR || last === LF ? 1 : 0];
  }
  return dotLoop(state, c);
}

const LF_DOT = Buffer.from('\n.', 'latin1');
const CR_DOT = Buffer.from('\r.', 'latin1');

/** {@link dot} byte by byte: the general case, and the rule its short path must agree with. */
export function dotLoop(state: number, c: Buffer): [Buffer, number] {
  let count = 0;
  let s = state;
  for (let i = 0; i < c.length; i++) {
    const b = c[i]!;
    if (b === DOT && s === 1) count++;
    s = b === CR || b === LF ? 1 : 0;
  }
  if (count === 0) return [c, s];
  const out = Buffer.allocUnsafe(c.length + count);
  let o = 0;
  s = state;
  for (let i = 0; i < c.length; i++) {
    const b = c[i]!;
    if (b === DOT && s === 1) out[o++] = DOT;
    out[o++] = b;
    s = b === CR || b === LF ? 1 : 0;
  }
  return [out, s];
}

/** A filter that dot-stuffs; the data is taken to start at a line start. */
export function stuff(): MimeFilter {
  let state = 1;
  return (chunk) => {
    const [out, next] = dot(state, chunk);
    state = next;
    return out;
  };
}
