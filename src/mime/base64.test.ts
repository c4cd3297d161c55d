import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { transform } from '../ltn12/index.js';
import { b64, decodeBase64, encodeBase64, unb64 } from './base64.js';
import { DecodeError } from './decode-error.js';

// RFC 4648 §10
const vectors: [string, string][] = [
  ['', ''],
  ['f', 'Zg=='],
  ['fo', 'Zm8='],
  ['foo', 'Zm9v'],
  ['foob', 'Zm9vYg=='],
  ['fooba', 'Zm9vYmE='],
  ['foobar', 'Zm9vYmFy'],
];

test('encodeBase64() and decodeBase64() pass the RFC 4648 §10 vectors, strict and lenient', () => {
  for (const [plain, enc] of vectors) {
    assert.equal(transform(plain, encodeBase64()).toString(), enc, plain);
    assert.equal(transform(enc, decodeBase64()).toString(), plain, enc);
    assert.equal(transform(enc, decodeBase64({ strict: true })).toString(), plain, enc);
  }
});

test('lenient decoding skips foreign bytes and lets = end a group', () => {
  const vectors: [string, string][] = [
    ['Zm9v\r\nYmFy', 'foobar'],
    ['Zm 9v*Ym#Fy', 'foobar'],
    ['Zg==Zm8=', 'ffo'],
    ['Zm9vY', 'foo'],
    ['Zm9vYm', 'foob'],
    ['====', ''],
    ['Zg', 'f'],
  ];
  for (const [input, want] of vectors) assert.equal(transform(input, decodeBase64()).toString(), want, input);
});

test('strict decoding refuses what RFC 4648 refuses, with the byte offset', () => {
  const vectors: [string, number][] = [
    ['Zm9v*mFy', 4],
    ['Zg=', 3],
    ['Zg==Zm8=', 4],
    ['Zm9vY', 5],
    ['Z===', 1],
    ['=Zg=', 0],
    ['Zm 9v', 2],
  ];
  for (const [input, offset] of vectors) {
    assert.throws(
      () => transform(input, decodeBase64({ strict: true })),
      (e: DecodeError) => e instanceof DecodeError && e.code === 'protocol' && e.offset === offset,
      input,
    );
  }
  assert.equal(transform('Zm9v\r\nYmE=\r\n', decodeBase64({ strict: true })).toString(), 'fooba');
});

test('strict padding may be split across chunks', () => {
  const f = decodeBase64({ strict: true });
  const out = Buffer.concat([f(Buffer.from('Zg=')), f(Buffer.from('=')), f(null)]);
  assert.equal(out.toString(), 'f');
});

test('b64() and unb64() follow LuaSocket: [result, rest]', () => {
  const [enc, rest] = b64(Buffer.from('fooba'), Buffer.from(''));
  assert.equal(enc!.toString(), 'Zm9v');
  assert.equal(rest!.toString(), 'ba');
  assert.deepEqual(
    b64(Buffer.from('ba')).map((x) => x?.toString()),
    ['YmE=', undefined],
  );
  const [dec, left] = unb64(Buffer.from('Zm9vYm'), Buffer.from(''));
  assert.equal(dec!.toString(), 'foo');
  assert.equal(left!.toString(), 'Ym');
  assert.equal(unb64(Buffer.from('Ym'))[0]!.toString(), 'b');
});

/**
 * The documented rules, written the plain way over the whole input: each
 * group is decoded by Node's own decoder, so the table-driven loop is
 * checked against an independent one. Returns the bytes or the offset of
 * the strict DecodeError.
 */
function model(input: Buffer, strict: boolean): Buffer | number {
  const ALPHA = /[A-Za-z0-9+/]/;
  const parts: Buffer[] = [];
  let group = '';
  let padOpen = 0;
  let padded = false;
  for (let i = 0; i < input.length; i++) {
    const ch = String.fromCharCode(input[i]!);
    if (ALPHA.test(ch)) {
      if (strict && padded) return i;
      group += ch;
      if (group.length === 4) {
        parts.push(Buffer.from(group, 'base64'));
        group = '';
      }
    } else if (ch === '=') {
      if (!strict) {
        parts.push(Buffer.from(group, 'base64'));
        group = '';
      } else if (padOpen > 0) padOpen--;
      else if (!padded && (group.length === 2 || group.length === 3)) {
        parts.push(Buffer.from(group, 'base64'));
        padOpen = 4 - group.length - 1;
        padded = true;
        group = '';
      } else return i;
    } else if (strict && ch !== '\r' && ch !== '\n') return i;
  }
  if (strict && (group.length > 0 || padOpen > 0)) return input.length;
  parts.push(Buffer.from(group, 'base64'));
  return Buffer.concat(parts);
}

/** Runs a fresh decoder over `data` in pieces of `size`: the bytes, or the DecodeError's offset. */
function run(data: Buffer, size: number, strict: boolean): Buffer | number {
  const f = decodeBase64({ strict });
  const out: Buffer[] = [];
  try {
    for (let i = 0; i < data.length; i += size) out.push(f(data.subarray(i, i + size)));
    out.push(f(null));
  } catch (err) {
    assert.ok(err instanceof DecodeError, String(err));
    return err.offset;
  }
  return Buffer.concat(out);
}

test('decodeBase64 follows the documented rules at every chunk split, strict and lenient (property, against a plain model)', () => {
  const b64ish = fc.array(fc.constantFrom(...'QUJDZm9v+/9aYWAB=\r\n -_*'.split('')), { maxLength: 200 }).map((a) => Buffer.from(a.join(''), 'latin1'));
  const wellFormed = fc.uint8Array({ maxLength: 300 }).map((a) =>
    Buffer.from(
      Buffer.from(a)
        .toString('base64')
        .replace(/.{1,76}/g, '$&\r\n'),
      'latin1',
    ),
  );
  fc.assert(
    fc.property(fc.oneof(b64ish, wellFormed), fc.integer({ min: 1, max: 40 }), fc.boolean(), (data, size, strict) => {
      const want = model(data, strict);
      assert.deepEqual(run(data, Math.max(data.length, 1), strict), want, 'whole');
      assert.deepEqual(run(data, 1, strict), want, '1-byte');
      assert.deepEqual(run(data, size, strict), want, `${size}-byte`);
    }),
    { numRuns: 3000, seed: 41 },
  );
});

test('unb64() keeps the characters of an unfinished group as its rest, skipping foreign bytes', () => {
  const [dec, rest] = unb64(Buffer.from('Zm9v\r\nY'), Buffer.from('m*'));
  assert.equal(dec!.toString(), 'foo');
  assert.equal(rest!.toString(), 'Ym');
  assert.equal(unb64(Buffer.from('Zm9vYmE'))[0]!.toString(), 'foob' + 'a');
});
