import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { mailbox } from '../../src/servers/index.js';
import { smtp } from '../../src/index.js';
import { repoRoot } from '../../testkit/index.js';

test('examples/list-mail lists headers and prints only the bodies of small messages', { timeout: 30000 }, async () => {
  const box = await mailbox({ smtpPort: 0, pop3Port: 0, users: { alice: 'pw' }, store: 'memory' });
  try {
    const bodies = ['short body', 'y'.repeat(5000)];
    for (const [i, body] of bodies.entries()) {
      await smtp.send({
        server: '127.0.0.1',
        port: box.smtp.port,
        tls: 'none',
        from: 'bob@x.test',
        rcpt: 'alice@x.test',
        source: smtp.message({ headers: { From: 'Bob <bob@x.test>', Subject: `Nº ${i}` }, body }),
      });
    }
    // the mailbox runs in this process: the example must run asynchronously beside it
    const r = await promisify(execFile)(process.execPath, [join(repoRoot(), 'dist/examples/list-mail.js'), String(box.pop3.port), 'alice'], {
      encoding: 'utf8',
      timeout: 20000,
      env: { ...process.env, NETKIT_POP3_PASSWORD: 'pw' },
    });
    assert.match(r.stdout, /^#1 \(\d+ bytes\) from Bob <bob@x\.test> on .+: Nº 0$/m);
    assert.match(r.stdout, /^#2 .*: Nº 1$/m);
    assert.match(r.stdout, /--- body of #1 ---\nshort body/);
    assert.ok(!r.stdout.includes('body of #2'), 'the 5 KB message body is not printed');
  } finally {
    await box.close();
  }
});
