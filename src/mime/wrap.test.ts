import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ArgumentError } from '../core/errors.js';
import { filter, transform } from '../ltn12/index.js';
import { decode, encode, wrap } from './filters.js';
import { eol, normalize } from './eol.js';
import { qpwrp, wrp, wrapQp, wrapText } from './wrap.js';
import { b64, qp, unb64, unqp } from './index.js';
import { dot, stuff } from './dot.js';

test('wrap: a non-empty last line ends with CRLF (text, base64) or =CRLF (quoted-printable), as LuaSocket', () => {
  const vectors: [string, () => ReturnType<typeof wrap>, string][] = [
    ['abc', () => wrap('text', 5), 'abc\r\n'],
    ['abcdefg', () => wrap('text', 5), 'abcde\r\nfg\r\n'],
    ['abcde', () => wrap('base64', 5), 'abcde\r\n'],
    ['abc\n', () => wrap('text', 5), 'abc\r\n'],
    ['', () => wrap('text', 5), ''],
    ['abc', () => wrap('quoted-printable', 76), 'abc=\r\n'],
    ['abc\r\n', () => wrap('quoted-printable', 76), 'abc\r\n'],
  ];
  for (const [input, make, want] of vectors) assert.equal(transform(input, make()).toString(), want, JSON.stringify(input));
  // 57 bytes of base64 input is one 76-character line: Python's base64.encodebytes gives the same
  assert.equal(transform(Buffer.alloc(57, 1), encode('base64'), wrap('base64')).toString(), `${'AQEB'.repeat(19)}\r\n`);
  // the fused QP encode+wrap gives the same bytes as the two stages
  const two = Buffer.concat([encode('quoted-printable')(Buffer.from('h\xe9llo', 'latin1')), encode('quoted-printable')(null)]);
  assert.equal(transform('h\xe9llo', wrapQp()).toString(), 'h\xe9llo=\r\n');
  assert.equal(transform(Buffer.from('h\xe9llo', 'latin1'), encode('quoted-printable'), wrap('quoted-printable')).toString(), `${two}=\r\n`);
});

test('wrap(number) and wrap("default") choose the text wrapper, as LuaSocket\'s choose()', () => {
  assert.equal(transform('abcdef', wrap(4)).toString(), 'abcd\r\nef\r\n');
  assert.equal(transform('abcdef', wrap('default', 4)).toString(), 'abcd\r\nef\r\n');
  assert.equal(transform('a'.repeat(80), wrap()).toString(), `${'a'.repeat(76)}\r\naaaa\r\n`);
  assert.throws(() => wrap('nonsense'), ArgumentError);
  assert.throws(() => encode('rot13' as never), ArgumentError);
  assert.throws(() => decode('uuencode' as never), ArgumentError);
});

test('wrp/qpwrp with null input flush the last line instead of throwing', () => {
  assert.deepEqual(wrp(3, null, 5).map(String), ['\r\n', '5']);
  assert.deepEqual(wrp(5, null, 5).map(String), ['', '5']);
  assert.deepEqual(qpwrp(3, null, 76).map(String), ['=\r\n', '76']);
  assert.deepEqual(qpwrp(76, null, 76).map(String), ['', '76']);
});

test('every filter and low-level function takes strings and Uint8Arrays as well as Buffers', () => {
  assert.equal(wrap('text', 5)('abc').toString(), 'abc');
  assert.equal(wrapText(5)(new Uint8Array([97, 98])).toString(), 'ab');
  assert.equal(Buffer.concat([encode('base64')('hello'), encode('base64')(null)]).toString(), 'aGVs');
  const e = encode('base64');
  assert.equal(Buffer.concat([e('hello'), e(null)]).toString(), 'aGVsbG8=');
  const d = decode('base64');
  assert.equal(Buffer.concat([d('aGVsbG8='), d(null)]).toString(), 'hello');
  const q = encode('quoted-printable');
  assert.equal(Buffer.concat([q('a=b'), q(null)]).toString(), 'a=3Db');
  const u = decode('quoted-printable');
  assert.equal(Buffer.concat([u('a=3Db'), u(null)]).toString(), 'a=b');
  assert.equal(normalize()('a\nb').toString(), 'a\r\nb');
  assert.equal(stuff()('.x').toString(), '..x');
  assert.equal(wrapQp(10)('abc').toString(), 'abc');
  assert.equal(b64('hi')[0]!.toString(), 'aGk=');
  assert.equal(unb64('aGk=')[0]!.toString(), 'hi');
  assert.equal(qp('=')[0]!.toString(), '=3D');
  assert.equal(unqp('=3D')[0]!.toString(), '=');
  assert.equal(eol(0, 'a\n')[0].toString(), 'a\r\n');
  assert.equal(dot(2, '.')[0].toString(), '.');
  assert.equal(wrp(76, 'ab')[0].toString(), 'ab');
  assert.equal(qpwrp(76, 'ab')[0].toString(), 'ab');
  assert.throws(() => wrap('text', 5)(42 as never), ArgumentError);
  assert.throws(() => encode('base64')({} as never), ArgumentError);
});

test('wrap widths that are not integers from 1 to 2^31-1 are ArgumentError', () => {
  for (const bad of [0, -1, 1.5, NaN, 2 ** 31, Infinity, '76']) {
    assert.throws(() => wrap('text', bad as number), ArgumentError, `text ${String(bad)}`);
    assert.throws(() => wrap('quoted-printable', bad as number), ArgumentError, `qp ${String(bad)}`);
    assert.throws(() => wrap(bad as number), ArgumentError, `wrap(${String(bad)})`);
  }
  assert.doesNotThrow(() => wrap('text', 1));
  assert.doesNotThrow(() => wrap('text', 2 ** 31 - 1));
  assert.equal(transform('abc', wrap('text', 1)).toString(), 'a\r\nb\r\nc\r\n');
});

test('normalize/eol pair ambiguous CR/LF runs as LuaSocket does (CRCR or LFLF closes the pair)', () => {
  const vectors: [string, string][] = [
    ['a\r\r\nb', 'a\n\n\nb'],
    ['a\n\n\rb', 'a\n\n\nb'],
    ['a\r\n\r\nb', 'a\n\nb'],
    ['a\n\r\n\rb', 'a\n\nb'],
    ['a\r\r\r\rb', 'a\n\n\n\nb'],
    ['a\r\n\nb', 'a\n\nb'],
  ];
  for (const [input, want] of vectors) {
    assert.equal(transform(input, normalize('\n')).toString(), want, JSON.stringify(input));
    // the same at every split into two chunks
    for (let i = 0; i <= input.length; i++) {
      const f = normalize('\n');
      const got = Buffer.concat([f(input.slice(0, i)), f(input.slice(i)), f(null)]).toString();
      assert.equal(got, want, `${JSON.stringify(input)} split at ${i}`);
    }
  }
  // the context after a CRCR pair is "nothing pending"
  assert.deepEqual(eol(0, '\r\r', '\n').map(String), ['\n\n', '0']);
});

test('chain of encode and wrap given strings still fuses and flushes', () => {
  const f = filter.chain(encode('quoted-printable'), wrap('quoted-printable'));
  assert.equal(Buffer.concat([f(Buffer.from('x')), f(null)]).toString(), 'x=\r\n');
});
