import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRequestHead } from '../../protocols/http/request-parser.js';
import { fromEntry, type Ready } from './decide.js';
import type { FileEntry } from './file-store.js';
import { selectResponse } from './select-response.js';

const entry = (body: Buffer): FileEntry => {
  const fields = 'Server: netkit\r\nContent-Type: text/plain\r\n';
  return {
    path: '/x',
    size: body.length,
    mtimeMs: 0,
    etag: '"1"',
    lastModified: 'x',
    contentType: 'text/plain',
    body,
    fields,
    fields200: `${fields}Content-Length: ${body.length}\r\n`,
    wire: null,
  };
};
const request = (text: string) => parseRequestHead(Buffer.from(`${text}\r\n\r\n`), {})!.head;
const answer = (file: FileEntry, text: string, close = false) => {
  const head = request(text);
  return fromEntry(head, file, { close, keepAlive10: head.version === '1.0' }, selectResponse(head.method, head.headers, file));
};

test('a small cached file’s plain 200 is built once per Date second and shared; every other answer is built per request', async () => {
  const file = entry(Buffer.from('hello\n'));
  const now = () => Math.floor(Date.now() / 1000);
  // Two answers in one second share a buffer; if a second boundary falls between them, ask again.
  let a: Ready;
  let b: Ready;
  let second: number;
  do {
    second = now();
    a = answer(file, 'GET /x HTTP/1.1\r\nHost: h');
    b = answer(file, 'GET /x HTTP/1.1\r\nHost: h');
  } while (now() !== second);
  assert.ok(a.wire !== undefined && a.wire === b.wire, 'one buffer for both');
  assert.equal(a.wire.toString('latin1'), `${a.head}hello\n`);
  assert.match(a.head, /^HTTP\/1\.1 200 OK\r\nDate: .+ GMT\r\n.*Content-Length: 6\r\n\r\n$/s);
  const rows: [string, string, boolean][] = [
    ['HEAD', 'HEAD /x HTTP/1.1\r\nHost: h', false],
    ['a range', 'GET /x HTTP/1.1\r\nHost: h\r\nRange: bytes=0-1', false],
    ['a 304', 'GET /x HTTP/1.1\r\nHost: h\r\nIf-None-Match: "1"', false],
    ['HTTP/1.0 keep-alive', 'GET /x HTTP/1.0\r\nConnection: keep-alive', false],
    ['a closing answer', 'GET /x HTTP/1.1\r\nHost: h', true],
  ];
  for (const [name, text, close] of rows) assert.equal(answer(file, text, close).wire, undefined, name);
  assert.equal(answer(entry(Buffer.alloc(16 * 1024 + 1)), 'GET /x HTTP/1.1\r\nHost: h').wire, undefined, 'over 16 KiB');
  while (now() === second) await new Promise((r) => setTimeout(r, 20));
  const c = answer(file, 'GET /x HTTP/1.1\r\nHost: h');
  assert.notEqual(c.wire, a.wire, 'a new second, a new buffer');
  assert.notEqual(c.head, a.head, 'with the new Date');
});
