/**
 * R-02 hostile corpus: every case of `corpus/*.json` (hostile-inputs §2 as
 * bytes plus the typed result each must give) against its target, replayed
 * whole, in 1-byte writes (cases up to 4 KiB) and in 50 random splits (5 for
 * cases that end by the client's timeout). Counts untyped errors (crashes),
 * hangs over 2 s, and results other than the expected one.
 *
 *     node --expose-gc dist/bench/reliability/one.js r02-corpus
 */
import { bytesOf, judge, loadCorpus, outcome, playback, show, type Outcome } from './corpus.js';
import { targets } from './targets.js';
import { inCI, rng, split, type FigureSpec } from './figure.js';
import { pump, sink, source } from '../../src/ltn12/index.js';

export const spec: FigureSpec = {
  id: 'R-02',
  // About 60 s here since the FTP and HTTP corpora landed: room for a slower machine.
  budgetMs: 180_000,
  async run() {
    const seed = inCI() ? 2026 : Date.now() % 1_000_000;
    const rand = rng(seed);
    const pb = await playback();
    let replays = 0;
    let crashes = 0;
    let hangs = 0;
    let wrong = 0;
    let cases = 0;
    const failures = new Map<string, { n: number; first: string }>();
    for (const [name, target] of Object.entries(targets)) {
      for (const c of loadCorpus(name)) {
        cases++;
        // A target may stage a case (FTP: a data listener whose port goes into the bytes).
        const staged = target.kind === 'tcp' ? await target.stage?.(c) : undefined;
        const bytes = staged?.bytes ?? bytesOf(c.bytes);
        const ways: ('whole' | 'bytes' | (() => number))[] = ['whole'];
        if (target.kind !== 'call') {
          if (bytes.length > 1 && bytes.length <= 4096) ways.push('bytes');
          if (bytes.length > 1) for (let i = 0; i < (c.hold ? 5 : 50); i++) ways.push(rand);
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
          replays++;
          const how = way === 'whole' ? 'whole' : way === 'bytes' ? '1-byte writes' : `random split`;
          if ('hang' in got) hangs++;
          else if ('error' in got && got.error.startsWith('untyped')) crashes++;
          else if (judge(got, want)) continue;
          else wrong++;
          const key = `${name} "${c.id}"`;
          const seen = failures.get(key);
          if (seen) seen.n++;
          else failures.set(key, { n: 1, first: `(${how}) got ${show(got)}, want ${JSON.stringify(want).slice(0, 120)}` });
        }
        await staged?.close();
      }
    }
    await pb.close();
    for (const [key, f] of failures) process.stderr.write(`R-02 ${key}: ${f.n} of its replays failed, first ${f.first}\n`);
    const detail = `${cases} cases, ${replays} replays, split seed ${seed}`;
    return [
      { name: 'R-02 crashes', value: crashes, unit: '', pass: '==', threshold: 0, detail },
      { name: 'R-02 hangs', value: hangs, unit: '', pass: '==', threshold: 0 },
      { name: 'R-02 unexpected-results', value: wrong, unit: '', pass: '==', threshold: 0 },
    ];
  },
};
