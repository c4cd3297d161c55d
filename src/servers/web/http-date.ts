/**
 * HTTP dates (RFC 9110 §5.6.7): the IMF-fixdate the server sends, a
 * once-per-second cache of "now" for the `Date` header and the access log,
 * and a strict parser that ignores anything that is not an HTTP date
 * (garbage in `If-Modified-Since` is ignored, hostile-inputs WS-20).
 *
 * @example
 * ```ts
 * assert.equal(httpDate(0), 'Thu, 01 Jan 1970 00:00:00 GMT');
 * assert.equal(parseHttpDate('Thu, 01 Jan 1970 00:00:01 GMT'), 1000);
 * assert.equal(parseHttpDate('yesterday'), null);
 * ```
 */

/** IMF-fixdate of a time in ms (seconds are truncated). */
export function httpDate(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toUTCString();
}

const IMF = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT$/;
const RFC850 = /^(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), \d\d-(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)-\d\d \d\d:\d\d:\d\d GMT$/;
const ASCTIME = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d\d:\d\d:\d\d \d{4}$/;

/** Milliseconds of an HTTP date in any of its three forms, or null. */
export function parseHttpDate(s: string): number | null {
  if (!IMF.test(s) && !RFC850.test(s) && !ASCTIME.test(s)) return null;
  const ms = Date.parse(ASCTIME.test(s) ? `${s} GMT` : s);
  return Number.isFinite(ms) ? ms : null;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
let second = -1;
let dateNow = '';
let logNow = '';

function refresh(): void {
  const s = Math.floor(Date.now() / 1000);
  if (s === second) return;
  second = s;
  const d = new Date(s * 1000);
  dateNow = d.toUTCString();
  const p = (n: number) => String(n).padStart(2, '0');
  logNow = `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** The `Date` header value for now, computed once per second. */
export function dateHeaderNow(): string {
  refresh();
  return dateNow;
}

/** Now in the access log's form, `02/Dec/2026:15:41:44 +0000`. */
export function logDateNow(): string {
  refresh();
  return logNow;
}
