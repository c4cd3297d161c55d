import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { mailbox } from '../../src/servers/index.js';
import { smtp, pop3 } from '../../src/index.js';
import { pump, sink, source, transform } from '../../src/ltn12/index.js';
import { normalize } from '../../src/mime/index.js';

const users = { alice: 'secret', bob: 'hunter2' };

/** What a message looks like after the documented normalisation: CRLF line ends, ending with CRLF. */
function normalised(raw: Buffer): Buffer {
  const n = transform(raw, normalize());
  return n.length === 0 || n.subarray(-2).toString() === '\r\n' ? n : Buffer.concat([n, Buffer.from('\r\n')]);
}

/** Every tenth message is a multipart with a binary attachment, built by smtp.message. */
async function withAttachment(i: number, file: string): Promise<Buffer> {
  const [snk, all] = sink.buffer();
  await pump.all(smtp.message({ headers: { Subject: `attachment ${i}` }, body: { parts: [{ body: `.text part ${i}\n` }, smtp.attachment(file)] } }), snk);
  return all();
}

function randomMessage(i: number): Buffer {
  const lines = [
    `Subject: message ${i}`,
    'From: sender@x.test',
    '',
    `.starts with a dot ${i}`,
    '..two dots',
    '.',
    `${'x'.repeat(996)}`,
    `8-bit: caf\xe9 \xff\x80`,
    'bare\rcr and bare\nlf',
    'end',
  ];
  return Buffer.from(lines.join(i % 2 ? '\n' : '\r\n'), 'latin1');
}

for (const storeKind of ['memory', 'maildir'] as const) {
  const COUNT = storeKind === 'memory' ? 1000 : 300;
  test(`round trip through the mailbox (${storeKind}): ${COUNT} hostile messages (dots, bare CR/LF, 998-byte lines, 8-bit, attachments) identical after normalisation`, {
    timeout: 120000,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nk-box-'));
    const box = await mailbox({ smtpPort: 0, pop3Port: 0, users, store: storeKind, dir });
    try {
      const session = await smtp.open({ server: '127.0.0.1', port: box.smtp.port });
      await session.greet('test.client');
      const sent: Buffer[] = [];
      const file = join(dir, 'attachment.bin');
      writeFileSync(file, Buffer.from(Array.from({ length: 3000 }, (_, k) => (k * 7) & 255)));
      for (let i = 0; i < COUNT; i++) {
        const raw = i % 10 === 0 ? await withAttachment(i, file) : randomMessage(i);
        sent.push(normalised(raw));
        const r = await session.send({ from: 'sender@x.test', rcpt: ['alice@x.test', 'nobody@x.test'] }, source.string(raw, 97));
        assert.deepEqual(r.accepted, ['alice@x.test']);
        assert.equal(r.rejected[0]!.code, 550);
      }
      await session.quit();
      const p = await pop3.connect({ server: '127.0.0.1', port: box.pop3.port, user: 'alice', password: 'secret', allowPlainAuth: true });
      assert.equal((await p.stat()).count, COUNT);
      for (let i = 0; i < COUNT; i++) assert.deepEqual(await p.retrieve(i + 1), sent[i], `message ${i}`);
      await p.quit();
    } finally {
      await box.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('SMTP smuggling end-of-data variants create no extra message', { timeout: 30000 }, async () => {
  const box = await mailbox({ smtpPort: 0, pop3Port: 0, users, store: 'memory', greetDelay: 0 }); // the raw client does not wait for the banner
  try {
    for (const v of ['\n.\n', '\r.\r', '\r\n.\n', '\n.\r\n', '\r\n.\r', '\r.\r\n']) {
      const replies = await raw(box.smtp.port, [
        'EHLO evil\r\nMAIL FROM:<a@x>\r\nRCPT TO:<alice@x>\r\nDATA\r\n',
        `Subject: s\r\n\r\nhello${v}MAIL FROM:<e@x>\r\nRCPT TO:<bob@x>\r\nDATA\r\nsmuggled\r\n.\r\nQUIT\r\n`,
      ]);
      assert.match(replies, /550 5\.6\.0 bare CR or LF/, JSON.stringify(v));
      assert.equal((await box.store.list('bob')).length, 0, `smuggled with ${JSON.stringify(v)}`);
      assert.equal((await box.store.list('alice')).length, 0);
    }
  } finally {
    await box.close();
  }
});

function raw(port: number, writes: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let got = '';
    s.on('data', (d) => (got += d));
    s.on('error', reject);
    s.on('close', () => resolve(got));
    s.once('connect', async () => {
      for (const w of writes) {
        s.write(w);
        await new Promise((r) => setTimeout(r, 50));
      }
    });
  });
}

test('nodemailer delivers to the mailbox with AUTH; POP3 lock, DELE at QUIT, RSET, UIDL, TOP, APOP', { timeout: 30000 }, async () => {
  const box = await mailbox({ smtpPort: 0, pop3Port: 0, users, store: 'memory', requireAuth: true });
  try {
    const t = createTransport({ host: '127.0.0.1', port: box.smtp.port, secure: false, ignoreTLS: true, auth: { user: 'bob', pass: 'hunter2' } });
    for (let i = 0; i < 3; i++) await t.sendMail({ from: 'bob@x.test', to: 'alice@x.test', subject: `n${i}`, text: `body ${i}\n.dot` });
    await assert.rejects(
      createTransport({ host: '127.0.0.1', port: box.smtp.port, secure: false, ignoreTLS: true }).sendMail({ from: 'x@x', to: 'alice@x', text: 'x' }),
      /530/,
    );
    t.close();
    const a = await pop3.connect({ server: '127.0.0.1', port: box.pop3.port, user: 'alice', password: 'secret', apop: true });
    await assert.rejects(pop3.connect({ server: '127.0.0.1', port: box.pop3.port, user: 'alice', password: 'secret', allowPlainAuth: true }), /IN-USE/);
    assert.equal((await a.uidl()).length, 3);
    assert.match((await a.top(2, 0)).toString(), /Subject: n1/);
    assert.match((await a.retrieve(1)).toString(), /body 0\r\n\.dot/);
    await a.delete(1);
    await a.delete(2);
    await a.reset();
    await a.delete(3);
    assert.equal((await a.stat()).count, 2);
    await a.quit();
    const b = await pop3.connect({ server: '127.0.0.1', port: box.pop3.port, user: 'alice', password: 'secret', allowPlainAuth: true });
    assert.deepEqual(
      (await b.list()).map((m) => m.n),
      [1, 2],
    );
    await assert.rejects(b.retrieve(3), { code: 'reply' });
    await b.quit();
    await assert.rejects(pop3.connect({ server: '127.0.0.1', port: box.pop3.port, user: 'alice', password: 'wrong', allowPlainAuth: true }), { code: 'reply' });
  } finally {
    await box.close();
  }
});
