/**
 * The web inbox's JSON API and event stream, driven by curl (a real HTTP
 * client): list, search, one message, raw source, the HTML part's CSP,
 * attachment download, delete one and all, an event per delivery, and the
 * refusals (unknown id 404, POST 405, a body 413).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { servers, smtp } from '../../src/index.js';

const run = promisify(execFile);
const curl = async (...args: string[]) => (await run('curl', ['-sS', '--max-time', '10', ...args], { encoding: 'latin1' })).stdout;

async function send(port: number, subject: string, extra: smtp.Part[] = []): Promise<void> {
  await smtp.send({
    server: '127.0.0.1',
    port,
    from: 'bob@example.test',
    rcpt: 'alice@localhost',
    source: smtp.message({
      headers: { From: 'Bob <bob@example.test>', To: 'Alice <alice@localhost>', Subject: subject },
      body: { parts: [{ body: `text of ${subject}` }, ...extra] },
    }),
  });
}

test('web inbox API: list, search, view, raw, html, download, delete', async () => {
  const box = await servers.mailbox({ smtpPort: 0, pop3Port: 0, users: { alice: 'pw' }, store: 'memory', web: { port: 0 } });
  try {
    const base = box.web!.url;
    await send(box.smtp.port, 'first');
    await send(box.smtp.port, 'second <b>&', [
      { headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: '<p>hi<script>alert(1)</script><img src="http://127.0.0.1:9/x"></p>' },
      {
        headers: [
          ['Content-Type', 'application/pdf; name="r.pdf"'],
          ['Content-Disposition', 'attachment; filename="r.pdf"'],
        ],
        body: Buffer.from([0x25, 0x50, 0x44, 0x46, 0xff]),
      },
    ]);
    const list = JSON.parse(await curl(`${base}api/messages`)).messages;
    assert.deepEqual(
      list.map((m: { subject: string }) => m.subject),
      ['second <b>&', 'first'],
      'newest first',
    );
    assert.equal(list[0].attachments, 1);
    assert.equal(list[0].from, 'Bob <bob@example.test>');
    assert.deepEqual(
      JSON.parse(await curl(`${base}api/messages?q=FIRST`)).messages.map((m: { subject: string }) => m.subject),
      ['first'],
    );
    assert.equal(JSON.parse(await curl(`${base}api/messages?q=nobody`)).messages.length, 0);
    const id = encodeURIComponent(list[0].id);
    const view = JSON.parse(await curl(`${base}api/messages/${id}`));
    assert.equal(view.text, 'text of second <b>&');
    assert.equal(view.html, true);
    assert.deepEqual(
      view.attachments.map((a: { filename: string }) => a.filename),
      ['r.pdf'],
    );
    const raw = await curl(`${base}api/messages/${id}/raw`);
    assert.match(raw, /^Subject: second <b>&\r$/m);
    const html = await curl('-i', `${base}api/messages/${id}/html`);
    assert.match(html, /^Content-Security-Policy: default-src 'none';.*sandbox\r$/m);
    const file = await curl('-i', `${base}api/messages/${id}/parts/${view.attachments[0].part}`);
    assert.match(file, /^Content-Disposition: attachment; filename="r.pdf"/m);
    assert.ok(file.endsWith('%PDF\xff'));
    assert.match(await curl('-o', '/dev/null', '-w', '%{http_code}', `${base}api/messages/alice~nope`), /^404$/);
    assert.match(await curl('-o', '/dev/null', '-w', '%{http_code}', '-X', 'POST', `${base}api/messages`), /^405$/);
    assert.match(await curl('-o', '/dev/null', '-w', '%{http_code}', '-X', 'DELETE', '--data', 'x', `${base}api/messages`), /^413$/);
    assert.match(await curl('-o', '/dev/null', '-w', '%{http_code}', '-X', 'DELETE', `${base}api/messages/${id}`), /^204$/);
    assert.equal(JSON.parse(await curl(`${base}api/messages`)).messages.length, 1);
    assert.match(await curl('-o', '/dev/null', '-w', '%{http_code}', '-X', 'DELETE', `${base}api/messages`), /^204$/);
    assert.equal(JSON.parse(await curl(`${base}api/messages`)).messages.length, 0);
  } finally {
    await box.close();
  }
});

test('web inbox events: a delivery is an SSE event with its summary', async () => {
  const box = await servers.mailbox({ smtpPort: 0, pop3Port: 0, users: { alice: 'pw' }, store: 'memory', web: { port: 0 } });
  const child = spawn('curl', ['-sSN', '--max-time', '20', `${box.web!.url}api/events`]);
  try {
    let out = '';
    const seen = new Promise<void>((resolve) =>
      child.stdout.on(
        'data',
        (d: Buffer) => ((out += d.toString()), out.includes('event: message') && out.includes('\n\n', out.indexOf('event: message')) && resolve()),
      ),
    );
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    await send(box.smtp.port, 'live one');
    await seen;
    const data = /event: message\ndata: (.*)\n/.exec(out)![1]!;
    assert.equal(JSON.parse(data).subject, 'live one');
  } finally {
    child.kill();
    await box.close();
  }
});
