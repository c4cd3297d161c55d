/**
 * Every numeric option of the HTTP client is checked before anything is
 * sent: `NaN` neither loops (`maxRedirects`) nor removes a limit
 * (`maxHeaderBytes`, `maxHeaders`, `maxBodyBytes`); timeouts of 2^31 ms or
 * more wait instead of firing at once; `decode: true` has a decoded-size cap
 * and a ratio guard. Against node:http.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type net from 'node:net';
import zlib from 'node:zlib';
import { AbortError, ArgumentError, LimitError } from '../../src/core/errors.js';
import { sink as sinks } from '../../src/ltn12/index.js';
import { Pool, defaults, request, type RequestOptions } from '../../src/protocols/http/index.js';

let server: http.Server;
let base = '';
let requests = 0;
/** 64 MiB of zeros, gzipped (about 64 KiB): a small decompression bomb. */
const BOMB = zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024));
/** 4 MiB of varied text, gzipped: real content, ratio far below the guard. */
const TEXT = Buffer.from(Array.from({ length: (4 * 1024 * 1024) / 32 }, (_, i) => `line ${i} ${(i * 2654435761) % 99991}\n`.padEnd(32, '.')).join(''));

before(async () => {
  server = http.createServer((req, res) => {
    requests++;
    if (req.url === '/loop') return void res.writeHead(302, { Location: '/loop' }).end();
    if (req.url === '/bomb') return void res.writeHead(200, { 'Content-Encoding': 'gzip' }).end(BOMB);
    if (req.url === '/text') return void res.writeHead(200, { 'Content-Encoding': 'gzip' }).end(zlib.gzipSync(TEXT));
    if (req.url === '/stall') return; // never answers
    res.end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const BAD_INTEGERS: unknown[] = [NaN, -1, 1.5, Infinity, '5', null];
const BAD_MS: unknown[] = [NaN, -1, Infinity, '5', {}];

const cases: [string, unknown][] = [
  ...['maxRedirects', 'maxHeaderBytes', 'maxHeaders', 'maxBodyBytes', 'maxDecodedBytes'].flatMap((name) =>
    BAD_INTEGERS.map((v): [string, unknown] => [name, v]),
  ),
  ...['timeout', 'headersTimeout'].flatMap((name) => BAD_MS.map((v): [string, unknown] => [name, v])),
  ['maxDecodeRatio', NaN],
  ['maxDecodeRatio', 0.5],
  ['maxHeaderBytes', 0],
  ['redirect', 'no'],
  ['decode', 1],
];

test('a bad numeric option is an ArgumentError and nothing is sent', async () => {
  for (const [name, value] of cases) {
    const before = requests;
    await assert.rejects(request({ url: `${base}/loop`, [name]: value } as unknown as RequestOptions), ArgumentError, `${name}: ${String(value)}`);
    assert.equal(requests, before, `${name}: nothing sent`);
  }
});

test('bad http.defaults are refused too (maxRedirects: NaN never loops)', async () => {
  const saved = { ...defaults };
  for (const [name, value] of [
    ['maxRedirects', NaN],
    ['maxHeaderBytes', NaN],
    ['maxHeaders', -1],
    ['timeout', NaN],
    ['headersTimeout', -5],
    ['maxDecodedBytes', 1.5],
    ['maxDecodeRatio', 0],
  ] as const) {
    (defaults as unknown as Record<string, unknown>)[name] = value;
    try {
      await assert.rejects(request(`${base}/loop`), ArgumentError, name);
    } finally {
      Object.assign(defaults, saved);
    }
  }
  await assert.rejects(request({ url: `${base}/loop`, maxRedirects: 3 }), (e: unknown) => e instanceof LimitError && e.what === 'redirects');
});

test('Pool options are checked', () => {
  for (const opts of [{ maxIdlePerKey: NaN }, { maxIdlePerKey: -1 }, { idleTimeout: NaN }, { idleTimeout: -1 }, { idleTimeout: '1' }]) {
    assert.throws(() => new Pool(opts as never), ArgumentError, JSON.stringify(opts));
  }
  assert.equal(new Pool({ idleTimeout: null }).idleTimeout, Infinity);
});

test('timeouts of 2^31 ms or more wait (they do not fire after 1 ms)', async () => {
  for (const opts of [{ timeout: 3e9 }, { headersTimeout: 3e9 }, { timeout: 2 ** 31, headersTimeout: 2 ** 40 }]) {
    const ac = new AbortController();
    const t0 = performance.now();
    setTimeout(() => ac.abort(), 300);
    await assert.rejects(request({ url: `${base}/stall`, signal: ac.signal, pool: false, ...opts }), AbortError, JSON.stringify(opts));
    assert.ok(performance.now() - t0 >= 250, `${JSON.stringify(opts)} waited until the abort`);
  }
});

async function decoded(path: string, extra: Partial<RequestOptions> = {}) {
  let bytes = 0;
  const [sink] = sinks.table();
  const counting = (c: Buffer | null) => {
    if (c !== null) bytes += c.length;
    return sink(c);
  };
  const r = await request({ url: `${base}${path}`, sink: counting, decode: true, pool: false, ...extra });
  return { code: r.code, bytes };
}

test('decode: a decompression bomb is a LimitError (ratio guard), with little decoded', async () => {
  let delivered = 0;
  await assert.rejects(
    request({ url: `${base}/bomb`, decode: true, pool: false, sink: async (c) => void (c !== null && (delivered += c.length)) }),
    (e: unknown) => e instanceof LimitError && e.what === 'decode ratio',
  );
  // At most maxDecodeRatio (200) times the compressed bytes taken, not the 64 MiB the bomb holds.
  assert.ok(delivered <= 200 * BOMB.length, `stopped early (${delivered} bytes decoded from ${BOMB.length})`);
});

test('decode: the decoded size is capped (maxDecodedBytes, default in http.defaults)', async () => {
  assert.equal(defaults.maxDecodedBytes, 256 * 1024 * 1024);
  await assert.rejects(
    decoded('/bomb', { maxDecodeRatio: null, maxDecodedBytes: 8 * 1024 * 1024 }),
    (e: unknown) => e instanceof LimitError && e.what === 'body',
  );
  const all = await decoded('/bomb', { maxDecodeRatio: null });
  assert.equal(all.bytes, 64 * 1024 * 1024, 'under the default cap with the ratio guard off');
});

test('decode: real content passes the guard', async () => {
  const r = await decoded('/text');
  assert.equal(r.bytes, TEXT.length);
});

test('the head deadline holds when the per-wait timeout is shorter (a dripped head, armed once bytes came)', async () => {
  const net = await import('node:net');
  const drip = net.createServer((s) => {
    s.on('error', () => {});
    s.once('data', async () => {
      for (const b of Buffer.from('HTTP/1.1 200 OK\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n')) {
        if (s.destroyed) return;
        s.write(Buffer.from([b]));
        await new Promise((r) => setTimeout(r, 20));
      }
    });
  });
  await new Promise<void>((r) => drip.listen(0, '127.0.0.1', r));
  try {
    const t0 = performance.now();
    await assert.rejects(
      request({ url: `http://127.0.0.1:${(drip.address() as net.AddressInfo).port}/`, pool: false, timeout: 200, headersTimeout: 400 }),
      (e: unknown) => e instanceof Error && e.name === 'TimeoutError' && /head/.test(e.message),
    );
    const took = performance.now() - t0;
    assert.ok(took >= 350 && took < 1500, `ended at the head deadline (${Math.round(took)} ms)`);
  } finally {
    drip.close();
  }
});
