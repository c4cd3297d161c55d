import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { GrowingBuffer } from './growing-buffer.js';
import { GATHER_IN_PLACE_AT, ReceiveBuffer } from './receive-buffer.js';
import { AbortError, LimitError, type NetError, TimeoutError } from './errors.js';

const DATA = randomBytes(5 * 1024 * 1024 + 17);

/** Pushes DATA in uneven pieces, on later turns of the event loop. */
function feed(rb: ReceiveBuffer, data = DATA, end = true): Promise<void> {
  return (async () => {
    for (let off = 0, i = 0; off < data.length; i++) {
      const n = [1, 65536, 300000, 7, 1 << 20][i % 5]!;
      rb.push(Buffer.from(data.subarray(off, off + n)), true);
      off += n;
      if (i % 3 === 0) await new Promise((r) => setImmediate(r));
    }
    if (end) rb.end();
  })();
}

test('GrowingBuffer appends without losing bytes and shrinks to fit', () => {
  const g = GrowingBuffer.create()!;
  for (let off = 0; off < DATA.length; off += 99991) g.append(DATA.subarray(off, off + 99991));
  const r = g.result();
  assert.equal(r.length, DATA.length);
  assert.ok(r.equals(DATA));
  assert.equal(r.buffer.byteLength, DATA.length);
  const small = GrowingBuffer.create(10)!;
  small.append(Buffer.from('0123456789'));
  assert.equal(small.room, 0);
});

test("'*a' past GATHER_IN_PLACE_AT gathers in place: same bytes, prefix in front, one buffer", async () => {
  const rb = new ReceiveBuffer();
  const got = rb.receive('*a', 'pre:');
  await feed(rb);
  const r = await got;
  assert.ok(DATA.length > GATHER_IN_PLACE_AT);
  assert.equal(r.subarray(0, 4).toString(), 'pre:');
  assert.ok(r.subarray(4).equals(DATA));
  assert.equal((r.buffer as ArrayBuffer & { resizable?: boolean }).resizable, true, 'gathered in a growing buffer');
});

test("'*a' gathering in place with maxBytes: LimitError with exactly the first maxBytes, the rest stays buffered", async () => {
  const rb = new ReceiveBuffer();
  const max = 3 * 1024 * 1024 + 5;
  const got = rb.receive('*a', 'ab', { maxBytes: max }).catch((e: unknown) => e);
  await feed(rb);
  const err = await got;
  assert.ok(err instanceof LimitError, String(err));
  assert.equal(err.partial.length, max);
  assert.ok(err.partial.subarray(2).equals(DATA.subarray(0, max - 2)));
  assert.ok((await rb.receive('*a')).equals(DATA.subarray(max - 2)));
});

test("'*a' gathering in place: timeout and abort give everything as partial; a second receive meanwhile is busy", async () => {
  const rb = new ReceiveBuffer();
  rb.timeouts.set(50);
  const got = rb.receive('*a').catch((e: unknown) => e);
  await feed(rb, DATA, false);
  await assert.rejects(rb.receive('*l'), (e: NetError) => e.code === 'busy');
  const err = await got;
  assert.ok(err instanceof TimeoutError, String(err));
  assert.ok(err.partial.equals(DATA));

  const rb2 = new ReceiveBuffer();
  const ac = new AbortController();
  const got2 = rb2.receive('*a', 'x', { signal: ac.signal }).catch((e: unknown) => e);
  await feed(rb2, DATA, false);
  ac.abort();
  const err2 = await got2;
  assert.ok(err2 instanceof AbortError);
  assert.equal(err2.partial.length, DATA.length + 1);
  rb2.push(Buffer.from('after'));
  rb2.end();
  assert.equal((await rb2.receive('*a')).toString(), 'after');
});
