import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { build, parse, type UrlParts } from './parse.js';
import { ArgumentError } from '../core/errors.js';

const vectors: [string, UrlParts][] = [
  ['http://www.example.com/path/file.html', { scheme: 'http', authority: 'www.example.com', host: 'www.example.com', path: '/path/file.html' }],
  [
    'ftp://user:pw@host:2121/pub/x.txt;type=i?q=1#frag',
    {
      scheme: 'ftp',
      authority: 'user:pw@host:2121',
      userinfo: 'user:pw',
      user: 'user',
      password: 'pw',
      host: 'host',
      port: '2121',
      path: '/pub/x.txt',
      params: 'type=i',
      query: 'q=1',
      fragment: 'frag',
    },
  ],
  ['http://[::1]:8080/', { scheme: 'http', authority: '[::1]:8080', host: '::1', port: '8080', path: '/' }],
  ['http://[fe80::1%25eth0]/x', { scheme: 'http', authority: '[fe80::1%25eth0]', host: 'fe80::1%25eth0', path: '/x' }],
  ['//host/p', { authority: 'host', host: 'host', path: '/p' }],
  ['/just/a/path?x', { path: '/just/a/path', query: 'x' }],
  ['relative;p', { path: 'relative', params: 'p' }],
  ['mailto:someone@example.com', { scheme: 'mailto', path: 'someone@example.com' }],
  ['http://a@b@c/', { scheme: 'http', authority: 'a@b@c', userinfo: 'a@b', user: 'a@b', host: 'c', path: '/' }],
  ['http://h:/', { scheme: 'http', authority: 'h:', host: 'h', port: '', path: '/' }],
  ['http://h:abc/', { scheme: 'http', authority: 'h:abc', host: 'h', port: 'abc', path: '/' }],
  ['http://h\\evil.com/x', { scheme: 'http', authority: 'h\\evil.com', host: 'h\\evil.com', path: '/x' }],
  ['HTTP://H/', { scheme: 'http', authority: 'H', host: 'H', path: '/' }],
  ['http://h?q', { scheme: 'http', authority: 'h', host: 'h', query: 'q' }],
  ['#f', { fragment: 'f' }],
  ['1http://x', { path: '1http://x' }],
];

test('parse() splits URLs into LuaSocket parts (table)', () => {
  for (const [input, want] of vectors) assert.deepEqual(parse(input), { url: input, ...want }, input);
});

test('parse() fills missing parts from defaults', () => {
  const u = parse('//host/x', { scheme: 'http', port: '80', path: '/' });
  assert.equal(u.scheme, 'http');
  assert.equal(u.port, '80');
  assert.equal(u.path, '/x');
});

test('build() is the inverse of parse() for the vectors', () => {
  for (const [input] of vectors) {
    if (input.startsWith('HTTP')) continue; // the scheme is lower-cased
    assert.equal(build(parse(input)), input, input);
  }
});

test('build() prefers host/port/user over authority and brackets IPv6', () => {
  assert.equal(build({ scheme: 'http', host: '::1', port: '80', path: '/a' }), 'http://[::1]:80/a');
  assert.equal(build({ scheme: 'ftp', host: 'h', user: 'u', password: 'p', path: '/' }), 'ftp://u:p@h/');
  assert.equal(build({ scheme: 'http', authority: 'x', host: 'y', path: '/' }), 'http://y/');
});

test('parse(build(parts)) round-trips generated parts (property)', () => {
  const text = (chars: string) => fc.string({ unit: fc.constantFrom(...chars.split('')), maxLength: 12 });
  const safe = "abcXYZ019-._~%!$&'()*+,=";
  fc.assert(
    fc.property(
      fc.record({
        scheme: fc.option(fc.constantFrom('http', 'ftp', 'x+y-z.w'), { nil: undefined }),
        host: fc.option(
          text(`${safe}:`).filter((h) => h.length > 0 && !h.includes(':')),
          { nil: undefined },
        ),
        port: fc.option(fc.integer({ min: 0, max: 65535 }).map(String), { nil: undefined }),
        user: fc.option(text(safe), { nil: undefined }),
        path: fc.option(
          text(`${safe}/@:`).map((p) => `/${p}`),
          { nil: undefined },
        ),
        params: fc.option(text(`${safe}/`), { nil: undefined }),
        query: fc.option(text(`${safe}/?;:@`), { nil: undefined }),
        fragment: fc.option(text(`${safe}/?#;:@`), { nil: undefined }),
      }),
      (parts) => {
        if (parts.path === undefined) parts.params = undefined;
        if (parts.host === undefined) {
          parts.port = undefined;
          parts.user = undefined;
        }
        const built = build(parts);
        if (built === '') return; // no parts at all: the empty URL, refused by parse (tested above)
        const p = parse(built);
        for (const key of ['scheme', 'host', 'port', 'user', 'path', 'params', 'query', 'fragment'] as const) {
          assert.equal(p[key], parts[key], key);
        }
      },
    ),
    { numRuns: 500, seed: 7 },
  );
});

test('build(parse(s)) gives s back for colons and brackets in odd places (R-18 fuzz findings)', () => {
  for (const s of [
    'a://::',
    'a://h:1:2/',
    'http://[::1/x',
    'http://[::1]junk/',
    'http://[::1]:8080/',
    'http://u@:/',
    'x://:80',
    'a://[!]',
    'a://[v1.x]:8/',
    'a://[]',
  ]) {
    assert.equal(build(parse(s)), s, s);
  }
  assert.deepEqual([parse('a://h:1:2/').host, parse('a://h:1:2/').port], ['h', '1:2']);
});

test('parse(\'\') reports an invalid URL (LuaSocket: nil, "invalid url"), defaults or not', () => {
  assert.throws(
    () => parse(''),
    (e: Error) => e instanceof ArgumentError && /invalid url/.test(e.message),
  );
  assert.throws(() => parse('', { scheme: 'http' }), ArgumentError);
  assert.throws(() => parse(undefined as never), ArgumentError);
  assert.equal(parse('#').fragment, '', 'a lone fragment mark is a URL');
});
