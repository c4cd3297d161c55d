/**
 * Chunk-boundary invariance end to end (hostile-inputs ): the
 * same responses, written to the socket in randomly split pieces, give the
 * same body, trailers and outcome. Fixed seed; fast-check shrinks failures.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ProtocolError } from '../../core/errors.js';
import { sink as sinks } from '../../ltn12/index.js';
import { rawHttpServer } from '../../../testkit/raw-http.js';
import { Pool, request } from './index.js';

const good = Buffer.from(
  'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: b\r\n\r\n5;ext=1\r\nhello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Sum: 31\r\n\r\n',
  'latin1',
);
const second = Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\nsecond!', 'latin1');
const bad = Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX\r\n0\r\n\r\n', 'latin1');
let pieces: number[] = [];
let wire = good;

const server = await rawHttpServer(async (req, sock) => {
  const data = req.target === '/first' ? wire : second;
  let pos = 0;
  for (const n of [...pieces, data.length]) {
    if (pos >= data.length) break;
    await new Promise((r) => sock.write(data.subarray(pos, pos + n), r));
    pos += n;
    await new Promise((r) => setImmediate(r));
  }
});
after(() => server.close());

/** Two requests on one kept-alive connection; the bodies, trailers and whether the connection was reused. */
async function fetchTwo(): Promise<string> {
  const pool = new Pool();
  try {
    const [s1, c1] = sinks.table();
    const r = await request({ url: `${server.url}/first`, sink: s1, pool, timeout: 2000 });
    const [s2, c2] = sinks.table();
    await request({ url: `${server.url}/second`, sink: s2, pool, timeout: 2000 });
    return `${Buffer.concat(c1).toString()}|${JSON.stringify(r.trailers)}|${Buffer.concat(c2).toString()}|reused ${pool.hits}`;
  } finally {
    await pool.close();
  }
}

test('responses split anywhere give the same bodies and trailers, and the connection is still reused', { timeout: 120_000 }, async () => {
  pieces = [];
  wire = good;
  const whole = await fetchTwo();
  assert.equal(whole, 'helloabcdefghijklmnopqrstuvwxyz|[["X-Sum","31"]]|second!|reused 1');
  await fc.assert(
    fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 40 }), async (split) => {
      pieces = split;
      assert.equal(await fetchTwo(), whole);
    }),
    { numRuns: 60, seed: 7 },
  );
});

test('a hostile chunked body split anywhere is always a ProtocolError', { timeout: 120_000 }, async () => {
  wire = bad;
  await fc.assert(
    fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 30 }), async (split) => {
      pieces = split;
      await assert.rejects(request({ url: `${server.url}/first`, sink: sinks.table()[0], pool: false, timeout: 2000 }), ProtocolError);
    }),
    { numRuns: 60, seed: 11 },
  );
});
