/**
 * The byte-level half of the message parser: a pull reader over an ltn12
 * Source, and the two scans the parser needs — a header block up to its
 * blank line, and a body up to the next delimiter line of any enclosing
 * multipart (RFC 2046 §5.1.1: `--boundary`, `--boundary--` for the last,
 * then optional spaces/tabs, at the start of a line; the line break before
 * it belongs to the delimiter).
 *
 * The body scan hands bytes on as soon as they cannot be part of a
 * delimiter: it searches for `\n--` natively and holds back at most the
 * three bytes that could start one, or the one candidate line it has not
 * decided yet, so memory stays bounded by the chunk size whatever the body's
 * size or line lengths. Every enclosing boundary ends a body (a part cut
 * short by its parent's boundary ends there, as Python and mail clients do).
 *
 * @example
 * ```ts
 * const out: Buffer[] = [];
 * const r = new ByteReader(source.string('hello\r\n--b--\r\n'));
 * const end = await scanBody(r, [Buffer.from('b')], async (b) => void out.push(b));
 * // out joined is 'hello'; end is { level: 0, close: true }
 * ```
 */
import { LimitError } from '../../core/errors.js';
import type { Source } from '../../ltn12/types.js';
import { pace } from './gc-pace.js';

const EMPTY = Buffer.alloc(0);
const LF = 10;
const CR = 13;
const DASH = 45;
const NL_DASHES = Buffer.from('\n--', 'latin1');

/** White space allowed after a boundary on its line (transport padding) before the line stops counting as one. */
export const MAX_BOUNDARY_PADDING = 1024;

/**
 * Pulls chunks from a Source into one window of unconsumed bytes. Input
 * chunks count towards the parser's GC pacing (`gc-pace.ts`): a long body
 * otherwise leaves up to 32 MiB of dead input chunks resident.
 */
export class ByteReader {
  buf: Buffer = EMPTY;
  pos = 0;
  eof = false;
  readonly #src: Source;

  constructor(src: Source) {
    this.#src = src;
  }

  /** Appends the next non-empty chunk; false at the end of the source. */
  async more(): Promise<boolean> {
    while (!this.eof) {
      const chunk = await this.#src();
      if (chunk === null) {
        this.eof = true;
        break;
      }
      if (chunk.length === 0) continue;
      pace(chunk.length);
      this.buf = this.pos >= this.buf.length ? chunk : Buffer.concat([this.buf.subarray(this.pos), chunk]);
      this.pos = 0;
      return true;
    }
    return false;
  }
}

/**
 * How many bytes at the end of `buf` (after `from`) could begin a delimiter
 * with the next chunk: `\n`, `\n-`, or either after a `\r`, or a lone `\r`.
 * Usually none, so the next chunk is taken without a copy.
 */
function heldTail(buf: Buffer, from: number): number {
  let n = buf.length;
  if (n > from && buf[n - 1] === DASH) n--;
  if (n > from && buf[n - 1] === LF) n--;
  else if (n === buf.length - 1) return 0;
  if (n > from && buf[n - 1] === CR) n--;
  return buf.length - n;
}

/** How a body ended: at the delimiter of the boundary at `level` (0 = outermost), or at the end (`level` -1). */
export interface Terminator {
  level: number;
  close: boolean;
}

const isPad = (b: number) => b === 32 || b === 9;

/**
 * Whether `line` (from its first byte, without its line break) is a delimiter
 * of one of `bounds`: the match, `'no'`, or `'maybe'` when `complete` is
 * false and more bytes could still make it one.
 */
export function matchDelimiter(line: Buffer, complete: boolean, bounds: readonly Buffer[]): Terminator | 'no' | 'maybe' {
  if (line.length < 2) return complete || (line.length === 1 && line[0] !== DASH) ? 'no' : 'maybe';
  if (line[0] !== DASH || line[1] !== DASH) return 'no';
  let maybe = false;
  for (let level = bounds.length - 1; level >= 0; level--) {
    const b = bounds[level]!;
    const have = Math.min(line.length - 2, b.length);
    if (line.compare(b, 0, have, 2, 2 + have) !== 0) continue;
    if (have < b.length) {
      maybe ||= !complete;
      continue;
    }
    let i = 2 + b.length;
    let close = false;
    if (line[i] === DASH && line[i + 1] === DASH) {
      close = true;
      i += 2;
    } else if (line[i] === DASH && i + 1 === line.length && !complete) {
      maybe = true;
      continue;
    }
    while (i < line.length && isPad(line[i]!)) i++;
    if (line.length > 2 + b.length + 2 + MAX_BOUNDARY_PADDING) continue;
    if (i === line.length) {
      if (complete) return { level, close };
      maybe = true;
    }
  }
  return maybe ? 'maybe' : 'no';
}

