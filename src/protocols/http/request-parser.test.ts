import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRequestHead, requestErrorStatus, RequestError } from './request-parser.js';
import { LimitError } from '../../core/errors.js';
import fc from 'fast-check';

const parse = (s: string, limits = {}) => parseRequestHead(Buffer.from(s, 'latin1'), limits);
const head = (s: string) => parse(s)!.head;
const status = (s: string, limits = {}): number | 'ok' | 'incomplete' => {
  try {
    return parse(s, limits) === null ? 'incomplete' : 'ok';
  } catch (err) {
    assert.ok(err instanceof RequestError || err instanceof LimitError, String(err));
    return requestErrorStatus(err);
  }
};

test('parseRequestHead() reads the request line, fields, keep-alive and body framing', () => {
  const r = parse('GET /a?b=1 HTTP/1.1\r\nHost: example.test\r\nAccept: */*\r\nX-A: 1\r\nx-a:  2 \r\n\r\nrest')!;
  assert.equal(r.consumed, 'GET /a?b=1 HTTP/1.1\r\nHost: example.test\r\nAccept: */*\r\nX-A: 1\r\nx-a:  2 \r\n\r\n'.length);
  assert.equal(r.head.method, 'GET');
  assert.equal(r.head.target, '/a?b=1');
  assert.equal(r.head.version, '1.1');
  assert.equal(r.head.headers['x-a'], '1, 2');
  assert.deepEqual(r.head.rawHeaders[3], ['x-a', '2']);
  assert.equal(r.head.keepAlive, true);
  assert.deepEqual(r.head.body, { kind: 'none' });
  const vectors: [string, boolean, string][] = [
    ['GET / HTTP/1.1\r\nHost: x\r\nConnection: close', false, 'none'],
    ['GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, Upgrade', true, 'none'],
    ['GET / HTTP/1.0', false, 'none'],
    ['GET / HTTP/1.0\r\nConnection: Keep-Alive', true, 'none'],
    ['POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5', true, 'length'],
    ['POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0', true, 'none'],
    ['POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked', true, 'chunked'],
    ['POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked ', true, 'chunked'],
  ];
  for (const [text, keep, kind] of vectors) {
    const h = head(`${text}\r\n\r\n`);
    assert.equal(h.keepAlive, keep, text);
    assert.equal(h.body.kind, kind, text);
  }
  assert.equal(head('GET / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n\r\n').expectContinue, true);
  assert.equal(head('\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n').target, '/', 'leading empty lines are skipped');
  assert.equal(head('GET http://x/a HTTP/1.1\r\nHost: x\r\n\r\n').target, 'http://x/a');
});

test('an incomplete head is null, and hostile bytes are refused before it completes', () => {
  assert.equal(status('GET / HTTP/1.1\r\nHost: x\r\n'), 'incomplete');
  assert.equal(status('GET / HTTP/1.1\r'), 'incomplete');
  assert.equal(status('GET / HTTP/1.1\nHost: x'), 400, 'bare LF seen early');
  assert.equal(status('GET /x\r\n'), 400, 'HTTP/0.9 refused as soon as its line ends');
  assert.equal(status('GET / HTTP/1.1\r\nX: a\rb'), 400, 'bare CR seen early');
  assert.equal(status(`GET /${'a'.repeat(9000)}`), 414, 'request line over the limit before its end');
  assert.equal(status(`GET / HTTP/1.1\r\nX: ${'a'.repeat(9000)}`), 431);
});

