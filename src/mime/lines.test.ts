import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { transform } from '../ltn12/index.js';
import { normalize, eol, eolLoop } from './eol.js';
import { stuff, dot, dotLoop } from './dot.js';
import { wrapText, wrp } from './wrap.js';

test('normalize(): CR, LF, CRLF and LFCR each become one marker', () => {
  const vectors: [string, string, string][] = [
    ['a\nb\r\nc\rd\n\re', '\r\n', 'a\r\nb\r\nc\r\nd\r\ne'],
    ['a\n\nb', '\r\n', 'a\r\n\r\nb'],
    ['a\r\rb', '\n', 'a\n\nb'],
    ['a\r\nb', '\n', 'a\nb'],
  ];
  for (const [input, marker, want] of vectors) assert.equal(transform(input, normalize(marker)).toString(), want, JSON.stringify(input));
  const [out, ctx] = eol(0, Buffer.from('x\r'), '\n');
  assert.equal(out.toString(), 'x\n');
  assert.equal(ctx, 13);
  assert.equal(eol(ctx, Buffer.from('\ny'), '\n')[0].toString(), 'y');
});

test('stuff(): a dot at any line start is doubled (CRLF, bare CR or LF, start of data)', () => {
  const vectors: [string, string][] = [
    ['.a\r\n.\r\nb.c\r\n..d', '..a\r\n..\r\nb.c\r\n...d'],
    ['x\n.\ny', 'x\n..\ny'],
    ['x\r.\ry', 'x\r..\ry'],
    ['no dots', 'no dots'],
  ];
  for (const [input, want] of vectors) assert.equal(transform(input, stuff()).toString(), want, JSON.stringify(input));
  assert.deepEqual(dot(0, Buffer.from('.x')).map(String), ['.x', '0']);
});

test('normalize() then stuff() leaves only CRLF and no lone-dot line (smuggling variants)', () => {
  for (const evil of ['a\n.\nb', 'a\r.\rb', 'a\r\n.\nb', 'a\n.\r\nb', 'a\r\n.\rb', 'a\r\n.\r\nb']) {
    const out = transform(evil, normalize(), stuff()).toString();
    assert.ok(!/\r(?!\n)|(?<!\r)\n/.test(out), `bare line end in ${JSON.stringify(out)}`);
    assert.ok(!out.includes('\r\n.\r\n'), `lone dot line in ${JSON.stringify(out)}`);
  }
});

test('wrapText(): CRLF after width characters, LF becomes CRLF, CR dropped', () => {
  assert.equal(transform('abcdefghij', wrapText(4)).toString(), 'abcd\r\nefgh\r\nij\r\n');
  assert.equal(transform('ab\ncd\r\nef', wrapText(4)).toString(), 'ab\r\ncd\r\nef\r\n');
  assert.equal(transform('abcd\n', wrapText(4)).toString(), 'abcd\r\n', 'a terminated last line gets no second CRLF');
  assert.equal(transform('', wrapText(4)).toString(), '', 'no input, no line');
  const [out, left] = wrp(2, Buffer.from('abc'), 4);
  assert.equal(out.toString(), 'ab\r\nc');
  assert.equal(left, 3);
});

/** LuaSocket's wrp rule, one byte at a time. */
function wrpModel(left: number, c: Buffer, length: number): [Buffer, number] {
  const out: number[] = [];
  for (const b of c) {
    if (b === 13) continue;
    if (b === 10) {
      out.push(13, 10);
      left = length;
      continue;
    }
    if (left <= 0) {
      out.push(13, 10);
      left = length;
    }
    out.push(b);
    left--;
  }
  return [Buffer.from(out), left];
}

test('wrp() gives the byte-at-a-time result, with and without line breaks in the chunk (property)', () => {
  const plain = fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(Buffer.from(a).toString('base64'), 'latin1'));
  const lines = fc.array(fc.constantFrom(...'ab\r\n'.split('')), { maxLength: 100 }).map((a) => Buffer.from(a.join(''), 'latin1'));
  fc.assert(
    fc.property(fc.oneof(plain, lines), fc.integer({ min: -2, max: 80 }), fc.integer({ min: 1, max: 80 }), (c, left, length) => {
      assert.deepEqual(wrp(left, c, length), wrpModel(left, c, length));
    }),
    { numRuns: 3000, seed: 42 },
  );
});

test('eol(): the CRLF and bare-LF short paths agree with the byte loop (property)', () => {
  const piece = fc.constantFrom('a', 'b c', '\r\n', '\n', '\r', '\r\n\r\n', '\n\n', '.', '\xe9');
  const texts = fc.array(piece, { maxLength: 40 }).map((a) => Buffer.from(a.join(''), 'latin1'));
  const markers = [Buffer.from('\r\n'), Buffer.from('\n'), Buffer.from('')];
  fc.assert(
    fc.property(texts, fc.constantFrom(0, 10, 13), fc.constantFrom(...markers), (text, ctx, m) => {
      const [out, next] = eol(ctx, text, m);
      // a chunk without CR or LF comes back as it is, and closes any pair (as before the short paths)
      const [want, wantNext] = text.includes(10) || text.includes(13) ? eolLoop(ctx, text, m) : [text, 0];
      assert.deepEqual([out.toString('latin1'), next], [want.toString('latin1'), wantNext]);
    }),
    { numRuns: 2000, seed: 7 },
  );
  // the short paths themselves: plain CRLF comes back as it is, bare LF gains its CR
  const crlf = Buffer.from('a\r\nb\r\n');
  assert.equal(eol(0, crlf)[0], crlf);
  assert.deepEqual(eol(0, 'a\nb\n\n'), [Buffer.from('a\r\nb\r\n\r\n'), 0]);
  assert.deepEqual(eol(0, 'a\n')[1], 10);
});

test('dot(): the no-dot-at-line-start short path agrees with the byte loop (property)', () => {
  const piece = fc.constantFrom('a', 'b.c', '.', '..', '\r\n', '\n', '\r', '\r\n.', '\n.', '\r.', ' ');
  const texts = fc.array(piece, { maxLength: 40 }).map((a) => Buffer.from(a.join(''), 'latin1'));
  fc.assert(
    fc.property(texts, fc.constantFrom(0, 1), (text, state) => {
      const [out, next] = dot(state, text);
      const [want, wantNext] = dotLoop(state, text);
      assert.deepEqual([out.toString('latin1'), next], [want.toString('latin1'), wantNext]);
    }),
    { numRuns: 2000, seed: 5 },
  );
  const plain = Buffer.from('a.\r\nb. c\r\n');
  assert.equal(dot(1, plain)[0], plain, 'nothing to stuff: the same buffer');
});
