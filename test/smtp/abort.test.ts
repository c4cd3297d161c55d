import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AbortError, ArgumentError } from '../../src/core/index.js';
import type { Source } from '../../src/ltn12/index.js';
import { open, send } from '../../src/protocols/smtp/index.js';
import { delay, waitFor } from '../../testkit/index.js';
import { scriptedServer } from '../../testkit/scripted.js';
import { startSmtpSink } from '../../testkit/smtp-sink.js';

/** A message source that gives `n` chunks, then calls `then` and waits for ever (a stalled producer). */
function stalling(n: number, then: () => void): Source {
  let i = 0;
  return () => {
    if (i++ < n) return Promise.resolve(Buffer.from(`line ${i}\r\n`.repeat(200)));
    then();
    return new Promise<never>(() => {});
  };
}

/** A source that aborts `ac` just as it reaches its end, and then ends. */
function abortingAtEnd(ac: AbortController): Source {
  let i = 0;
  return async () => {
    if (i++ < 2) return Buffer.from(`chunk ${i}\r\n`);
    ac.abort();
    return null;
  };
}

test('an abort during DATA: AbortError, connection closed, the server stores nothing (send and data, pipelined or not)', { timeout: 30000 }, async () => {
  for (const hidePIPELINING of [false, true]) {
    const srv = await startSmtpSink({ hidePIPELINING });
    try {
      const ac = new AbortController();
      const r = send({
        host: '127.0.0.1',
        port: srv.port,
        tls: 'none',
        from: 'a@x.test',
        rcpt: 'b@x.test',
        source: stalling(3, () => ac.abort()),
        signal: ac.signal,
      });
      await assert.rejects(r, (e: Error) => e instanceof AbortError && e.code === 'aborted');
      const ac2 = new AbortController();
      const s = await open({ host: '127.0.0.1', port: srv.port });
      await s.greet();
      await s.mail('a@x.test');
      await s.rcpt('b@x.test');
      await assert.rejects(s.data(abortingAtEnd(ac2), { signal: ac2.signal }), AbortError);
      assert.ok(s.conn.socket.closed, 'the connection is closed');
      await waitFor(() => srv.cut() === 2, 5000);
      assert.equal(srv.cut(), 2, 'both transfers were cut off by the server');
      await delay(100);
      assert.equal(srv.got.length, 0, 'nothing was stored');
    } finally {
      await srv.close();
    }
  }
});

test('an aborted DATA never puts the final dot on the wire, however late the abort comes', { timeout: 30000 }, async () => {
  const script = [
    { send: '220 scripted\r\n' },
    { awaitLines: 1, send: '250 hi\r\n' },
    { awaitLines: 2, send: '250 ok\r\n' },
    { awaitLines: 3, send: '250 ok\r\n' },
    { awaitLines: 4, send: '354 go\r\n' },
  ];
  for (const late of [false, true]) {
    const srv = await scriptedServer(script);
    try {
      const ac = new AbortController();
      const source = late ? abortingAtEnd(ac) : stalling(2, () => ac.abort());
      await assert.rejects(send({ host: '127.0.0.1', port: srv.port, tls: 'none', from: 'a@x.test', rcpt: 'b@x.test', source, signal: ac.signal }), AbortError);
      await delay(100);
      const wire = srv.received().toString('latin1');
      assert.match(wire, /^EHLO localhost\r\nMAIL FROM:<a@x\.test>\r\nRCPT TO:<b@x\.test>\r\nDATA\r\n/);
      assert.ok(!wire.includes('\r\n.\r\n'), `no final dot (late: ${late})`);
      if (late) assert.ok(!wire.includes('chunk 2'), 'the batched data before the end stays unsent as well');
    } finally {
      await srv.close();
    }
  }
});

test('every wait takes the signal: a silent server, a greeting that never comes, a refused start', { timeout: 30000 }, async () => {
  const silent = await scriptedServer([]);
  try {
    const s = await open({ host: '127.0.0.1', port: silent.port });
    const t0 = performance.now();
    await assert.rejects(s.greet('x', { signal: AbortSignal.timeout(100) }), AbortError);
    assert.ok(performance.now() - t0 < 5000);
    assert.ok(s.conn.socket.closed);
    await assert.rejects(
      send({
        host: '127.0.0.1',
        port: silent.port,
        tls: 'none',
        from: 'a@x.test',
        rcpt: 'b@x.test',
        source: async () => null,
        signal: AbortSignal.timeout(100),
      }),
      { code: 'aborted' },
    );
    await assert.rejects(
      send({ server: '127.0.0.1', port: silent.port, from: 'a@x.test', rcpt: 'b@x.test', source: async () => null, signal: AbortSignal.abort() }),
      { code: 'aborted' },
    );
  } finally {
    await silent.close();
  }
  const greeted = await scriptedServer([{ send: '220 hi\r\n' }, { awaitLines: 1, send: '250-hi\r\n250 PIPELINING\r\n' }]);
  try {
    const s = await open({ host: '127.0.0.1', port: greeted.port });
    await s.greet();
    await assert.rejects(s.noop({ signal: AbortSignal.timeout(100) }), AbortError, 'NOOP never answered');
    assert.ok(s.conn.socket.closed);
  } finally {
    await greeted.close();
  }
});

test('host is the option, server its LuaSocket alias; they may not disagree', async () => {
  await assert.rejects(open({ host: '127.0.0.1', server: '127.0.0.2' }), ArgumentError);
  await assert.rejects(open({}), ArgumentError);
  await assert.rejects(open({ host: '127.0.0.1', tls: 'sometimes' as 'none' }), ArgumentError);
  const srv = await startSmtpSink();
  try {
    for (const opts of [{ host: '127.0.0.1' }, { server: '127.0.0.1' }, { host: '127.0.0.1', server: '127.0.0.1' }]) {
      const r = await send({ ...opts, port: srv.port, tls: 'none', from: 'a@x.test', rcpt: 'b@x.test', source: async () => null });
      assert.deepEqual(r.accepted, ['b@x.test']);
    }
    assert.equal(srv.got.length, 3);
  } finally {
    await srv.close();
  }
});
