/**
 * Chooses what a GET or HEAD of a file gets: 304 when the client's copy is
 * current (`If-None-Match`, else `If-Modified-Since`), 206 for one
 * satisfiable byte range, 416 for an unsatisfiable one, else 200
 * (RFC 9110 §13, §14; hostile-inputs WS-17…WS-20).
 *
 * Ranges: only `bytes=` with a single range is honoured, on GET only, and
 * only when `If-Range` (if sent) still matches. A list of ranges is answered
 * 200 with the whole file (allowed, and immune to overlapping-range floods);
 * a syntactically invalid range (`5-1`, `-5-10`) is ignored (200); a range
 * past the end, or `-0`, is 416. Numbers of more than 15 digits count as
 * infinite, so no integer overflow is possible.
 *
 * @example
 * ```ts
 * assert.deepEqual(parseRange('bytes=0-4', 100), { start: 0, end: 5 });
 * assert.equal(parseRange('bytes=200-', 100), 'unsatisfiable');
 * assert.equal(parseRange('bytes=0-1,5-6', 100), null);
 * ```
 */
import { parseHttpDate } from './http-date.js';

/** `[start, end)` of the body to send, with the status. */
export interface Selected {
  status: 200 | 206 | 304 | 416;
  start: number;
  end: number;
}

/** What the selection needs to know of the file. */
export interface Validators {
  size: number;
  mtimeMs: number;
  etag: string;
}

/** A single satisfiable range, `'unsatisfiable'`, or null (ignore the header). */
export function parseRange(value: string, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  if (value.length < 7 || value.slice(0, 6).toLowerCase() !== 'bytes=') return null;
  const spec = value.slice(6).trim();
  if (spec.includes(',')) return null;
  const m = /^(\d*)-(\d*)$/.exec(spec);
  if (m === null || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const n = num(m[2]!);
    if (n === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size };
  }
  const first = num(m[1]!);
  const last = m[2] === '' ? Infinity : num(m[2]!);
  if (last < first) return null;
  if (first >= size) return 'unsatisfiable';
  return { start: first, end: Math.min(last + 1, size) };
}

const num = (digits: string): number => (digits.length > 15 ? Infinity : Number(digits));

/** True when an entity-tag list (`If-None-Match`) matches `etag`, weakly. */
export function etagMatches(list: string, etag: string): boolean {
  if (list.trim() === '*') return true;
  const bare = etag.startsWith('W/') ? etag.slice(2) : etag;
  for (const part of list.split(',')) {
    const t = part.trim();
    if ((t.startsWith('W/') ? t.slice(2) : t) === bare) return true;
  }
  return false;
}

/** See the module doc. `headers` has lower-cased names. */
export function selectResponse(method: string, headers: Record<string, string>, file: Validators): Selected {
  const whole: Selected = { status: 200, start: 0, end: file.size };
  const inm = headers['if-none-match'];
  if (inm !== undefined) {
    if (etagMatches(inm, file.etag)) return { status: 304, start: 0, end: 0 };
  } else {
    const ims = headers['if-modified-since'];
    const since = ims === undefined ? null : parseHttpDate(ims);
    if (since !== null && Math.floor(file.mtimeMs / 1000) * 1000 <= since) return { status: 304, start: 0, end: 0 };
  }
  const range = headers.range;
  if (range === undefined || method !== 'GET') return whole;
  const ifRange = headers['if-range'];
  if (ifRange !== undefined && !ifRangeHolds(ifRange, file)) return whole;
  const r = parseRange(range, file.size);
  if (r === null) return whole;
  if (r === 'unsatisfiable') return { status: 416, start: 0, end: 0 };
  return { status: 206, start: r.start, end: r.end };
}

function ifRangeHolds(value: string, file: Validators): boolean {
  const v = value.trim();
  if (v.startsWith('"')) return v === file.etag;
  if (v.startsWith('W/')) return false;
  const date = parseHttpDate(v);
  return date !== null && date === Math.floor(file.mtimeMs / 1000) * 1000;
}