/**
 * Reads a body up to the next delimiter of `bounds` (or the end), giving
 * every byte of it to `emit`; leaves the reader just after the delimiter line.
 */
export async function scanBody(r: ByteReader, bounds: readonly Buffer[], emit: (bytes: Buffer) => Promise<void>): Promise<Terminator> {
  let atStart = true;
  for (;;) {
    const buf = r.buf;
    let lineStart: number;
    let eolStart: number;
    if (atStart) {
      lineStart = eolStart = r.pos;
    } else {
      const idx = bounds.length === 0 ? -1 : buf.indexOf(NL_DASHES, r.pos);
      if (idx < 0) {
        const keep = r.eof || bounds.length === 0 ? 0 : heldTail(buf, r.pos);
        if (buf.length - keep > r.pos) await emit(buf.subarray(r.pos, buf.length - keep));
        r.pos = buf.length - keep;
        if (!(await r.more())) {
          if (r.pos < r.buf.length) await emit(r.buf.subarray(r.pos));
          r.pos = r.buf.length;
          return { level: -1, close: false };
        }
        continue;
      }
      lineStart = idx + 1;
      eolStart = idx > r.pos && buf[idx - 1] === CR ? idx - 1 : idx;
    }
    const lf = buf.indexOf(LF, lineStart);
    const complete = lf >= 0 || r.eof;
    let lineEnd = lf >= 0 ? lf : buf.length;
    if (lineEnd > lineStart && buf[lineEnd - 1] === CR) lineEnd--;
    const verdict = bounds.length === 0 ? 'no' : matchDelimiter(buf.subarray(lineStart, lineEnd), complete, bounds);
    if (verdict === 'maybe') {
      if (eolStart > r.pos) await emit(buf.subarray(r.pos, eolStart));
      r.pos = eolStart;
      if (!(await r.more()) && r.pos === r.buf.length) return { level: -1, close: false };
      continue;
    }
    if (verdict === 'no') {
      if (lineStart > r.pos) await emit(buf.subarray(r.pos, lineStart));
      r.pos = lineStart;
      atStart = false;
      continue;
    }
    if (eolStart > r.pos) await emit(buf.subarray(r.pos, eolStart));
    r.pos = lf >= 0 ? lf + 1 : buf.length;
    return verdict;
  }
}

/** A header block as read: its bytes, and whether a blank line ended it. */
export interface HeaderBlock {
  bytes: Buffer;
  blankLine: boolean;
}

const FIELD_START = /^[!-9;-~]+[ \t]*:/;

/**
 * Reads header lines up to and including the blank line. Stops without
 * consuming at a delimiter of `bounds` or at a line that is neither a field
 * nor a continuation (the body began without a blank line; `blankLine`
 * false). More than `maxBytes` of header throws LimitError('header').
 */
export async function scanHeader(r: ByteReader, bounds: readonly Buffer[], maxBytes: number): Promise<HeaderBlock> {
  let rel = 0;
  for (;;) {
    const at = r.pos + rel;
    let lf = r.buf.indexOf(LF, at);
    if (lf < 0) {
      if (r.buf.length - r.pos > maxBytes) throw new LimitError('header', maxBytes);
      if (await r.more()) continue;
      if (at >= r.buf.length) return take(r, at, at, false);
      lf = r.buf.length - 1;
    }
    const end = lf + 1;
    if (end - r.pos > maxBytes) throw new LimitError('header', maxBytes);
    const line = r.buf.subarray(at, end);
    const text = line.toString('latin1').replace(/\r?\n$/, '');
    if (text === '') return take(r, at, end, true);
    const first = line[0];
    const isContinuation = (first === 32 || first === 9) && rel > 0;
    if (!isContinuation && (!FIELD_START.test(text) || matchDelimiter(line.subarray(0, text.length), true, bounds) !== 'no')) {
      return take(r, at, at, false);
    }
    rel = end - r.pos;
  }
}

/** Consumes the header: its bytes end at `blankAt`, the reader moves to `end`. */
function take(r: ByteReader, blankAt: number, end: number, blankLine: boolean): HeaderBlock {
  const bytes = r.buf.subarray(r.pos, blankAt);
  r.pos = end;
  return { bytes, blankLine };
}
