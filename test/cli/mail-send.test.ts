import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { runCli } from '../../testkit/index.js';

const run = (args: string[], env: Record<string, string>, input: string) => runCli(['mail', 'send', ...args], env, input);

test('netkit mail send: body from stdin, password from the environment, per-recipient result', { timeout: 30000 }, async () => {
  const got: { user?: string; rcpt: string[]; data: string }[] = [];
  const server = new SMTPServer({
    disableReverseLookup: true,
    logger: false,
    authMethods: ['PLAIN'],
    allowInsecureAuth: true,
    onAuth: (a, _s, cb) => (a.password === 's3cret' ? cb(null, { user: a.username }) : cb(new Error('bad'))),
    onRcptTo: (a, _s, cb) => (a.address.startsWith('bad') ? cb(Object.assign(new Error('unknown'), { responseCode: 550 })) : cb()),
    onData(stream, session, done) {
      const parts: Buffer[] = [];
      stream.on('data', (d: Buffer) => parts.push(d));
      stream.on('end', () => {
        got.push({ user: session.user as string, rcpt: session.envelope.rcptTo.map((r) => r.address), data: Buffer.concat(parts).toString() });
        done();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.server.address() as { port: number }).port;
  const dir = mkdtempSync(join(tmpdir(), 'nk-mail-'));
  try {
    const cfg = join(dir, 'mail.json');
    writeFileSync(cfg, JSON.stringify({ server: `127.0.0.1:${port}`, tls: 'none', user: 'me' }));
    const ok = await run(['--config', cfg, '--from', 'me@x.test', '--to', 'you@x.test', '--bcc', 'bad@x.test', '--subject', 'Olá', '--allow-plain-auth'], { NETKIT_SMTP_PASSWORD: 's3cret' }, 'line one\n.line two\n');
    assert.equal(ok.code, 1, 'one recipient was rejected');
    assert.match(ok.out, /^accepted you@x.test$/m);
    assert.match(ok.out, /^rejected bad@x.test: 550/m);
    assert.equal(got[0]!.user, 'me');
    assert.match(got[0]!.data, /\r\n\r\nline one\r\n\.line two\r\n$/);
    const missing = await run(['--config', cfg, '--from', 'me@x.test', '--to', 'you@x.test'], {}, 'x');
    assert.equal(missing.code, 2);
    assert.match(missing.err, /NETKIT_SMTP_PASSWORD/);
    const usage = await run(['--from', 'me@x.test'], {}, '');
    assert.equal(usage.code, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await new Promise<void>((r) => server.close(() => r()));
  }
});
