/**
 * R-03 for HTTP: valid messages cut in two at every split point (and once in
 * 1-byte pieces) must give what the unsplit message gives.
 *
 * - The client: `http.request` over loopback (status line, 1xx, headers,
 *   a chunked body with extensions and trailers, a Content-Length body, a
 *   close-delimited body, a gzip body decoded on the way), one connection
 *   per split; the result is the code, status, fields, body and trailers.
 * - The pure pieces under it: `parseResponseHead` and `ChunkedDecoder` fed
 *   the way the client feeds them (head bytes accumulated, body pieces pushed).
 * - The server side: `parseRequestHead` fed the way `servers.web`'s head
 *   reader feeds it (bytes accumulated, parsed after each piece), pipelined
 *   requests and body bytes after the head included.
 *
 * @example
 * ```ts
 * const note = await httpChunking((what, a, b, pieces) => { ... });   // from r03-chunking.ts
 * ```
 */
import zlib from 'node:zlib';
import { ProtocolError } from '../../src/core/errors.js';
import { sink as sinks } from '../../src/ltn12/index.js';
import { ChunkedDecoder, parseRequestHead, parseResponseHead, request } from '../../src/protocols/http/index.js';
import { playback } from './corpus.js';

export type Differ = (what: string, got: Buffer | string, want: Buffer | string, pieces: Buffer[]) => void;

const gz = zlib.gzipSync(Buffer.from('compressed '.repeat(20)));

/** A message with `head` (no final CRLF), the right Content-Length and `body` (latin1). */
function withLength(head: string, body: string): Buffer {
  return Buffer.from(`${head}\r\nContent-Length: ${body.length}\r\n\r\n${body}`, 'latin1');
}

/** Valid responses: [name, bytes, decode]. */
export const responses: [string, Buffer, boolean][] = [
  [
    'chunked with 1xx, extensions and trailers',
    Buffer.from(
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A:  b c \t\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\n' +
        '5;ext=1;q="a b"\r\nhello\r\n1A \t;e\r\nabcdefghijklmnopqrstuvwxyz\r\n4\r\n\r\n\r\n\r\n0;last\r\nX-Sum: 31\r\nX-T: two\r\n\r\n',
      'latin1',
    ),
    false,
  ],
  [
    'Content-Length, body holding CRLFs and a head',
    withLength('HTTP/1.1 404 Not Found\r\nContent-Type: text/plain', 'line\r\n\r\nHTTP/1.1 200 OK\r\n\r\n0\r\n\r\n\xff\x00\x80\r'),
    false,
  ],
  ['close-delimited, HTTP/1.0', Buffer.from('HTTP/1.0 200 OK\r\nServer: x\r\n\r\nuntil the server closes\r\n\r\nand more\n', 'latin1'), false],
  ['204 without a body', Buffer.from('HTTP/1.1 204 No Content\r\nX-A: 1\r\n\r\n', 'latin1'), false],
  [
    'chunked gzip, decoded',
    Buffer.concat([
      Buffer.from(`HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n7\r\n`),
      gz.subarray(0, 7),
      Buffer.from(`\r\n${(gz.length - 7).toString(16)}\r\n`),
      gz.subarray(7),
      Buffer.from('\r\n0\r\n\r\n'),
    ]),
    true,
  ],
];

/** Valid request streams for the server side (pipelined requests, body bytes after heads). */
export const requestStreams: Buffer[] = [
  Buffer.from('\r\n\r\nGET /a/b?c=d%20e HTTP/1.1\r\nHost: example.test:8080\r\nAccept:  */* \t\r\nX-Empty:\r\n\r\n', 'latin1'),
  Buffer.concat([withLength('POST /form HTTP/1.1\r\nHost: x\r\nConnection: close', 'abc\r\n\r\ndef'), Buffer.from('GET / HTTP/1.1\r\nHost: y\r\n\r\n')]),
  Buffer.from('PUT http://x/abs HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n5\r\nhello\r\n0\r\n\r\n', 'latin1'),
  Buffer.from(
    `GET /k HTTP/1.0\r\nConnection: keep-alive\r\nX-Long: ${'v'.repeat(3000)}\r\n\r\nHEAD /k2 HTTP/1.1\r\nHost: z\r\n\r\nOPTIONS * HTTP/1.1\r\nHost: z\r\n\r\n`,
    'latin1',
  ),
];

/** Every way to cut `data` in two, and 1-byte pieces. */
export function* cuts(data: Buffer): Generator<Buffer[]> {
  for (let i = 0; i <= data.length; i++) yield [data.subarray(0, i), data.subarray(i)];
  yield [...data].map((b) => Buffer.from([b]));
}

/** The outcome of an operation as comparable text: its value, or the error's class and message. */
async function text(fn: () => unknown): Promise<string> {
  try {
    return JSON.stringify(await fn());
  } catch (err) {
    return `error ${(err as Error).name}: ${(err as Error).message}`;
  }
}

