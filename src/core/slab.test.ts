import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Slab } from './slab.js';
import { ArgumentError } from './errors.js';

test('Slab.take hands out non-overlapping pieces of one allocation, then starts a new slab', () => {
  const slab = new Slab(256);
  const a = slab.take(60);
  const b = slab.take(60);
  assert.equal(a.length, 60);
  assert.equal(a.buffer, b.buffer);
  assert.equal(b.byteOffset, a.byteOffset + 60);
  a.fill(1);
  b.fill(2);
  assert.ok(
    a.every((x) => x === 1),
    'writing b left a alone',
  );
  slab.take(60);
  slab.take(60);
  const e = slab.take(60); // 240 used: no room left for 60
  assert.notEqual(e.buffer, a.buffer);
  assert.equal(e.length, 60);
});

test('Slab.take gives requests above a quarter of the slab their own buffer', () => {
  const slab = new Slab(256);
  const small = slab.take(8);
  const big = slab.take(65);
  assert.equal(big.length, 65);
  assert.notEqual(big.buffer, small.buffer);
  assert.equal(slab.take(8).byteOffset, small.byteOffset + 8, 'the big one took nothing from the slab');
  assert.throws(() => new Slab(10), ArgumentError);
});
