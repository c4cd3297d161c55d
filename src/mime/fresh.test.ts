import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyOut, join, Scratch } from './fresh.js';

test('Scratch.take reuses its buffer up to `keep` bytes and never keeps a bigger one', () => {
  const s = new Scratch(10_000);
  const a = s.take(100);
  assert.ok(a.length >= 100);
  assert.equal(s.take(50), a, 'a smaller request reuses it');
  const big = s.take(20_000);
  assert.ok(big.length >= 20_000);
  assert.equal(s.take(100), a, 'the one above keep was not kept');
  const grown = s.take(8000);
  assert.notEqual(grown, a);
  assert.equal(s.take(7000), grown);
});

test('copyOut gives a fresh buffer of the exact size; join puts two buffers side by side in a scratch', () => {
  const src = Buffer.from('abcdef');
  const out = copyOut(src, 4);
  assert.equal(out.toString(), 'abcd');
  src[0] = 0x7a;
  assert.equal(out.toString(), 'abcd', 'not a view of the source');
  const j = join(new Scratch(), Buffer.from('ab'), Buffer.from('cd'));
  assert.equal(j.toString(), 'abcd');
});
