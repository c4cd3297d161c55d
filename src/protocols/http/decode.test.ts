/**
 * Content decoding (`decode: true`) against bodies that are not what their
 * Content-Encoding says, played whole, in 1-byte writes and in seeded random
 * splits: each ends quickly with the expected body or a ProtocolError, the
 * connection is closed after an error, and no promise is left unhandled.
 *
 * The first case is the hang R-02 found: `Content-Encoding: gzip` over the
 * plain body `hello` in 1-byte writes waited forever (the inflater had failed
 * and closed on the first byte, and the next write waited for a 'drain' that
 * a closed stream never emits).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import zlib from 'node:zlib';
import { NetError, ProtocolError } from '../../core/errors.js';
import { sink as sinks, type Sink } from '../../ltn12/index.js';
import { decodingSink } from './decode.js';
import { Pool, request } from './index.js';

const unhandled: unknown[] = [];
const onUnhandled = (err: unknown): void => void unhandled.push(err);
process.on('unhandledRejection', onUnhandled);

/** What the server should send next, in pieces; it never closes first, so a closed connection is the client's doing. */
let pieces: Buffer[] = [];
let clientClosed: Promise<void> = Promise.resolve();
const server = net.createServer(async (sock) => {
  sock.on('error', () => {});
  sock.setNoDelay(true);
  clientClosed = new Promise((r) => sock.once('close', () => r()));
  await new Promise((r) => sock.once('data', r));
  for (const p of pieces) {
    if (sock.destroyed) return;
    await new Promise((r) => sock.write(p, r));
    await new Promise((r) => setImmediate(r));
  }
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/`;
after(() => {
  process.off('unhandledRejection', onUnhandled);
  server.close();
});

const gz = zlib.gzipSync('hello world');
const zl = zlib.deflateSync('hello world');
const raw = zlib.deflateRawSync('hello world');
/** A Content-Length response; a string body is latin1 (one char per byte). */
function response(encoding: string, body: Buffer | string): Buffer {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'latin1') : body;
  return Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Encoding: ${encoding}\r\nContent-Length: ${bytes.length}\r\n\r\n`), bytes]);
}
const chunked = (encoding: string, body: Buffer): Buffer =>
  Buffer.concat([
    Buffer.from(`HTTP/1.1 200 OK\r\nContent-Encoding: ${encoding}\r\nTransfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n`),
    body,
    Buffer.from('\r\n0\r\n\r\n'),
  ]);

/** [name, response, expected body or 'protocol'] */
const CASES: [string, Buffer, string][] = [
  ['gzip over a plain body (the R-02 hang)', response('gzip', 'hello'), 'protocol'],
  ['gzip', response('gzip', gz), 'hello world'],
  ['gzip, chunked', chunked('gzip', gz), 'hello world'],
  ['x-gzip', response('x-gzip', gz), 'hello world'],
  ['two gzip members', response('gzip', Buffer.concat([gz, gz])), 'hello worldhello world'],
  ['truncated gzip', response('gzip', gz.subarray(0, gz.length - 4)), 'protocol'],
  ['gzip header only', response('gzip', gz.subarray(0, 10)), 'protocol'],
  ['gzip then trailing garbage', response('gzip', Buffer.concat([gz, Buffer.from('XYZ')])), 'protocol'],
  ['gzip then a zero byte', response('gzip', Buffer.concat([gz, Buffer.from([0])])), 'protocol'],
  ['deflate, zlib-wrapped', response('deflate', zl), 'hello world'],
  ['deflate, raw', response('deflate', raw), 'hello world'],
  ['deflate then trailing garbage', response('deflate', Buffer.concat([zl, Buffer.from('XYZ')])), 'protocol'],
  ['raw deflate then trailing garbage', response('deflate', Buffer.concat([raw, Buffer.from('XYZ')])), 'protocol'],
  ['truncated deflate', response('deflate', zl.subarray(0, zl.length - 5)), 'protocol'],
  ['deflate of one byte', response('deflate', 'x'), 'protocol'],
  ['deflate over a plain body', response('deflate', 'hello'), 'protocol'],
  ['deflate inside gzip', response('deflate, gzip', zlib.gzipSync(zl)), 'hello world'],
  ['gzip inside deflate, wrong order', response('gzip, deflate', zlib.gzipSync(zl)), 'protocol'],
  ['gzip, empty body', response('gzip', ''), ''],
  ['br garbage is passed on untouched (br is not decoded)', response('br', '\xff\xfe garbage'), '\xff\xfe garbage'],
];

/** Seeded splits (mulberry32), so a failure repeats. */
function splits(data: Buffer, seed: number): Buffer[] {
  let s = seed >>> 0;
  const rnd = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out: Buffer[] = [];
  for (let pos = 0; pos < data.length; ) {
    const n = 1 + Math.floor(rnd() * 12);
    out.push(data.subarray(pos, pos + n));
    pos += n;
  }
  return out;
}

/** The body, or the error code; fails the test on an untyped error or a wait past 1.5 s (the client's timeout is 700 ms). */
async function fetch(wire: Buffer[]): Promise<string> {
  pieces = wire;
  const pool = new Pool();
  const [sink, chunks] = sinks.table();
  const t0 = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_r, reject) => (timer = setTimeout(() => reject(new Error('hang: no result within 1500 ms')), 1500)));
  try {
    const got = await Promise.race([
      request({ url, decode: true, timeout: 700, pool, sink }).then(
        () => Buffer.concat(chunks).toString('latin1'),
        (err: unknown) => {
          assert.ok(err instanceof NetError, `untyped ${String(err)}`);
          return err.code;
        },
      ),
      hang,
    ]);
    assert.ok(Date.now() - t0 < 1500);
    if (got === 'protocol') {
      // The failed exchange closed its connection (the server never closes first).
      await Promise.race([clientClosed, new Promise((_r, reject) => setTimeout(() => reject(new Error('connection left open')), 1000))]);
    }
    return got;
  } finally {
    clearTimeout(timer);
    await pool.close();
  }
}

test('bodies not matching their Content-Encoding end quickly with a ProtocolError, whole, in 1-byte writes and random splits', {
  timeout: 120_000,
}, async () => {
  for (const [name, wire, want] of CASES) {
    assert.equal(await fetch([wire]), want, `${name}, whole`);
    assert.equal(await fetch([...wire].map((b) => Buffer.from([b]))), want, `${name}, 1-byte writes`);
    for (let seed = 1; seed <= 5; seed++) assert.equal(await fetch(splits(wire, seed)), want, `${name}, split seed ${seed}`);
  }
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(unhandled, []);
});

test('the decoding sink: a failing inner sink stops the inflater without a hang; corrupt input after a failure still throws', async () => {
  const bad: Sink = async () => {
    throw new ProtocolError('sink refuses');
  };
  const sink = decodingSink(['gzip'], bad);
  const big = zlib.gzipSync(Buffer.alloc(1 << 20, 'a'));
  await assert.rejects(async () => {
    for (let i = 0; i < big.length; i += 1000) await sink(big.subarray(i, i + 1000));
    await sink(null);
  }, /sink refuses/);
  await assert.rejects(sink(Buffer.from('more')), /sink refuses/);
  const notGzip = decodingSink(['gzip'], sinks.table()[0]);
  await assert.rejects(async () => {
    for (const b of Buffer.from('hello')) await notGzip(Buffer.from([b]));
    await notGzip(null);
  }, ProtocolError);
});