test('hostile request heads (WS-13, WS-23…WS-26) get 400, 414, 431, 501 or 505', () => {
  const vectors: [string, number][] = [
    ['GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked', 400], // CL+TE
    ['GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5', 400], // duplicate CL
    ['GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 5', 400],
    ['GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -1', 400],
    ['GET / HTTP/1.1\r\nHost: x\r\nContent-Length: +5', 400],
    ['GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 0x10', 400],
    ['GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999', 400],
    ['GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip', 400],
    ['GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked', 400],
    ['GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked', 501],
    ['GET / HTTP/1.0\r\nTransfer-Encoding: chunked', 400],
    ['GET / HTTP/1.1\r\nHost: x\r\nX: a\r\n b', 400], // obs-fold
    ['GET / HTTP/1.1\r\nHost: x\r\nno colon', 400],
    ['GET / HTTP/1.1\r\nHost: x\r\n: empty', 400],
    ['GET / HTTP/1.1\r\nHost: x\r\nX : space before colon', 400],
    ['GET / HTTP/1.1\r\nHost: x\r\nX: a\x00b', 400],
    ['GET / HTTP/1.1\r\nHost: x\r\nX: a\x7fb', 400],
    ['GET / HTTP/1.1\r\nHost: x\r\nX: a\rb', 400], // bare CR
    ['GET / HTTP/1.1\r\nHost: x\r\nHost: y', 400], // two Host
    ['GET / HTTP/1.1', 400], // no Host in 1.1
    ['GET / HTTP/1.1\r\nHost: a b', 400],
    ['GET / HTTP/1.1\r\nHost: a\r\nX: \x01', 400],
    ['GET /a b HTTP/1.1\r\nHost: x', 400], // space in target
    ['GET /\x00 HTTP/1.1\r\nHost: x', 400], // raw NUL
    ['GET /\xe9 HTTP/1.1\r\nHost: x', 400], // non-ASCII
    ['GET  / HTTP/1.1\r\nHost: x', 400], // two spaces
    ['GET / HTTP/1.1 \r\nHost: x', 400],
    ['G(T / HTTP/1.1\r\nHost: x', 400],
    ['GET / HTTP/2.0\r\nHost: x', 505],
    ['GET / HTTP/1.2\r\nHost: x', 505],
    ['GET / http/1.1\r\nHost: x', 400],
    ['GET / ICY\r\nHost: x', 400],
    ['GET /index.html', 400], // HTTP/0.9
    ['\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03', 400], // TLS bytes
  ];
  for (const [text, want] of vectors) assert.equal(status(`${text}\r\n\r\n`), want, JSON.stringify(text));
  assert.equal(status('GET / HTTP/1.1\nHost: x\n\n'), 400, 'bare LF line ends');
  assert.equal(status('\r\n\r\n\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n'), 400, 'at most four leading empty lines');
});

test('limits count wire bytes and fields (WS-13): 414 for the request line, 431 for the rest', () => {
  assert.equal(status(`GET /${'a'.repeat(8190)} HTTP/1.1\r\nHost: x\r\n\r\n`), 414);
  assert.equal(status(`GET /${'a'.repeat(8000)} HTTP/1.1\r\nHost: x\r\n\r\n`), 'ok');
  assert.equal(status(`GET / HTTP/1.1\r\nHost: x\r\nX: ${'a'.repeat(8190)}\r\n\r\n`), 431);
  const fields = (n: number) => Array.from({ length: n }, (_, i) => `X-${i}: y\r\n`).join('');
  assert.equal(status(`GET / HTTP/1.1\r\nHost: x\r\n${fields(99)}\r\n`), 'ok');
  assert.equal(status(`GET / HTTP/1.1\r\nHost: x\r\n${fields(100)}\r\n`), 431);
  const big = Array.from({ length: 8 }, (_, i) => `X-${i}: ${'b'.repeat(4500)}\r\n`).join('');
  assert.equal(status(`GET / HTTP/1.1\r\nHost: x\r\n${big}\r\n`), 431, 'head over 32 KiB');
  assert.equal(status(`GET / HTTP/1.1\r\nHost: x\r\n${big}`), 431, 'refused before it completes');
  assert.equal(status('GET / HTTP/1.1\r\nHost: x\r\nX: yy\r\n\r\n', { maxFieldLine: 4 }), 431);
});

test('the verdict does not depend on how the bytes were split', () => {
  const inputs = [
    'GET /a HTTP/1.1\r\nHost: x\r\nRange: bytes=0-4\r\n\r\n',
    'GET / HTTP/1.1\r\nHost: x\nX: y\r\n\r\n',
    'GET / HTTP/1.1\r\nHost: x\r\nX: a\rb\r\n\r\n',
    'GET /x\r\n\r\n',
  ];
  for (const input of inputs) {
    const whole = status(input);
    for (let cut = 1; cut < input.length; cut++) {
      const early = status(input.slice(0, cut));
      if (early !== 'incomplete') assert.equal(early, whole, `${JSON.stringify(input)} cut at ${cut}`);
    }
  }
});

test('random bytes and mutated heads give a head, null, or a typed refusal — never anything else (R-18)', () => {
  const valid = 'GET /a HTTP/1.1\r\nHost: x\r\nRange: bytes=0-4\r\n\r\n';
  const mutated = fc
    .tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 }))
    .map(([i, b]) => valid.slice(0, i) + String.fromCharCode(b) + valid.slice(i + 1));
  const input = fc.oneof(
    fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a).toString('latin1')),
    mutated,
  );
  fc.assert(
    fc.property(input, (text) => {
      const got = status(text);
      assert.ok(got === 'ok' || got === 'incomplete' || [400, 414, 431, 501, 505].includes(got), String(got));
    }),
    { numRuns: 3000, seed: 42 },
  );
});
