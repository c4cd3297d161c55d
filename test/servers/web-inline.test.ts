// The static server answers requests decided from memory inline, as their bytes arrive
// (servers/web/inline.ts), and everything else on the awaited path. These tests pin that the
// two paths give the same bytes, in the same order, with the same log, however the requests
// are cut into packets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { web, type WebServer } from '../../src/servers/index.js';
import { rawExchange } from '../../testkit/http-raw.js';

let dir: string;
let cached: WebServer; // lookups and small bodies kept: the inline path answers most requests
let uncached: WebServer; // cacheTtl 0: every file request goes through the awaited path
const logs = { cached: [] as string[], uncached: [] as string[] };

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nk-inline-'));
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'a.txt'), 'hello\n');
  writeFileSync(join(dir, 'sub', 'index.html'), '<p>sub</p>\n');
  writeFileSync(join(dir, 'mid.bin'), Buffer.alloc(40 * 1024, 7)); // over the one-write size: never inline
  writeFileSync(join(dir, '.env'), 'secret');
  cached = await web({ root: dir, port: 0, log: (l) => logs.cached.push(l) });
  uncached = await web({ root: dir, port: 0, log: (l) => logs.uncached.push(l), cacheTtl: 0 });
});

after(async () => {
  await Promise.all([cached.close(), uncached.close()]);
  rmSync(dir, { recursive: true, force: true });
});

const req = (line: string, extra = '') => `${line}\r\nHost: x\r\n${extra}\r\n`;
const withoutDates = (b: Buffer) => b.toString('latin1').replace(/^Date: .*\r\n/gm, '');
const etagOf = async (port: number) =>
  /ETag: (.*)\r\n/.exec((await rawExchange(port, req('HEAD /a.txt HTTP/1.1', 'Connection: close\r\n'))).data.toString('latin1'))![1]!;

// [name, requests]: the last request of each sequence closes the connection.
const sequences: [string, (etag: string) => string[]][] = [
  ['cached GETs', () => [req('GET /a.txt HTTP/1.1'), req('GET /a.txt HTTP/1.1'), req('GET /a.txt HTTP/1.1', 'Connection: close\r\n')]],
  [
    'HEAD, 304, range, 416',
    (etag) => [
      req('HEAD /a.txt HTTP/1.1'),
      req('GET /a.txt HTTP/1.1', `If-None-Match: ${etag}\r\n`),
      req('GET /a.txt HTTP/1.1', 'Range: bytes=1-2\r\n'),
      req('GET /a.txt HTTP/1.1', 'Range: bytes=99-\r\n'),
      req('GET /a.txt HTTP/1.1', 'Connection: close\r\n'),
    ],
  ],
  [
    'missing, folder redirect, index, dotfile, 405',
    () => [
      req('GET /nope HTTP/1.1'),
      req('GET /sub HTTP/1.1'),
      req('GET /sub/ HTTP/1.1'),
      req('GET /.env HTTP/1.1'),
      req('DELETE /a.txt HTTP/1.1'),
      req('GET /a.txt HTTP/1.1', 'Connection: close\r\n'),
    ],
  ],
  [
    'a body, a big file and HTTP/1.0 keep-alive between inline answers',
    () => [
      req('GET /a.txt HTTP/1.1'),
      req('POST /a.txt HTTP/1.1', 'Content-Length: 5\r\n').replace(/\r\n$/, '\r\nabcde'),
      req('GET /mid.bin HTTP/1.1'),
      req('GET /a.txt HTTP/1.0', 'Connection: keep-alive\r\n'),
      req('GET /a.txt HTTP/1.1', 'Connection: close\r\n'),
    ],
  ],
  [
    'a malformed head after good ones is answered 400 and closes',
    () => [req('GET /a.txt HTTP/1.1'), req('GET /a.txt HTTP/1.1'), 'GET /a b c HTTP/1.1\r\n\r\n', req('GET /a.txt HTTP/1.1')],
  ],
  ['HTTP/1.0 without keep-alive closes after one', () => [req('GET /a.txt HTTP/1.0'), req('GET /a.txt HTTP/1.1')]],
];

for (const [name, build] of sequences) {
  test(`inline and awaited paths answer alike: ${name} (one write, then 1-byte pieces)`, { timeout: 30000 }, async () => {
    const etag = await etagOf(cached.port);
    assert.equal(etag, await etagOf(uncached.port));
    const wire = build(etag).join('');
    await rawExchange(cached.port, wire); // warm the cache: later runs answer files inline
    for (const pieces of [1, wire.length]) {
      const fromCache = await rawExchange(cached.port, wire, { pieces });
      const fromDisk = await rawExchange(uncached.port, wire, { pieces });
      assert.equal(fromCache.closed, true);
      assert.equal(withoutDates(fromCache.data), withoutDates(fromDisk.data), `${name}, ${pieces} pieces`);
    }
  });
}

test('the access log has the same lines on both paths (times and dates aside)', () => {
  const norm = (l: string) => l.replace(/\[[^\]]*\]/, '[]').replace(/ [\d.]+ms$/, '');
  // the cached server also answered one warm-up exchange per sequence and one HEAD per etag lookup
  const tail = logs.uncached.map(norm).filter((l) => !/"HEAD \/a\.txt HTTP\/1\.1" 200 0 /.test(l));
  const mine = logs.cached.map(norm).filter((l) => !/"HEAD \/a\.txt HTTP\/1\.1" 200 0 /.test(l));
  assert.ok(tail.length > 20);
  for (const line of new Set(tail)) assert.ok(mine.includes(line), line);
});
