/**
 * Hostile responses (hostile-inputs §2.1) end to end: a raw server sends
 * each case's exact bytes — whole and one byte per write — and `request`
 * must end with the typed error, never with a wrong body.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type net from 'node:net';
import zlib from 'node:zlib';
import { ArgumentError, ClosedError, LimitError, NetError, ProtocolError, ReplyError, TimeoutError } from '../../core/errors.js';
import { sink as sinks, source as sources } from '../../ltn12/index.js';
import { rawHttpServer, ok, type RawServer } from '../../../testkit/raw-http.js';
import { bytesOf, loadCorpus } from '../../../testkit/corpus.js';
import { Pool, request } from './index.js';

const servers: RawServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function serve(respond: Parameters<typeof rawHttpServer>[0], host?: string): Promise<RawServer> {
  const s = await rawHttpServer(respond, host);
  servers.push(s);
  return s;
}

async function drip(sock: net.Socket, data: Buffer): Promise<void> {
  for (const b of data) await new Promise((r) => sock.write(Buffer.from([b]), r));
}

/** A server answering every request with `wire` (whole, or one byte per write) and then closing. */
async function answer(wire: string | Buffer, byteByByte = false): Promise<RawServer> {
  return serve(async (_req, sock) => {
    const data = Buffer.from(typeof wire === 'string' ? Buffer.from(wire, 'latin1') : wire);
    if (byteByByte) await drip(sock, data);
    else sock.write(data);
    sock.end();
  });
}

async function get(url: string, extra: Partial<Parameters<typeof request>[0] & object> = {}) {
  const [sink, chunks] = sinks.table();
  const r = await request({ url, sink, pool: false, timeout: 2000, ...extra });
  return { ...r, body: Buffer.concat(chunks).toString('latin1') };
}

/**
 * The hostile heads and chunked bodies of the corpus (testkit/corpus/http-response.json):
 * every case that must end in a ProtocolError, played as a plain GET (content
 * codings, HC-20, need `decode: true` and have their own test below).
 */
const HEADS: [string, Buffer][] = loadCorpus('http-response')
  .filter((c) => 'error' in c.expect && c.expect.error === 'protocol' && !c.with && !c.hold && !c.id.startsWith('HC-20'))
  .map((c) => [c.id, bytesOf(c.bytes)]);

test('hostile heads and chunked bodies of the corpus (HC-01…HC-17) are ProtocolErrors, whole and byte by byte', { timeout: 60_000 }, async () => {
  assert.ok(HEADS.length >= 33, `only ${HEADS.length} protocol cases in the corpus`);
  for (const byteByByte of [false, true]) {
    for (const [name, wire] of HEADS) {
      const s = await answer(wire, byteByByte);
      await assert.rejects(get(s.url), ProtocolError, `${name}${byteByByte ? ' (1-byte writes)' : ''}`);
    }
  }
});

test('limits: chunk extension, trailers, header bytes and count are LimitErrors (HC-05, HC-07, HC-15)', async () => {
  const cases = [
    `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;${'e'.repeat(20_000)}\r\nhello\r\n0\r\n\r\n`,
    `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n${'X-T: v\r\n'.repeat(4000)}\r\n`,
    `HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(1024 * 1024)}\r\nContent-Length: 5\r\n\r\nhello`,
    `HTTP/1.1 200 OK\r\n${'A: b\r\n'.repeat(100_000)}Content-Length: 5\r\n\r\nhello`,
  ];
  for (const wire of cases) {
    const s = await answer(wire);
    await assert.rejects(get(s.url), (e: unknown) => e instanceof LimitError && e.code === 'too large', wire.slice(0, 60));
  }
  const s = await answer('HTTP/1.1 200 OK\r\nX-A: b\r\nContent-Length: 5\r\n\r\nhello');
  await assert.rejects(get(s.url, { maxHeaderBytes: 20 }), LimitError, 'maxHeaderBytes option');
  await assert.rejects(get(s.url, { maxHeaders: 1 }), LimitError, 'maxHeaders option');
});

test('interim responses are skipped; trailers are kept without framing fields (HC-07, HC-14)', async () => {
  const s = await answer(
    'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-Sum: 1\r\nContent-Length: 99\r\n\r\n',
  );
  const r = await get(s.url);
  assert.equal(r.body, 'hello');
  assert.deepEqual(r.trailers, [['X-Sum', '1']]);
});

