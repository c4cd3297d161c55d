/**
 * Where the mailbox takes passwords in clear (`plainAuth`): by default from
 * loopback addresses or after STARTTLS/STLS; with `'tls'` only after TLS —
 * then EHLO and CAPA do not offer AUTH PLAIN/LOGIN or USER, AUTH gets 538
 * and USER/PASS `-ERR [AUTH]`, APOP still works, and after the upgrade the
 * same logins succeed. The loopback test is a table.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mailbox, type Mailbox, type MailboxOptions } from '../../src/servers/index.js';
import { isLoopback } from '../../src/servers/mailbox/guard.js';
import { open } from '../../src/protocols/smtp/index.js';
import { connect as pop3 } from '../../src/protocols/pop3/index.js';
import { ArgumentError } from '../../src/core/errors.js';
import { source } from '../../src/ltn12/index.js';
import { Talk } from '../../testkit/talk.js';

const users = { alice: 'secret' };
const plain = Buffer.from('\0alice\0secret').toString('base64');

async function withBox(opts: Partial<MailboxOptions>, fn: (box: Mailbox) => Promise<void>): Promise<void> {
  const box = await mailbox({ smtpPort: 0, pop3Port: 0, users, store: 'memory', greetDelay: 0, ...opts });
  try {
    await fn(box);
  } finally {
    await box.close();
  }
}

test('isLoopback: 127.0.0.0/8, ::1 and IPv4-mapped loopback only', () => {
  const vectors: [string, boolean][] = [
    ['127.0.0.1', true],
    ['127.255.3.9', true],
    ['::1', true],
    ['0:0:0:0:0:0:0:1', true],
    ['::ffff:127.0.0.1', true],
    ['10.0.0.1', false],
    ['128.0.0.1', false],
    ['::ffff:10.0.0.1', false],
    ['::2', false],
    ['fe80::1', false],
    ['1127.0.0.1', false],
    ['', false],
  ];
  for (const [address, want] of vectors) assert.equal(isLoopback(address), want, address);
});

test("plainAuth 'tls': EHLO hides AUTH, AUTH PLAIN gets 538; POP3 CAPA hides USER, USER gets -ERR [AUTH]; APOP works", async () => {
  await withBox({ plainAuth: 'tls' }, async (box) => {
    const t = new Talk(box.smtp.port);
    assert.match(await t.reply(), /^220 /);
    t.write('EHLO t\r\n');
    const ehlo = await t.lines(4);
    assert.ok(!ehlo.some((l) => /AUTH/.test(l)), ehlo.join('|'));
    t.write(`AUTH PLAIN ${plain}\r\n`);
    assert.match(await t.reply(), /^538 5\.7\.11 /);
    t.sock.destroy();

    const p = new Talk(box.pop3.port);
    assert.match((await p.lines(1))[0]!, /^\+OK /);
    p.write('CAPA\r\n');
    const caps = await p.lines(5);
    assert.deepEqual(caps.slice(1), ['UIDL', 'TOP', 'PIPELINING', '.']);
    p.write('USER alice\r\nPASS secret\r\n');
    assert.match((await p.lines(1))[0]!, /^-ERR \[AUTH\] plaintext/);
    assert.match((await p.lines(1))[0]!, /^-ERR \[AUTH\] plaintext/);
    p.sock.destroy();

    const apop = await pop3({ host: '127.0.0.1', port: box.pop3.port, user: 'alice', password: 'secret', apop: true });
    assert.deepEqual(await apop.stat(), { count: 0, size: 0 });
    await apop.quit();
  });
});

test("plainAuth 'tls': after STARTTLS and STLS the same logins succeed (client trusting the generated certificate)", async () => {
  await withBox({ plainAuth: 'tls', tls: 'starttls', requireAuth: true }, async (box) => {
    const tlsOptions = { ca: box.tls!.cert };
    const s = await open({ host: '127.0.0.1', port: box.smtp.port, tls: 'starttls', tlsOptions });
    await s.greet('t');
    await s.startTls('t');
    assert.equal((await s.auth('alice', 'secret')).code, 235);
    await s.send({ from: 'a@x', rcpt: 'alice@x' }, source.string('Subject: hi\r\n\r\nover TLS\r\n'));
    await s.quit();
    const p = await pop3({ host: '127.0.0.1', port: box.pop3.port, user: 'alice', password: 'secret', tls: 'starttls', tlsOptions });
    assert.equal((await p.stat()).count, 1);
    await p.quit();
  });
});

test("plainAuth default 'loopback': a loopback client may log in without TLS", async () => {
  await withBox({}, async (box) => {
    const t = new Talk(box.smtp.port);
    assert.match(await t.reply(), /^220 /);
    t.write(`EHLO t\r\nAUTH PLAIN ${plain}\r\n`);
    const ehlo = await t.lines(5);
    assert.ok(ehlo.includes('250 AUTH PLAIN LOGIN'), ehlo.join('|'));
    assert.match(await t.reply(), /^235 /);
    t.sock.destroy();
  });
});

test('mailbox refuses a bad plainAuth and a users file that is not JSON with ArgumentError', async () => {
  await assert.rejects(mailbox({ smtpPort: 0, pop3Port: 0, users, store: 'memory', plainAuth: 'never' as never }), ArgumentError);
  await assert.rejects(mailbox({ smtpPort: 0, pop3Port: 0, users: { 'bad name': 'x' }, store: 'memory' }), ArgumentError);
  await assert.rejects(mailbox({ smtpPort: 0, pop3Port: 0, users: [] as never, store: 'memory' }), ArgumentError);
});
