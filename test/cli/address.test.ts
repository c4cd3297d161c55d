import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatServer, parseServer } from '../../src/cli/address.js';
import { UsageError } from '../../src/cli/command.js';

test('--server values: names, IPv4, bare and bracketed IPv6, with and without a port', () => {
  const vectors: [string, string, number][] = [
    ['mail.test', 'mail.test', 25],
    ['mail.test:2525', 'mail.test', 2525],
    ['127.0.0.1', '127.0.0.1', 25],
    ['127.0.0.1:2525', '127.0.0.1', 2525],
    ['::1', '::1', 25],
    ['fe80::1:2', 'fe80::1:2', 25],
    ['[::1]', '::1', 25],
    ['[::1]:2525', '::1', 2525],
    ['[2001:db8::25]:587', '2001:db8::25', 587],
  ];
  for (const [text, host, port] of vectors) assert.deepEqual(parseServer(text, 25), { host, port }, text);
});

test('bad --server values are usage errors that name the option', () => {
  for (const text of ['', ':25', 'host:', 'host:port', 'host:70000', '[::1', '[example.test]:25', '[::1]:x', 'a b', 'user@host']) {
    assert.throws(
      () => parseServer(text, 25),
      (e: unknown) => e instanceof UsageError && /--server/.test(e.message),
      JSON.stringify(text),
    );
  }
});

test('formatServer brackets IPv6 addresses', () => {
  assert.equal(formatServer({ host: '::1', port: 2525 }), '[::1]:2525');
  assert.equal(formatServer({ host: '127.0.0.1', port: 25 }), '127.0.0.1:25');
});
