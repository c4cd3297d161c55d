/**
 * R-02 as a test: every case of every corpus in `testkit/corpus/` against
 * its target (bench/reliability/targets.ts), replayed whole, in 1-byte
 * writes and in 5 seeded random splits; each must give its expected typed
 * result, never an untyped error or a hang. The reliability figure runs
 * the same replay with 50 random splits.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { playback } from '../../bench/reliability/corpus.js';
import { replayTarget } from '../../bench/reliability/r02-corpus.js';
import { targets } from '../../bench/reliability/targets.js';
import { rng } from '../../bench/reliability/figure.js';

const SPLITS = 5;
const SEED = 2026;
const pb = await playback();
after(() => pb.close());

for (const [name, target] of Object.entries(targets)) {
  test(`R-02 hostile corpus: ${name}`, { timeout: 120_000 }, async () => {
    const r = await replayTarget(name, target, pb, rng(SEED), SPLITS);
    assert.ok(r.cases > 0, `testkit/corpus/${name}.json has no cases`);
    assert.deepEqual(r.failures, [], `${r.crashes} untyped errors, ${r.hangs} hangs, ${r.wrong} unexpected results in ${r.replays} replays`);
  });
}