test('a header section dripped slowly ends at the header deadline (HC-15)', async () => {
  const s = await serve(async (_req, sock) => {
    for (const b of Buffer.from('HTTP/1.1 200 OK\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n')) {
      if (sock.destroyed) return;
      sock.write(Buffer.from([b]));
      await new Promise((r) => setTimeout(r, 30));
    }
  });
  const t = performance.now();
  await assert.rejects(get(s.url, { headersTimeout: 300, timeout: 1000 }), TimeoutError);
  assert.ok(performance.now() - t < 1500, 'the header deadline is total, not per read');
});

test('endless and stalled bodies: maxBodyBytes and the idle timeout (HC-16)', async () => {
  const endless = await serve(async (_req, sock) => {
    sock.write('HTTP/1.1 200 OK\r\n\r\n');
    const block = Buffer.alloc(64 * 1024, 97);
    while (!sock.destroyed) await new Promise((r) => sock.write(block, r));
  });
  await assert.rejects(get(endless.url, { maxBodyBytes: 1024 * 1024 }), LimitError);
  const endlessChunked = await serve(async (_req, sock) => {
    sock.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n');
    const block = Buffer.from(`10000\r\n${'a'.repeat(65536)}\r\n`);
    while (!sock.destroyed) await new Promise((r) => sock.write(block, r));
  });
  await assert.rejects(get(endlessChunked.url, { maxBodyBytes: 1024 * 1024 }), LimitError);
  const tooLong = await answer('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n');
  await assert.rejects(get(tooLong.url, { maxBodyBytes: 10 }), LimitError, 'declared length over the limit');
  const stall = await serve((_req, sock) => void sock.write('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello'));
  await assert.rejects(get(stall.url, { timeout: 300 }), TimeoutError);
});

test('bodies cut short are errors, never successes (HC-17)', async () => {
  const short = await answer('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello');
  await assert.rejects(get(short.url), (e: unknown) => e instanceof ClosedError && /5 of 10/.test(e.message));
  const midChunk = await answer('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel');
  await assert.rejects(get(midChunk.url), ClosedError);
  const reset = await serve((_req, sock) => {
    sock.write('HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\nhello', () => setTimeout(() => sock.resetAndDestroy(), 20));
  });
  await assert.rejects(get(reset.url), NetError);
  const nothing = await serve((_req, sock) => void sock.end());
  await assert.rejects(get(nothing.url), ClosedError, 'HC-36: FIN before any byte');
  const resetInHead = await serve((_req, sock) => void sock.write('HTTP/1.1 200 OK\r\nX-A', () => sock.resetAndDestroy()));
  await assert.rejects(get(resetInHead.url), NetError, 'HC-36: RST during the head');
});

test('a close-delimited body is read to the end; unknown TE means until close, never reused (HC-08)', async () => {
  const s = await answer('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nraw bytes until close');
  const pool = new Pool();
  assert.equal((await get(s.url, { pool })).body, 'raw bytes until close');
  assert.equal(pool.size, 0);
});

test('bytes after the body, and bodies on HEAD/204/304, are not read and the connection is dropped (HC-18, HC-19)', async () => {
  const pool = new Pool();
  const extra = await serve(
    (req, sock) =>
      void sock.write(
        req.method === 'HEAD'
          ? 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello'
          : req.target === '/204'
            ? 'HTTP/1.1 204 No Content\r\n\r\nhello'
            : req.target === '/304'
              ? 'HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\nhello'
              : 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nbad',
      ),
  );
  for (const [path, method, body] of [
    ['/', 'GET', 'hello'],
    ['/', 'HEAD', ''],
    ['/204', 'GET', ''],
    ['/304', 'GET', ''],
  ] as const) {
    const before = extra.connections;
    const r = await get(extra.url + path, { pool, method });
    assert.equal(r.body, body, `${method} ${path}`);
    await new Promise((res) => setTimeout(res, 30));
    await get(extra.url + path, { pool, method });
    assert.equal(extra.connections, before + 2, `${method} ${path}: the connection was not reused`);
  }
  await pool.close();
});

