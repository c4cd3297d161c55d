/**
 * A tiny side-by-side benchmark harness: each contender runs the same job
 * in alternating rounds, the median of the rounds is reported, and ratios
 * are printed against a named baseline. Output is a markdown table.
 */

export interface Contender {
  name: string;
  /**
   * Runs the job once; resolves to the amount of work done (bytes, lines,
   * requests), or to `{ work, seconds }` when the contender times itself
   * (e.g. a peer in another process, whose start-up must not count).
   */
  run(): Promise<number | Timed> | number | Timed;
}

/** Work done and the seconds it took, measured by the contender itself. */
export interface Timed {
  work: number;
  seconds: number;
}

export interface Row {
  name: string;
  /** Median rate, work units per second. */
  rate: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

/**
 * Runs every contender `rounds` times, interleaved, and returns median rates.
 * `warmup` untimed rounds come first (JIT tiers, heap grown: the steady state
 * is what is compared; `WARMUP` in the environment overrides it).
 */
export async function compare(contenders: Contender[], rounds = 5, warmup = Number(process.env.WARMUP ?? 1)): Promise<Row[]> {
  for (let r = 0; r < warmup; r++) for (const c of contenders) await c.run();
  const rates: number[][] = contenders.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < contenders.length; i++) {
      gc?.(); // each run starts without the previous one's garbage (run node with --expose-gc)
      const t = performance.now();
      const done = await contenders[i]!.run();
      const seconds = (performance.now() - t) / 1000;
      rates[i]!.push(typeof done === 'number' ? done / seconds : done.work / done.seconds);
    }
  }
  return contenders.map((c, i) => ({ name: c.name, rate: median(rates[i]!) }));
}

/** Formats rows as markdown, with each row's ratio to `baseline`. */
export function table(title: string, unit: string, rows: Row[], baseline: string, scale = 1, scaleUnit = unit): string {
  const base = rows.find((r) => r.name === baseline)?.rate ?? NaN;
  const lines = [`### ${title}`, '', `| contender | ${scaleUnit} (median) | ratio to ${baseline} |`, '|---|---:|---:|'];
  for (const r of rows) lines.push(`| ${r.name} | ${(r.rate / scale).toFixed(1)} | ${(r.rate / base).toFixed(2)}× |`);
  return lines.join('\n');
}
