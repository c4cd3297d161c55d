import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { filter as lf, transform } from '../ltn12/index.js';
import type { Filter } from '../ltn12/types.js';
import { decode, encode, wrap } from './filters.js';
import { normalize } from './eol.js';
import { stuff } from './dot.js';
import { DecodeError } from './decode-error.js';

/** Runs `make()` over `data` cut at `sizes` (cycled), returning all output. */
function chunked(make: () => Filter, data: Buffer, sizes: number[]): Buffer {
  const f = make();
  const out: Buffer[] = [];
  let pos = 0;
  for (let k = 0; pos < data.length; k++) {
    const n = sizes[k % sizes.length]!;
    out.push(f(data.subarray(pos, pos + n)));
    pos += n;
  }
  out.push(f(null));
  return Buffer.concat(out);
}

const bytes = fc.uint8Array({ maxLength: 400 }).map((a) => Buffer.from(a));
const texty = fc.array(fc.constantFrom(...'ab =.\t\r\n\xe9\x00'.split('')), { maxLength: 300 }).map((a) => Buffer.from(a.join(''), 'latin1'));
const sizes = fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 10 });

const filters: [string, () => Filter][] = [
  ['encode base64', () => encode('base64')],
  ['decode base64', () => decode('base64')],
  ['encode qp text', () => encode('quoted-printable')],
  ['encode qp binary', () => encode('quoted-printable', 'binary')],
  ['decode qp', () => decode('quoted-printable')],
  ['wrap text', () => wrap('text', 10)],
  ['wrap qp', () => wrap('quoted-printable', 10)],
  ['normalize', () => normalize()],
  ['stuff', () => stuff()],
  ['b64 + wrap', () => lf.chain(encode('base64'), wrap('base64'))],
  ['qp + wrap', () => lf.chain(encode('quoted-printable'), wrap('quoted-printable'))],
];

test('every mime filter gives the same bytes at 1-byte, random and whole chunking (property)', () => {
  for (const [name, make] of filters) {
    fc.assert(
      fc.property(fc.oneof(bytes, texty), sizes, (data, cut) => {
        const whole = transform(data, make());
        assert.deepEqual(chunked(make, data, [1]), whole, `${name} 1-byte`);
        assert.deepEqual(chunked(make, data, cut), whole, `${name} random`);
      }),
      { numRuns: 150, seed: 11 },
    );
  }
});

test('encode → decode round-trips random bytes (base64, QP text and binary, with wrap)', () => {
  fc.assert(
    fc.property(fc.oneof(bytes, texty), (data) => {
      assert.deepEqual(transform(data, encode('base64'), wrap('base64'), decode('base64', { strict: true })), data);
      assert.deepEqual(transform(data, encode('quoted-printable'), wrap('quoted-printable'), decode('quoted-printable', { strict: true })), data);
      assert.deepEqual(transform(data, encode('quoted-printable', 'binary'), wrap('quoted-printable'), decode('quoted-printable')), data);
    }),
    { numRuns: 500, seed: 12 },
  );
});

test('decoders throw nothing but DecodeError on random input', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        bytes,
        texty,
        fc.string().map((s) => Buffer.from(s)),
      ),
      (data) => {
        for (const enc of ['base64', 'quoted-printable'] as const) {
          transform(data, decode(enc));
          try {
            transform(data, decode(enc, { strict: true }));
          } catch (err) {
            assert.ok(err instanceof DecodeError, String(err));
          }
        }
      },
    ),
    { numRuns: 1000, seed: 13 },
  );
});

test('normalize() + stuff() output has only CRLF line ends and never a lone-dot line', () => {
  fc.assert(
    fc.property(texty, (data) => {
      const out = transform(data, normalize(), stuff()).toString('latin1');
      assert.ok(!/\r(?!\n)|(?<!\r)\n/.test(out));
      assert.ok(!`\r\n${out}`.includes('\r\n.\r\n'));
    }),
    { numRuns: 500, seed: 14 },
  );
});
