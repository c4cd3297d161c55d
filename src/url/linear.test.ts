import { test } from 'node:test';
import assert from 'node:assert/strict';
import { absolute } from './absolute.js';
import { build, parse } from './parse.js';

/**
 * Best of five runs of `fn`: the CPU time this process spent, in milliseconds.
 * CPU time rather than wall time, so that other processes taking the cores
 * (a busy CI machine) do not count against the code under test.
 */
function best(fn: () => unknown): number {
  let min = Infinity;
  for (let i = 0; i < 5; i++) {
    const t = process.cpuUsage();
    fn();
    const used = process.cpuUsage(t);
    min = Math.min(min, (used.user + used.system) / 1000);
  }
  return min;
}

const MiB = 1024 * 1024;
const patterns = ['/..', 'a/./', '%', '[', '@', ':', '/', '?', ';', '#x', '../', '//'];

test('parse, absolute and build take < 100 ms on 1 MiB pathological inputs, and scale linearly', () => {
  for (const pat of patterns) {
    const big = `http://h/${pat.repeat(Math.ceil(MiB / pat.length))}`;
    const small = `http://h/${pat.repeat(Math.ceil((100 * 1024) / pat.length))}`;
    for (const [name, fn] of [
      ['parse', (s: string) => parse(s)],
      ['build', (s: string) => build(parse(s))],
      ['absolute', (s: string) => absolute('http://a/b/c/d;p?q', s.slice(9))],
      ['absolute-base', (s: string) => absolute(s, '../x')],
    ] as const) {
      const tBig = best(() => fn(big));
      const tSmall = best(() => fn(small));
      assert.ok(tBig < 100, `${name} on ${pat}×: ${tBig.toFixed(1)} ms`);
      // 10× the input: linear gives ~10×, quadratic ~100×; 40 leaves room for a noisy machine.
      assert.ok(tBig / Math.max(tSmall, 1) < 40, `${name} on ${pat}×: ${tBig.toFixed(1)} vs ${tSmall.toFixed(1)} ms`);
    }
  }
});
