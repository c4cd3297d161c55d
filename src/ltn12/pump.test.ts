import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as source from './source.js';
import * as sink from './sink.js';
import * as filter from './filter.js';
import * as pump from './pump.js';
import { PumpError } from './pump-error.js';
import { transform } from './adapters.js';
import { TimeoutError } from '../core/errors.js';
import type { Filter } from './types.js';

/** A stateful test filter: swaps each pair of bytes, holding an odd byte back. */
function swapPairs(): Filter {
  let held: number | undefined;
  return (chunk) => {
    if (chunk === null) {
      const out = held === undefined ? Buffer.alloc(0) : Buffer.from([held]);
      held = undefined;
      return out;
    }
    const out: number[] = [];
    for (const b of chunk) {
      if (held === undefined) held = b;
      else {
        out.push(b, held);
        held = undefined;
      }
    }
    return Buffer.from(out);
  };
}

test('pump.all() moves everything and ends the sink', async () => {
  let ended = false;
  const [inner, chunks] = sink.table();
  await pump.all(source.string('hello world', 4), async (c) => {
    if (c === null) ended = true;
    await inner(c);
  });
  assert.equal(Buffer.concat(chunks).toString(), 'hello world');
  assert.ok(ended);
});

test('pump.step() returns false after passing the end', async () => {
  const src = source.string('x');
  const [snk] = sink.table();
  assert.equal(await pump.step(src, snk), true);
  assert.equal(await pump.step(src, snk), false);
});

test('pump.all() never pulls ahead of a slow sink (backpressure)', async () => {
  let pulled = 0;
  let taken = 0;
  const src = async () => (++pulled <= 20 ? Buffer.from('x') : null);
  await pump.all(src, async () => {
    assert.equal(pulled, taken + 1);
    await new Promise((r) => setTimeout(r, 1));
    taken++;
  });
  assert.equal(taken, 21);
});

test('errors from a source or sink come out as PumpError with the original as cause', async () => {
  const original = new TimeoutError('timeout', Buffer.from('ab'));
  let sawNull = false;
  const err = await pump.all(source.error(original), async (c) => void (sawNull ||= c === null)).catch((e) => e);
  assert.ok(err instanceof PumpError);
  assert.equal(err.side, 'source');
  assert.equal(err.code, 'timeout');
  assert.equal(err.cause, original);
  assert.equal(sawNull, false, 'the sink is not finalised after a source failure');
  const disk = new Error('disk full');
  const err2 = await pump.all(source.string('abc'), sink.error(disk)).catch((e) => e);
  assert.equal(err2.side, 'sink');
  assert.equal(err2.code, 'io');
  assert.equal(err2.cause, disk);
});

test('sink.chain() filters and flushes before ending', async () => {
  const [snk, chunks] = sink.table();
  await pump.all(source.string('abcde', 2), sink.chain(swapPairs(), snk));
  assert.equal(Buffer.concat(chunks).toString(), 'badce');
});

test('sink.buffer() collects the whole stream', async () => {
  const [snk, result] = sink.buffer();
  await pump.all(source.string('abcdef', 2), snk);
  assert.equal(result().toString(), 'abcdef');
});

test('filter.chain() flushes early stages through later ones', () => {
  const f = filter.chain(swapPairs(), swapPairs());
  const out = Buffer.concat([f(Buffer.from('abc')), f(null)]);
  // first swap: 'ba' + held 'c'; second: 'ab'; flush: 'c' passes through the second stage, held there, then flushed.
  assert.equal(out.toString(), 'abc');
});

test('filter.cycle() threads the context of a low-level function', () => {
  const counter = filter.cycle<number, string>((n, chunk, tag) => [Buffer.from(chunk === null ? `${tag}${n}` : ''), n + (chunk?.length ?? 0)], 0, '#');
  counter(Buffer.from('abc'));
  counter(Buffer.from('de'));
  assert.equal(counter(null).toString(), '#5');
});

test('transform() gives the same bytes at every chunk split (property)', async () => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1 }), async (bytes, sizes) => {
      const data = Buffer.from(bytes);
      const whole = transform(data, swapPairs(), swapPairs(), swapPairs());
      const [snk, chunks] = sink.table();
      let pos = 0;
      let k = 0;
      const src = async () => {
        if (pos >= data.length) return null;
        const n = sizes[k++ % sizes.length]!;
        const c = data.subarray(pos, pos + n);
        pos += n;
        return c;
      };
      await pump.all(source.chain(src, filter.chain(swapPairs(), swapPairs(), swapPairs())), snk);
      assert.deepEqual(Buffer.concat(chunks), whole);
      const [snk1, ones] = sink.table();
      await pump.all(source.chain(source.string(data, 1), filter.chain(swapPairs(), swapPairs(), swapPairs())), snk1);
      assert.deepEqual(Buffer.concat(ones), whole);
    }),
    { numRuns: 200, seed: 42 },
  );
});
