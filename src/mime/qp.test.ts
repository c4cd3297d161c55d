import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { transform } from '../ltn12/index.js';
import { decodeQp, encodeQp, qp, unqp } from './qp.js';
import { wrapQp } from './wrap.js';
import { DecodeError } from './decode-error.js';

test('encodeQp() text mode: literals, =XX, trailing white space, CRLF kept', () => {
  const vectors: [string, string][] = [
    ['plain text', 'plain text'],
    ['a=b', 'a=3Db'],
    ['café', 'caf=C3=A9'],
    ['end \r\nnext\t\r\n', 'end=20\r\nnext=09\r\n'],
    ['two  \r\n', 'two =20\r\n'],
    ['trailing ', 'trailing=20'],
    ['bare\nlf', 'bare=0Alf'],
    ['bare\rcr', 'bare=0Dcr'],
    ['\x00\x7f\xff', '=00=7F=FF'],
  ];
  for (const [input, want] of vectors) {
    const bytes = input === 'café' ? Buffer.from(input, 'utf8') : Buffer.from(input, 'latin1');
    assert.equal(transform(bytes, encodeQp()).toString('latin1'), want, JSON.stringify(input));
  }
});

test('encodeQp() binary mode encodes CR and LF', () => {
  assert.equal(transform('a \r\nb', encodeQp('binary')).toString(), 'a =0D=0Ab');
});

test('decodeQp(): escapes, soft breaks, trailing white space', () => {
  const vectors: [string, string][] = [
    ['caf=C3=A9', 'café'],
    ['a=3db', 'a=b'],
    ['soft=\r\nbreak', 'softbreak'],
    ['soft=  \r\nbreak', 'softbreak'],
    ['lf=\nsoft', 'lfsoft'],
    ['trail   \r\nx', 'trail\r\nx'],
    ['end  ', 'end'],
    ['keep  inner', 'keep  inner'],
    ['bad=zz', 'bad=zz'],
    ['bad=4', 'bad=4'],
    ['dangling=', 'dangling'],
  ];
  for (const [input, want] of vectors) assert.equal(transform(input, decodeQp()).toString(), want, JSON.stringify(input));
});

test('decodeQp({ strict: true }) throws DecodeError with the offset', () => {
  const vectors: [string, number][] = [
    ['ab=zz', 2],
    ['x=4', 1],
    ['x=', 1],
    ['é', 0],
    ['a\x01', 1],
  ];
  for (const [input, offset] of vectors) {
    assert.throws(
      () => transform(input, decodeQp({ strict: true })),
      (e: DecodeError) => e instanceof DecodeError && e.offset === offset,
      JSON.stringify(input),
    );
  }
});

test('wrapQp() keeps lines within 76 and never splits an escape', () => {
  const long = Buffer.alloc(500, 0xe9);
  const out = transform(long, encodeQp(), wrapQp(76)).toString();
  for (const line of out.split('\r\n')) {
    assert.ok(line.length <= 76, `${line.length}`);
    assert.match(line, /^(=[0-9A-F]{2})*=?$/);
  }
  assert.deepEqual(transform(out, decodeQp()), long);
});

test('qp() and unqp() follow LuaSocket: [result, rest]', () => {
  const [enc, rest] = qp(Buffer.from('ab '), Buffer.from(''));
  assert.equal(enc!.toString(), 'ab');
  assert.equal(rest!.toString(), ' ');
  assert.equal(qp(Buffer.from('ab '))[0]!.toString(), 'ab=20');
  const [dec, left] = unqp(Buffer.from('x=4'), Buffer.from(''));
  assert.equal(dec!.toString(), 'x');
  assert.equal(left!.toString(), '=4');
});

test('decodeQp gives the same bytes (or the same DecodeError offset) at every chunk split (property)', () => {
  const qpish = fc.array(fc.constantFrom(...'=A0f9z \t\r\n.\xe9\x01'.split('')), { maxLength: 200 }).map((a) => Buffer.from(a.join(''), 'latin1'));
  const run = (data: Buffer, size: number, strict: boolean): Buffer | number => {
    const f = decodeQp({ strict });
    const out: Buffer[] = [];
    try {
      for (let i = 0; i < data.length; i += size) out.push(f(data.subarray(i, i + size)));
      out.push(f(null));
    } catch (err) {
      assert.ok(err instanceof DecodeError);
      return err.offset;
    }
    return Buffer.concat(out);
  };
  fc.assert(
    fc.property(qpish, fc.integer({ min: 1, max: 40 }), fc.boolean(), (data, size, strict) => {
      const whole = run(data, Math.max(data.length, 1), strict);
      assert.deepEqual(run(data, 1, strict), whole);
      assert.deepEqual(run(data, size, strict), whole);
    }),
    { numRuns: 2000, seed: 32 },
  );
});
