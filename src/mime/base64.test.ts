import { test } from 'node:test';
import assert from 'node:assert/strict';
import { transform } from '../ltn12/index.js';
import { b64, decodeBase64, encodeBase64, unb64 } from './base64.js';
import { DecodeError } from './decode-error.js';

// RFC 4648 §10
const vectors: [string, string][] = [
  ['', ''], ['f', 'Zg=='], ['fo', 'Zm8='], ['foo', 'Zm9v'], ['foob', 'Zm9vYg=='], ['fooba', 'Zm9vYmE='], ['foobar', 'Zm9vYmFy'],
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
    ['Zm9v\r\nYmFy', 'foobar'], ['Zm 9v*Ym#Fy', 'foobar'], ['Zg==Zm8=', 'ffo'], ['Zm9vY', 'foo'], ['Zm9vYm', 'foob'], ['====', ''], ['Zg', 'f'],
  ];
  for (const [input, want] of vectors) assert.equal(transform(input, decodeBase64()).toString(), want, input);
});

test('strict decoding refuses what RFC 4648 refuses, with the byte offset', () => {
  const vectors: [string, number][] = [
    ['Zm9v*mFy', 4], ['Zg=', 3], ['Zg==Zm8=', 4], ['Zm9vY', 5], ['Z===', 1], ['=Zg=', 0], ['Zm 9v', 2],
  ];
  for (const [input, offset] of vectors) {
    assert.throws(() => transform(input, decodeBase64({ strict: true })), (e: DecodeError) => e instanceof DecodeError && e.code === 'protocol' && e.offset === offset, input);
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
  assert.deepEqual(b64(Buffer.from('ba')).map((x) => x?.toString()), ['YmE=', undefined]);
  const [dec, left] = unb64(Buffer.from('Zm9vYm'), Buffer.from(''));
  assert.equal(dec!.toString(), 'foo');
  assert.equal(left!.toString(), 'Ym');
  assert.equal(unb64(Buffer.from('Ym'))[0]!.toString(), 'b');
});
