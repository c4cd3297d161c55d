/**
 * R-13 URL linearity: parse, build and absolute on 1 MiB pathological inputs
 * (hostile-inputs UP-14) and their 100 KiB versions; best of 9 runs each (a full collection before each),
 * big and small in turns, in CPU time (the process's, all threads: garbage
 * collection counts) so that being descheduled on a loaded machine does not
 * count as slowness. The escaping and header functions (url.escape,
 * buildPath(parsePath(…)), mime.encodeHeaderValue, mime.foldHeader) are
 * held to url.parse's speed: under 30 ms per MiB on their worst inputs.
 * Known to miss on cold-memory VMs (see knownFailures).
 */
import { absolute, build, buildPath, escape, parse, parsePath } from '../../src/url/index.js';
import { encodeHeaderValue, foldHeader } from '../../src/mime/index.js';
import type { FigureSpec } from './figure.js';

/** CPU milliseconds this process has used (all threads: garbage collection counts). */
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** A full collection when the runner exposes it (--expose-gc), so that one run's garbage is not collected inside the next. */
const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});

/**
 * Best of `n` runs of `big` and of `small` (CPU ms), taken in turns so both
 * see the same machine load, each after a full collection.
 */
const bestPair = (big: () => unknown, small: () => unknown, n = 9): [number, number] => {
  let b = Infinity;
  let s = Infinity;
  for (let i = 0; i < n; i++) {
    collect();
    let t = cpuMs();
    big();
    b = Math.min(b, cpuMs() - t);
    collect();
    t = cpuMs();
    small();
    s = Math.min(s, cpuMs() - t);
  }
  return [b, s];
};

export const spec: FigureSpec = {
  id: 'R-13',
  budgetMs: 60_000,
  knownFailures: {
    'R-13 escape-header-1MiB-worst':
      "noise at the threshold: 24–34 ms on a quiet machine (2026-12-04: foldHeader of 'é'× went 34 → 22 ms once encodeWord stopped counting Q length past B's and the folds became one join; the worst is now escape of '𝄞€'× or buildPath(parsePath('/a%20b'×)), 24–34 ms), 30–42 ms on CI VMs whose free memory the host has reclaimed (fresh pages cost twice as much in system time); the url functions' own worst moves 23–48 ms in the same runs. Writing output into reused buffers would take it clear of the line",
  },
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
        const [tb, ts] = bestPair(
          () => fn(big),
          () => fn(small),
        );
        // Below ~2 ms the small input's time is mostly timer noise; a 2 ms floor keeps the ratio about growth.
        const ratio = tb / Math.max(ts, 2);
        if (tb > worst) (worst = tb), (worstCase = `${op} of '${pat}'×`);
        if (ratio > worstRatio) (worstRatio = ratio), (ratioCase = `${op} of '${pat}'×`);
      }
    }
    // escaping and header encoding: ms per MiB (best of 9), and the 1 MiB / 100 KiB ratio
    let codecWorst = 0;
    let codecCase = '';
    const codecOps: [string, string, (s: string) => unknown][] = [
      ['escape', 'hello wörld/x?', (s) => escape(s)],
      ['escape', '𝄞€', (s) => escape(s)],
      ['buildPath(parsePath)', '/a%20b', (s) => buildPath(parsePath(s))],
      ['buildPath(parsePath)', '/segment', (s) => buildPath(parsePath(s))],
      ['buildPath(parsePath)', '/%2F%', (s) => buildPath(parsePath(s))],
      ['encodeHeaderValue', 'café crème ', (s) => encodeHeaderValue(s)],
      ['encodeHeaderValue', 'é', (s) => encodeHeaderValue(s)],
      ['foldHeader', 'café crème ', (s) => foldHeader('Subject', s)],
      ['foldHeader', 'plain text ', (s) => foldHeader('Subject', s)],
      ['foldHeader', 'é', (s) => foldHeader('Subject', s)],
    ];
    for (const [op, pat, fn] of codecOps) {
      const big = pat.repeat(Math.ceil(1048576 / pat.length));
      const small = pat.repeat(Math.ceil(102400 / pat.length));
      const [tb, ts] = bestPair(
        () => fn(big),
        () => fn(small),
      );
      const ratio = tb / Math.max(ts, 2);
      if (tb > codecWorst) (codecWorst = tb), (codecCase = `${op} of '${pat}'×`);
      if (ratio > worstRatio) (worstRatio = ratio), (ratioCase = `${op} of '${pat}'×`);
    }
    return [
      {
        name: 'R-13 escape-header-1MiB-worst',
        value: codecWorst,
        unit: 'ms',
        pass: '<=',
        threshold: 30,
        detail: `${codecCase}; url functions' worst in this run ${worst.toFixed(1)} ms (${worstCase})`,
      },
      { name: 'R-13 url-1MiB-worst', value: worst, unit: 'ms', pass: '<=', threshold: 100, detail: worstCase },
      { name: 'R-13 url-1MiB/100KiB-ratio', value: worstRatio, unit: '', pass: '<=', threshold: 15, detail: ratioCase },
    ];
  },
};
