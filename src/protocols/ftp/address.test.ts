import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ArgumentError, ProtocolError } from '../../core/errors.js';
import { formatEprt, formatPort, parseEpsv, parsePasv, sameHost } from './address.js';

test('parsePasv() reads the six numbers wherever the server puts them', () => {
  const vectors: [string, { host: string; port: number }][] = [
    ['227 Entering Passive Mode (127,0,0,1,117,48).', { host: '127.0.0.1', port: 30000 }],
    ['227 Entering Passive Mode 192,168,1,2,4,1', { host: '192.168.1.2', port: 1025 }],
    ['227 =10,0,0,1,255,255', { host: '10.0.0.1', port: 65535 }],
    ['227-Entering\n227 Passive (1,2,3,4,0,1)', { host: '1.2.3.4', port: 1 }],
  ];
  for (const [text, want] of vectors) assert.deepEqual(parsePasv(text), want, text);
});

test('parseEpsv() takes any one printable delimiter', () => {
  const vectors: [string, number][] = [
    ['229 Entering Extended Passive Mode (|||6446|)', 6446],
    ['229 ok (!!!1!)', 1],
    ['229 ok (###65535#)', 65535],
  ];
  for (const [text, want] of vectors) assert.equal(parseEpsv(text), want, text);
  for (const bad of ['229 (|||65536|)', '229 (||6446|)', '229 (|||6446)', '229 ( 6446 )']) assert.throws(() => parseEpsv(bad), ProtocolError, bad);
});

test('formatPort() and formatEprt() for IPv4, IPv4-mapped and IPv6', () => {
  assert.equal(formatPort('127.0.0.1', 30000), '127,0,0,1,117,48');
  assert.equal(formatPort('::ffff:10.1.2.3', 258), '10,1,2,3,1,2');
  assert.throws(() => formatPort('::1', 21), ArgumentError);
  assert.throws(() => formatPort('127.0.0.1', 0), ArgumentError);
  assert.equal(formatEprt('127.0.0.1', 21), '|1|127.0.0.1|21|');
  assert.equal(formatEprt('::ffff:127.0.0.1', 21), '|1|127.0.0.1|21|');
  assert.equal(formatEprt('::1', 6446), '|2|::1|6446|');
  assert.throws(() => formatEprt('localhost', 21), ArgumentError);
  assert.equal(sameHost('::ffff:127.0.0.1', '127.0.0.1'), true);
  assert.equal(sameHost('127.0.0.2', '127.0.0.1'), false);
});
