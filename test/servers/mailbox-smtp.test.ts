/**
 * The mailbox's SMTP side against a raw client: recipient limits and
 * de-duplication, and protocol hygiene (unknown commands, long lines, NUL,
 * early talkers, control bytes in replies, clients leaving without QUIT).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { mailbox, type Mailbox, type MailboxOptions } from '../../src/servers/index.js';
import { MAX_RECIPIENTS } from '../../src/servers/mailbox/smtp-in.js';
import { waitFor } from '../../testkit/index.js';

const users = { alice: 'secret', bob: 'hunter2' };

/** A raw SMTP conversation: write bytes, read reply lines. */
class Talk {
  readonly sock: net.Socket;
  buf = '';
  closed = false;
  constructor(port: number) {
    this.sock = net.connect(port, '127.0.0.1');
    this.sock.on('data', (d) => (this.buf += d.toString('latin1')));
    this.sock.on('close', () => (this.closed = true));
    this.sock.on('error', () => {});
  }
  write(s: string | Buffer): void {
    this.sock.write(s);
  }
  /** The next `n` complete reply lines (a multi-line reply counts each line). */
  async lines(n: number, ms = 10_000): Promise<string[]> {
    const ok = await waitFor(() => this.buf.split('\r\n').length - 1 >= n || this.closed, ms);
    const parts = this.buf.split('\r\n');
    const got = parts.slice(0, Math.min(n, parts.length - 1));
    this.buf = parts.slice(got.length).join('\r\n');
    if (!ok || got.length < n) throw new Error(`wanted ${n} lines, got ${JSON.stringify(got)} (rest ${JSON.stringify(this.buf)})`);
    return got;
  }
  /** One whole reply (its last line). */
  async reply(): Promise<string> {
    for (;;) {
      const [l] = await this.lines(1);
      if (l![3] !== '-') return l!;
    }
  }
  end(): void {
    this.sock.destroy();
  }
}

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
    assert.deepEqual((await t.lines(2)).map((l) => l.slice(0, 4)), ['250 ', '250 ']);
    t.end();
  });
});
