import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildPath, escape, hasControlChars, parsePath, unescape, unescapeBytes } from './escape.js';

test('escape() keeps only unreserved characters', () => {
  assert.equal(escape('abc-._~XYZ019'), 'abc-._~XYZ019');
  assert.equal(escape('a b/c?d=e&f'), 'a%20b%2Fc%3Fd%3De%26f');
  assert.equal(escape('ç€'), '%C3%A7%E2%82%AC');
  assert.equal(escape('\r\n\0'), '%0D%0A%00');
  assert.equal(escape("it's (a) *test*!"), 'it%27s%20%28a%29%20%2Atest%2A%21');
  assert.equal(escape('a\uD800b'), 'a%EF%BF%BDb'); // a lone surrogate is U+FFFD
});

test('unescape() decodes %XX and leaves malformed sequences', () => {
  const vectors: [string, string][] = [
    ['a%20b', 'a b'],
    ['%41%42', 'AB'],
    ['%zz', '%zz'],
    ['%4', '%4'],
    ['%', '%'],
    ['100%', '100%'],
    ['%C3%A7', 'ç'],
    ['%e2%82%ac', '€'],
    ['plain', 'plain'],
  ];
  for (const [input, want] of vectors) assert.equal(unescape(input), want, input);
});

test('unescape(escape(s)) === s for any string (property)', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', maxLength: 50 }), (s) => assert.equal(unescape(escape(s)), s)),
    { numRuns: 500, seed: 3 },
  );
});

test('parsePath() and buildPath() follow LuaSocket', () => {
  const p = parsePath('/a%20b/c//d/');
  assert.deepEqual([...p], ['a b', 'c', 'd']);
  assert.equal(p.isAbsolute, true);
  assert.equal(p.isDirectory, true);
  assert.equal(buildPath(p), '/a%20b/c/d/');
  const rel = parsePath('x/y');
  assert.equal(rel.isAbsolute, false);
  assert.equal(rel.isDirectory, false);
  assert.equal(buildPath(Object.assign(['a/b', 'c@d:e'], { isAbsolute: true })), '/a%2Fb/c@d:e');
  assert.equal(buildPath(['a/b'], true), 'a/b');
});

test('hasControlChars() flags CR, LF, NUL, TAB, DEL and space', () => {
  for (const bad of ['a\rb', 'a\nb', 'a\0b', 'a\tb', 'a\x7fb', 'a b']) assert.equal(hasControlChars(bad), true, JSON.stringify(bad));
  assert.equal(hasControlChars('http://h/a%0D'), false);
});

test("buildPath of an empty directory is '' when relative, '/' when absolute (LuaSocket build_path)", () => {
  const vectors: [string, string][] = [
    ['', ''],
    ['/', '/'],
    ['//', '/'],
    ['a/', 'a/'],
    ['/a/', '/a/'],
    ['a', 'a'],
  ];
  for (const [input, want] of vectors) assert.equal(buildPath(parsePath(input)), want, JSON.stringify(input));
  const empty = Object.assign([] as string[], { isDirectory: true });
  assert.equal(buildPath(empty), '');
  assert.equal(buildPath(Object.assign([] as string[], { isDirectory: true, isAbsolute: true })), '/');
});

// The straightforward byte-by-byte definitions: the fast paths must agree with them.
const UNRESERVED_REF = /^[A-Za-z0-9\-._~]$/;
function encodeRef(s: string, keep: (ch: string) => boolean): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += byte < 128 && keep(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
const pathText = fc.string({
  unit: fc.constantFrom('a', '/', '/', '%', '2', 'F', 'f', '4', '1', '0', '\0', 'C', '8', 'é', '\ud800', ' ', '$', '@', ':', '!', '*', '~', 'E', '9', '3'),
  maxLength: 40,
});

test('escape, parsePath and buildPath agree with the byte-by-byte definitions (property)', () => {
  fc.assert(
    fc.property(pathText, (s) => {
      assert.equal(
        escape(s),
        encodeRef(s, (ch) => UNRESERVED_REF.test(ch)),
      );
      const segs = parsePath(s);
      assert.deepEqual(
        [...segs],
        s
          .split('/')
          .filter((x) => x !== '')
          .map((x) => (x.includes('%') ? unescapeBytes(x).toString('utf8') : x)),
      );
      const seg = (x: string) => encodeRef(x, (ch) => UNRESERVED_REF.test(ch) || "!$&'()*+,;=:@".includes(ch));
      const body = [...segs].map(seg).join('/');
      const want = (segs.isAbsolute ? `/${body}` : body) + (segs.isDirectory && segs.length > 0 ? '/' : '');
      assert.equal(buildPath(segs), want);
    }),
    { numRuns: 1000 },
  );
});
