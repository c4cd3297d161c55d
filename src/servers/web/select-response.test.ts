import { test } from 'node:test';
import assert from 'node:assert/strict';
import { etagMatches, parseRange, selectResponse } from './select-response.js';
import { httpDate, parseHttpDate } from './http-date.js';

test('parseRange() takes one satisfiable range, refuses unsatisfiable ones, ignores the rest (WS-17…WS-19)', () => {
  const size = 100000;
  const vectors: [string, ReturnType<typeof parseRange>][] = [
    ['bytes=0-4', { start: 0, end: 5 }],
    ['bytes=99990-', { start: 99990, end: size }],
    ['bytes=-10', { start: 99990, end: size }],
    ['bytes=-200000', { start: 0, end: size }],
    ['bytes=5-999999', { start: 5, end: size }],
    ['BYTES=1-1', { start: 1, end: 2 }],
    ['bytes= 0-0 ', { start: 0, end: 1 }],
    ['bytes=0-12345678901234567890123', { start: 0, end: size }],
    ['bytes=100000-', 'unsatisfiable'],
    ['bytes=-0', 'unsatisfiable'],
    ['bytes=12345678901234567890123-', 'unsatisfiable'],
    ['bytes=5-1', null],
    ['bytes=-5-10', null],
    ['bytes=-', null],
    ['bytes=a-b', null],
    ['bytes=0-1,3-4', null],
    [`bytes=${Array(200).fill('0-99999').join(',')}`, null],
    ['items=0-4', null],
    ['bytes', null],
  ];
  for (const [value, want] of vectors) assert.deepEqual(parseRange(value, size), want, value);
  assert.equal(parseRange('bytes=0-', 0), 'unsatisfiable');
  assert.equal(parseRange('bytes=-5', 0), 'unsatisfiable');
});

test('selectResponse() gives 304 for a current copy and honours If-Range', () => {
  const mtimeMs = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
  const file = { size: 1000, mtimeMs, etag: '"3e8-abc"' };
  const lm = httpDate(mtimeMs);
  const sel = (h: Record<string, string>, method = 'GET') => selectResponse(method, h, file).status;
  assert.equal(sel({}), 200);
  assert.equal(sel({ 'if-none-match': '"3e8-abc"' }), 304);
  assert.equal(sel({ 'if-none-match': '"x", W/"3e8-abc"' }), 304, 'weak comparison');
  assert.equal(sel({ 'if-none-match': '*' }), 304);
  assert.equal(sel({ 'if-none-match': '"other"', 'if-modified-since': lm }), 200, 'If-None-Match wins over If-Modified-Since');
  assert.equal(sel({ 'if-modified-since': lm }), 304);
  assert.equal(sel({ 'if-modified-since': httpDate(mtimeMs - 2000) }), 200);
  assert.equal(sel({ 'if-modified-since': 'yesterday' }), 200, 'garbage date ignored (WS-20)');
  assert.equal(sel({ range: 'bytes=0-9' }), 206);
  assert.equal(sel({ range: 'bytes=0-9' }, 'HEAD'), 200, 'ranges on GET only');
  assert.equal(sel({ range: 'bytes=5000-' }), 416);
  assert.equal(sel({ range: 'bytes=0-9', 'if-range': '"3e8-abc"' }), 206);
  assert.equal(sel({ range: 'bytes=0-9', 'if-range': '"old"' }), 200);
  assert.equal(sel({ range: 'bytes=0-9', 'if-range': 'W/"3e8-abc"' }), 200, 'weak tags never satisfy If-Range');
  assert.equal(sel({ range: 'bytes=0-9', 'if-range': lm }), 206);
  assert.equal(sel({ range: 'bytes=0-9', 'if-range': 'garbage' }), 200);
  assert.deepEqual(selectResponse('GET', { range: 'bytes=10-19' }, file), { status: 206, start: 10, end: 20 });
  assert.equal(etagMatches('"a", "b"', '"b"'), true);
  assert.equal(etagMatches('"a"', '"b"'), false);
});

test('parseHttpDate() takes the three HTTP date forms and nothing else', () => {
  const t = Date.UTC(1994, 10, 6, 8, 49, 37);
  assert.equal(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT'), t);
  assert.equal(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT'), t);
  assert.equal(parseHttpDate('Sun Nov  6 08:49:37 1994'), t);
  for (const bad of ['', '2026-01-01', '0', 'Sun, 06 Nov 1994 08:49:37', 'Sun, 6 Nov 1994 08:49:37 GMT', 'Sun, 06 Nov 1994 08:49:37 GMT x']) {
    assert.equal(parseHttpDate(bad), null, bad);
  }
  assert.equal(httpDate(t + 999), 'Sun, 06 Nov 1994 08:49:37 GMT');
});
