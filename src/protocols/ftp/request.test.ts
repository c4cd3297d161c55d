import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ArgumentError } from '../../core/errors.js';
import { normalize } from './request.js';

test('normalize(): ftp URLs into host, port, user, password, path, type', () => {
  const vectors: [string, Record<string, unknown>][] = [
    ['ftp://example.com/file', { host: 'example.com', port: 21, user: undefined, password: undefined, path: 'file', type: undefined }],
    ['ftp://user:pa%40ss@[::1]:2121/pub/a%20b.txt;type=a', { host: '::1', port: 2121, user: 'user', password: 'pa@ss', path: 'pub/a b.txt', type: 'a' }],
    ['ftp://h//abs/path;type=I', { host: 'h', port: 21, path: '/abs/path', type: 'i' }],
    ['ftps://h/x', { host: 'h', port: 990, tls: 'implicit', path: 'x' }],
    ['ftp://h/dir/;type=d', { host: 'h', path: 'dir/', type: 'd' }],
    ['ftp://h', { host: 'h', path: '' }],
  ];
  for (const [url, want] of vectors) {
    const r = normalize(url);
    for (const [k, v] of Object.entries(want)) assert.deepEqual((r as unknown as Record<string, unknown>)[k], v, `${url} ${k}`);
  }
});

test('normalize(): request fields win over the URL (LuaSocket override); paths are literal', () => {
  const r = normalize({ url: 'ftp://a:b@h:2121/x', port: 21, user: 'c', path: '/lit%20eral', passive: false });
  assert.equal(r.port, 21);
  assert.equal(r.user, 'c');
  assert.equal(r.password, 'b');
  assert.equal(r.path, 'lit%20eral');
  assert.equal(r.passive, false);
});

test('normalize(): refuses what must not reach the wire', () => {
  const bad: (string | Parameters<typeof normalize>[0])[] = [
    'http://h/x',
    'ftp:///x',
    'ftp://h:0/x',
    'ftp://h:65536/x',
    'ftp://h:x1/x',
    'ftp://h/x?y',
    'ftp://h/x;type=e',
    'ftp://h/x;foo=bar',
    'ftp://h/a%0d%0aDELE%20b',
    'ftp://h/a%00',
    'ftp://u%0a@h/x',
    'ftp://u:p%0d@h/x',
    { host: 'h', path: 'a\nb' },
    { host: 'h', argument: 'a\rb' },
    { host: 'h\r\n' },
    { path: 'x' },
    { host: 'h', port: 70000 },
    { host: 'h', type: 'x' as 'a' },
  ];
  for (const b of bad) assert.throws(() => normalize(b), ArgumentError, JSON.stringify(b));
});
