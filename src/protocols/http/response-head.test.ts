import { test } from 'node:test';
import { inspect } from 'node:util';
import assert from 'node:assert/strict';
import { parseResponseHead } from './response-head.js';
import { LimitError, ProtocolError } from '../../core/errors.js';

const head = (s: string, method = 'GET') => parseResponseHead(Buffer.from(s, 'latin1'), { method });
const ok = (s: string, method?: string) => head(`${s}\r\n\r\n`, method)!.head;

test('parseResponseHead() reads status, fields, framing and keep-alive', () => {
  const h = ok('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\nContent-Length: 5');
  assert.equal(h.code, 200);
  assert.equal(h.reason, 'OK');
  assert.equal(h.status, 'HTTP/1.1 200 OK');
  assert.equal(h.headers['set-cookie'], 'a=1, b=2');
  assert.deepEqual(h.framing, { kind: 'length', length: 5 });
  assert.equal(h.keepAlive, true);
  const vectors: [string, string, string | undefined, boolean][] = [
    ['HTTP/1.1 204 No Content', 'none', 'GET', true],
    ['HTTP/1.1 304 Not Modified\r\nContent-Length: 10', 'none', 'GET', true],
    ['HTTP/1.1 200 OK\r\nContent-Length: 10', 'none', 'HEAD', true],
    ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked', 'chunked', 'GET', true],
    ['HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip', 'close', 'GET', false],
    ['HTTP/1.1 200 OK\r\nTransfer-Encoding: xchunked', 'close', 'GET', false],
    ['HTTP/1.1 200 OK', 'close', 'GET', false],
    ['HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1', 'length', 'GET', false],
    ['HTTP/1.0 200 OK\r\nContent-Length: 1', 'length', 'GET', false],
    ['HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1', 'length', 'GET', true],
    ['HTTP/1.1 200', 'close', 'GET', false],
  ];
  for (const [text, kind, method, keep] of vectors) {
    const r = ok(text, method);
    assert.equal(r.framing.kind, kind, text);
    assert.equal(r.keepAlive, keep, text);
  }
  assert.equal(head('HTTP/1.1 200 OK\r\nX: y\r\n'), null, 'incomplete head');
  assert.equal(head('HTTP/1.1 200 OK\r\n\r\nbody')!.consumed, 19);
});

test('hostile heads (HC-01…HC-13) are ProtocolErrors; floods (HC-15) are LimitErrors', () => {
  const protocol = [
    'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked', // HC-01
    'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6', // HC-02
    'HTTP/1.1 200 OK\r\nContent-Length: 5, 5',
    'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5',
    'HTTP/1.1 200 OK\r\nContent-Length: -1', // HC-03
    'HTTP/1.1 200 OK\r\nContent-Length: +5',
    'HTTP/1.1 200 OK\r\nContent-Length: 0x10',
    'HTTP/1.1 200 OK\r\nContent-Length: 1e3',
    'HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999',
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked',
    'HTTP/1.1 200 OK\r\n X: a', // HC-09: a fold with no field before it
    'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n 5', // HC-09: never folded framing fields
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip,\r\n chunked',
    'HTTP/1.1 200 OK\r\nX: a\r\n b\x00', // the folded part follows the value rules
    'HTTP/1.1 200 OK\r\nno colon', // HC-10
    'HTTP/1.1 200 OK\r\n: empty name',
    'HTTP/1.1 200 OK\r\nContent-Length : 5',
    'HTTP/1.1 200 OK\r\nX: a\x00b', // HC-11
    'HTTP/1.1 200 OK\r\nX: a\rb',
    'HTTP/1.1 200 OK\r\nX: a\x7fb',
    'HTTP/1.1 abc OK', // HC-13
    'HTTP/1.1 2000 OK',
    'HTTP/1.1 099 OK',
    'HTTP/9.9 200 OK',
    'ICY 200 OK',
    '\r\nHTTP/1.1 200 OK',
  ];
  for (const text of protocol) assert.throws(() => head(`${text}\r\n\r\n`), ProtocolError, JSON.stringify(text));
  assert.throws(() => head('HTTP/1.1 200 OK\nContent-Length: 1\n\n'), ProtocolError, 'HC-12 bare LF');
  assert.throws(() => head('\x16\x03\x01\x02\x00\x01\x00'), ProtocolError, 'TLS bytes decided at once');
  assert.throws(() => head(`HTTP/1.1 200 OK\r\nX: ${'a'.repeat(70_000)}`), LimitError, 'one huge header, incomplete');
  assert.throws(() => head(`HTTP/1.1 200 OK\r\n${'A: b\r\n'.repeat(300)}\r\n`), LimitError, 'too many headers');
});

test('obsolete line folding in a response is replaced by one space (RFC 9112 §5.2, HC-09)', () => {
  const vectors: [string, string][] = [
    ['X: a\r\n b', 'a b'],
    ['X: a\r\n  \t b  ', 'a b'],
    ['X: a\r\n\tb\r\n c', 'a b c'],
    ['X:\r\n b', 'b'],
    ['X: a\r\n   ', 'a'],
  ];
  for (const [fields, value] of vectors) {
    const r = parseResponseHead(Buffer.from(`HTTP/1.1 200 OK\r\n${fields}\r\nContent-Length: 0\r\n\r\n`));
    assert.equal(r?.head.headers.x, value, JSON.stringify(fields));
    assert.deepEqual(r?.head.rawHeaders[0], ['X', value]);
  }
});

test('parseResponseHead(): the headers table inherits nothing; any field name is an own entry', () => {
  const h = ok('HTTP/1.1 200 OK\r\n__proto__: x\r\nConstructor: y\r\ntoString: z\r\nContent-Length: 0');
  assert.deepEqual(Object.keys(h.headers), ['__proto__', 'constructor', 'tostring', 'content-length']);
  assert.equal(Object.getOwnPropertyDescriptor(h.headers, '__proto__')?.value, 'x');
  assert.equal(h.headers.constructor, 'y');
  for (const inherited of ['hasOwnProperty', 'valueOf', 'isPrototypeOf', 'connection']) assert.equal(h.headers[inherited], undefined, inherited);
  assert.equal(inspect(h.headers, { breakLength: Infinity }), "{ ['__proto__']: 'x', constructor: 'y', tostring: 'z', 'content-length': '0' }");
});
