import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Gather, IN_PLACE_FROM } from './gather.js';
import { ReceiveBuffer } from './receive-buffer.js';
import { AbortError, ClosedError, NetError, TimeoutError } from './errors.js';

const tick = () => new Promise((r) => setImmediate(r));

test('Gather appends, doubles, and views taken earlier keep their bytes', () => {
  const g = new Gather(64);
  assert.ok(g.append(Buffer.from('abc')));
  const early = g.view(0);
  for (let i = 0; i < 100; i++) g.append(Buffer.from('0123456789'));
  assert.ok(g.capacity >= 1003);
  assert.equal(early.toString(), 'abc');
  assert.equal(g.view(3).toString(), '0123456789'.repeat(100));
  assert.equal(g.length, 1003);
});

test('Gather refuses to grow past max and writes nothing then', () => {
  const g = new Gather(64, 100);
  assert.ok(g.append(Buffer.alloc(90, 1)));
  assert.equal(g.append(Buffer.alloc(11, 2)), false);
  assert.equal(g.length, 90);
  assert.ok(g.append(Buffer.alloc(10, 3)));
  assert.equal(g.view(89).toString('hex'), '0103030303030303030303');
});

test('Gather beyond 8 MiB grows in place; trim keeps views valid and the result is an ordinary Buffer', () => {
  const g = new Gather();
  const piece = Buffer.alloc(1 << 20);
  const hash = createHash('sha256');
  for (let i = 0; i < 10; i++) {
    piece.fill(i + 1);
    hash.update(piece);
    assert.ok(g.append(piece));
  }
  assert.equal(g.inPlace, typeof (ArrayBuffer.prototype as { resize?: unknown }).resize === 'function');
  const before = g.view(IN_PLACE_FROM - 5);
  g.trim();
  const all = g.view(0);
  assert.equal(all.length, 10 << 20);
  assert.equal(all.buffer.byteLength, 10 << 20, 'no capacity left over');
  assert.deepEqual([...before.subarray(0, 6)], [8, 8, 8, 8, 8, 9]);
  assert.equal(createHash('sha256').update(all).digest('hex'), hash.digest('hex'));
  assert.ok(Buffer.isBuffer(all));
  assert.equal(Buffer.concat([all.subarray(0, 2), Buffer.from([0])]).toString('hex'), '010100');
  assert.equal(all.toString('latin1', all.length - 2), '\x0a\x0a');
});

test("'*a' gathers buffered and arriving chunks into one storage, copying each once", async () => {
  const rb = new ReceiveBuffer();
  const first = Buffer.from('head-');
  rb.push(first);
  const p = rb.receive('*a');
  const chunks: Buffer[] = [];
  for (let i = 0; i < 50; i++) {
    const c = Buffer.from(`chunk${i};`);
    chunks.push(c);
    rb.push(c);
    if (i % 7 === 0) await tick();
  }
  rb.end();
  const want = Buffer.concat([first, ...chunks]).toString();
  first.fill(0); // the sender's buffers may be reused: the result must not see it
  for (const c of chunks) c.fill(0);
  assert.equal((await p).toString(), want);
});

test("'*a' after a timeout: the partial stays intact and the next '*a' gives the rest", async () => {
  const rb = new ReceiveBuffer();
  rb.timeouts.set(60, 'b');
  rb.push(Buffer.from('one,'));
  const p = rb.receive('*a');
  rb.push(Buffer.from('two,'));
  const err = await p.then(() => assert.fail('no timeout'), (e: TimeoutError) => e);
  assert.ok(err instanceof TimeoutError);
  assert.equal(err.partial.toString(), 'one,two,');
  rb.timeouts.set(null, 'b');
  const q = rb.receive('*a');
  rb.push(Buffer.from('three,'));
  await tick();
  rb.push(Buffer.from('four'));
  rb.end();
  assert.equal((await q).toString(), 'three,four');
  assert.equal(err.partial.toString(), 'one,two,', 'later appends did not touch the partial');
});

test("after an aborted '*a', other receives see the following bytes in order", async () => {
  const rb = new ReceiveBuffer();
  const ac = new AbortController();
  const p = rb.receive('*a', undefined, { signal: ac.signal });
  rb.push(Buffer.from('abc'));
  ac.abort();
  await assert.rejects(p, (e: AbortError) => e instanceof AbortError && e.partial.toString() === 'abc');
  rb.push(Buffer.from('line1\nxy'));
  assert.equal(await rb.receive('*l'), 'line1');
  const q = rb.receive(4);
  rb.push(Buffer.from('zw'));
  assert.equal((await q).toString(), 'xyzw');
});

test("a failure during '*a' gives ClosedError with everything gathered; discard() drops it", async () => {
  const rb = new ReceiveBuffer();
  const p = rb.receive('*a');
  rb.push(Buffer.from('ab'));
  rb.push(Buffer.from('cd'));
  rb.fail(new NetError('reset', 'connection reset by peer'));
  await assert.rejects(p, (e: ClosedError) => e instanceof ClosedError && e.partial.toString() === 'abcd');

  const rb2 = new ReceiveBuffer();
  const q = rb2.receive('*a');
  rb2.push(Buffer.from('old'));
  assert.equal(rb2.discard(), 3);
  rb2.push(Buffer.from('new'));
  rb2.end();
  assert.equal((await q).toString(), 'new');
});
