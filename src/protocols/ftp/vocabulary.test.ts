/**
 * The FTP option words: every bad numeric or word option is an
 * ArgumentError before any connection, and every step that waits takes a
 * `signal` — aborting it throws AbortError and closes the session.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AbortError, ArgumentError } from '../../core/errors.js';
import { sink as sinks } from '../../ltn12/index.js';
import { scriptedFtp, type Answer, type FtpScript } from '../../../testkit/ftp-scripted.js';
import { command, connect, get, list, put, type ConnectOptions, type FtpSession } from './index.js';

const bad: [string, Record<string, unknown>][] = [
  ['port 0', { port: 0 }],
  ['port 65536', { port: 65536 }],
  ['port 21.5', { port: 21.5 }],
  ['port as a string', { port: '21' }],
  ['timeout -1', { timeout: -1 }],
  ['timeout NaN', { timeout: Number.NaN }],
  ['timeout Infinity', { timeout: Number.POSITIVE_INFINITY }],
  ['timeout as a string', { timeout: '5' }],
  ['maxLineBytes 0', { maxLineBytes: 0 }],
  ['maxLineBytes 1.5', { maxLineBytes: 1.5 }],
  ['maxReplyLines -1', { maxReplyLines: -1 }],
  ['passive as a word', { passive: 'yes' }],
  ['extended 1', { extended: 1 }],
  ['usePasvAddress as a word', { usePasvAddress: 'no' }],
  ['tls word', { tls: 'ssl' }],
  ['tls true', { tls: true }],
  ['signal not a signal', { signal: {} }],
  ['empty host', { host: '' }],
  ['host with a space', { host: 'a b' }],
  ['host not a string', { host: 1 }],
];

test('bad numeric and word options are ArgumentError before connecting (get, put, list, command, connect)', { timeout: 30_000 }, async () => {
  const server = await scriptedFtp({ replies: {} });
  try {
    for (const [what, extra] of bad) {
      const opts = { host: '127.0.0.1', port: server.port, timeout: 2000, path: 'f', ...extra } as never;
      await assert.rejects(get(opts), ArgumentError, `get: ${what}`);
      await assert.rejects(put(opts, 'x'), ArgumentError, `put: ${what}`);
      await assert.rejects(list(opts), ArgumentError, `list: ${what}`);
      await assert.rejects(command({ ...(opts as object), command: 'NOOP' } as never), ArgumentError, `command: ${what}`);
      await assert.rejects(connect(opts as ConnectOptions), ArgumentError, `connect: ${what}`);
    }
    for (const [what, extra] of [
      ['type x', { type: 'x' }],
      ['offset -1', { offset: -1 }],
      ['offset 1.5', { offset: 1.5 }],
      ['maxBytes -1', { maxBytes: -1 }],
    ] as const) {
      await assert.rejects(get({ host: '127.0.0.1', port: server.port, path: 'f', ...extra } as never), ArgumentError, `get: ${what}`);
    }
    assert.equal(server.connections, 0, 'nothing connected');
  } finally {
    await server.close();
  }
});

test('a session refuses a bad type word or offset without sending anything', { timeout: 30_000 }, async () => {
  const server = await scriptedFtp({ replies: {} });
  try {
    const s = await connect({ host: '127.0.0.1', port: server.port, timeout: 2000 });
    const before = server.lines.length;
    await assert.rejects(s.type('e' as 'a'), ArgumentError);
    await assert.rejects(s.retrieve('f', undefined, { offset: -5 }), ArgumentError);
    await assert.rejects(s.store('f', 'x', { offset: Number.NaN }), ArgumentError);
    await assert.rejects(s.cwd('d', { signal: 'no' as never }), ArgumentError);
    assert.deepEqual(server.lines.slice(before), []);
    assert.equal(s.closed, false);
    await s.quit();
  } finally {
    await server.close();
  }
});

const silent: Answer = () => undefined; // the server never answers

/** Each step against a server that does not answer it: the step's signal ends the wait. */
const steps: [string, string, (s: FtpSession, signal: AbortSignal) => Promise<unknown>][] = [
  ['command', 'SITE', (s, signal) => s.command('SITE', 'x', '2..', { signal })],
  ['cwd', 'CWD', (s, signal) => s.cwd('d', { signal })],
  ['cdup', 'CDUP', (s, signal) => s.cdup({ signal })],
  ['pwd', 'PWD', (s, signal) => s.pwd({ signal })],
  ['type', 'TYPE', (s, signal) => s.type('a', { signal })],
  ['size', 'SIZE', (s, signal) => s.size('f', { signal })],
  ['mdtm', 'MDTM', (s, signal) => s.mdtm('f', { signal })],
  ['mkd', 'MKD', (s, signal) => s.mkd('d', { signal })],
  ['rmd', 'RMD', (s, signal) => s.rmd('d', { signal })],
  ['dele', 'DELE', (s, signal) => s.dele('f', { signal })],
  ['rename', 'RNFR', (s, signal) => s.rename('f', 'g', { signal })],
  ['retrieve (EPSV)', 'EPSV', (s, signal) => s.retrieve('f', sinks.null(), { signal })],
  ['store (EPSV)', 'EPSV', (s, signal) => s.store('f', 'x', { signal })],
  ['list (EPSV)', 'EPSV', (s, signal) => s.list('d', { signal })],
  ['nlst (EPSV)', 'EPSV', (s, signal) => s.nlst('d', { signal })],
];

test('every session step takes a signal: aborting it throws AbortError and closes the session', { timeout: 60_000 }, async () => {
  for (const [what, verb, run] of steps) {
    const server = await scriptedFtp({ replies: { [verb]: silent, TYPE: verb === 'TYPE' ? silent : '200 ok\r\n' } });
    try {
      const s = await connect({ host: '127.0.0.1', port: server.port, timeout: 30_000 });
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 50);
      const started = Date.now();
      await assert.rejects(run(s, ac.signal), AbortError, what);
      assert.ok(Date.now() - started < 5000, `${what}: ended by the signal, not the timeout`);
      assert.equal(s.closed, true, `${what}: the session is closed`);
    } finally {
      await server.close();
    }
  }
});

test('the session signal still aborts a step that has its own signal', { timeout: 20_000 }, async () => {
  const server = await scriptedFtp({ replies: { CWD: silent } });
  try {
    const session = new AbortController();
    const s = await connect({ host: '127.0.0.1', port: server.port, timeout: 30_000, signal: session.signal });
    setTimeout(() => session.abort(), 50);
    await assert.rejects(s.cwd('d', { signal: new AbortController().signal }), AbortError);
    assert.equal(s.closed, true);
  } finally {
    await server.close();
  }
});

test('connect and login take a signal: a silent greeting or USER is aborted (AbortError)', { timeout: 20_000 }, async () => {
  const scripts: FtpScript[] = [{ greeting: '', replies: {} }, { replies: { USER: silent } }, { replies: { PASS: silent, USER: '331 pass\r\n' } }];
  for (const script of scripts) {
    const server = await scriptedFtp(script);
    try {
      const started = Date.now();
      await assert.rejects(
        connect({ host: '127.0.0.1', port: server.port, user: 'u', password: 'p', timeout: 30_000, signal: AbortSignal.timeout(100) }),
        AbortError,
      );
      await assert.rejects(get({ host: '127.0.0.1', port: server.port, path: 'f', timeout: 30_000, signal: AbortSignal.timeout(100) }), AbortError);
      assert.ok(Date.now() - started < 5000);
    } finally {
      await server.close();
    }
  }
});
