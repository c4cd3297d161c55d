import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChunkSlots, HEAD_ROOM, SLAB_BYTES } from './chunk-slots.js';

const overlaps = (a: Buffer, b: Buffer) => a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.length && b.byteOffset < a.byteOffset + a.length;

test('take() hands out non-overlapping slots of the smallest size that fits; a size no slot has gets a buffer of its own', () => {
  const slots = new ChunkSlots(1000, 9000, 60_000); // slots of whole pages: 8 KiB and 16 KiB
  const rows: [string, number, 'small' | 'large' | 'own'][] = [
    ['1 byte', 1, 'small'],
    ['a small slot exactly', 8192, 'small'],
    ['one byte over', 8193, 'large'],
    ['a large slot exactly', 16384, 'large'],
    ['over every slot', 16385, 'own'],
  ];
  const taken: Buffer[] = [];
  const small = slots.take(1);
  const large = slots.take(8193);
  for (const [name, n, want] of rows) {
    const b = slots.take(n);
    assert.equal(b.length, n, name);
    const where = b.buffer === small.buffer ? 'small' : b.buffer === large.buffer ? 'large' : 'own';
    assert.equal(where, want, name);
    for (const t of [small, large, ...taken]) assert.ok(!overlaps(b, t), `${name} overlaps an earlier slot`);
    taken.push(b);
  }
  for (const b of [small, large, ...taken.slice(0, 4)]) assert.equal(b.byteOffset % 4096, 2048, 'every slot starts mid-page');
  assert.equal(slots.inUse, 2 + 4, 'a buffer of its own is not counted');
  assert.equal(slots.slabs, 2);
  const bytes = 1 + 8193 + rows.slice(0, 4).reduce((n, r) => n + r[1], 0);
  const reserved = small.buffer.byteLength + large.buffer.byteLength;
  assert.ok(reserved <= 2 * SLAB_BYTES && reserved > SLAB_BYTES, `reserved ${reserved}`);
  assert.deepEqual(slots.usage(), { slots: 6, bytes, reserved });
  slots.give(small);
  assert.deepEqual(slots.usage(), { slots: 5, bytes: bytes - 1, reserved });
});

test('a slot given back is the next one taken; giving one back twice throws; a slab fills before the next is made', () => {
  const slots = new ChunkSlots(64 * 1024, 256 * 1024, 60_000);
  const a = slots.take(100);
  const b = slots.take(100);
  slots.give(a);
  const c = slots.take(50);
  assert.equal(c.byteOffset, a.byteOffset, 'reused');
  assert.notEqual(c.byteOffset, b.byteOffset);
  slots.give(c);
  assert.throws(() => slots.give(c), /given back twice/);
  slots.give(Buffer.alloc(10)); // not a slot: ignored
  const perSlab = Math.floor(SLAB_BYTES / (64 * 1024 + HEAD_ROOM));
  const many = Array.from({ length: perSlab }, () => slots.take(10));
  assert.equal(slots.slabs, 2, 'b and perSlab − 1 more fill the first slab; the last takes a second');
  assert.equal(new Set(many.map((m) => m.buffer)).size, 2);
  for (const m of many) slots.give(m);
  slots.give(b);
  assert.equal(slots.inUse, 0);
});

test('the slabs are dropped once no slot has been in use for idleMs, and kept while one is', async () => {
  const slots = new ChunkSlots(1024, 4096, 80);
  const a = slots.take(10);
  const b = slots.take(10);
  slots.give(a);
  await sleep(200);
  assert.equal(slots.slabs, 1, 'b is still out');
  slots.give(b);
  await sleep(30);
  const c = slots.take(10); // busy again before idleMs: the pending check finds it in use
  assert.equal(c.buffer, b.buffer);
  await sleep(120);
  assert.equal(slots.slabs, 1);
  slots.give(c);
  await sleep(40);
  assert.equal(slots.slabs, 1, 'idle for less than idleMs');
  await sleep(150);
  assert.equal(slots.slabs, 0, 'dropped');
  const d = slots.take(10);
  assert.notEqual(d.buffer, c.buffer, 'a new slab after the drop');
  slots.give(d);
});
