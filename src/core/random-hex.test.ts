import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ArgumentError } from './errors.js';
import { randomHex } from './random-hex.js';

test('randomHex(n) gives 2n hex digits, never the same bytes twice across pool refills', () => {
  const seen = new Set<string>();
  // 3,000 × 16 bytes: the 4 KiB pool is refilled about a dozen times
  for (let i = 0; i < 3000; i++) {
    const id = randomHex(16);
    assert.match(id, /^[0-9a-f]{32}$/);
    assert.ok(!seen.has(id), 'an identifier came back twice');
    seen.add(id);
  }
  for (const n of [1, 7, 255, 256]) assert.equal(randomHex(n).length, 2 * n);
  // the digits are spread: over 48,000 random bytes each hex digit shows up near 1/16 of the time
  const counts = new Map<string, number>();
  for (const id of seen) for (const d of id) counts.set(d, (counts.get(d) ?? 0) + 1);
  assert.equal(counts.size, 16);
  for (const [d, n] of counts) assert.ok(n > 5000 && n < 7000, `digit ${d}: ${n} of 96,000`);
});

test('randomHex() refuses sizes outside 1…256', () => {
  for (const bad of [0, -1, 257, 1.5, Number.NaN]) assert.throws(() => randomHex(bad), ArgumentError, String(bad));
});
