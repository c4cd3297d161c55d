/**
 * One access-log line per request, in the combined log format with the
 * duration appended:
 *
 *     127.0.0.1 - - [02/Dec/2026:15:41:44 +0000] "GET /a.css HTTP/1.1" 200 1234 "-" "curl/7.88.1" 0.4ms
 *
 * Every value the client chose (request line, Referer, User-Agent) is
 * escaped: `"` and `\` get a backslash, bytes outside printable ASCII become
 * `\xHH`, so a request can never forge a log line.
 *
 * @example
 * ```ts
 * assert.equal(escapeLogValue('a"b\n'), 'a\\"b\\x0A');
 * ```
 */
import type { RequestHead } from '../../protocols/http/request-parser.js';
import { logDateNow } from './http-date.js';

/** What is known of one request when it is logged. */
export interface AccessEntry {
  remote: string;
  /** `METHOD target HTTP/x.y`, or the start of whatever arrived when it did not parse. */
  request: string;
  status: number;
  /** Body bytes sent. */
  bytes: number;
  referer?: string;
  userAgent?: string;
  /** From a complete request head to the last byte handed to the socket. */
  ms: number;
  /** With `workers`: the pid of the worker process that answered. */
  pid?: number;
}

/** Where log lines go: a function taking each line, or a stream (one `write` per line, with LF). */
export type AccessLog = ((line: string, entry: AccessEntry) => void) | { write(line: string): unknown };

/** Escapes a client-chosen value for the log (see the module doc). */
export function escapeLogValue(s: string): string {
  if (/^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/.test(s)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34 || c === 92) out += `\\${s[i]}`;
    else if (c < 32 || c > 126) out += `\\x${c.toString(16).toUpperCase().padStart(2, '0')}`;
    else out += s[i];
  }
  return out;
}

/** Formats an entry as one line (no LF). */
export function formatAccess(e: AccessEntry): string {
  const q = (v: string | undefined) => (v === undefined ? '-' : escapeLogValue(v));
  return `${e.remote} - - [${logDateNow()}] "${escapeLogValue(e.request)}" ${e.status} ${e.bytes} "${q(e.referer)}" "${q(e.userAgent)}" ${e.ms.toFixed(1)}ms`;
}

/** Sends an entry to the configured log. */
export function writeAccess(log: AccessLog, e: AccessEntry): void {
  const line = formatAccess(e);
  if (typeof log === 'function') log(line, e);
  else log.write(`${line}\n`);
}

/** Logs one answered request: its request line, fields and outcome. */
export function logRequest(log: AccessLog, remote: string, head: RequestHead, status: number, bytes: number, ms: number): void {
  writeAccess(log, {
    remote,
    request: `${head.method} ${head.target} HTTP/${head.version}`,
    status,
    bytes,
    referer: head.headers.referer,
    userAgent: head.headers['user-agent'],
    ms,
  });
}
