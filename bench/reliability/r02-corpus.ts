/**
 * R-02 hostile corpus: every case of `corpus/*.json` (hostile-inputs §2 as
 * bytes plus the typed result each must give) against its target, replayed
 * whole, in 1-byte writes (cases up to 4 KiB) and in 50 random splits (5 for
 * cases that end by the client's timeout). Counts untyped errors (crashes),
 * hangs over 2 s, and results other than the expected one.
 *
 * `replayTarget` is the same replay for one target: `test/hostile/corpus.test.ts`
 * runs it in `npm test` for every target (with fewer random splits).
 *
 *     node --expose-gc dist/bench/reliability/one.js r02-corpus
 */
import { bytesOf, judge, loadCorpus, outcome, playback, show, type Outcome } from './corpus.js';
import { targets, type Target } from './targets.js';
import { inCI, rng, split, type FigureSpec } from './figure.js';
import { pump, sink, source } from '../../src/ltn12/index.js';

/** What replaying one target's corpus found. */
export interface Replayed {
  cases: number;
  replays: number;
  crashes: number;
  hangs: number;
  wrong: number;
  /** One line per failing case: its id, how many of its replays failed, and the first failure. */
  failures: string[];
}

type Playback = Awaited<ReturnType<typeof playback>>;

/**
 * Replays every case of `corpus/<name>.json` against `target`: whole, in
 * 1-byte writes (cases up to 4 KiB) and in `splits` random splits (a tenth
 * as many, at least 1, for cases that end by the client's timeout).
 */
export async function replayTarget(name: string, target: Target, pb: Playback, rand: () => number, splits = 50): Promise<Replayed> {
  const r: Replayed = { cases: 0, replays: 0, crashes: 0, hangs: 0, wrong: 0, failures: [] };
  const failures = new Map<string, { n: number; first: string }>();
  for (const c of loadCorpus(name)) {
    r.cases++;
    // A target may stage a case (FTP: a data listener whose port goes into the bytes).
    const staged = target.kind === 'tcp' ? await target.stage?.(c) : undefined;
    const bytes = staged?.bytes ?? bytesOf(c.bytes);
    const ways: ('whole' | 'bytes' | (() => number))[] = ['whole'];
    if (target.kind !== 'call') {
      if (bytes.length > 1 && bytes.length <= 4096) ways.push('bytes');
      const n = c.hold ? Math.max(1, Math.round(splits / 10)) : splits;
      if (bytes.length > 1) for (let i = 0; i < n; i++) ways.push(rand);
    }
    for (const way of ways) {
      const pieces = split(bytes, way);
      let got: Outcome;
      if (target.kind === 'tcp') {
        pb.next(pieces, c.hold ?? false);
        got = await outcome(() => target.run(pb.port, c));
        pb.dropHeld();
      } else if (target.kind === 'filter') {
        got = await outcome(async () => {
          const f = target.make(c);
          const [collect, all] = sink.buffer();
          await pump.all(source.iterable(pieces), sink.chain(f, collect));
          return all().toString('latin1');
        });
      } else {
        got = await outcome(async () => target.run(bytes, c));
      }
      const want = 'ok' in c.expect && Array.isArray(c.expect.ok) ? { ok: bytesOf(c.expect.ok as never).toString('latin1') } : c.expect;
      r.replays++;
      const how = way === 'whole' ? 'whole' : way === 'bytes' ? '1-byte writes' : `random split`;
      if ('hang' in got) r.hangs++;
      else if ('error' in got && got.error.startsWith('untyped')) r.crashes++;
      else if (judge(got, want)) continue;
      else r.wrong++;
      const seen = failures.get(c.id);
      if (seen) seen.n++;
      else failures.set(c.id, { n: 1, first: `(${how}) got ${show(got)}, want ${JSON.stringify(want).slice(0, 120)}` });
    }
    await staged?.close();
  }
  for (const [id, f] of failures) r.failures.push(`${name} "${id}": ${f.n} of its replays failed, first ${f.first}`);
  return r;
}

export const spec: FigureSpec = {
  id: 'R-02',
  // About 60 s here since the FTP and HTTP corpora landed: room for a slower machine.
  budgetMs: 180_000,
  async run() {
    const seed = inCI() ? 2026 : Date.now() % 1_000_000;
    const rand = rng(seed);
    const pb = await playback();
    const total: Replayed = { cases: 0, replays: 0, crashes: 0, hangs: 0, wrong: 0, failures: [] };
    for (const [name, target] of Object.entries(targets)) {
      const r = await replayTarget(name, target, pb, rand);
      for (const k of ['cases', 'replays', 'crashes', 'hangs', 'wrong'] as const) total[k] += r[k];
      total.failures.push(...r.failures);
    }
    await pb.close();
    for (const f of total.failures) process.stderr.write(`R-02 ${f}\n`);
    const detail = `${total.cases} cases, ${total.replays} replays, split seed ${seed}`;
    return [
      { name: 'R-02 crashes', value: total.crashes, unit: '', pass: '==', threshold: 0, detail },
      { name: 'R-02 hangs', value: total.hangs, unit: '', pass: '==', threshold: 0 },
      { name: 'R-02 unexpected-results', value: total.wrong, unit: '', pass: '==', threshold: 0 },
    ];
  },
};
