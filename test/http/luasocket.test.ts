/**
 * LuaSocket's meaning of `http.request`'s generic form: the
 * request's `scheme`, `host`, `port`, `path`, `user` and `password` fields
 * override the URL's parts and `uri` the request target (LuaSocket's
 * http.lua `adjustrequest`); obsolete line folding in a response reaches the
 * caller as one space. Against node:http and a raw socket peer.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { ArgumentError } from '../../src/core/errors.js';
import { sink as sinks } from '../../src/ltn12/index.js';
import { open, request, type RequestOptions } from '../../src/protocols/http/index.js';
import { source as sources } from '../../src/ltn12/index.js';

let server: http.Server;
let port = 0;
const seen: { url: string; host: string; auth: string | null }[] = [];

before(async () => {
  server = http.createServer((req, res) => {
    seen.push({ url: req.url!, host: req.headers.host!, auth: req.headers.authorization ?? null });
    if (req.url === '/echo') {
      const parts: Buffer[] = [];
      req.on('data', (d: Buffer) => parts.push(d));
      req.on('end', () => res.end(`${req.headers['transfer-encoding'] ?? req.headers['content-length']}:${Buffer.concat(parts)}`));
      return;
    }
    if (req.url === '/chunked') {
      res.write('one,');
      return void setTimeout(() => res.end('two'), 5);
    }
    res.end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as net.AddressInfo).port;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

test("generic form: LuaSocket's URL fields override the URL's parts", async () => {
  // [fields, what the server sees: target, Host, Authorization]
  const vectors: [() => Partial<RequestOptions>, string, string, string | null][] = [
    [() => ({ url: 'http://example.invalid:9/x?q=1', host: '127.0.0.1', port }), '/x?q=1', `127.0.0.1:${port}`, null],
    [() => ({ host: '127.0.0.1', port, path: '/y' }), '/y', `127.0.0.1:${port}`, null],
    [() => ({ host: '127.0.0.1', port: String(port) }), '/', `127.0.0.1:${port}`, null],
    [() => ({ url: `http://127.0.0.1:${port}/x?keep=1`, path: '/z' }), '/z?keep=1', `127.0.0.1:${port}`, null],
    [() => ({ url: `http://127.0.0.1:${port}/x`, uri: '/raw;p?z=%20' }), '/raw;p?z=%20', `127.0.0.1:${port}`, null],
    [() => ({ url: `http://u:pw@127.0.0.1:${port}/a`, user: 'ana', password: 'p@ss:1 %41' }), '/a', `127.0.0.1:${port}`, basic('ana', 'p@ss:1 %41')],
    [() => ({ url: `http://u:p%40w@127.0.0.1:${port}/a` }), '/a', `127.0.0.1:${port}`, basic('u', 'p@w')],
    [() => ({ url: `http://u:pw@127.0.0.1:${port}/a`, password: 'other' }), '/a', `127.0.0.1:${port}`, basic('u', 'other')],
    [() => ({ host: '127.0.0.1', port, user: 'only' }), '/', `127.0.0.1:${port}`, basic('only', '')],
  ];
  for (const [fields, target, host, auth] of vectors) {
    seen.length = 0;
    const f = fields();
    const r = await request({ sink: sinks.null(), pool: false, timeout: 5000, ...f } as RequestOptions);
    assert.equal(r.code, 200, JSON.stringify(f));
    assert.deepEqual(seen, [{ url: target, host, auth }], JSON.stringify(f));
  }
});

test('generic form: bad URL fields are ArgumentErrors', async () => {
  for (const f of [
    {},
    { host: 5 },
    { host: '127.0.0.1', port: 'x' },
    { host: '127.0.0.1', port: 70000 },
    { url: 'http://127.0.0.1/', uri: '/a b' },
    { url: 'http://127.0.0.1/', uri: '/a\r\nX: y' },
    { host: '127.0.0.1', scheme: 'ftp' },
    { host: '127.0.0.1', path: 7 },
  ]) {
    await assert.rejects(request({ sink: sinks.null(), ...f } as unknown as RequestOptions), ArgumentError, JSON.stringify(f));
  }
});

test('obsolete line folding in a response reaches the caller as one space', async () => {
  const raw = net.createServer((s) => {
    s.once('data', () => s.end('HTTP/1.1 200 OK\r\nX-Folded: first\r\n   second\r\n\tthird\r\nContent-Length: 2\r\n\r\nhi'));
  });
  await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
  try {
    const r = await request(`http://127.0.0.1:${(raw.address() as net.AddressInfo).port}/`);
    assert.equal(r.headers['x-folded'], 'first second third');
    assert.equal(r.body.toString(), 'hi');
  } finally {
    raw.close();
  }
});

test("http.open: LuaSocket's step-by-step API on one connection", async () => {
  const c = await open('127.0.0.1', port, { timeout: 5000 });
  try {
    const exchanges: [string, string, [string, string][], (() => ReturnType<typeof sources.string>) | null, string][] = [
      ['GET', '/', [], null, 'ok'],
      ['GET', '/chunked', [], null, 'one,two'],
      ['POST', '/echo', [['Content-Length', '5']], () => sources.string('hello'), '5:hello'],
      ['POST', '/echo', [], () => sources.cat(sources.string('a'), sources.string('bc')), 'chunked:abc'],
    ];
    for (const [method, uri, fields, body, want] of exchanges) {
      await c.sendRequestLine(method, uri);
      const headers: [string, string][] = [['Host', `127.0.0.1:${port}`], ...fields];
      if (body !== null && fields.length === 0) headers.push(['Transfer-Encoding', 'chunked']);
      await c.sendHeaders(headers);
      if (body !== null) await c.sendBody(headers, body());
      const { code, status } = await c.receiveStatusLine();
      assert.equal(code, 200);
      assert.equal(status, 'HTTP/1.1 200 OK');
      const h = await c.receiveHeaders();
      assert.equal(typeof h.date, 'string');
      const [sink, chunks] = sinks.table();
      await c.receiveBody(h, sink);
      assert.equal(Buffer.concat(chunks).toString(), want, `${method} ${uri}`);
    }
  } finally {
    await c.close();
  }
  const bad = await open('127.0.0.1', port);
  await assert.rejects(bad.sendRequestLine('GET', '/a b'), ArgumentError);
  await assert.rejects(bad.sendRequestLine('G T', '/'), ArgumentError);
  await assert.rejects(bad.sendHeaders({ 'X-A': 'a\r\nEvil: 1' }), ArgumentError);
  await assert.rejects(bad.sendHeaders({ 'Bad Name': 'a' }), ArgumentError);
  await bad.close();
  await assert.rejects(open('127.0.0.1', port, { tls: 'starttls' }), ArgumentError);
  await assert.rejects(open('127.0.0.1', port, { timeout: NaN }), ArgumentError);
});
