/**
 * FTP command injection (hostile-inputs FC-04, Python bpo-30119): CR, LF,
 * NUL or CRLF in a path, user name, password, type, command or argument is
 * an ArgumentError before anything is sent — checked on what a scripted
 * server received — for every one-call form and every session verb. A
 * session that refused an argument stays open and usable.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ArgumentError } from '../../core/errors.js';
import { sink as sinks } from '../../ltn12/index.js';
import { scriptedFtp } from '../../../testkit/ftp-scripted.js';
import { command, connect, download, get, list, put, type FtpRequest, type FtpSession } from './index.js';

const BAD = [
  ['CR', '\r'],
  ['LF', '\n'],
  ['NUL', '\0'],
  ['CRLF', '\r\n'],
] as const;
const T = 2000;

/** One-call forms: nothing may reach the server, not even a connection. */
const oneCall: [string, (port: number, b: string) => Promise<unknown>][] = [
  ['get: request path', (port, b) => get({ host: '127.0.0.1', port, timeout: T, path: `f${b}DELE x` })],
  ['get: URL path', (port, b) => get(`ftp://127.0.0.1:${port}/f${encodeURIComponent(b)}DELE%20x`)],
  ['get: URL path overridden by a clean path', (port, b) => get({ url: `ftp://127.0.0.1:${port}/f${encodeURIComponent(b)}x`, path: 'clean', timeout: T })],
  ['get: user', (port, b) => get({ host: '127.0.0.1', port, timeout: T, user: `u${b}DELE x`, path: 'f' })],
  ['get: URL user', (port, b) => get(`ftp://u${encodeURIComponent(b)}DELE%20x@127.0.0.1:${port}/f`)],
  ['get: password', (port, b) => get({ host: '127.0.0.1', port, timeout: T, user: 'u', password: `p${b}DELE x`, path: 'f' })],
  ['get: URL password', (port, b) => get(`ftp://u:p${encodeURIComponent(b)}DELE%20x@127.0.0.1:${port}/f`)],
  ['get: type', (port, b) => get({ host: '127.0.0.1', port, timeout: T, path: 'f', type: `a${b}` as FtpRequest['type'] })],
  ['get: argument', (port, b) => get({ host: '127.0.0.1', port, timeout: T, path: 'f', argument: `f${b}DELE x` })],
  ['get: command', (port, b) => get({ host: '127.0.0.1', port, timeout: T, path: 'f', command: `RETR${b}DELE` })],
  ['put: path', (port, b) => put({ host: '127.0.0.1', port, timeout: T, path: `f${b}DELE x` }, 'data')],
  ['list: path', (port, b) => list({ host: '127.0.0.1', port, timeout: T, path: `d${b}DELE x` })],
  ['download: path', (port, b) => download({ host: '127.0.0.1', port, timeout: T, path: `f${b}DELE x` }, sinks.null())],
  ['ftp.command: argument', (port, b) => command({ host: '127.0.0.1', port, timeout: T, command: 'SITE', argument: `x${b}DELE y` })],
  ['ftp.command: command', (port, b) => command({ host: '127.0.0.1', port, timeout: T, command: `NOOP${b}DELE y` })],
  [
    'ftp.command: list argument',
    (port, b) => command({ host: '127.0.0.1', port, timeout: T, command: ['NOOP', 'SITE'], argument: [undefined, `x${b}DELE y`] }),
  ],
  ['ftp.command: list command', (port, b) => command({ host: '127.0.0.1', port, timeout: T, command: ['NOOP', { command: `SITE${b}DELE` }] })],
  ['connect: user', (port, b) => connect({ host: '127.0.0.1', port, timeout: T, user: `u${b}DELE x` })],
  ['connect: password', (port, b) => connect({ host: '127.0.0.1', port, timeout: T, user: 'u', password: `p${b}DELE x` })],
];

test('one-call forms refuse CR, LF, NUL and CRLF with ArgumentError before connecting', { timeout: 60_000 }, async () => {
  const server = await scriptedFtp({ replies: {} });
  try {
    for (const [what, run] of oneCall) {
      for (const [name, b] of BAD) {
        await assert.rejects(run(server.port, b), ArgumentError, `${what} with ${name}`);
        assert.equal(server.connections, 0, `${what} with ${name}: no connection`);
        assert.deepEqual(server.lines, [], `${what} with ${name}: nothing sent`);
      }
    }
  } finally {
    await server.close();
  }
});

/** Session verbs: nothing more is sent after login, and the session stays open. */
const verbs: [string, (s: FtpSession, b: string) => Promise<unknown>][] = [
  ['command: argument', (s, b) => s.command('SITE', `x${b}DELE y`)],
  ['command: name', (s, b) => s.command(`NOOP${b}DELE`)],
  ['type', (s, b) => s.type(`a${b}` as 'a')],
  ['cwd', (s, b) => s.cwd(`d${b}DELE x`)],
  ['mkd', (s, b) => s.mkd(`d${b}DELE x`)],
  ['rmd', (s, b) => s.rmd(`d${b}DELE x`)],
  ['dele', (s, b) => s.dele(`f${b}RMD /`)],
  ['size (no TYPE first)', (s, b) => s.size(`f${b}DELE x`)],
  ['mdtm', (s, b) => s.mdtm(`f${b}DELE x`)],
  ['rename: from', (s, b) => s.rename(`f${b}DELE x`, 'g')],
  ['rename: to (no RNFR first)', (s, b) => s.rename('f', `g${b}DELE x`)],
  ['retrieve', (s, b) => s.retrieve(`f${b}DELE x`)],
  ['store', (s, b) => s.store(`f${b}DELE x`, 'data')],
  ['list', (s, b) => s.list(`d${b}DELE x`)],
  ['nlst', (s, b) => s.nlst(`d${b}DELE x`)],
  ['receiveCommand: argument', (s, b) => s.receiveCommand('NLST', `d${b}DELE x`, sinks.null())],
  ['sendCommand: argument', (s, b) => s.sendCommand('STOU', `f${b}DELE x`, async () => null)],
  ['transfer: command', (s, b) => s.transfer({ direction: 'receive', command: `NLST${b}DELE`, sink: sinks.null() })],
];

test('session verbs refuse CR, LF, NUL and CRLF with ArgumentError before sending; the session stays usable', { timeout: 60_000 }, async () => {
  const server = await scriptedFtp({ replies: { NOOP: '200 ok\r\n' } });
  try {
    const s = await connect({ host: '127.0.0.1', port: server.port, timeout: T });
    const afterLogin = server.lines.length;
    assert.ok(afterLogin > 0, 'the login reached the server');
    for (const [what, run] of verbs) {
      for (const [name, b] of BAD) {
        await assert.rejects(run(s, b), ArgumentError, `${what} with ${name}`);
        assert.deepEqual(server.lines.slice(afterLogin), [], `${what} with ${name}: nothing sent`);
        assert.equal(s.closed, false, `${what} with ${name}: the session stays open`);
      }
    }
    await s.command('NOOP');
    assert.deepEqual(server.lines.slice(afterLogin), ['NOOP'], 'the session still works');
    await s.quit();
  } finally {
    await server.close();
  }
});
