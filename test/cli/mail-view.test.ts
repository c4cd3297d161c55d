/**
 * `netkit mail read N` shows a parsed message (header fields, the text
 * part, its attachments) and `--save DIR` writes the attachments, under a
 * safe name and never over an existing file; a hostile file name
 * (`../../x`) stays inside DIR. Against the development mailbox (POP3).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { servers, smtp } from '../../src/index.js';
import { runCli } from '../../testkit/index.js';

test('netkit mail read: parsed view and --save DIR', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nk-mail-view-'));
  const box = await servers.mailbox({ smtpPort: 0, pop3Port: 0, users: { alice: 'secret' }, store: 'memory' });
  try {
    await smtp.send({
      server: '127.0.0.1',
      port: box.smtp.port,
      from: 'bob@example.test',
      rcpt: 'alice@localhost',
      source: smtp.message({
        headers: { From: 'Bob Example <bob@example.test>', To: 'alice@localhost', Subject: 'Grüße, with files' },
        body: {
          parts: [
            { body: 'Hello Alice,\nthe files are attached.\n' },
            {
              headers: [
                ['Content-Type', 'application/pdf; name="report.pdf"'],
                ['Content-Disposition', 'attachment; filename="report.pdf"'],
              ],
              body: Buffer.from('%PDF-1.4 one'),
            },
            {
              headers: [
                ['Content-Type', 'text/plain; name="../../evil.txt"'],
                ['Content-Disposition', 'attachment; filename="../../evil.txt"'],
              ],
              body: 'evil\n',
            },
          ],
        },
      }),
    });
    const env = { NETKIT_POP3_PASSWORD: 'secret' };
    const common = ['--server', `127.0.0.1:${box.pop3.port}`, '--user', 'alice', '--tls', 'none', '--allow-plain-auth'];
    const view = await runCli(['mail', 'read', '1', ...common], env);
    assert.equal(view.code, 0, view.err);
    assert.match(view.out, /^From: Bob Example <bob@example\.test>$/m);
    assert.match(view.out, /^Subject: Grüße, with files$/m);
    assert.match(view.out, /\n\nHello Alice,\nthe files are attached\.\n/);
    assert.match(view.out, /Attachments:\n {2}1\. report\.pdf {2}application\/pdf {2}12 bytes\n {2}2\. evil\.txt {2}text\/plain {2}6 bytes\n/);
    writeFileSync(join(dir, 'report.pdf'), 'already here');
    const saved = await runCli(['mail', 'read', '1', '--save', dir, ...common], env);
    assert.equal(saved.code, 0, saved.err);
    assert.deepEqual(readdirSync(dir).sort(), ['evil.txt', 'report-2.pdf', 'report.pdf']);
    assert.equal(readFileSync(join(dir, 'report-2.pdf'), 'utf8'), '%PDF-1.4 one');
    assert.equal(readFileSync(join(dir, 'report.pdf'), 'utf8'), 'already here');
    const raw = await runCli(['mail', 'read', '1', '--raw', ...common], env);
    assert.match(raw.out, /^Subject: =\?UTF-8\?/m);
  } finally {
    await box.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
