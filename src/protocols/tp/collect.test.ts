import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BlockCollector } from './collect.js';
import { ArgumentError } from '../../core/errors.js';

test('BlockCollector keeps pieces in order up to the limit, counts past it', () => {
  const vectors: [number, string[], string, boolean][] = [
    [10, ['a\r\n', 'b\r\n'], 'a\r\nb\r\n', false],
    [6, ['a\r\n', 'b\r\n'], 'a\r\nb\r\n', false],
    [5, ['a\r\n', 'b\r\n'], 'a\r\n', true],
    [0, [], '', false],
    [0, ['x'], '', true],
  ];
  for (const [limit, pieces, kept, over] of vectors) {
    const c = new BlockCollector(limit);
    for (const p of pieces) c.push(Buffer.from(p));
    assert.equal(c.over, over, `${limit} ${JSON.stringify(pieces)}`);
    assert.equal(c.size, pieces.join('').length);
    assert.equal(c.take().toString(), kept);
    assert.equal(c.size, 0);
  }
});

test('BlockCollector grows across many blocks byte-exact', () => {
  const c = new BlockCollector(1 << 20);
  const want: Buffer[] = [];
  for (let i = 0; i < 5000; i++) {
    const b = Buffer.from(`${i}:${'x'.repeat(i % 200)}\r\n`);
    want.push(b);
    c.push(b);
  }
  assert.deepEqual(c.take(), Buffer.concat(want));
});

test('BlockCollector holds the payload plus at most one 256 KiB block, never more than the limit', () => {
  const limit = 4 * 1024 * 1024;
  const c = new BlockCollector(limit);
  const line = Buffer.from('a\r\n');
  let worst = 0;
  for (let sent = 0; sent + 3 <= limit; sent += 3) {
    c.push(line);
    if (sent % 3000 === 0) worst = Math.max(worst, c.capacity - c.size);
  }
  assert.ok(worst <= 256 * 1024, `slack ${worst}`);
  assert.ok(c.capacity <= limit, `capacity ${c.capacity}`);
  const big = new BlockCollector(1000);
  big.push(Buffer.alloc(10));
  big.push(Buffer.alloc(990, 1)); // one piece past the first block's free end, up to the limit exactly
  assert.equal(big.capacity, 1000);
  assert.equal(
    big
      .take()
      .subarray(10)
      .every((b) => b === 1),
    true,
  );
});

test('BlockCollector refuses a bad limit', () => {
  for (const bad of [NaN, -1, 1.5, Infinity]) assert.throws(() => new BlockCollector(bad), ArgumentError);
});
