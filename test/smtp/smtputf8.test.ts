import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NetError } from '../../src/core/index.js';
import { source } from '../../src/ltn12/index.js';
import { message, open, send } from '../../src/protocols/smtp/index.js';
import { startSmtpSink } from '../../testkit/smtp-sink.js';

const body = () => message({ headers: { Subject: 'utf8' }, body: 'hallo' });

test('SMTPUTF8 offered: a non-ASCII sender or recipient puts SMTPUTF8 on MAIL FROM; ASCII envelopes do not', { timeout: 30000 }, async () => {
  for (const hidePIPELINING of [false, true]) {
    const srv = await startSmtpSink({ hidePIPELINING });
    try {
      const base = { host: '127.0.0.1', port: srv.port, tls: 'none' as const, source: body() };
      const cases: [string, string[], boolean][] = [
        ['jürgen@exämple.test', ['b@x.test'], true],
        ['a@x.test', ['zoë@x.test', 'c@x.test'], true],
        ['a@x.test', ['b@x.test'], false],
      ];
      for (const [from, rcpt, utf8] of cases) {
        const r = await send({ ...base, from, rcpt, source: body() });
        assert.deepEqual(r.accepted, rcpt);
        const got = srv.got.at(-1)!;
        assert.equal(got.from, from, 'the address arrives as UTF-8');
        assert.deepEqual(got.to, rcpt);
        assert.equal(got.params.SMTPUTF8, utf8 ? true : undefined, `${from} → ${rcpt.join(',')}`);
      }
      // the low-level step says SMTPUTF8 for a non-ASCII sender too
      const s = await open({ host: '127.0.0.1', port: srv.port });
      await s.greet();
      await s.mail('ünïcode@x.test');
      await s.rcpt('ω@x.test');
      await s.data(source.string('Subject: x\r\n\r\ny\r\n'));
      await s.quit();
      assert.equal(srv.got.at(-1)!.params.SMTPUTF8, true);
      assert.deepEqual(srv.got.at(-1)!.to, ['ω@x.test']);
    } finally {
      await srv.close();
    }
  }
});

test('SMTPUTF8 not offered: a non-ASCII address is a NetError "unsupported" before anything is sent', { timeout: 30000 }, async () => {
  for (const hidePIPELINING of [false, true]) {
    const srv = await startSmtpSink({ hideSMTPUTF8: true, hidePIPELINING });
    try {
      const base = { host: '127.0.0.1', port: srv.port, tls: 'none' as const };
      for (const [from, rcpt] of [
        ['jürgen@x.test', 'b@x.test'],
        ['a@x.test', 'zoë@x.test'],
      ] as const) {
        const err = await send({ ...base, from, rcpt: ['ok@x.test', rcpt], source: body() }).catch((e: unknown) => e);
        assert.ok(err instanceof NetError && err.code === 'unsupported', String(err));
        assert.match(err.message, /SMTPUTF8/);
      }
      assert.deepEqual(srv.seen, [], 'no MAIL or RCPT reached the server');
      const s = await open({ host: '127.0.0.1', port: srv.port });
      await s.greet();
      assert.ok(!s.extensions.has('SMTPUTF8'));
      await assert.rejects(s.mail('jürgen@x.test'), { code: 'unsupported' });
      await s.mail('a@x.test');
      await assert.rejects(s.rcpt('zoë@x.test'), { code: 'unsupported' });
      await s.rcpt('b@x.test');
      await s.data(source.string('Subject: x\r\n\r\ny\r\n'));
      await s.quit();
      assert.deepEqual(srv.seen, ['MAIL a@x.test', 'RCPT b@x.test'], 'the session went on as if the refused steps were never asked');
      assert.equal(srv.got.length, 1);
      assert.equal(srv.got[0]!.params.SMTPUTF8, undefined);
    } finally {
      await srv.close();
    }
  }
});
