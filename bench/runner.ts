/**
 * The one benchmark method every program in `bench/` uses: each contender
 * runs as a process of its own (a client spawned afresh for every round, or
 * a server started once and driven by a load generator), rounds are
 * interleaved and the order rotates each round, so no contender always pays
 * for the one before it (garbage, JIT state, page cache, CPU frequency).
 * The report gives per contender the median rate, the min–max over rounds,
 * and the subject's rate divided by that contender's, round by round.
 *
 * A benchmark file plays both parts: run normally it is the parent (starts
 * peers, calls `compare`, prints `report`); started by `inChild` it finds
 * `child` in its arguments and runs one contender once (`childMain`).
 *
 * @example
 * ```ts
 * // in bench/x.ts
 * if (!(await childMain({ netkit: async (n) => ({ work: n }), peer: async (n) => ({ work: n }) }))) {
 *   const rounds = knob('ROUNDS', 5);
 *   const r = await compare('1,000 things', 'things/s', [inChild('netkit', import.meta.url, ['1000']), inChild('peer', import.meta.url, ['1000'])], { rounds });
 *   console.log(report(r));
 * }
 * ```
 */
import { spawn } from 'node:child_process';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What one timed run did: units of work, the seconds it took, and optionally memory and CPU. */
export interface Measure {
  work: number;
  seconds: number;
  /** Peak resident memory of the contender's process above its resident memory at start, bytes. */
  peakRssGrowth?: number;
  /** User + system CPU of the contender's process during the timed run, ms. */
  cpuMs?: number;
}

export interface Contender {
  name: string;
  /** One timed run. */
  round(): Promise<Measure>;
}

export interface Result {
  title: string;
  unit: string;
  /** Rates are divided by this before printing (1e6 for MB/s from bytes/s). */
  scale: number;
  names: string[];
  /** rates[contender][round], work units per second. */
  rates: number[][];
  measures: Measure[][];
  command: string;
}

const knobsUsed = new Map<string, number>();

/** A numeric setting from the environment (e.g. ROUNDS), remembered for the printed command line. */
export function knob(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got ${raw}`);
  knobsUsed.set(name, value);
  return value;
}

/** The command that reproduces this run: the settings read with `knob` and the program. */
export function commandLine(): string {
  const settings = [...knobsUsed].map(([k, v]) => `${k}=${v}`).join(' ');
  const program = relative(process.cwd(), process.argv[1] ?? '');
  return `${settings ? `${settings} ` : ''}node --expose-gc ${program}`;
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * A contender that is a fresh Node process per round: `script` (this
 * benchmark's own module URL) is run as `node --expose-gc script child
 * <name> ...args`, and its last stdout line is the JSON `Measure`.
 */
export function inChild(name: string, script: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Contender {
  return {
    name,
    round: () =>
      new Promise<Measure>((resolve, reject) => {
        const child = spawn(process.execPath, ['--expose-gc', fileURLToPath(script), 'child', name, ...args], {
          stdio: ['ignore', 'pipe', 'inherit'],
          env: { ...process.env, ...env },
        });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.on('error', reject);
        child.on('close', (status) => {
          const last = out.trim().split('\n').pop() ?? '';
          if (status !== 0) return reject(new Error(`${name}: the contender's process exited ${status}: ${out.slice(-500)}`));
          try {
            resolve(JSON.parse(last) as Measure);
          } catch {
            reject(new Error(`${name}: no measure on stdout, got ${JSON.stringify(last)}`));
          }
        });
      }),
  };
}

/**
 * The child side: when this process was started by `inChild`, runs the
 * named job WARM_RUNS times (1 by default) untimed at a share of the work
 * (WARM, 0.1 by default; 0 skips the warm-up) and then once timed at full
 * size, prints the Measure and resolves true. Otherwise resolves false at
 * once.
 *
 * A job receives the amount of work to do and returns `{ work }` (what it
 * did), optionally timing itself (`seconds`) when only part of it counts.
 */
