import { test } from 'node:test';
import assert from 'node:assert/strict';
import { directoryLocation, isRefused, parseTarget, type SafePath } from './target.js';

const safe = (t: string) => {
  const p = parseTarget(t);
  assert.ok(!isRefused(p), `${t} was refused: ${JSON.stringify(p)}`);
  return p as SafePath;
};
const refused = (t: string) => {
  const p = parseTarget(t);
  return isRefused(p) ? p.status : 'served';
};

test('parseTarget() decodes once into segments, merges slashes, keeps the query apart', () => {
  assert.deepEqual(safe('/'), { segments: [], trailingSlash: true, query: '', dotfile: false });
  assert.deepEqual(safe('/a//b%20c/?x=1'), { segments: ['a', 'b c'], trailingSlash: true, query: 'x=1', dotfile: false });
  assert.deepEqual(safe('/caf%C3%A9.txt').segments, ['café.txt']);
  assert.deepEqual(safe('/%252e%252e/x').segments, ['%2e%2e', 'x'], 'double-encoded dots are a literal name (WS-03)');
  assert.deepEqual(safe('http://example.test/a/b?q').segments, ['a', 'b'], 'absolute-form: the path is used (WS-26)');
  assert.deepEqual(safe('http://example.test').segments, []);
  assert.equal(safe('/.env').dotfile, true);
  assert.equal(safe('/a/.git/config').dotfile, true);
  assert.equal(safe('/a.b/c').dotfile, false);
  assert.equal(safe('/a/b').trailingSlash, false);
});

test('every traversal form of WS-01…WS-07 is refused before the file system', () => {
  const vectors = [
    '/../secret',
    '/a/../../x',
    '/..',
    '/a/..',
    '/./x', // WS-01
    '/%2e%2e/secret',
    '/.%2e/secret',
    '/%2E%2E/secret',
    '/%2e./x',
    '/a/%2e%2e', // WS-02
    '/..%2fsecret',
    '/%2e%2e%2fsecret%2fkey.txt',
    '/a%2Fb', // WS-04
    '/..\\secret',
    '/..%5csecret',
    '/a%5Cb', // WS-05
    '/a%00.txt',
    '/%00', // WS-06
    '/%c0%ae%c0%ae/x',
    '/%ed%a0%80',
    '/%ff', // WS-07: overlong, lone surrogate, invalid UTF-8
    '/a%0d%0aX: y',
    '/a%7f', // controls
    '/%',
    '/%2',
    '/%zz', // malformed escapes
    'x/y',
    '*',
    'example.test:80',
    'ftp://x/a',
    '/a#frag', // WS-26
  ];
  for (const v of vectors) assert.equal(refused(v), 400, v);
  assert.equal(refused(`/${'a/'.repeat(2049)}`), 414, 'deep path (WS-29)');
  assert.equal(Object.hasOwn(parseTarget('/abcdef', 4), 'status'), true);
});

test('directoryLocation() is path-only with exactly one leading slash (WS-12)', () => {
  assert.equal(directoryLocation(safe('//evil.example/%2fx'.replace('%2f', ''))), '/evil.example/x/');
  assert.equal(directoryLocation(safe('/a b?q=1'.replace(' ', '%20'))), '/a%20b/?q=1');
  assert.equal(directoryLocation(safe('http://h//x')), '/x/');
});
