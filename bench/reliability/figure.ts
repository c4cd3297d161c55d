/**
 * What a reliability figure is: a module `rNN-topic.ts` in this folder that
 * exports `spec`, and the results it measures. The runner (run.ts) finds the
 * modules by name, runs each in its own process within its time budget, and
 * prints `name value threshold PASS|FAIL|SKIP`.
 *
 * @example
 * ```ts
 * // bench/reliability/r99-example.ts — adding a figure is adding one such file
 * export const spec: FigureSpec = {
 *   id: 'R-99', budgetMs: 10_000,
 *   run: async () => [{ name: 'R-99 answer', value: 42, unit: '', pass: '==', threshold: 42 }],
 * };
 * ```
 */
import { readdirSync, readlinkSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { getHeapSpaceStatistics } from 'node:v8';

/** One measured value and the bar it is held to. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** The figure passes when `value` compares to `threshold` this way. */
  pass: '<=' | '>=' | '==';
  threshold: number;
  detail?: string;
  /** Set when the figure could not be measured here: the reason. */
  skip?: string;
  /** Set by the runner on a failing figure of a spec with `knownFailure`. */
  known?: string;
}

/** A figure module's export. */
export interface FigureSpec {
  /** 'R-10' … */
  id: string;
  /** The runner kills the module's process after this long and reports a FAIL. */
  budgetMs: number;
  /** Run inside a fresh network namespace (`unshare --net`, loopback up); SKIP where there is none. */
  netns?: boolean;
  /**
   * Findings not fixed yet, by figure name, with why: that figure still runs, and when it
   * fails it prints and reaches RELIABILITY.md as KNOWN-FAIL, which does not fail the run.
   */
  knownFailures?: Record<string, string>;
  run(): Promise<Figure[]>;
}

/** A result that could not be measured here, with why. */
export function skipped(name: string, reason: string): Figure {
  return { name, value: 0, unit: '', pass: '==', threshold: 0, skip: reason };
}

export function passed(f: Figure): boolean {
  return f.pass === '<=' ? f.value <= f.threshold : f.pass === '>=' ? f.value >= f.threshold : f.value === f.threshold;
}

/** Open descriptors of this process. */
export const fds = (): number => readdirSync('/proc/self/fd').length;

/** Open descriptors and what they point at ('socket:[123]', 'pipe:[45]', a path). */
export function fdTargets(): Map<string, string> {
  const out = new Map<string, string>();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      out.set(fd, readlinkSync(`/proc/self/fd/${fd}`));
    } catch {
      // closed while listing
    }
  }
  return out;
}

/** Descriptors open now that were not in `before` (or point elsewhere), as 'fd→target' text for a report. */
export function newFds(before: Map<string, string>): string {
  const now = fdTargets();
  const added = [...now].filter(([fd, t]) => before.get(fd) !== t).map(([fd, t]) => `${fd}→${t}`);
  return added.length === 0 ? '' : `new: ${added.join(', ')}`;
}

/** The fd count once it is back to `before`, or after `ms` (closes finish asynchronously). */
export async function settledFds(before: number, ms = 3000): Promise<number> {
  const end = Date.now() + ms;
  while (fds() > before && Date.now() < end) await sleep(50);
  return fds();
}

/** Forces garbage collection when the process runs with --expose-gc (the runner passes it). */
export async function gc(): Promise<void> {
  const g = (globalThis as { gc?: () => void }).gc;
  if (!g) throw new Error('run with node --expose-gc');
  for (let i = 0; i < 3; i++) {
    g();
    await sleep(10);
  }
}

/**
 * Heap plus external memory after GC, MiB. The last collection runs right
 * before the reading, with no await between: in a process still serving
 * (R-12's mailbox digesting DATA) the 10 ms pauses of {@link gc} fill the
 * young generation with garbage that read as up to 6 MiB of heap.
 */
export async function heapMiB(): Promise<number> {
  await gc();
  (globalThis as { gc?: () => void }).gc!();
  const m = process.memoryUsage();
  return (m.heapUsed + m.external) / 1048576;
}

/**
 * Heap+external after GC without V8's compiled code, MiB: code space grows
 * while functions are (re-)optimised, which is not data kept alive. Leak
 * slopes (R-09) read this.
 */
export async function dataHeapMiB(): Promise<number> {
  const heap = await heapMiB();
  const code = getHeapSpaceStatistics()
    .filter((sp) => sp.space_name.startsWith('code'))
    .reduce((n, sp) => n + sp.space_used_size, 0);
  return heap - code / 1048576;
}

/**
 * Theil–Sen slope of `ys` over their indices: the median of the slopes between
 * every pair of points, so one GC-shifted round cannot tilt it (least squares can).
 */
export function robustSlope(ys: number[]): number {
  const slopes: number[] = [];
  for (let i = 0; i < ys.length; i++) for (let j = i + 1; j < ys.length; j++) slopes.push((ys[j]! - ys[i]!) / (j - i));
  slopes.sort((a, b) => a - b);
  const m = slopes.length >> 1;
  return slopes.length === 0 ? 0 : slopes.length % 2 ? slopes[m]! : (slopes[m - 1]! + slopes[m]!) / 2;
}

/** Sockets among the open descriptors. */
export const socketFds = (): number => [...fdTargets().values()].filter((t) => t.startsWith('socket:')).length;

/**
 * Takes a baseline of this process's sockets; `figure(name)` later waits up
 * to 5 s for closes to finish and reports how many sockets are left over
 * (`<= 0` passes), naming the new descriptors in the detail.
 *
 * @example
 * ```ts
 * const sockets = socketBaseline();
 * // … open and close connections …
 * figures.push(await sockets.figure('R-05 socket-fd-delta'));
 * ```
 */
export function socketBaseline(): { figure(name: string): Promise<Figure> } {
  const before = socketFds();
  const beforeTargets = fdTargets();
  return {
    async figure(name) {
      let after = socketFds();
      for (let t = 0; t < 100 && after > before; t++) await sleep(50), (after = socketFds());
      return { name, value: after - before, unit: '', pass: '<=', threshold: 0, detail: newFds(beforeTargets) };
    },
  };
}

/** Least-squares slope of `ys` over their indices. */
export function slope(ys: number[]): number {
  const n = ys.length;
  const mx = (n - 1) / 2;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  ys.forEach((y, x) => {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  });
  return den === 0 ? 0 : num / den;
}

/** True in CI (env CI=true), where skipping what this machine can run is a failure. */
export const inCI = (): boolean => process.env.CI === 'true';

/** A seeded pseudo-random generator (mulberry32), so random splits repeat from a logged seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Cuts `data` into pieces: 'whole', 'bytes' (1-byte pieces) or random pieces from `rand`. */
export function split(data: Buffer, how: 'whole' | 'bytes' | (() => number)): Buffer[] {
  if (how === 'whole') return [data];
  const out: Buffer[] = [];
  for (let i = 0; i < data.length; ) {
    const n = how === 'bytes' ? 1 : 1 + Math.floor(how() * Math.max(64, data.length >> 5));
    out.push(data.subarray(i, i + n));
    i += n;
  }
  return out;
}
