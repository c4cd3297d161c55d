/**
 * The mailbox's SMTP side against a raw client: recipient limits and
 * de-duplication, and protocol hygiene (unknown commands, long lines, NUL,
 * early talkers, control bytes in replies, clients leaving without QUIT).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mailbox, type Mailbox, type MailboxOptions } from '../../src/servers/index.js';
import { MAX_DATA_LINE, MAX_RECIPIENTS } from '../../src/servers/mailbox/smtp-in.js';
import { waitFor } from '../../testkit/index.js';
import { Talk } from '../../testkit/talk.js';

const users = { alice: 'secret', bob: 'hunter2' };

async function withBox(opts: Partial<MailboxOptions>, fn: (box: Mailbox) => Promise<void>): Promise<void> {
  const box = await mailbox({ smtpPort: 0, pop3Port: 0, users, store: 'memory', ...opts });
  try {
    await fn(box);
  } finally {
    await box.close();
  }
}

async function greeted(box: Mailbox): Promise<Talk> {
  const t = new Talk(box.smtp.port);
  assert.match(await t.reply(), /^220 /);
  t.write('EHLO t\r\n');
  assert.match(await t.reply(), /^250 /);
  return t;
}

test(`RCPT: 452 after ${MAX_RECIPIENTS} recipients, and one copy per mailbox however often it is named`, { timeout: 60_000 }, async () => {
  await withBox({}, async (box) => {
    const t = await greeted(box);
    t.write('MAIL FROM:<a@x>\r\n');
    assert.match(await t.reply(), /^250 /);
    t.write(`${'RCPT TO:<alice@x>\r\n'.repeat(1000)}RCPT TO:<bob@x>\r\n`);
    const replies = await t.lines(1001);
    assert.equal(replies.filter((r) => r.startsWith('250 ')).length, MAX_RECIPIENTS);
    assert.equal(replies.filter((r) => r.startsWith('452 ')).length, 1001 - MAX_RECIPIENTS);
    t.write('DATA\r\n');
    assert.match(await t.reply(), /^354 /);
    t.write(`Subject: x\r\n\r\n${`${'y'.repeat(998)}\r\n`.repeat(100)}.\r\n`);
    assert.match(await t.reply(), /^250 .*delivered to 1 /);
    assert.equal((await box.store.list('alice')).length, 1);
    assert.equal((await box.store.list('bob')).length, 0);
    // a new transaction starts counting again
    t.write('MAIL FROM:<a@x>\r\nRCPT TO:<bob@x>\r\n');
    assert.deepEqual(
      (await t.lines(2)).map((l) => l.slice(0, 4)),
      ['250 ', '250 '],
    );
    t.end();
  });
});

/** Waits until the server closed the connection. */
async function closedBy(t: Talk): Promise<void> {
  assert.ok(await waitFor(() => t.closed, 10_000), 'the server closed the connection');
}

test('an early talker (bytes before the 220 banner) gets 554 and is closed; greetDelay 0 turns the check off', { timeout: 30_000 }, async () => {
  await withBox({}, async (box) => {
    const t = new Talk(box.smtp.port);
    t.write('EHLO spambot\r\nMAIL FROM:<a@x>\r\n');
    assert.match(await t.reply(), /^554 /);
    await closedBy(t);
    assert.equal(t.buf, '', 'nothing after the 554');
  });
  await withBox({ greetDelay: 0 }, async (box) => {
    const t = new Talk(box.smtp.port);
    t.write('EHLO eager\r\n');
    assert.match(await t.reply(), /^220 /);
    assert.match(await t.reply(), /^250 /);
    t.end();
  });
});

test('after maxBadCommands (default 10) unknown or invalid commands the server says 421 and hangs up', { timeout: 30_000 }, async () => {
  await withBox({}, async (box) => {
    const t = await greeted(box);
    t.write('FOO\r\n'.repeat(9));
    assert.ok((await t.lines(9)).every((l) => l.startsWith('502 ')));
    t.write('NOOP\r\nRCPT TO:<alice@x>\r\n'); // NOOP is fine; RCPT before MAIL is the tenth error
    assert.deepEqual(
      (await t.lines(3)).map((l) => l.slice(0, 4)),
      ['250 ', '503 ', '421 '],
    );
    await closedBy(t);
  });
  await withBox({ maxBadCommands: 2 }, async (box) => {
    const t = await greeted(box);
    t.write('MAIL FROM:nonsense\r\nBAR\r\nNOOP\r\n');
    assert.deepEqual(
      (await t.lines(3)).map((l) => l.slice(0, 4)),
      ['501 ', '502 ', '421 '],
    );
    await closedBy(t);
  });
});

