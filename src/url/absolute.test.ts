import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { absolute, removeDotSegments } from './absolute.js';
import { parse } from './parse.js';

const BASE = 'http://a/b/c/d;p?q';

// RFC 3986 §5.4.1 Normal Examples
const normal: [string, string][] = [
  ['g:h', 'g:h'],
  ['g', 'http://a/b/c/g'],
  ['./g', 'http://a/b/c/g'],
  ['g/', 'http://a/b/c/g/'],
  ['/g', 'http://a/g'],
  ['//g', 'http://g'],
  ['?y', 'http://a/b/c/d;p?y'],
  ['g?y', 'http://a/b/c/g?y'],
  ['#s', 'http://a/b/c/d;p?q#s'],
  ['g#s', 'http://a/b/c/g#s'],
  ['g?y#s', 'http://a/b/c/g?y#s'],
  [';x', 'http://a/b/c/;x'],
  ['g;x', 'http://a/b/c/g;x'],
  ['g;x?y#s', 'http://a/b/c/g;x?y#s'],
  ['', 'http://a/b/c/d;p?q'],
  ['.', 'http://a/b/c/'],
  ['./', 'http://a/b/c/'],
  ['..', 'http://a/b/'],
  ['../', 'http://a/b/'],
  ['../g', 'http://a/b/g'],
  ['../..', 'http://a/'],
  ['../../', 'http://a/'],
  ['../../g', 'http://a/g'],
];

// RFC 3986 §5.4.2 Abnormal Examples (strict parser)
const abnormal: [string, string][] = [
  ['../../../g', 'http://a/g'],
  ['../../../../g', 'http://a/g'],
  ['/./g', 'http://a/g'],
  ['/../g', 'http://a/g'],
  ['g.', 'http://a/b/c/g.'],
  ['.g', 'http://a/b/c/.g'],
  ['g..', 'http://a/b/c/g..'],
  ['..g', 'http://a/b/c/..g'],
  ['./../g', 'http://a/b/g'],
  ['./g/.', 'http://a/b/c/g/'],
  ['g/./h', 'http://a/b/c/g/h'],
  ['g/../h', 'http://a/b/c/h'],
  ['g;x=1/./y', 'http://a/b/c/g;x=1/y'],
  ['g;x=1/../y', 'http://a/b/c/y'],
  ['g?y/./x', 'http://a/b/c/g?y/./x'],
  ['g?y/../x', 'http://a/b/c/g?y/../x'],
  ['g#s/./x', 'http://a/b/c/g#s/./x'],
  ['g#s/../x', 'http://a/b/c/g#s/../x'],
  ['http:g', 'http:g'],
];

test('absolute() passes every RFC 3986 §5.4.1 normal example', () => {
  for (const [ref, want] of normal) assert.equal(absolute(BASE, ref), want, ref);
});

test('absolute() passes every RFC 3986 §5.4.2 abnormal example', () => {
  for (const [ref, want] of abnormal) assert.equal(absolute(BASE, ref), want, ref);
});

test('absolute() takes parsed parts as the base', () => {
  assert.equal(absolute(parse('http://host/dir/file?x'), 'other'), 'http://host/dir/other');
  assert.equal(absolute('http://host', 'x'), 'http://host/x');
  assert.equal(absolute('http://[::1]:8080/a/b', '../c'), 'http://[::1]:8080/c');
});

test('removeDotSegments() follows RFC 3986 §5.2.4', () => {
  const vectors: [string, string][] = [
    ['/a/b/c/./../../g', '/a/g'],
    ['mid/content=5/../6', 'mid/6'],
    ['/..', '/'],
    ['/.', '/'],
    ['.', ''],
    ['..', ''],
    ['/a/..', '/'],
    ['a/b/..', 'a/'],
    ['', ''],
    ['/a//b/../c', '/a//c'],
  ];
  for (const [input, want] of vectors) assert.equal(removeDotSegments(input), want, input);
});

/** RFC 3986 §5.2.4 step by step, on strings: slow and obviously right. */
function referenceRemoveDots(input: string): string {
  let inp = input;
  let out = '';
  while (inp.length > 0) {
    if (inp.startsWith('../')) inp = inp.slice(3);
    else if (inp.startsWith('./')) inp = inp.slice(2);
    else if (inp.startsWith('/./')) inp = inp.slice(2);
    else if (inp === '/.') inp = '/';
    else if (inp.startsWith('/../') || inp === '/..') {
      inp = inp === '/..' ? '/' : inp.slice(3);
      out = out.slice(0, Math.max(0, out.lastIndexOf('/')));
    } else if (inp === '.' || inp === '..') inp = '';
    else {
      const next = inp.indexOf('/', inp.startsWith('/') ? 1 : 0);
      const seg = next < 0 ? inp : inp.slice(0, next);
      out += seg;
      inp = inp.slice(seg.length);
    }
  }
  return out;
}

test('removeDotSegments() agrees with the RFC 3986 §5.2.4 steps on generated paths of /, ., .., a', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom('/', '.', '..', 'a', '.a', 'a.'), { maxLength: 30 }), (parts) => {
      const p = parts.join('');
      assert.equal(removeDotSegments(p), referenceRemoveDots(p), JSON.stringify(p));
    }),
    { numRuns: 5000 },
  );
});
