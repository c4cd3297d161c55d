/**
 * The HTTP client against Node's own http and https servers (and a small
 * proxy built on them): keep-alive, chunked both ways, HEAD/204/304,
 * redirects, basic auth, decoding, IPv6, TLS verification, proxies,
 * timeouts, cancellation and streaming of a large body.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import zlib from 'node:zlib';
import { AbortError, ArgumentError, NetError, TimeoutError } from '../../src/core/errors.js';
import { sink as sinks, source as sources } from '../../src/ltn12/index.js';
import { Pool, defaults, request, sharedPool } from '../../src/protocols/http/index.js';
import { fdCount, waitFor } from '../../testkit/index.js';
import { selfSigned } from '../../testkit/tls.js';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => void;
const seen: { method: string; url: string; headers: http.IncomingHttpHeaders; body: Buffer }[] = [];
let connections = 0;

const routes: Record<string, Handler> = {
  '/': (_q, res) => res.end('hello'),
  '/echo': (q, res, body) =>
    res.end(JSON.stringify({ method: q.method, te: q.headers['transfer-encoding'] ?? null, cl: q.headers['content-length'] ?? null, body: body.toString() })),
  '/chunked': (_q, res) => {
    res.write('part1,');
    setTimeout(() => res.end('part2'), 10);
  },
  '/close': (_q, res) => res.setHeader('Connection', 'close').end('bye'),
  '/204': (_q, res) => res.writeHead(204).end(),
  '/304': (_q, res) => res.writeHead(304, { ETag: '"x"' }).end(),
  '/moved': (_q, res) => res.writeHead(301, { Location: '/' }).end('moved'),
  '/auth': (q, res) => res.end(q.headers.authorization ?? 'none'),
  '/gzip': (_q, res) => res.writeHead(200, { 'Content-Encoding': 'gzip' }).end(zlib.gzipSync('gzipped text '.repeat(100))),
  '/deflate': (_q, res) => res.writeHead(200, { 'Content-Encoding': 'deflate' }).end(zlib.deflateSync('deflated text')),
  '/raw-deflate': (_q, res) => res.writeHead(200, { 'Content-Encoding': 'deflate' }).end(zlib.deflateRawSync('raw deflated text')),
  '/host': (q, res) => res.end(q.headers.host),
  '/stall': (_q, res) => res.writeHead(200, { 'Content-Length': '10' }).write('abc'),
  '/big': (_q, res) => {
    res.writeHead(200, { 'Content-Length': String(BIG_BLOCKS * BLOCK.length) });
    let n = 0;
    const more = (): void => {
      while (n < BIG_BLOCKS) {
        n++;
        if (!res.write(BLOCK)) return void res.once('drain', more);
      }
      res.end();
    };
    more();
  },
};

const BLOCK = Buffer.alloc(1024 * 1024);
for (let i = 0; i < BLOCK.length; i++) BLOCK[i] = (i * 7919) & 255;
const BIG_BLOCKS = 100;

function handler(req: http.IncomingMessage, res: http.ServerResponse): void {
  const parts: Buffer[] = [];
  req.on('data', (d: Buffer) => parts.push(d));
  req.on('end', () => {
    const body = Buffer.concat(parts);
    seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
    (routes[req.url!.split('?')[0]!] ?? ((_q, r) => r.writeHead(404).end('not found')))(req, res, body);
  });
}

const cert = selfSigned();
let plain: http.Server;
let plain6: http.Server;
let secure: https.Server;
let proxy: http.Server;
let base = '';
let base6 = '';
let sbase = '';
let proxyUrl = '';
const proxySeen: { method: string; url: string; auth?: string }[] = [];

async function listen(server: net.Server, host: string): Promise<number> {
  await new Promise<void>((r) => server.listen(0, host, r));
  return (server.address() as net.AddressInfo).port;
}

before(async () => {
  plain = http.createServer(handler);
  plain.on('connection', () => connections++);
  plain6 = http.createServer(handler);
  secure = https.createServer({ key: cert.key, cert: cert.cert }, handler);
  base = `http://127.0.0.1:${await listen(plain, '127.0.0.1')}`;
  base6 = `http://[::1]:${await listen(plain6, '::1')}`;
  sbase = `https://localhost:${await listen(secure, '127.0.0.1')}`;
  // A forwarding proxy: absolute-form requests are relayed, CONNECT opens a tunnel.
  proxy = http.createServer((req, res) => {
    proxySeen.push({ method: req.method!, url: req.url!, auth: req.headers['proxy-authorization'] });
    const u = new URL(req.url!);
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const fwd = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method: req.method, headers }, (up) => {
      res.writeHead(up.statusCode!, up.headers);
      up.pipe(res);
    });
    req.pipe(fwd);
  });
  proxy.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    proxySeen.push({ method: 'CONNECT', url: req.url!, auth: req.headers['proxy-authorization'] });
    const [host, port] = req.url!.split(':');
    const up = net.connect(Number(port), host === 'localhost' ? '127.0.0.1' : host!, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      up.write(head);
      up.pipe(client).pipe(up);
    });
    up.on('error', () => client.destroy());
    client.on('error', () => up.destroy());
  });
  proxyUrl = `http://pu:pp@127.0.0.1:${await listen(proxy, '127.0.0.1')}`;
});

after(async () => {
  await sharedPool.close();
  for (const s of [plain, plain6, secure, proxy]) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function get(url: string, extra: Record<string, unknown> = {}) {
  const [sink, chunks] = sinks.table();
  const r = await request({ url, sink, timeout: 5000, ...extra });
  return { ...r, body: Buffer.concat(chunks).toString() };
}

test('request(url) and request(url, body): the one-call forms', async () => {
  const r = await request(`${base}/`);
  assert.equal(r.code, 200);
  assert.equal(r.status, 'HTTP/1.1 200 OK');
  assert.equal(r.body.toString(), 'hello');
  assert.equal(r.headers['content-length'], '5');
  const p = await request(`${base}/echo`, 'a=1&b=2');
  assert.deepEqual(JSON.parse(p.body.toString()), { method: 'POST', te: null, cl: '7', body: 'a=1&b=2' });
  assert.equal(seen.at(-1)!.headers['content-type'], 'application/x-www-form-urlencoded');
  assert.equal(seen.at(-1)!.headers['user-agent'], defaults.userAgent);
  const missing = await request(`${base}/nothing-here`);
  assert.equal(missing.code, 404, 'an HTTP error status resolves');
});

test('keep-alive: one connection for sequential requests; Connection: close from either side ends it', async () => {
  const pool = new Pool();
  const before = connections;
  for (let i = 0; i < 20; i++) assert.equal((await get(`${base}/`, { pool })).body, 'hello');
  assert.equal(connections - before, 1, '20 requests on one connection');
  assert.equal(pool.size, 1);
  await get(`${base}/close`, { pool });
  assert.equal(pool.size, 0, 'the server said Connection: close');
  await get(`${base}/`, { pool, headers: { Connection: 'close' } });
  assert.equal(pool.size, 0, 'the caller said Connection: close');
  assert.equal(connections - before, 2, 'the first connection ended with /close, the last request had its own');
  await pool.close();
});

test('an idle pooled connection the server closes is dropped at once', async () => {
  const pool = new Pool();
  await get(`${base}/`, { pool });
  assert.equal(pool.size, 1);
  plain.closeIdleConnections();
  assert.ok(await waitFor(() => pool.size === 0), 'evicted on the server FIN');
  assert.equal((await get(`${base}/`, { pool })).body, 'hello');
  await pool.close();
});

test("chunked responses; request bodies from a source, chunked or with the caller's Content-Length", async () => {
  assert.equal((await get(`${base}/chunked`)).body, 'part1,part2');
  const chunked = JSON.parse((await get(`${base}/echo`, { method: 'PUT', source: sources.cat(sources.string('one,'), sources.string('two')) })).body);
  assert.deepEqual(chunked, { method: 'PUT', te: 'chunked', cl: null, body: 'one,two' });
  const sized = JSON.parse((await get(`${base}/echo`, { source: sources.string('12345'), headers: { 'Content-Length': '5' } })).body);
  assert.deepEqual(sized, { method: 'POST', te: null, cl: '5', body: '12345' });
  await assert.rejects(
    get(`${base}/echo`, { source: sources.string('1234'), headers: { 'Content-Length': '5' } }),
    (e: unknown) => e instanceof NetError,
    'a source shorter than its Content-Length',
  );
  let steps = 0;
  const stepped = JSON.parse(
    (
      await get(`${base}/echo`, {
        source: sources.string('abc'),
        step: async (src: () => Promise<Buffer | null>, snk: (c: Buffer | null) => Promise<void>) => {
          steps++;
          const c = await src();
          await snk(c);
          return c !== null;
        },
      })
    ).body,
  );
  assert.equal(stepped.body, 'abc');
  assert.ok(steps >= 2, "the caller's step moved the chunks");
});

test('HEAD, 204 and 304 have no body and keep the connection', async () => {
  const pool = new Pool();
  const before = connections;
  const head = await get(`${base}/`, { method: 'HEAD', pool });
  assert.equal(head.body, '');
  assert.equal(head.code, 200);
  assert.equal((await get(`${base}/204`, { pool })).code, 204);
  assert.equal((await get(`${base}/304`, { pool })).code, 304);
  assert.equal((await get(`${base}/`, { pool })).body, 'hello');
  assert.equal(connections - before, 1);
  await pool.close();
});

test('redirects are followed (and reported), or not with redirect: false', async () => {
  const r = await get(`${base}/moved`);
  assert.equal(r.code, 200);
  assert.equal(r.body, 'hello');
  assert.equal(r.redirects, 1);
  assert.equal(r.url, `${base}/`);
  const n = await get(`${base}/moved`, { redirect: false });
  assert.equal(n.code, 301);
  assert.equal(n.body, 'moved');
});

test('basic auth from the URL userinfo (percent-decoded)', async () => {
  const url = base.replace('http://', 'http://al%40ice:p%3Ass@');
  assert.equal((await get(`${url}/auth`)).body, `Basic ${Buffer.from('al@ice:p:ss').toString('base64')}`);
  assert.equal((await get(`${url}/auth`, { headers: { Authorization: 'Bearer t' } })).body, 'Bearer t', "the caller's field wins");
});

test('gzip and deflate are decoded when asked, passed through otherwise', async () => {
  assert.equal((await get(`${base}/gzip`, { decode: true })).body, 'gzipped text '.repeat(100));
  assert.equal(seen.at(-1)!.headers['accept-encoding'], 'gzip, deflate');
  assert.equal((await get(`${base}/deflate`, { decode: true })).body, 'deflated text');
  assert.equal((await get(`${base}/raw-deflate`, { decode: true })).body, 'raw deflated text');
  const raw = await request({ url: `${base}/gzip`, sink: sinks.table()[0] });
  assert.equal(raw.headers['content-encoding'], 'gzip');
  assert.equal(seen.at(-1)!.headers['accept-encoding'], undefined);
});

test('IPv6: [::1] with the brackets in Host', async () => {
  const r = await get(`${base6}/host`);
  assert.equal(r.body, base6.slice('http://'.length));
});

test('https: verified by default, trusted with ca, opt-out with rejectUnauthorized: false; settings never share a connection', async () => {
  await assert.rejects(get(`${sbase}/`), (e: unknown) => e instanceof NetError && e.code === 'tls');
  assert.equal((await get(`${sbase}/`, { ca: cert.cert })).body, 'hello');
  assert.equal((await get(`${sbase}/`, { tls: { ca: cert.cert } })).body, 'hello');
  const pool = new Pool();
  assert.equal((await get(`${sbase}/`, { rejectUnauthorized: false, pool })).body, 'hello');
  assert.equal(pool.size, 1);
  await assert.rejects(
    get(`${sbase}/`, { pool }),
    (e: unknown) => e instanceof NetError && e.code === 'tls',
    'the unverified connection is not reused by a verifying request',
  );
  await pool.close();
  await assert.rejects(
    get(`${sbase}/`, { tls: { ca: cert.cert, servername: 'other.test' } }),
    (e: unknown) => e instanceof NetError && e.code === 'tls',
    'host name checked',
  );
});

test('https to http redirects are not followed (HC-23)', async () => {
  routes['/down'] = (_q, res) => res.writeHead(302, { Location: `${base}/` }).end();
  const r = await get(`${sbase}/down`, { ca: cert.cert });
  assert.equal(r.code, 302);
});

test('through an HTTP proxy: absolute-form for http, CONNECT for https; credentials only to the proxy', async () => {
  proxySeen.length = 0;
  const r = await get(`${base}/auth`, { proxy: proxyUrl });
  assert.equal(r.body, 'none');
  assert.equal(proxySeen[0]!.url, `${base}/auth`);
  assert.equal(proxySeen[0]!.auth, `Basic ${Buffer.from('pu:pp').toString('base64')}`);
  const s = await get(`${sbase}/auth`, { proxy: proxyUrl, ca: cert.cert, headers: { 'Proxy-Authorization': 'Basic c2VjcmV0' } });
  assert.equal(s.body, 'none');
  assert.equal(proxySeen[1]!.method, 'CONNECT');
  assert.equal(proxySeen[1]!.url, `localhost:${new URL(sbase).port}`);
  assert.equal(seen.at(-1)!.headers['proxy-authorization'], undefined, 'never sent to the origin through the tunnel');
  const pool = new Pool();
  await get(`${sbase}/`, { proxy: proxyUrl, ca: cert.cert, pool });
  await get(`${sbase}/`, { proxy: proxyUrl, ca: cert.cert, pool });
  assert.equal(proxySeen.filter((p) => p.method === 'CONNECT').length, 2, 'the tunnel is pooled');
  await pool.close();
  defaults.proxy = proxyUrl;
  try {
    await get(`${base}/`);
    assert.equal(proxySeen.at(-1)!.url, `${base}/`, 'defaults.proxy applies');
    await get(`${base}/`, { proxy: null });
    assert.equal(proxySeen.at(-1)!.url, `${base}/`);
    assert.notEqual(seen.at(-1)!.headers['proxy-authorization'], 'x');
  } finally {
    defaults.proxy = undefined;
  }
});

test('timeouts and cancellation', async () => {
  await assert.rejects(get(`${base}/stall`, { timeout: 200, pool: false }), TimeoutError);
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  await assert.rejects(get(`${base}/stall`, { signal: controller.signal, pool: false }), AbortError);
});

test('a request aborted while others are in flight, before its write, fails with AbortError and the others finish', async () => {
  const pool = new Pool();
  try {
    await Promise.all([get(`${base}/`, { pool }), get(`${base}/`, { pool })]); // two kept connections
    const controller = new AbortController();
    const other = get(`${base}/`, { pool });
    const aborted = get(`${base}/`, { pool, signal: controller.signal });
    queueMicrotask(() => controller.abort()); // after it took its connection, before its write
    await assert.rejects(aborted, AbortError);
    await other;
  } finally {
    await pool.close();
  }
});

test('100 MiB streams through with flat memory and arrives byte-identical, in bulk reads', { timeout: 60_000 }, async () => {
  const want = createHash('sha256');
  for (let i = 0; i < BIG_BLOCKS; i++) want.update(BLOCK);
  const got = createHash('sha256');
  let peak = 0;
  let largest = 0;
  const startRss = process.memoryUsage().rss;
  await request({
    url: `${base}/big`,
    sink: async (chunk) => {
      if (chunk) got.update(chunk);
      largest = Math.max(largest, chunk?.length ?? 0);
      peak = Math.max(peak, process.memoryUsage().rss - startRss);
    },
  });
  assert.equal(got.digest('hex'), want.digest('hex'));
  assert.ok(peak < 64 * 1024 * 1024, `RSS grew by ${(peak / 1048576).toFixed(1)} MiB`);
  // a plain-http connection reads in bulk mode: a normal socket never hands over more than 64 KiB at once
  assert.ok(largest > 64 * 1024, `largest chunk ${largest} bytes`);
});

test('no descriptor is left behind once the pool is closed', async () => {
  await sharedPool.close();
  const fds = fdCount();
  const pool = new Pool();
  for (let i = 0; i < 5; i++) await Promise.all([get(`${base}/`, { pool }), get(`${base}/chunked`, { pool }), get(`${base6}/`, { pool })]);
  await pool.close();
  assert.ok(await waitFor(() => fdCount() <= fds), `fds ${fdCount()} vs ${fds}`);
});

test('create: a caller-made connection carries the request (and is not pooled)', async () => {
  const { connect } = await import('../../src/socket/index.js');
  const made: string[] = [];
  const create = async (host: string, port: number) => {
    made.push(`${host}:${port}`);
    return connect(host, port);
  };
  const pool = new Pool();
  assert.equal((await get(`${base}/`, { create, pool })).body, 'hello');
  assert.equal((await get(`${sbase}/`, { create, pool, ca: cert.cert })).body, 'hello', 'TLS is started on the created connection');
  assert.deepEqual(made, [`127.0.0.1:${new URL(base).port}`, `localhost:${new URL(sbase).port}`]);
  assert.equal(pool.size, 0);
});

test('a slow sink slows the socket down: memory stays flat (R-07)', { timeout: 60_000 }, async () => {
  global.gc?.();
  const startRss = process.memoryUsage().rss;
  let peak = 0;
  let n = 0;
  await request({
    url: `${base}/big`,
    sink: async (chunk) => {
      if (!chunk) return;
      n += chunk.length;
      if (n % (8 * 1024 * 1024) < chunk.length) await new Promise((r) => setTimeout(r, 100)); // a 100 ms stall every 8 MiB
      peak = Math.max(peak, process.memoryUsage().rss - startRss);
    },
  });
  assert.equal(n, BIG_BLOCKS * BLOCK.length);
  assert.ok(peak < 48 * 1024 * 1024, `RSS grew by ${(peak / 1048576).toFixed(1)} MiB while the sink stalled`);
});

test('TLS vocabulary: tls is the mode word, tlsOptions the certificates (ca, tls objects still work)', async () => {
  assert.equal((await get(`${sbase}/`, { tlsOptions: { ca: cert.cert } })).body, 'hello');
  assert.equal((await get(`${sbase}/`, { tls: 'implicit', tlsOptions: { ca: cert.cert } })).body, 'hello');
  assert.equal((await get(`${base}/`, { tls: 'none' })).body, 'hello');
  await assert.rejects(get(`${sbase}/`, { tls: 'implicit' }), (e: unknown) => e instanceof NetError && e.code === 'tls', 'still verified');
  for (const [url, tls] of [
    [sbase, 'none'],
    [base, 'implicit'],
    [sbase, 'starttls'],
    [base, 'stls'],
    [sbase, 'bogus'],
    [sbase, 5],
  ] as const) {
    await assert.rejects(get(`${url}/`, { tls, tlsOptions: { ca: cert.cert } }), ArgumentError, `${String(tls)} with ${url}`);
  }
  await assert.rejects(get(`${sbase}/`, { tlsOptions: 'x' }), ArgumentError);
});
