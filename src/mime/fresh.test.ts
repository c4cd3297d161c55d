import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { copyOut, fresh, join, PACE, Scratch } from './fresh.js';

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

test('fresh() starts a young GC every PACE bytes, so dead outputs are freed without JS heap traffic', async () => {
  const minor: number[] = [];
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if ((e as unknown as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) minor.push(e.startTime);
  });
  obs.observe({ entryTypes: ['gc'] });
  // 16 × PACE of dead 64 KiB outputs and almost no JS allocation: V8 alone
  // would collect them about twice (once per 32 MiB of Buffer memory).
  let sum = 0;
  for (let n = 0; n < 16 * PACE; n += 65536) sum += fresh(65536).length;
  assert.equal(sum, 16 * PACE);
  await new Promise((r) => setTimeout(r, 50)); // GC entries are delivered asynchronously
  obs.disconnect();
  assert.ok(minor.length >= 12, `${minor.length} young GCs`);
});
