/**
 * Login throttling in the mailbox: every failed SMTP AUTH or POP3 PASS/APOP
 * waits longer before its reply (n × authFailureDelay), and after
 * maxAuthFailures the server hangs up (SMTP 421, POP3 -ERR and close). A
 * right password after a failure still logs in. Also the SASL decoder.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mailbox, type Mailbox, type MailboxOptions } from '../../src/servers/index.js';
import { saslCredentials } from '../../src/servers/mailbox/sasl.js';
import { AUTH_FAILURE_DELAY_MS, MAX_AUTH_FAILURES, samePassword } from '../../src/servers/mailbox/guard.js';
import { Talk } from '../../testkit/talk.js';

const users = { alice: 'secret' };
const plain = (user: string, pass: string) => Buffer.from(`\0${user}\0${pass}`).toString('base64');

async function withBox(opts: Partial<MailboxOptions>, fn: (box: Mailbox) => Promise<void>): Promise<void> {
  const box = await mailbox({ smtpPort: 0, pop3Port: 0, users, store: 'memory', ...opts });
  try {
    await fn(box);
  } finally {
    await box.close();
  }
}

async function smtpGreeted(box: Mailbox): Promise<Talk> {
  const t = new Talk(box.smtp.port);
  assert.match(await t.reply(), /^220 /);
  t.write('EHLO t\r\n');
  assert.match(await t.reply(), /^250 /);
  return t;
}

async function pop3Greeted(box: Mailbox): Promise<Talk> {
  const t = new Talk(box.pop3.port);
  assert.match((await t.lines(1))[0]!, /^\+OK /);
  return t;
}

const STEP = 100;

test('SMTP AUTH: 5 wrong guesses take at least the sum of the growing delays, then 421 and the connection is closed', { timeout: 30_000 }, async () => {
  await withBox({ authFailureDelay: STEP, maxAuthFailures: 5 }, async (box) => {
    const t = await smtpGreeted(box);
    const started = performance.now();
    for (let i = 1; i <= 5; i++) {
      t.write(`AUTH PLAIN ${plain('alice', `guess${i}`)}\r\n`);
      assert.match(await t.reply(), /^535 5\.7\.8 /);
    }
    const took = performance.now() - started;
    assert.ok(took >= STEP * (1 + 2 + 3 + 4 + 5) - 5, `took ${took} ms`);
    assert.match(await t.reply(), /^421 /);
    assert.ok(await t.gone(), 'closed after the last failure');
  });
});

test(`SMTP AUTH: the defaults (${AUTH_FAILURE_DELAY_MS} ms × n, ${MAX_AUTH_FAILURES} failures) hang up after the third; a right password after one failure works`, {
  timeout: 30_000,
}, async () => {
  await withBox({}, async (box) => {
    const t = await smtpGreeted(box);
    const started = performance.now();
    t.write(`AUTH PLAIN ${plain('alice', 'a')}\r\nAUTH LOGIN\r\n`);
    assert.match(await t.reply(), /^535 /);
    assert.match(await t.reply(), /^334 /);
    t.write(`${Buffer.from('nobody').toString('base64')}\r\n`);
    assert.match(await t.reply(), /^334 /);
    t.write(`${Buffer.from('x').toString('base64')}\r\nAUTH PLAIN not-base64!\r\n`);
    assert.match(await t.reply(), /^535 /);
    assert.match(await t.reply(), /^501 5\.5\.2 malformed/);
    assert.match(await t.reply(), /^421 /);
    assert.ok(performance.now() - started >= AUTH_FAILURE_DELAY_MS * 6 - 5);
    assert.ok(await t.gone());
    const u = await smtpGreeted(box);
    u.write(`AUTH PLAIN ${plain('alice', 'wrong')}\r\n`);
    assert.match(await u.reply(), /^535 /);
    u.write(`AUTH PLAIN ${plain('alice', 'secret')}\r\nAUTH PLAIN x\r\n`);
    assert.match(await u.reply(), /^235 /);
    assert.match(await u.reply(), /^503 /, 'a second AUTH is a sequence error');
    u.end();
  });
});

test('POP3 PASS and APOP: 5 wrong guesses take at least the sum of the delays, the last -ERR closes; a right password after one failure works', {
  timeout: 30_000,
}, async () => {
  await withBox({ authFailureDelay: STEP, maxAuthFailures: 5 }, async (box) => {
    const t = await pop3Greeted(box);
    const started = performance.now();
    for (let i = 1; i <= 5; i++) {
      t.write(i % 2 ? `USER alice\r\nPASS guess${i}\r\n` : `APOP alice ${'0'.repeat(32)}\r\n`);
      if (i % 2) assert.match((await t.lines(1))[0]!, /^\+OK/);
      assert.match((await t.lines(1))[0]!, /^-ERR \[AUTH\] /);
    }
    assert.ok(performance.now() - started >= STEP * 15 - 5);
    assert.ok(await t.gone(), 'closed after the fifth failure');
  });
  await withBox({}, async (box) => {
    const t = await pop3Greeted(box);
    t.write('USER alice\r\nPASS wrong\r\nUSER alice\r\nPASS secret\r\nSTAT\r\n');
    assert.deepEqual(
      (await t.lines(5)).map((l) => l.split(' ')[0]),
      ['+OK', '-ERR', '+OK', '+OK', '+OK'],
    );
    t.write('QUIT\r\n');
    assert.match((await t.lines(1))[0]!, /^\+OK/);
  });
});

test('POP3 APOP with the right digest logs in after a failure', { timeout: 30_000 }, async () => {
  await withBox({}, async (box) => {
    const t = new Talk(box.pop3.port);
    const [greeting] = await t.lines(1);
    const stamp = /<[^>]+>/.exec(greeting!)![0];
    t.write(`APOP alice ${'f'.repeat(32)}\r\nAPOP alice ${createHash('md5').update(`${stamp}secret`).digest('hex')}\r\n`);
    const [bad, good] = await t.lines(2);
    assert.match(bad!, /^-ERR \[AUTH\]/);
    assert.match(good!, /^\+OK 0 messages/);
    t.end();
  });
});

test('saslCredentials: PLAIN inline and after 334, LOGIN, cancel, malformed, unknown mechanisms', async () => {
  const answers = (list: string[]) => {
    const asked: string[] = [];
    return { asked, ask: async (c: string) => (asked.push(c), list.shift() ?? '') };
  };
  assert.deepEqual(await saslCredentials('plain', plain('a', 'p w'), answers([]).ask), { user: 'a', pass: 'p w' });
  const a = answers([plain('b', 'q')]);
  assert.deepEqual(await saslCredentials('PLAIN', undefined, a.ask), { user: 'b', pass: 'q' });
  assert.deepEqual(a.asked, ['']);
  const l = answers([Buffer.from('carol').toString('base64'), Buffer.from('pw').toString('base64')]);
  assert.deepEqual(await saslCredentials('LOGIN', undefined, l.ask), { user: 'carol', pass: 'pw' });
  assert.deepEqual(l.asked, ['VXNlcm5hbWU6', 'UGFzc3dvcmQ6']);
  assert.equal(await saslCredentials('PLAIN', '*', answers([]).ask), 'cancelled');
  assert.equal(await saslCredentials('LOGIN', undefined, answers(['*']).ask), 'cancelled');
  for (const bad of ['!!!!', 'abc', Buffer.from('no nuls').toString('base64'), Buffer.from('\0a\0b\0c').toString('base64')]) {
    assert.equal(await saslCredentials('PLAIN', bad, answers([]).ask), 'malformed', bad);
  }
  assert.equal(await saslCredentials('CRAM-MD5', undefined, answers([]).ask), 'unsupported');
});

test('samePassword: equal strings only; an unknown user or an empty password never matches', () => {
  assert.equal(samePassword('secret', 'secret'), true);
  assert.equal(samePassword('secret', 'secreT'), false);
  assert.equal(samePassword(undefined, ''), false);
  assert.equal(samePassword('', ''), false);
  assert.equal(samePassword('', 'x'), false);
});
