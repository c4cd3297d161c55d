/**
 * The web inbox's routes: the page and its two assets, and the JSON API.
 *
 * | Method and path                      | Answer |
 * | ------------------------------------ | ------ |
 * | `GET /api/messages?q=TEXT`           | `{ messages: Summary[] }`, newest first, filtered by from/to/cc/subject |
 * | `GET /api/messages/ID`               | the summary plus `headers`, `text`, `html` (bool), `attachments`, `parts` |
 * | `GET /api/messages/ID/raw`           | the stored bytes, `text/plain` |
 * | `GET /api/messages/ID/html`          | the HTML part, remote URLs made inert, under a CSP that allows no script and no remote load |
 * | `GET /api/messages/ID/parts/PART`    | a part's decoded bytes as a download |
 * | `DELETE /api/messages/ID`, `DELETE /api/messages` | 204 |
 * | `GET /api/events`                    | server-sent events `message` (a Summary) and `delete` (`{ ids }`) |
 *
 * PART names a leaf by its position: `p` for a single-part message, `p1-0`
 * for the first part of the second part. Every answer carries `nosniff`,
 * `no-referrer`, `no-store` and a Content-Security-Policy; peer-controlled
 * text reaches the page only as JSON, which the page puts in with
 * `textContent`.
 *
 * @example
 * ```ts
 * declare const catalog: Parameters<typeof route>[0];
 * const r = await route(catalog, 'GET', '/api/messages?q=invoice');
 * // r.status === 200, JSON.parse(r.body.toString()).messages …
 * ```
 */
import { ProtocolError } from '../../../core/errors.js';
import type { MessagePart } from '../../../mime/index.js';
import { INDEX_HTML, APP_JS, STYLE_CSS } from './assets.js';
import { isAttachment, leaves, type Catalog } from './catalog.js';
import { blockRemote } from './remote.js';

/** A response to send. */
export interface Reply {
  status: number;
  type: string;
  body: Buffer;
  /** Extra header lines, each ending in CRLF. */
  fields?: string;
}

/** The policy of the page itself: only its own script, style and frames. */
export const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; frame-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
/** The policy of a mail's HTML: no script, no remote anything, sandboxed even when opened directly. */
export const MAIL_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox";

const json = (status: number, value: unknown): Reply => ({ status, type: 'application/json; charset=utf-8', body: Buffer.from(JSON.stringify(value)) });
const text = (status: number, message: string): Reply => ({ status, type: 'text/plain; charset=utf-8', body: Buffer.from(`${message}\n`) });

/** The name of a leaf in URLs. */
export const partName = (p: MessagePart): string => `p${p.path.join('-')}`;

/** Every leaf of a message with the name it has in URLs (enclosed messages' paths are unique because they add a 0). */
function findPart(root: MessagePart, name: string): MessagePart | undefined {
  return leaves(root).find((p) => partName(p) === name);
}

const firstText = (all: MessagePart[], type: string) => all.find((p) => p.contentType === type && p.disposition !== 'attachment' && p.filename === undefined);

async function messageView(catalog: Catalog, id: string): Promise<Reply> {
  const { summary, parsed } = await catalog.message(id);
  const all = leaves(parsed);
  const plain = firstText(all, 'text/plain');
  const html = firstText(all, 'text/html');
  const describe = (p: MessagePart) => ({
    part: partName(p),
    contentType: p.contentType,
    filename: p.filename ?? null,
    size: p.size,
    charset: p.charset ?? null,
    defects: p.defects,
  });
  return json(200, {
    ...summary,
    headers: parsed.headers,
    text: plain?.text ?? plain?.content?.toString('utf8') ?? null,
    html: html !== undefined,
    attachments: all.filter((p) => p !== plain && p !== html && isAttachment(p)).map(describe),
    parts: all.map(describe),
  });
}

function download(p: MessagePart): Reply {
  const name = (p.filename ?? `${partName(p)}.bin`).replace(/[\x00-\x1f\x7f]/g, '_');
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return {
    status: 200,
    type: 'application/octet-stream',
    body: p.content ?? Buffer.alloc(0),
    fields: `Content-Disposition: attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}\r\n`,
  };
}

/** Answers one request (not the event stream); see the module doc. */
export async function route(catalog: Catalog, method: string, target: string): Promise<Reply> {
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : target.slice(q + 1));
  const get = method === 'GET' || method === 'HEAD';
  if (get && (path === '/' || path === '/index.html'))
    return { status: 200, type: 'text/html; charset=utf-8', body: Buffer.from(INDEX_HTML), fields: `Content-Security-Policy: ${PAGE_CSP}\r\n` };
  if (get && path === '/app.js') return { status: 200, type: 'text/javascript; charset=utf-8', body: Buffer.from(APP_JS) };
  if (get && path === '/style.css') return { status: 200, type: 'text/css; charset=utf-8', body: Buffer.from(STYLE_CSS) };
  if (path === '/api/messages') {
    if (get) return json(200, { messages: await catalog.list(query.get('q') ?? '') });
    if (method === 'DELETE') return (await catalog.remove(), { status: 204, type: 'text/plain', body: Buffer.alloc(0) });
    return { ...text(405, 'method not allowed'), fields: 'Allow: GET, HEAD, DELETE\r\n' };
  }
  const m = /^\/api\/messages\/([^/]+)(?:\/(raw|html|parts\/([^/]+)))?$/.exec(path);
  if (!m) return text(404, 'not found');
  let id: string;
  try {
    id = decodeURIComponent(m[1]!);
  } catch {
    return text(400, 'bad message id');
  }
  try {
    if (method === 'DELETE' && m[2] === undefined) return (await catalog.remove(id), { status: 204, type: 'text/plain', body: Buffer.alloc(0) });
    if (!get) return { ...text(405, 'method not allowed'), fields: `Allow: GET, HEAD${m[2] === undefined ? ', DELETE' : ''}\r\n` };
    if (m[2] === undefined) return await messageView(catalog, id);
    if (m[2] === 'raw') return { status: 200, type: 'text/plain; charset=utf-8', body: await catalog.raw(id) };
    const { parsed } = await catalog.message(id);
    if (m[2] === 'html') {
      const html = firstText(leaves(parsed), 'text/html');
      if (!html) return text(404, 'no HTML part');
      return {
        status: 200,
        type: 'text/html; charset=utf-8',
        body: Buffer.from(blockRemote(html.text ?? html.content?.toString('utf8') ?? '')),
        fields: `Content-Security-Policy: ${MAIL_CSP}\r\n`,
      };
    }
    const part = findPart(parsed, m[3]!);
    return part ? download(part) : text(404, 'no such part');
  } catch (err) {
    if (err instanceof ProtocolError) return text(404, err.message);
    throw err;
  }
}