test('content codings: more than five refused, a gzip bomb stops at maxBodyBytes, corrupt data is a ProtocolError (HC-20)', async () => {
  let gz = Buffer.from('hello');
  for (let i = 0; i < 6; i++) gz = zlib.gzipSync(gz);
  const six = await answer(ok(gz, { 'Content-Encoding': 'gzip, gzip, gzip, gzip, gzip, gzip' }));
  await assert.rejects(get(six.url, { decode: true }), ProtocolError);
  const bomb = await answer(ok(zlib.gzipSync(Buffer.alloc(50 * 1024 * 1024)), { 'Content-Encoding': 'gzip' }));
  await assert.rejects(get(bomb.url, { decode: true, maxBodyBytes: 1024 * 1024 }), LimitError);
  const corrupt = await answer(ok(Buffer.concat([zlib.gzipSync('hello world').subarray(0, 12), Buffer.from('garbage!')]), { 'Content-Encoding': 'gzip' }));
  await assert.rejects(get(corrupt.url, { decode: true }), ProtocolError);
  const truncated = await answer(ok(zlib.gzipSync('hello world').subarray(0, 15), { 'Content-Encoding': 'gzip' }));
  await assert.rejects(get(truncated.url, { decode: true }), ProtocolError);
  let two = zlib.deflateSync('twice');
  two = zlib.gzipSync(two);
  const twice = await answer(ok(two, { 'Content-Encoding': 'deflate, gzip' }));
  assert.equal((await get(twice.url, { decode: true })).body, 'twice');
});

test('redirects: loops stop at the limit, non-http targets are returned, bad Locations refused (HC-21, HC-22, HC-26)', async () => {
  const loop = await serve((req, sock) => void sock.write(ok('', { Location: req.target === '/a' ? '/b' : '/a' }, '302 Found')));
  await assert.rejects(get(`${loop.url}/a`), (e: unknown) => e instanceof LimitError && e.code === 'too large');
  assert.equal(loop.requests.length, 6, 'the first request and 5 redirects');
  loop.requests.length = 0;
  await assert.rejects(get(`${loop.url}/a`, { maxRedirects: 2 }), LimitError);
  assert.equal(loop.requests.length, 3);
  assert.equal((await get(`${loop.url}/a`, { redirect: false })).code, 302);
  for (const location of ['file:///etc/passwd', 'ftp://127.0.0.1/x', 'data:text/plain,hi', 'javascript:alert(1)', 'gopher://h/', 'unix:/tmp/s']) {
    const s = await answer(ok('moved', { Location: location }, '301 Moved'));
    const r = await get(s.url);
    assert.equal(r.code, 301, location);
    assert.equal(s.requests.length, 1);
  }
  for (const location of ['/a b', '/a\x01b', `/${'a'.repeat(9000)}`]) {
    const s = await answer(ok('', { Location: location }, '302 Found'));
    await assert.rejects(get(s.url), ProtocolError, location.slice(0, 20));
  }
});

test('redirects drop credentials on the way to another origin (HC-24, HC-27)', async () => {
  const other = await serve((_req, sock) => void sock.write(ok('other')));
  const otherHost = await serve((_req, sock) => void sock.write(ok('other host')), '127.0.0.2');
  const origin = await serve((req, sock) => {
    const to: Record<string, string> = {
      '/port': `${other.url}/x`,
      '/host': `${otherHost.url}/y`,
      '/scheme-rel': `//127.0.0.2:${otherHost.port}/z`,
      '/same': '/final',
      '/a/b/up': '../../final',
    };
    sock.write(to[req.target] !== undefined ? ok('', { Location: to[req.target]! }, '302 Found') : ok('same'));
  });
  const headers = { Authorization: 'Bearer secret', Cookie: 'session=1', 'Proxy-Authorization': 'Basic cHg6cHg=', 'X-Keep': 'yes' };
  for (const path of ['/port', '/host', '/scheme-rel']) {
    await get(`${origin.url}${path}`, { headers });
    const hop = [...other.requests, ...otherHost.requests].at(-1)!;
    assert.equal(hop.headers.authorization, undefined, path);
    assert.equal(hop.headers.cookie, undefined, path);
    assert.equal(hop.headers['proxy-authorization'], undefined, path);
    assert.equal(hop.headers['x-keep'], 'yes');
  }
  const withUser = origin.url.replace('http://', 'http://u:p@');
  await get(`${withUser}/port`);
  assert.equal(other.requests.at(-1)!.headers.authorization, undefined, 'URL userinfo is not carried to another origin');
  const r = await get(`${withUser}/a/b/up`, { headers: { Cookie: 'c=1' } });
  assert.equal(r.body, 'same');
  const last = origin.requests.at(-1)!;
  assert.equal(last.target, '/final', 'relative Location resolved per RFC 3986');
  assert.equal(last.headers.authorization, `Basic ${Buffer.from('u:p').toString('base64')}`, 'same origin keeps credentials');
  assert.equal(last.headers.cookie, 'c=1');
});

