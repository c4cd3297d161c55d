import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { connect, listHeaders } from '../../src/protocols/pop3/index.js';
import { sink } from '../../src/ltn12/index.js';
import { ProtocolError, ReplyError } from '../../src/core/index.js';
import { scriptedServer } from '../../testkit/scripted.js';

const GREETING = '+OK POP3 ready <1896.697170952@dbc.mtview.ca.us>\r\n';
const CAPA = '+OK\r\nUSER\r\nUIDL\r\nTOP\r\n.\r\n';
const MSG = 'From: =?UTF-8?Q?Jos=C3=A9?= <jose@x.test>\r\nTo: me@x.test\r\nSubject: hi\r\n\r\n..leading dot\r\nbody\r\n';

test('a whole POP3 session against a scripted server: every command, exact bytes both ways', { timeout: 30000 }, async () => {
  for (const byteByByte of [false, true]) {
    const srv = await scriptedServer(
      [
        { send: GREETING },
        { awaitLines: 1, send: CAPA },
        { awaitLines: 2, send: '+OK\r\n' },
        { awaitLines: 3, send: '+OK logged in\r\n' },
        { awaitLines: 4, send: '+OK 2 320\r\n' },
        { awaitLines: 5, send: '+OK 2 messages\r\n1 120\r\n2 200\r\n.\r\n' },
        { awaitLines: 6, send: '+OK\r\n1 whqtswO00WBw418f9t5JxYwZ\r\n2 QhdPYR:00WBw1Ph7x7\r\n.\r\n' },
        { awaitLines: 7, send: `+OK\r\n${MSG.replace('..leading dot\r\nbody\r\n', '')}.\r\n` },
        { awaitLines: 8, send: `+OK 120 octets\r\n${MSG}.\r\n` },
        { awaitLines: 9, send: '+OK deleted\r\n' },
        { awaitLines: 10, send: '+OK\r\n' },
        { awaitLines: 11, send: '+OK\r\n' },
        { awaitLines: 12, send: '-ERR no such message\r\n' },
        { awaitLines: 13, send: '+OK bye\r\n' },
      ],
      { byteByByte },
    );
    const s = await connect({ server: '127.0.0.1', port: srv.port, user: 'me', password: 'pw', allowPlainAuth: true });
    assert.ok(s.capabilities.has('UIDL'));
    assert.deepEqual(await s.stat(), { count: 2, size: 320 });
    assert.deepEqual(await s.list(), [
      { n: 1, size: 120 },
      { n: 2, size: 200 },
    ]);
    assert.deepEqual(
      (await s.uidl()).map((u) => u.uid),
      ['whqtswO00WBw418f9t5JxYwZ', 'QhdPYR:00WBw1Ph7x7'],
    );
    const top = await s.top(1, 0);
    assert.match(top.toString(), /^Subject: hi\r\n/m);
    const [snk, chunks] = sink.table();
    await s.retrieve(1, snk);
    assert.equal(Buffer.concat(chunks).toString(), MSG.replace('..leading', '.leading'));
    await s.delete(1);
    await s.reset();
    await s.noop();
    const err = await s.retrieve(9).catch((e) => e);
    assert.ok(err instanceof ReplyError && err.replyCode === 0 && /no such message/.test(err.reply));
    await s.quit();
    assert.equal(
      srv.received().toString(),
      'CAPA\r\nUSER me\r\nPASS pw\r\nSTAT\r\nLIST\r\nUIDL\r\nTOP 1 0\r\nRETR 1\r\nDELE 1\r\nRSET\r\nNOOP\r\nRETR 9\r\nQUIT\r\n',
    );
    await srv.close();
  }
});

test('APOP sends the digest of the timestamp and password, never the password', { timeout: 20000 }, async () => {
  const srv = await scriptedServer([{ send: GREETING }, { awaitLines: 1, send: '-ERR no CAPA\r\n' }, { awaitLines: 2, send: '+OK\r\n' }]);
  const s = await connect({ server: '127.0.0.1', port: srv.port, user: 'mrose', password: 'tanstaaf', apop: true });
  const digest = createHash('md5').update('<1896.697170952@dbc.mtview.ca.us>tanstaaf').digest('hex');
  assert.equal(digest, 'c4c9334bac560ecc979e58001b3e22fb', 'RFC 1939 §7 example');
  assert.equal(srv.received().toString(), `CAPA\r\nAPOP mrose ${digest}\r\n`);
  await s.conn.close();
  await srv.close();
});

test('no password over cleartext unless allowed; bad replies are typed errors', { timeout: 20000 }, async () => {
  const srv = await scriptedServer([{ send: GREETING }, { awaitLines: 1, send: CAPA }]);
  await assert.rejects(connect({ server: '127.0.0.1', port: srv.port, user: 'me', password: 'pw' }), { code: 'tls' });
  assert.equal(srv.received().toString(), 'CAPA\r\n', 'no USER or PASS was sent');
  await srv.close();
  const bad = await scriptedServer([{ send: 'HELLO\r\n' }]);
  await assert.rejects(connect({ server: '127.0.0.1', port: bad.port, user: 'me', password: 'pw', allowPlainAuth: true }), ProtocolError);
  await bad.close();
  const stls = await scriptedServer([{ send: GREETING }, { awaitLines: 1, send: CAPA }]);
  await assert.rejects(connect({ server: '127.0.0.1', port: stls.port, user: 'me', password: 'pw', tls: 'stls' }), { code: 'tls' });
  await stls.close();
});

test('listHeaders() decodes RFC 2047 words from TOP n 0', { timeout: 20000 }, async () => {
  const srv = await scriptedServer([
    { send: GREETING },
    { awaitLines: 1, send: CAPA },
    { awaitLines: 2, send: '+OK\r\n' },
    { awaitLines: 3, send: '+OK\r\n' },
    { awaitLines: 4, send: '+OK\r\n1 120\r\n.\r\n' },
    { awaitLines: 5, send: `+OK\r\n${MSG.split('\r\n\r\n')[0]}\r\n\r\n.\r\n` },
  ]);
  const s = await connect({ server: '127.0.0.1', port: srv.port, user: 'me', password: 'pw', allowPlainAuth: true });
  const list = await listHeaders(s);
  assert.deepEqual(list, [{ n: 1, size: 120, from: 'José <jose@x.test>', to: 'me@x.test', cc: '', subject: 'hi', date: '' }]);
  await s.conn.close();
  await srv.close();
});

test('STAT and LIST sizes must be two plain decimal numbers: missing, signed, hex, exponent or huge ones are ProtocolError (PC-05)', {
  timeout: 20000,
}, async () => {
  for (const bad of ['+OK\r\n', '+OK 2\r\n', '+OK -1 320\r\n', '+OK +1 320\r\n', '+OK 0x10 320\r\n', '+OK 1e3 320\r\n', '+OK 1 99999999999999999999\r\n']) {
    const srv = await scriptedServer([
      { send: GREETING },
      { awaitLines: 1, send: '-ERR\r\n' },
      { awaitLines: 2, send: '+OK\r\n' },
      { awaitLines: 3, send: bad },
    ]);
    const s = await connect({ server: '127.0.0.1', port: srv.port, user: 'u', password: 'p', apop: true });
    try {
      const err = await s.stat().catch((e) => e);
      assert.ok(err instanceof ProtocolError, `${JSON.stringify(bad)} gave ${err instanceof Error ? err.message : JSON.stringify(err)}`);
    } finally {
      await s.conn.close();
      await srv.close();
    }
  }
});
