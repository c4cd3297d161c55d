import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ArgumentError, ReplyError } from '../../src/core/index.js';
import { pump, source, type Sink, type Source } from '../../src/ltn12/index.js';
import { message, open, send } from '../../src/protocols/smtp/index.js';
import { startSmtpSink } from '../../testkit/smtp-sink.js';

// CRLF lines, a dot line, a line that is only a dot, 8-bit bytes: what arrives must be these bytes.
const RAW = Buffer.concat([
  Buffer.from('From: a@x.test\r\nTo: b@x.test\r\nSubject: steps\r\n\r\n.leading dot\r\n.\r\n..two\r\n', 'latin1'),
  Buffer.from([0xc3, 0xa9, 0x0d, 0x0a]),
  Buffer.from('last line\r\n'),
]);

test('mail, rcpt, data, quit by hand deliver the message byte-exact, with every reply returned', { timeout: 30000 }, async () => {
  for (const hidePIPELINING of [false, true]) {
    const srv = await startSmtpSink({ hidePIPELINING });
    try {
      const s = await open({ host: '127.0.0.1', port: srv.port });
      await s.greet('client.test');
      assert.equal((await s.mail('a@x.test')).code, 250);
      assert.equal((await s.rcpt('b@x.test')).code, 250);
      assert.equal((await s.rcpt('<c@x.test>')).code, 250);
      assert.equal((await s.noop()).code, 250);
      const done = await s.data(source.string(RAW, 7));
      assert.equal(done.code, 250);
      assert.equal((await s.quit()).code, 221);
      assert.equal(srv.got.length, 1);
      assert.deepEqual(srv.got[0]!.data, RAW);
      assert.equal(srv.got[0]!.from, 'a@x.test');
      assert.deepEqual(srv.got[0]!.to, ['b@x.test', 'c@x.test']);
    } finally {
      await srv.close();
    }
  }
});

test('rset drops the envelope: only what follows it is delivered; data without MAIL is refused', { timeout: 30000 }, async () => {
  const srv = await startSmtpSink();
  try {
    const s = await open({ server: '127.0.0.1', port: srv.port });
    await s.greet();
    await s.mail('first@x.test');
    await s.rcpt('dropped@x.test');
    assert.equal((await s.rset()).code, 250);
    await assert.rejects(s.data(source.string('x\r\n')), (e: ReplyError) => e instanceof ReplyError && e.replyCode === 503);
    await assert.rejects(s.rcpt('bad@x.test'), (e: ReplyError) => e instanceof ReplyError && e.replyCode >= 500, 'RCPT before MAIL, or a refused recipient');
    await s.mail('second@x.test');
    await assert.rejects(s.rcpt('bad@x.test'), (e: ReplyError) => e.replyCode === 550);
    await s.rcpt('kept@x.test');
    await s.data(source.string('Subject: after rset\r\n\r\nbody\r\n'));
    await s.quit();
    assert.deepEqual(
      srv.got.map((m) => [m.from, m.to]),
      [['second@x.test', ['kept@x.test']]],
    );
  } finally {
    await srv.close();
  }
});

test('a custom step moves the message: send({ step }) and data(src, { step }) call it once per chunk and the end', { timeout: 30000 }, async () => {
  for (const hidePIPELINING of [false, true]) {
    const srv = await startSmtpSink({ hidePIPELINING });
    try {
      const chunks: number[] = [];
      const step = (src: Source, snk: Sink): Promise<boolean> => {
        const counting: Source = async () => {
          const c = await src();
          chunks.push(c === null ? -1 : c.length);
          return c;
        };
        return pump.step(counting, snk);
      };
      const body = Buffer.alloc(10_000, 'a');
      const r = await send({
        host: '127.0.0.1',
        port: srv.port,
        tls: 'none',
        from: 'a@x.test',
        rcpt: ['b@x.test', 'bad@x.test'],
        source: source.string(body, 1000),
        step,
      });
      assert.deepEqual(r.accepted, ['b@x.test']);
      assert.deepEqual(chunks, [...Array(10).fill(1000), -1], 'ten chunks, then the end');
      assert.deepEqual(srv.got[0]!.data, Buffer.concat([body, Buffer.from('\r\n')]), 'a final CRLF is added');
      chunks.length = 0;
      const s = await open({ host: '127.0.0.1', port: srv.port });
      await s.greet();
      await s.mail('a@x.test');
      await s.rcpt('b@x.test');
      await s.data(source.string('one\r\ntwo\r\n', 4), { step });
      await s.quit();
      assert.deepEqual(chunks, [4, 4, 2, -1]);
      assert.equal(srv.got[1]!.data.toString(), 'one\r\ntwo\r\n');
    } finally {
      await srv.close();
    }
  }
});

test('the steps refuse bad arguments before sending anything', { timeout: 30000 }, async () => {
  const srv = await startSmtpSink();
  try {
    const s = await open({ host: '127.0.0.1', port: srv.port });
    await s.greet();
    await assert.rejects(s.mail('a@x.test\r\nRCPT TO:<evil@x.test>'), ArgumentError);
    await assert.rejects(s.mail('a@x.test', { 'SIZE=1 EVIL': 1 }), ArgumentError);
    await assert.rejects(s.mail('a@x.test', { SIZE: '1 EVIL' }), ArgumentError);
    await assert.rejects(s.rcpt('<b@x.test>>'), ArgumentError);
    await assert.rejects(s.data('not a source' as unknown as Source), ArgumentError);
    await s.mail('a@x.test', { SIZE: 12 });
    await s.rcpt('b@x.test');
    await assert.rejects(s.data(source.string('x'), { step: 42 as unknown as undefined }), ArgumentError);
    await s.data(message({ body: 'still fine' }));
    await s.quit();
    assert.equal(srv.got.length, 1);
    assert.equal(srv.got[0]!.params.SIZE, '12');
    assert.equal(srv.got[0]!.params.BODY, '8BITMIME', 'BODY=8BITMIME is added when offered');
  } finally {
    await srv.close();
  }
});
