import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ArgumentError } from '../core/errors.js';
import fc from 'fast-check';
import { filter, transform } from '../ltn12/index.js';
import type { Filter } from '../ltn12/types.js';
import { encodeQp, encodeWrapQp, type QpMode } from './qp-encode.js';
import { decodeQp } from './qp.js';
import { wrapQp } from './wrap.js';

/** encodeQp then wrapQp as two separate stages (never fused), flushes included. */
function twoStage(mode: QpMode, width: number): Filter {
  const e = encodeQp(mode);
  const w = wrapQp(width);
  return (chunk) => (chunk === null ? Buffer.concat([w(e(null)), w(null)]) : w(e(chunk)));
}

/** Runs `f` over `data` cut at `sizes` (cycled), flush included. */
function chunked(f: Filter, data: Buffer, sizes: number[]): Buffer {
  const out: Buffer[] = [];
  for (let pos = 0, k = 0; pos < data.length; k++) {
    const n = sizes[k % sizes.length]!;
    out.push(f(data.subarray(pos, pos + n)));
    pos += n;
  }
  out.push(f(null));
  return Buffer.concat(out);
}

const texty = fc.array(fc.constantFrom(...'ab =.\t\r\n\xe9\x00\x7f~'.split('')), { maxLength: 400 }).map((a) => Buffer.from(a.join(''), 'latin1'));
const bytes = fc.uint8Array({ maxLength: 400 }).map((a) => Buffer.from(a));

test('encodeWrapQp gives the bytes of encodeQp then wrapQp at every chunk split (property)', () => {
  fc.assert(
    fc.property(
      fc.oneof(texty, bytes),
      fc.constantFrom<QpMode>('text', 'binary'),
      fc.integer({ min: 4, max: 80 }),
      fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 8 }),
      (data, mode, width, cut) => {
        const want = chunked(twoStage(mode, width), data, [data.length || 1]);
        assert.deepEqual(chunked(encodeWrapQp(mode, width), data, [data.length || 1]), want, 'whole');
        assert.deepEqual(chunked(encodeWrapQp(mode, width), data, [1]), want, '1-byte');
        assert.deepEqual(chunked(encodeWrapQp(mode, width), data, cut), want, 'random');
        assert.deepEqual(chunked(twoStage(mode, width), data, cut), want, 'two-stage random');
      },
    ),
    { numRuns: 600, seed: 31 },
  );
});

test('filter.chain fuses a fresh encodeQp + wrapQp and the result round-trips', () => {
  const data = Buffer.from(`${'x'.repeat(70)} \r\ncafé=\t\r\n${'\xff'.repeat(40)}`, 'latin1');
  const fusedOut = transform(data, encodeQp(), wrapQp(20));
  assert.deepEqual(fusedOut, chunked(twoStage('text', 20), data, [7]));
  for (const line of fusedOut.toString('latin1').split('\r\n')) assert.ok(line.length <= 20, line);
  assert.deepEqual(transform(fusedOut, decodeQp({ strict: true })), data);
});

test('filter.chain does not fuse filters already used; QP widths below 4 are refused', () => {
  // a wrapQp that has already filled 8 of its 10 columns must break early
  const w = wrapQp(10);
  assert.equal(w(Buffer.from('abcdefgh')).toString(), 'abcdefgh');
  assert.equal(filter.chain(encodeQp(), w)(Buffer.from('ijk')).toString(), 'i=\r\njk');
  // an encodeQp holding a trailing space must not lose it
  const e = encodeQp();
  assert.equal(e(Buffer.from('a ')).toString(), 'a');
  const f = filter.chain(e, wrapQp(76));
  assert.equal(Buffer.concat([f(Buffer.from('\r\n')), f(null)]).toString(), '=20\r\n');
  // width 3 would split escapes: refused by both forms
  assert.throws(() => wrapQp(3), ArgumentError);
  assert.throws(() => encodeWrapQp('text', 3), ArgumentError);
});
