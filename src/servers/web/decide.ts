/**
 * The responses the static server can decide from memory alone: a refused
 * method or target, a hidden dotfile, a missing file, a folder's redirect,
 * and every answer from a looked-up file's entry (a cached body, HEAD, 304,
 * 416, an empty range). Both the awaited request loop and the inline path
 * (cached files answered as the bytes arrive) build their responses here,
 * so the two cannot drift apart.
 *
 * @example
 * ```ts
 * declare const ctx: Parameters<typeof beforeLookup>[0];
 * declare const head: Parameters<typeof beforeLookup>[1];
 * const first = beforeLookup(ctx, head, { close: false });
 * if (!('status' in first)) console.log(`look up ${first.segments.join('/')}`);
 * ```
 */
import type { RequestHead } from '../../protocols/http/request-parser.js';
import type { WebContext } from './connection.js';
import type { FileEntry, Lookup } from './file-store.js';
import { dateHeaderNow } from './http-date.js';
import { INFLIGHT_FLOOR } from './inflight.js';
import { headText, oneWrite, REASONS, type Framing } from './respond.js';
import { selectResponse, type Selected } from './select-response.js';
import { directoryLocation, isRefused, parseTarget, type SafePath } from './target.js';

/** A response ready to send: its status, head text, and body (null: none). */
export interface Ready {
  status: number;
  head: string;
  body: Buffer | null;
  /** Head and body already in one buffer, shared (a small cached file's plain 200): write it as it is. */
  wire?: Buffer;
}

/** A plain-text response (`404 Not Found\n`) with `extra` fields; no body for HEAD. */
export function simpleResponse(status: number, framing: Framing, isHead: boolean, extra = ''): Ready {
  const body = Buffer.from(`${status} ${REASONS[status] ?? ''}\n`, 'latin1');
  const fields = `Server: netkit\r\n${extra}Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\n`;
  return { status, head: headText(status, fields, framing), body: isHead ? null : body };
}

/**
 * The checks before the file system: 405 for a method other than GET/HEAD,
 * the target's 400/414 (which also closes: `framing.close` is set), 404 for
 * a hidden dotfile; else the path to look up.
 */
export function beforeLookup(ctx: WebContext, head: RequestHead, framing: Framing): Ready | SafePath {
  const isHead = head.method === 'HEAD';
  if (head.method !== 'GET' && !isHead) return simpleResponse(405, framing, false, 'Allow: GET, HEAD\r\n');
  const path = parseTarget(head.target, ctx.maxPathBytes);
  if (isRefused(path)) {
    framing.close = true; // a refused target is a malformed request: answer, then close (WS-30)
    return simpleResponse(path.status, framing, isHead);
  }
  if (path.dotfile && !ctx.dotfiles) return simpleResponse(404, framing, isHead);
  return path;
}

/** The response once the path is looked up; a file whose bytes must be read from disk comes back as its entry. */
export function afterLookup(head: RequestHead, path: SafePath, found: Lookup, framing: Framing): Ready | FileEntry {
  const isHead = head.method === 'HEAD';
  if (found.kind === 'missing') return simpleResponse(found.status, framing, isHead);
  if (found.kind === 'directory') return simpleResponse(301, framing, isHead, `Location: ${directoryLocation(path)}\r\n`);
  if (found.file.body === null && !isHead) return found.file;
  return fromEntry(head, found.file, framing, selectResponse(head.method, head.headers, found.file));
}

/** Responds from the entry alone: cached body, HEAD, 304, 416, empty range. */
export function fromEntry(head: RequestHead, file: FileEntry, framing: Framing, sel: Selected): Ready {
  let fields: string;
  let body: Buffer | null = null;
  if (sel.status === 304) {
    fields = `Server: netkit\r\nLast-Modified: ${file.lastModified}\r\nETag: ${file.etag}\r\n`;
  } else if (sel.status === 416) {
    fields = `Server: netkit\r\nContent-Range: bytes */${file.size}\r\nContent-Length: 0\r\n`;
  } else {
    fields = okFields(file, sel);
    if (head.method !== 'HEAD' && file.body !== null && sel.end > sel.start)
      body = sel.start === 0 && sel.end === file.body.length ? file.body : file.body.subarray(sel.start, sel.end);
  }
  if (sel.status === 200 && body !== null && body === file.body && !framing.close && !framing.keepAlive10 && body.length <= INFLIGHT_FLOOR)
    return wholeOk(file, body);
  return { status: sel.status, head: headText(sel.status, fields, framing), body };
}

/** A small cached file's keep-alive 200, built once per second of its `Date` and then shared by every request in that second. */
function wholeOk(file: FileEntry, body: Buffer): Ready {
  const date = dateHeaderNow();
  let w = file.wire;
  if (w === null || w.date !== date) {
    const head = headText(200, file.fields200, { close: false });
    w = file.wire = { date, head, bytes: oneWrite(head, body)! };
  }
  return { status: 200, head: w.head, body, wire: w.bytes };
}

/** The fields of a 200 (precomputed) or a 206 of `file`. */
export function okFields(file: FileEntry, sel: Selected): string {
  if (sel.status === 200) return file.fields200;
  return `${file.fields}Content-Range: bytes ${sel.start}-${sel.end - 1}/${file.size}\r\nContent-Length: ${sel.end - sel.start}\r\n`;
}
