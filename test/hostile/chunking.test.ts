/**
 * R-03 as a test: every streaming parser and filter gives the same output
 * however its valid input is cut (every split point, and 1-byte pieces) —
 * the figure's own code, run in full.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spec } from '../../bench/reliability/r03-chunking.js';
import { passed } from '../../bench/reliability/figure.js';

test('R-03 chunk-boundary invariance: no output differs from the unsplit run', { timeout: 120_000 }, async () => {
  const results = await spec.run();
  assert.ok(results.length > 0);
  for (const f of results) assert.ok(passed(f), `${f.name}: ${f.value}, bar ${f.pass} ${f.threshold} (${f.detail ?? ''})`);
});
