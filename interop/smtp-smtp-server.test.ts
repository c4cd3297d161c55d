import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { attachment, message, send } from '../src/protocols/smtp/index.js';
import { selfSigned } from '../testkit/tls.js';

/** npm smtp-server (nodemailer's), always with disableReverseLookup: beside aiosmtpd, the SMTP client's second peer. */
test('SMTP client against npm smtp-server: STARTTLS, AUTH PLAIN and LOGIN, an attachment byte-exact, refused recipients reported', {
  timeout: 60_000,
}, async () => {
  const { key, cert } = selfSigned();
  const got: { user: string; rcpt: string[]; data: Buffer }[] = [];
  for (const method of ['PLAIN', 'LOGIN']) {
    const server = new SMTPServer({
      disableReverseLookup: true,
      logger: false,
      key,
      cert,
      authMethods: [method],
      onAuth: (a, _s, cb) => (a.username === 'me' && a.password === 'pw' ? cb(null, { user: a.username }) : cb(new Error('bad login'))),
      onRcptTo: (a, _s, cb) => (a.address.startsWith('nobody') ? cb(Object.assign(new Error('no such user'), { responseCode: 550 })) : cb()),
      onData(stream, session, done) {
        const parts: Buffer[] = [];
        stream.on('data', (d: Buffer) => parts.push(d));
        stream.on('end', () => {
          got.push({ user: String(session.user), rcpt: session.envelope.rcptTo.map((r) => r.address), data: Buffer.concat(parts) });
          done();
        });
      },
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.server.address() as net.AddressInfo).port;
    const payload = randomBytes(50_000);
    const dir = mkdtempSync(join(tmpdir(), 'nk-smtpsrv-'));
    writeFileSync(join(dir, 'data.bin'), payload);
    try {
      const r = await send({
        server: '127.0.0.1',
        port,
        tls: 'starttls',
        tlsOptions: { ca: cert },
        user: 'me',
        password: 'pw',
        from: 'me@x.test',
        rcpt: ['you@x.test', 'nobody@x.test'],
        source: message({
          headers: [
            ['From', 'me@x.test'],
            ['To', 'you@x.test'],
            ['Subject', `via ${method}`],
          ],
          body: { parts: [{ body: 'see attached\n' }, attachment(join(dir, 'data.bin'))] },
        }),
      });
      assert.deepEqual(r.accepted, ['you@x.test']);
      assert.equal(r.rejected[0]?.code, 550);
      const last = got.at(-1)!;
      assert.equal(last.user, 'me');
      assert.deepEqual(last.rcpt, ['you@x.test']);
      const text = last.data.toString('latin1');
      assert.match(text, new RegExp(`Subject: via ${method}`));
      const b64 = /filename="?data\.bin"?[\s\S]*?\r\n\r\n([A-Za-z0-9+/=\r\n]+?)\r\n--/.exec(text)?.[1];
      assert.ok(b64, 'the attachment part is there');
      assert.ok(Buffer.from(b64.replace(/\r\n/g, ''), 'base64').equals(payload), 'the attachment arrives byte-exact');
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await new Promise<void>((r) => server.close(() => r()));
    }
  }
  assert.equal(got.length, 2);
});
