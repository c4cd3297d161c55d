import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mailbox } from '../src/servers/index.js';
import { missingPeer } from '../testkit/peers.js';

const run = promisify(execFile);
const skip = missingPeer('/usr/bin/swaks');

test('swaks delivers to servers.mailbox, with and without AUTH', { skip, timeout: 60000 }, async () => {
  const box = await mailbox({ smtpPort: 0, pop3Port: 0, users: { alice: 'secret' }, store: 'memory', requireAuth: true });
  try {
    const base = [
      '--server',
      `127.0.0.1:${box.smtp.port}`,
      '--to',
      'alice@x.test',
      '--from',
      'bob@x.test',
      '--body',
      'hello from swaks\n.dot line',
      '--h-Subject',
      'swaks test',
    ];
    const denied = await run('swaks', base, { timeout: 20000 }).catch((e: { code: number; stdout: string }) => e);
    assert.notEqual((denied as { code?: number }).code ?? 0, 0, 'MAIL before AUTH is refused');
    assert.match((denied as { stdout: string }).stdout, /530/);
    await run('swaks', [...base, '--auth', 'PLAIN', '--auth-user', 'alice', '--auth-password', 'secret'], { timeout: 20000 });
    await run('swaks', [...base, '--auth', 'LOGIN', '--auth-user', 'alice', '--auth-password', 'secret'], { timeout: 20000 });
    const list = await box.store.list('alice');
    assert.equal(list.length, 2);
    const msg = (await box.store.read('alice', list[0]!.uid)).toString();
    assert.match(msg, /Subject: swaks test/);
    assert.match(msg, /hello from swaks\r\n\.dot line\r\n/);
  } finally {
    await box.close();
  }
});
