/**
 * A final response sent while the request body is still going out (issue
 * 12): a server that answers 413 to a 50 MiB upload and closes must be
 * reported as a 413 — as curl and node:http report it — never as the
 * `SendError EPIPE` the cut-off upload ends in. Against node:http servers
 * that answer before reading the body.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type net from 'node:net';
import { sink as sinks, source as sources } from '../../src/ltn12/index.js';
import { Pool, request, type RequestOptions } from '../../src/protocols/http/index.js';

let server: http.Server;
let base = '';
const BIG = Buffer.alloc(50 * 1024 * 1024, 0x61);

before(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/small') {
      req.resume();
      req.on('end', () => res.end('ok'));
      return;
    }
    // Answers at once, without reading the body, and closes (unread bytes make the kernel send a reset).
    res.writeHead(413, { 'Content-Type': 'text/plain', Connection: 'close' }).end('too large');
    if (req.url === '/reset') setTimeout(() => req.socket.destroy(), 20);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

async function post(path: string, extra: Partial<RequestOptions>) {
  const [sink, chunks] = sinks.table();
  const pool = new Pool();
  try {
    const r = await request({ url: `${base}${path}`, sink, method: 'POST', timeout: 10_000, pool, ...extra } as RequestOptions);
    return { code: r.code, body: Buffer.concat(chunks).toString(), kept: pool.size };
  } finally {
    await pool.close();
  }
}

const bodies: [string, () => Partial<RequestOptions>][] = [
  ['a 50 MiB Buffer body', () => ({ body: BIG })],
  ['a 50 MiB source, chunked', () => ({ source: sources.string(BIG.toString('latin1')) })],
  ['a 50 MiB source with its Content-Length', () => ({ source: sources.string(BIG.toString('latin1')), headers: { 'Content-Length': String(BIG.length) } })],
];

for (const [what, body] of bodies) {
  for (const path of ['/early', '/reset']) {
    test(`an early 413 during ${what} (${path}) is reported, not EPIPE`, { timeout: 60_000 }, async () => {
      const r = await post(path, body());
      assert.equal(r.code, 413);
      assert.equal(r.body, 'too large');
      assert.equal(r.kept, 0, 'the connection of a cut-off upload is never reused');
    });
  }
}

test('a normal upload still waits for its body to be sent before the response', async () => {
  const r = await post('/small', { body: Buffer.alloc(1024 * 1024, 0x62) });
  assert.equal(r.code, 200);
  assert.equal(r.body, 'ok');
  assert.equal(r.kept, 1);
});
