/**
 * The client owns request framing: a caller `Content-Length`
 * that disagrees with the body, or a `Transfer-Encoding` the client does not
 * apply itself, is an ArgumentError before any byte is sent — checked
 * against node:http, which counts the requests it sees.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type net from 'node:net';
import { ArgumentError } from '../../src/core/errors.js';
import { sink as sinks, source as sources } from '../../src/ltn12/index.js';
import { request, type RequestOptions } from '../../src/protocols/http/index.js';

const seen: { method: string; url: string; te: string | null; cl: string | null; body: string }[] = [];
let server: http.Server;
let base = '';

before(async () => {
  server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => {
      seen.push({
        method: req.method!,
        url: req.url!,
        te: req.headers['transfer-encoding'] ?? null,
        cl: req.headers['content-length'] ?? null,
        body: Buffer.concat(parts).toString(),
      });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const SMUGGLED = 'GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n';

/** [what, options, what the server sees (method, te, cl, body) or 'refused'] */
const vectors: [string, Partial<RequestOptions>, 'refused' | { te: string | null; cl: string | null; body: string }][] = [
  ['CL 0 with a body holding a second request', { body: SMUGGLED, headers: { 'Content-Length': '0' } }, 'refused'],
  ['CL 100 with a 2-byte body', { body: 'hi', headers: { 'Content-Length': '100' } }, 'refused'],
  ['CL 1 with a 2-byte body', { body: 'hi', headers: { 'content-length': '1' } }, 'refused'],
  ['CL that is not digits', { body: 'hi', headers: { 'Content-Length': '+2' } }, 'refused'],
  [
    'two different CLs',
    {
      body: 'hi',
      headers: [
        ['Content-Length', '2'],
        ['Content-Length', '3'],
      ],
    },
    'refused',
  ],
  ['CL 5 and no body', { method: 'POST', headers: { 'Content-Length': '5' } }, 'refused'],
  ['TE chunked with a Buffer body', { body: 'hi', headers: { 'Transfer-Encoding': 'chunked' } }, 'refused'],
  ['TE gzip on a source', { source: sources.string('hi'), headers: { 'Transfer-Encoding': 'gzip, chunked' } }, 'refused'],
  ['TE identity on a source', { source: sources.string('hi'), headers: { 'Transfer-Encoding': 'identity' } }, 'refused'],
  ['TE chunked and CL on a source', { source: sources.string('hi'), headers: { 'Transfer-Encoding': 'chunked', 'Content-Length': '2' } }, 'refused'],
  ['TE chunked on a GET without a body', { headers: { 'Transfer-Encoding': 'chunked' } }, 'refused'],
  ['CL that agrees with the body', { body: 'hi', headers: { 'Content-Length': '2' } }, { te: null, cl: '2', body: 'hi' }],
  [
    'the same CL twice',
    {
      body: 'hi',
      headers: [
        ['Content-Length', '2'],
        ['Content-Length', '2'],
      ],
    },
    'refused',
  ],
  ['no framing fields: the client adds CL', { body: 'hi' }, { te: null, cl: '2', body: 'hi' }],
  [
    'TE chunked on a source: what the client applies anyway',
    { source: sources.string('hi'), headers: { 'Transfer-Encoding': 'chunked' } },
    { te: 'chunked', cl: null, body: 'hi' },
  ],
  ['a source with its CL', { source: sources.string('hi'), headers: { 'Content-Length': '2' } }, { te: null, cl: '2', body: 'hi' }],
  ['CL 0 on a GET', { headers: { 'Content-Length': '0' } }, { te: null, cl: '0', body: '' }],
];

for (const [what, opts, want] of vectors) {
  test(`request framing: ${what}`, async () => {
    const before = seen.length;
    const [sink, chunks] = sinks.table();
    const run = request({ url: `${base}/x`, sink, timeout: 5000, ...opts } as RequestOptions);
    if (want === 'refused') {
      await assert.rejects(run, ArgumentError);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(seen.length, before, 'nothing reached the server');
      return;
    }
    const r = await run;
    assert.equal(r.code, 200);
    assert.equal(Buffer.concat(chunks).toString(), 'ok');
    assert.equal(seen.length, before + 1, 'exactly one request');
    const got = seen.at(-1)!;
    assert.deepEqual({ te: got.te, cl: got.cl, body: got.body }, want);
  });
}
