import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatRequestHead, hostHeader } from './request-head.js';
import { ArgumentError } from '../../core/errors.js';

test('formatRequestHead() writes the request line, Host and fields', () => {
  assert.equal(
    formatRequestHead('GET', '/a?b=1', { host: '::1', port: 8080 }, [['Accept', '*/*']]),
    'GET /a?b=1 HTTP/1.1\r\nHost: [::1]:8080\r\nAccept: */*\r\n\r\n',
  );
  assert.equal(formatRequestHead('HEAD', '/', { host: 'example.test', port: 80 }, []), 'HEAD / HTTP/1.1\r\nHost: example.test\r\n\r\n');
  assert.equal(formatRequestHead('GET', '/', { host: 'h' }, [['Host', 'other']]), 'GET / HTTP/1.1\r\nHost: other\r\n\r\n');
  assert.equal(hostHeader('h', 443, 443), 'h');
});

test('formatRequestHead() refuses splitting and smuggling inputs (HC-28…HC-30)', () => {
  const bad: Parameters<typeof formatRequestHead>[] = [
    ['GET /x', '/', { host: 'h' }, []],
    ['GET', '/x\r\nEvil: 1', { host: 'h' }, []],
    ['GET', '/a b', { host: 'h' }, []],
    ['GET', '/\u010d\u010a', { host: 'h' }, []],
    ['GET', '/', { host: 'h' }, [['X-A', 'v\r\nEvil: 1']]],
    ['GET', '/', { host: 'h' }, [['X-A', 'v\0']]],
    ['GET', '/', { host: 'h' }, [['Bad Name', 'v']]],
    ['GET', '/', { host: 'h\r\nX: 1' }, []],
  ];
  for (const args of bad) assert.throws(() => formatRequestHead(...args), ArgumentError, JSON.stringify(args));
});
