import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AbortError, ArgumentError } from '../../src/core/index.js';
import { sink } from '../../src/ltn12/index.js';
import { connect, listHeaders } from '../../src/protocols/pop3/index.js';
import { scriptedServer } from '../../testkit/scripted.js';

const LOGIN = [
  { send: '+OK ready\r\n' },
  { awaitLines: 1, send: '+OK\r\nUSER\r\n.\r\n' },
  { awaitLines: 2, send: '+OK\r\n' },
  { awaitLines: 3, send: '+OK in\r\n' },
];
const login = (port: number, extra = {}) => connect({ host: '127.0.0.1', port, user: 'u', password: 'p', allowPlainAuth: true, ...extra });

test('every POP3 command takes a signal: an unanswered command is aborted, the connection closed', { timeout: 30000 }, async () => {
  const cases: [string, (s: Awaited<ReturnType<typeof login>>, signal: AbortSignal) => Promise<unknown>][] = [
    ['stat', (s, signal) => s.stat({ signal })],
    ['list', (s, signal) => s.list(undefined, { signal })],
    ['list n', (s, signal) => s.list(1, { signal })],
    ['uidl', (s, signal) => s.uidl(undefined, { signal })],
    ['top', (s, signal) => s.top(1, 0, { signal })],
    ['retrieve', (s, signal) => s.retrieve(1, undefined, { signal })],
    ['retrieve into a sink', (s, signal) => s.retrieve(1, sink.null(), { signal })],
    ['delete', (s, signal) => s.delete(1, { signal })],
    ['reset', (s, signal) => s.reset({ signal })],
    ['noop', (s, signal) => s.noop({ signal })],
    ['listHeaders', (s, signal) => listHeaders(s, { signal })],
  ];
  for (const [name, run] of cases) {
    const srv = await scriptedServer(LOGIN);
    try {
      const s = await login(srv.port);
      await assert.rejects(run(s, AbortSignal.timeout(80)), (e: Error) => e instanceof AbortError && /POP3/.test(e.message), name);
      assert.ok(s.conn.socket.closed, `${name}: connection closed`);
    } finally {
      await srv.close();
    }
  }
});

test('a RETR aborted half-way through the message: AbortError, nothing more read', { timeout: 30000 }, async () => {
  const srv = await scriptedServer([...LOGIN, { awaitLines: 4, send: '+OK 100 octets\r\nSubject: half\r\n\r\nfirst line\r\n' }]);
  try {
    const s = await login(srv.port);
    const [snk, chunks] = sink.table();
    await assert.rejects(s.retrieve(1, snk, { signal: AbortSignal.timeout(150) }), AbortError);
    assert.match(Buffer.concat(chunks).toString(), /^Subject: half\r\n\r\nfirst line\r\n$/);
    assert.ok(s.conn.socket.closed);
  } finally {
    await srv.close();
  }
});

test('connect takes a signal: a greeting that never comes, a login never answered, an aborted signal', { timeout: 30000 }, async () => {
  for (const steps of [[], LOGIN.slice(0, 2)]) {
    const srv = await scriptedServer(steps);
    try {
      const t0 = performance.now();
      await assert.rejects(login(srv.port, { signal: AbortSignal.timeout(100) }), AbortError);
      assert.ok(performance.now() - t0 < 5000);
      await assert.rejects(login(srv.port, { signal: AbortSignal.abort() }), { code: 'aborted' });
    } finally {
      await srv.close();
    }
  }
});

test('POP3 vocabulary: host (server is the alias), tls words from core (starttls = stls)', { timeout: 30000 }, async () => {
  await assert.rejects(connect({ host: '127.0.0.1', server: '127.0.0.2', user: 'u', password: 'p' }), ArgumentError);
  await assert.rejects(connect({ host: '127.0.0.1', tls: 'maybe' as 'none', user: 'u', password: 'p' }), ArgumentError);
  for (const tls of ['starttls', 'stls', 'explicit'] as const) {
    const srv = await scriptedServer(LOGIN.slice(0, 2));
    try {
      await assert.rejects(login(srv.port, { tls }), (e: Error & { code?: string }) => e.code === 'tls' && /STLS/.test(e.message), tls);
    } finally {
      await srv.close();
    }
  }
  const srv = await scriptedServer([...LOGIN, { awaitLines: 4, send: '+OK 0 0\r\n' }]);
  try {
    const s = await connect({ server: '127.0.0.1', port: srv.port, tls: 'none', user: 'u', password: 'p', allowPlainAuth: true });
    assert.deepEqual(await s.stat(), { count: 0, size: 0 });
    await s.conn.close();
  } finally {
    await srv.close();
  }
});