test('redirect method rules: 303 and POST 301/302 become GET without body; 307/308 replay a Buffer body, not a source (HC-25)', async () => {
  const s = await serve((req, sock) => {
    const code = req.target.slice(1, 4);
    sock.write(
      /^\d+$/.test(code) ? ok('', { Location: '/done' }, `${code} Moved`) : ok(`${req.method} ${req.body.toString()} ${req.headers['content-type'] ?? '-'}`),
    );
  });
  const post = (code: number, extra = {}) => get(`${s.url}/${code}`, { method: 'POST', body: 'x=1', headers: { 'Content-Type': 'text/plain' }, ...extra });
  assert.equal((await post(303)).body, 'GET  -');
  assert.equal((await post(301)).body, 'GET  -');
  assert.equal((await post(302)).body, 'GET  -');
  assert.equal((await post(307)).body, 'POST x=1 text/plain');
  assert.equal((await post(308)).body, 'POST x=1 text/plain');
  assert.equal((await get(`${s.url}/303`, { method: 'PUT', body: 'y' })).body, 'GET  -');
  assert.equal((await get(`${s.url}/307`, { method: 'HEAD' })).code, 200);
  const r = await get(`${s.url}/307`, { method: 'POST', source: sources.string('streamed') });
  assert.equal(r.code, 307, 'a one-shot source cannot be replayed: the 307 is returned');
});

test('caller input with CR/LF/NUL is refused before anything is sent (HC-28…HC-30)', async () => {
  const s = await answer(ok('fine'));
  const bad: Parameters<typeof request>[0][] = [
    { url: s.url, headers: { 'X-A': 'v\r\nX-Evil: 1' } },
    { url: s.url, headers: { 'X-A': 'v\nX-Evil: 1' } },
    { url: s.url, headers: { 'X-A': 'v\0' } },
    { url: s.url, headers: { 'Bad Name': 'v' } },
    { url: s.url, headers: { 'X-A\r\nX-Evil': 'v' } },
    { url: s.url, headers: { Host: 'h\r\nX-Evil: 1' } },
    { url: s.url, method: 'GET /x' },
    { url: `${s.url}/x\r\nX-Evil: 1` },
    { url: `${s.url}/x\nX` },
    { url: `${s.url}/x\0` },
    { url: `http://127.0.0.1\r\nX-Evil: 1:${s.port}/` },
    { url: `ftp://127.0.0.1:${s.port}/` },
    { url: `http://127.0.0.1:99999/` },
  ];
  for (const opts of bad) await assert.rejects(request({ pool: false, ...opts }), ArgumentError, JSON.stringify(opts));
  assert.equal(s.connections, 0, 'nothing reached the server');
  await get(`${s.url}/\u010d\u010a`);
  assert.equal(s.requests[0]!.target, '/%C4%8D%C4%8A', 'U+010D U+010A are percent-encoded, never truncated to CR LF');
});