/** The response head then the body, parsed from `pieces` the way the client reads them. */
export function parseResponse(pieces: Buffer[]): unknown {
  let buf: Buffer = Buffer.alloc(0);
  let i = 0;
  let head = null;
  while (head === null) {
    if (i >= pieces.length) return 'incomplete head';
    buf = Buffer.concat([buf, pieces[i++]!]);
    for (;;) {
      const r = parseResponseHead(buf);
      if (r === null) break;
      buf = buf.subarray(r.consumed);
      if (r.head.code >= 200) {
        head = r.head;
        break;
      }
      // As the client's head reader: an unrequested 101 ends the exchange; other 1xx are skipped.
      if (r.head.code === 101) throw new ProtocolError('101 Switching Protocols without an upgrade request', r.head.status);
    }
  }
  const rest = [buf, ...pieces.slice(i)];
  const body: Buffer[] = [];
  let trailers: [string, string][] = [];
  if (head.framing.kind === 'chunked') {
    const d = new ChunkedDecoder();
    for (const p of rest) body.push(...d.push(p));
    if (!d.done) return 'incomplete body';
    trailers = d.trailers;
  } else if (head.framing.kind === 'length') {
    const all = Buffer.concat(rest);
    if (all.length !== head.framing.length) return `body of ${all.length} bytes for a length of ${head.framing.length}`;
    body.push(all);
  } else if (head.framing.kind === 'close') body.push(...rest);
  return { code: head.code, status: head.status, fields: head.rawHeaders, framing: head.framing, body: Buffer.concat(body).toString('latin1'), trailers };
}

/**
 * Every request in `pieces`, read the way a server reads them: bytes
 * accumulated and parsed after each piece; a Content-Length body skipped by
 * its length, a chunked one run through a ChunkedDecoder (its data kept).
 */
export function parseRequests(pieces: Buffer[]): unknown[] {
  const out: unknown[] = [];
  let buf: Buffer = Buffer.alloc(0);
  let skip = 0;
  let chunked: ChunkedDecoder | null = null;
  for (const p of pieces) {
    buf = Buffer.concat([buf, p]);
    for (;;) {
      if (skip > 0) {
        const n = Math.min(skip, buf.length);
        buf = buf.subarray(n);
        skip -= n;
        if (skip > 0) break;
      }
      if (chunked !== null) {
        out.push(Buffer.concat(chunked.push(buf)).toString('latin1'));
        if (!chunked.done) {
          buf = Buffer.alloc(0);
          break;
        }
        buf = chunked.rest;
        chunked = null;
      }
      const r = parseRequestHead(buf);
      if (r === null) break;
      const { method, target, version, rawHeaders, keepAlive, body, expectContinue } = r.head;
      out.push({ method, target, version, rawHeaders, keepAlive, body, expectContinue, consumed: r.consumed });
      buf = buf.subarray(r.consumed);
      if (body.kind === 'length') skip = body.length;
      else if (body.kind === 'chunked') chunked = new ChunkedDecoder();
    }
  }
  // Body data comes in as many pieces as the split made: compare it joined.
  const joined: unknown[] = [];
  for (const x of out) typeof x === 'string' && typeof joined[joined.length - 1] === 'string' ? (joined[joined.length - 1] += x) : joined.push(x);
  if (buf.length > 0 || skip > 0 || chunked !== null) joined.push(`left ${buf.length} bytes, ${skip} to skip, chunked ${chunked !== null}`);
  return joined;
}

/** Runs the HTTP part of R-03 through `differ`; returns a note for the figure's detail. */
export async function httpChunking(differ: Differ): Promise<string> {
  const pb = await playback();
  const fetch = async (decode: boolean) => {
    const [sink, chunks] = sinks.table();
    const r = await request({ url: `http://127.0.0.1:${pb.port}/`, sink, pool: false, timeout: 2000, decode });
    return { code: r.code, status: r.status, fields: r.rawHeaders, body: Buffer.concat(chunks).toString('latin1'), trailers: r.trailers };
  };
  try {
    for (const [name, wire, decode] of responses) {
      pb.next([wire], false);
      const whole = await text(() => fetch(decode));
      const wholePure = await text(() => parseResponse([wire]));
      // The samples are valid: an unsplit run that fails is a difference too.
      if (!whole.startsWith('{')) differ(`http client: ${name} (unsplit)`, whole, '{…}', [wire]);
      if (!wholePure.startsWith('{')) differ(`parseResponseHead+ChunkedDecoder: ${name} (unsplit)`, wholePure, '{…}', [wire]);
      for (const pieces of cuts(wire)) {
        pb.next(pieces, false);
        differ(`http client: ${name}`, await text(() => fetch(decode)), whole, pieces);
        differ(`parseResponseHead+ChunkedDecoder: ${name}`, await text(() => parseResponse(pieces)), wholePure, pieces);
      }
    }
  } finally {
    await pb.close();
  }
  const requests = (pieces: Buffer[]) => text(() => parseRequests(pieces));
  for (const stream of requestStreams) {
    const whole = await requests([stream]);
    if (!whole.startsWith('[{') || whole.includes('"left ')) differ('parseRequestHead (unsplit)', whole, '[{…}]', [stream]);
    for (const pieces of cuts(stream)) differ('parseRequestHead', await requests(pieces), whole, pieces);
  }
  return `http client over TCP (${responses.length} responses: 1xx, chunked with extensions and trailers, length, close, gzip), parseResponseHead+ChunkedDecoder, parseRequestHead (${requestStreams.length} streams)`;
}
