/**
 * R-18 as a test: the stored regressions in `testkit/corpus/regressions/`
 * replayed, then every fast-check property (HTTP, tp, FTP replies, URL,
 * MIME, the data codec) for a few seconds from a fixed seed, so a run is
 * repeatable (FUZZ_SEED and FUZZ_SECONDS change them). The reliability
 * figure runs the same properties for longer from a random seed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fuzz } from '../../bench/reliability/r18-fuzz.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261124);
const SECONDS = Number(process.env.FUZZ_SECONDS ?? 8);

test(`R-18 properties: no property fails (seed ${SEED}, ${SECONDS} s)`, { timeout: 120_000 }, async () => {
  // A failure found here is reported, not saved: the figure's longer runs keep the regression files.
  const r = await fuzz(SEED, SECONDS, false);
  assert.ok(r.properties > 0 && r.runs > 0);
  assert.deepEqual(r.failures, []);
});