export async function childMain(jobs: Record<string, (amount: number, ...args: string[]) => Promise<{ work: number; seconds?: number }>>): Promise<boolean> {
  const [role, name, amount, ...rest] = process.argv.slice(2);
  if (role !== 'child') return false;
  const job = jobs[name ?? ''];
  if (!job) throw new Error(`no contender named ${name}; have ${Object.keys(jobs).join(', ')}`);
  const full = Number(amount);
  const warm = Math.floor(full * Number(process.env.WARM ?? 0.1));
  const warmRuns = Number(process.env.WARM_RUNS ?? 1);
  for (let i = 0; warm > 0 && i < warmRuns; i++) await job(warm, ...rest);
  (globalThis as { gc?: () => void }).gc?.();
  const rss0 = process.memoryUsage.rss();
  const peak0 = process.resourceUsage().maxRSS * 1024;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const done = await job(full, ...rest);
  const seconds = done.seconds ?? (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const peak = process.resourceUsage().maxRSS * 1024;
  const measure: Measure = { work: done.work, seconds, cpuMs: (cpu.user + cpu.system) / 1000 };
  // The peak only says something about this run when the run raised it.
  if (peak > peak0) measure.peakRssGrowth = peak - rss0;
  process.stdout.write(`${JSON.stringify(measure)}\n`);
  return true;
}

/**
 * Runs `rounds` rounds; in round r the contenders go in the order rotated by
 * r. `warmup` untimed rounds come first (0 by default: child contenders warm
 * up inside their own process).
 */
export async function compare(
  title: string,
  unit: string,
  contenders: Contender[],
  opts: { rounds: number; warmup?: number; scale?: number },
): Promise<Result> {
  for (let w = 0; w < (opts.warmup ?? 0); w++) for (const c of contenders) await c.round();
  const measures: Measure[][] = contenders.map(() => []);
  for (let r = 0; r < opts.rounds; r++) {
    for (let k = 0; k < contenders.length; k++) {
      const i = (k + r) % contenders.length;
      measures[i]!.push(await contenders[i]!.round());
    }
  }
  return {
    title,
    unit,
    scale: opts.scale ?? 1,
    names: contenders.map((c) => c.name),
    rates: measures.map((ms) => ms.map((m) => m.work / m.seconds)),
    measures,
    command: commandLine(),
  };
}

const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

/**
 * The markdown table of a result: the first contender is the subject; every
 * row shows its median rate, min–max, and subject ÷ this row per round
 * (with their median). `extra` adds columns computed from a row's measures.
 */
export function report(r: Result, extra: Array<{ head: string; cell(ms: Measure[]): string }> = []): string {
  const subject = r.rates[0]!;
  const lines = [
    `### ${r.title}`,
    '',
    `\`${r.command}\` — ${r.rates[0]!.length} rounds, each contender in its own process, order rotated; Node ${process.version}`,
    '',
    `| contender | ${r.unit} (median) | min–max | ${r.names[0]} ÷ this (median) | per round |${extra.map((e) => ` ${e.head} |`).join('')}`,
    `|---|---:|---:|---:|---|${extra.map(() => '---:|').join('')}`,
  ];
  r.names.forEach((name, i) => {
    const rates = r.rates[i]!;
    const ratios = rates.map((x, k) => subject[k]! / x);
    const cells = [
      name,
      fmt(median(rates) / r.scale),
      `${fmt(Math.min(...rates) / r.scale)}–${fmt(Math.max(...rates) / r.scale)}`,
      i === 0 ? '—' : `${median(ratios).toFixed(2)}×`,
      i === 0 ? '' : ratios.map((x) => x.toFixed(2)).join(' / '),
      ...extra.map((e) => e.cell(r.measures[i]!)),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  });
  return lines.join('\n');
}

/** A report column: the median peak RSS growth of a row as a multiple of the work (bytes received). */
export const rssPerByte = {
  head: 'peak RSS ÷ size (median)',
  cell: (ms: Measure[]) => (ms.every((m) => m.peakRssGrowth !== undefined) ? `${median(ms.map((m) => m.peakRssGrowth! / m.work)).toFixed(2)}×` : 'n/a'),
};

/** A report column: the median CPU ms of a row per `per` units of work. */
export const cpuPer = (per: number, label: string) => ({
  head: `CPU ms per ${label} (median)`,
  cell: (ms: Measure[]) => (ms.every((m) => m.cpuMs !== undefined) ? fmt(median(ms.map((m) => (m.cpuMs! * per) / m.work))) : 'n/a'),
});
