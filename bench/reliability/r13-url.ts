/**
 * R-13 URL linearity: parse, build and absolute on 1 MiB pathological inputs
 * (hostile-inputs UP-14) and their 100 KiB versions; best of 5 runs each.
 */
import { absolute, build, parse } from '../../src/url/index.js';
import type { FigureSpec } from './figure.js';

const best = (fn: () => unknown, n = 5) => {
  let min = Infinity;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    fn();
    min = Math.min(min, performance.now() - t);
  }
  return min;
};

export const spec: FigureSpec = {
  id: 'R-13',
  budgetMs: 60_000,
  async run() {
    let worst = 0;
    let worstRatio = 0;
    let worstCase = '';
    let ratioCase = '';
    const ops: [string, (s: string) => unknown][] = [
      ['parse', (s) => parse(s)],
      ['build', (s) => build(parse(s))],
      ['absolute-rel', (s) => absolute('http://a/b/c/d;p?q', s.slice(9))],
      ['absolute-base', (s) => absolute(s, '../x')],
    ];
    for (const pat of ['/..', 'a/./', '../', 'a/../', '%', '%41', '[', '@', ':', 'a:', '//', '?', ';']) {
      const big = `http://h/${pat.repeat(Math.ceil(1048576 / pat.length))}`;
      const small = `http://h/${pat.repeat(Math.ceil(102400 / pat.length))}`;
      for (const [op, fn] of ops) {
        const tb = best(() => fn(big));
        // Below ~2 ms the small input's time is mostly timer noise; a 2 ms floor keeps the ratio about growth.
        const ratio = tb / Math.max(best(() => fn(small)), 2);
        if (tb > worst) (worst = tb), (worstCase = `${op} of '${pat}'×`);
        if (ratio > worstRatio) (worstRatio = ratio), (ratioCase = `${op} of '${pat}'×`);
      }
    }
    return [
      { name: 'R-13 url-1MiB-worst', value: worst, unit: 'ms', pass: '<=', threshold: 100, detail: worstCase },
      { name: 'R-13 url-1MiB/100KiB-ratio', value: worstRatio, unit: '', pass: '<=', threshold: 15, detail: ratioCase },
    ];
  },
};
