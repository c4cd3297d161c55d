import { test } from 'node:test';
import assert from 'node:assert/strict';
import { absolute } from './absolute.js';
import { build, parse } from './parse.js';

/** The CPU time (ms) this process spends in `fn`: other processes taking the cores do not count against it. */
function cpuMs(fn: () => unknown): number {
  const t = process.cpuUsage();
  fn();
  const used = process.cpuUsage(t);
  return (used.user + used.system) / 1000;
}

/** Best of seven runs of `big` and of `small`, in CPU milliseconds, taken in turns so both see the same machine. */
function bestPair(big: () => unknown, small: () => unknown): [number, number] {
  let b = Infinity;
  let s = Infinity;
  for (let i = 0; i < 7; i++) {
    b = Math.min(b, cpuMs(big));
    s = Math.min(s, cpuMs(small));
  }
  return [b, s];
}

const MiB = 1024 * 1024;
const patterns = ['/..', 'a/./', '%', '[', '@', ':', '/', '?', ';', '#x', '../', '//'];

// How fast (under 100 ms per MiB) is a measurement: the R-13 reliability figure. This test pins the shape: linear, not quadratic.
test('parse, absolute and build scale linearly on pathological inputs (1 MiB against 100 KiB)', () => {
  for (const pat of patterns) {
    const big = `http://h/${pat.repeat(Math.ceil(MiB / pat.length))}`;
    const small = `http://h/${pat.repeat(Math.ceil((100 * 1024) / pat.length))}`;
    for (const [name, fn] of [
      ['parse', (s: string) => parse(s)],
      ['build', (s: string) => build(parse(s))],
      ['absolute', (s: string) => absolute('http://a/b/c/d;p?q', s.slice(9))],
      ['absolute-base', (s: string) => absolute(s, '../x')],
    ] as const) {
      const [tBig, tSmall] = bestPair(
        () => fn(big),
        () => fn(small),
      );
      // 10× the input: linear gives ~10×, quadratic ~100×; 40 leaves room for a noisy machine.
      assert.ok(tBig / Math.max(tSmall, 1) < 40, `${name} on ${pat}×: ${tBig.toFixed(1)} vs ${tSmall.toFixed(1)} ms`);
    }
  }
});