test('an over-long command line gets 500 "line too long", the session goes on, and the lines count as bad commands', { timeout: 30_000 }, async () => {
  await withBox({ maxBadCommands: 3 }, async (box) => {
    const t = await greeted(box);
    t.write(`NOOP ${'x'.repeat(600)}\r\n`);
    assert.match(await t.reply(), /^500 5\.5\.2 line too long/);
    t.write(`NOOP ${'y'.repeat(200_000)}\r\nNOOP\r\n`);
    assert.match(await t.reply(), /^500 5\.5\.2 line too long/);
    assert.match(await t.reply(), /^250 /);
    t.write(`${'z'.repeat(5000)}\r\n`);
    assert.deepEqual(
      (await t.lines(2)).map((l) => l.slice(0, 4)),
      ['500 ', '421 '],
    );
    await closedBy(t);
  });
});

test('DATA: a NUL refuses the message (554 after the dot), nothing stored, the session goes on', { timeout: 30_000 }, async () => {
  await withBox({}, async (box) => {
    const t = await greeted(box);
    t.write('MAIL FROM:<a@x>\r\nRCPT TO:<alice@x>\r\nDATA\r\n');
    assert.deepEqual(
      (await t.lines(3)).map((l) => l.slice(0, 4)),
      ['250 ', '250 ', '354 '],
    );
    t.write('Subject: nul\r\n\r\nbefore\0after\r\n.\r\nNOOP\r\n');
    assert.match(await t.reply(), /^554 5\.6\.0 NUL/);
    assert.match(await t.reply(), /^250 /);
    assert.equal((await box.store.list('alice')).length, 0);
    t.end();
  });
});

test('DATA: a line over MAX_DATA_LINE refuses the message (552 after the dot), nothing stored, the session goes on', { timeout: 30_000 }, async () => {
  await withBox({}, async (box) => {
    const t = await greeted(box);
    t.write('MAIL FROM:<a@x>\r\nRCPT TO:<alice@x>\r\nDATA\r\n');
    assert.deepEqual(
      (await t.lines(3)).map((l) => l.slice(0, 4)),
      ['250 ', '250 ', '354 '],
    );
    t.write(`Subject: long\r\n\r\n${'L'.repeat(MAX_DATA_LINE + 5000)}\r\nshort\r\n.\r\n`);
    assert.match(await t.reply(), /^552 5\.3\.4 a line of the message is longer/);
    t.write('NOOP\r\n');
    assert.match(await t.reply(), /^250 /);
    assert.equal((await box.store.list('alice')).length, 0);
    t.end();
  });
});

test('replies never echo control bytes (C0, DEL, C1) the client sent', { timeout: 30_000 }, async () => {
  await withBox({}, async (box) => {
    const t = await greeted(box);
    const got: Buffer[] = [];
    t.sock.on('data', (d: Buffer) => got.push(d));
    t.write('MAIL FROM:<a@x>\r\n');
    await t.reply();
    t.write(Buffer.concat([Buffer.from('RCPT TO:<\x1b[2J\x07\x7fevil'), Buffer.from('\u0085\u009b', 'utf8'), Buffer.from('@x>\r\n')]));
    const r = await t.reply();
    assert.match(r, /^550 5\.1\.1 no such user/);
    const bytes = Buffer.concat(got).toString('latin1');
    assert.doesNotMatch(bytes.replaceAll('\r\n', ''), /[\x00-\x1f\x7f]/);
    assert.doesNotMatch(bytes, /\xc2[\x80-\x9f]/, 'no UTF-8 encoded C1 control');
    t.end();
  });
});

test('a client that leaves without QUIT (idle, mid-AUTH, mid-DATA, POP3) is not logged as a failure', { timeout: 30_000 }, async () => {
  const logged: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    logged.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  try {
    await withBox({}, async (box) => {
      for (const tail of ['', 'AUTH LOGIN\r\n', 'MAIL FROM:<a@x>\r\nRCPT TO:<alice@x>\r\nDATA\r\nSubject: half\r\n']) {
        const t = await greeted(box);
        t.write(tail);
        await new Promise((r) => setTimeout(r, 100));
        t.end();
      }
      const p = new Talk(box.pop3.port);
      assert.match((await p.lines(1))[0]!, /^\+OK/);
      p.write('USER alice\r\n');
      await p.lines(1);
      p.end();
      assert.ok(await waitFor(() => box.smtp.connections === 0 && box.pop3.connections === 0, 10_000));
    });
  } finally {
    process.stderr.write = write;
  }
  assert.deepEqual(logged, []);
});