test('HTTP proxy: absolute-form for http, CONNECT refused is a ReplyError, credentials only to the proxy (HC-31…HC-35)', async () => {
  const proxy = await serve((req, sock) => {
    if (req.method === 'CONNECT')
      sock.write(
        req.target.startsWith('big')
          ? `HTTP/1.1 200 OK\r\nX: ${'a'.repeat(100_000)}\r\n\r\n`
          : 'HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n',
      );
    else sock.write(ok(`via proxy ${req.target}`));
  });
  const viaProxy = `http://pu:pp@127.0.0.1:${proxy.port}`;
  const r = await get('http://user:pw@origin.test:8080/p?q=1', { proxy: viaProxy });
  assert.equal(r.body, 'via proxy http://origin.test:8080/p?q=1', 'absolute form without userinfo (HC-35)');
  const seen = proxy.requests.at(-1)!;
  assert.equal(seen.headers['proxy-authorization'], `Basic ${Buffer.from('pu:pp').toString('base64')}`);
  assert.equal(seen.headers.authorization, `Basic ${Buffer.from('user:pw').toString('base64')}`);
  assert.equal(seen.headers.host, 'origin.test:8080');
  await assert.rejects(get('https://origin.test/', { proxy: viaProxy }), (e: unknown) => e instanceof ReplyError && e.replyCode === 407);
  await assert.rejects(get('https://big.test/', { proxy: viaProxy, maxHeaderBytes: 16 * 1024 }), LimitError, 'the CONNECT head counts toward the header cap');
  await assert.rejects(get('http://x.test/', { proxy: `http://${'a'.repeat(256)}:1` }), ArgumentError, 'HC-34');
  await assert.rejects(get('http://x.test/', { proxy: `https://127.0.0.1:${proxy.port}` }), ArgumentError, 'https proxies are not supported');
});

test('environment proxies are never read (HC-33)', async () => {
  const s = await answer(ok('direct'));
  process.env.HTTP_PROXY = 'http://127.0.0.1:1';
  process.env.http_proxy = 'http://127.0.0.1:1';
  try {
    assert.equal((await get(s.url)).body, 'direct');
  } finally {
    delete process.env.HTTP_PROXY;
    delete process.env.http_proxy;
  }
});

test('a pooled connection the server dropped is retried once for idempotent requests only (HC-36)', async () => {
  const pool = new Pool();
  // The server answers the first request of each connection and silently drops the second.
  const s = await serve((req, sock) => {
    const nth = s.requests.filter((r) => r.conn === req.conn).length;
    if (nth === 1) sock.write(ok(`answer on ${req.conn}`));
    else sock.destroy();
  });
  assert.equal((await get(s.url, { pool })).body, 'answer on 1');
  assert.equal((await get(s.url, { pool })).body, 'answer on 2', 'GET retried on a new connection');
  await assert.rejects(get(s.url, { pool, method: 'POST', source: sources.string('once') }), ClosedError, 'a POST with a source is not retried');
  assert.equal((await get(s.url, { pool: new Pool() })).body.startsWith('answer on'), true);
  // A fresh connection that fails is not retried.
  const drop = await serve((_req, sock) => void sock.destroy());
  await assert.rejects(get(drop.url, { pool, method: 'DELETE' }), ClosedError);
  assert.equal(drop.connections, 1);
  await pool.close();
});

test('a redirect with a large body is followed without reading it; a caller Host never goes to another origin', async () => {
  const other = await serve((req, sock) => void sock.write(ok(`host ${req.headers.host}`)));
  const s = await serve((req, sock) => {
    if (req.target === '/big-chunked')
      sock.write(`HTTP/1.1 302 Found\r\nLocation: /done\r\nTransfer-Encoding: chunked\r\n\r\n${`10000\r\n${'a'.repeat(65536)}\r\n`.repeat(3)}0\r\n\r\n`);
    else if (req.target === '/big-length') sock.write(`HTTP/1.1 302 Found\r\nLocation: /done\r\nContent-Length: 200000\r\n\r\n${'a'.repeat(200000)}`);
    else if (req.target === '/away') sock.write(ok('', { Location: `${other.url}/` }, '307 Temporary'));
    else sock.write(ok(`done ${req.method} ${req.headers['content-length'] ?? '-'}`));
  });
  assert.equal((await get(`${s.url}/big-chunked`)).body, 'done GET -');
  assert.equal((await get(`${s.url}/big-length`)).body, 'done GET -');
  assert.equal((await get(`${s.url}/away`, { headers: { Host: 'named.test' } })).body, `host ${other.url.slice(7)}`);
  assert.equal((await get(`${s.url}/x`, { method: 'POST' })).body, 'done POST 0', 'a POST without a body says Content-Length: 0');
});

test('a throwing onResponse closes the connection and rejects', async () => {
  const pool = new Pool();
  const s = await answer(ok('body'));
  await assert.rejects(
    get(s.url, {
      pool,
      onResponse: () => {
        throw new Error('no thanks');
      },
    }),
    /no thanks/,
  );
  assert.equal(pool.size, 0);
});
