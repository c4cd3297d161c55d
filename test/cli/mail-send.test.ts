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
    const ok = await run(
      ['--config', cfg, '--from', 'me@x.test', '--to', 'you@x.test', '--bcc', 'bad@x.test', '--subject', 'Olá', '--allow-plain-auth'],
      { NETKIT_SMTP_PASSWORD: 's3cret' },
      'line one\n.line two\n',
    );
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

test('netkit mail send asks for the password on a terminal, without echo', { timeout: 30000 }, async () => {
  const { spawn } = await import('node:child_process');
  const { repoRoot } = await import('../../testkit/index.js');
  const users: string[] = [];
  const server = new SMTPServer({
    disableReverseLookup: true,
    logger: false,
    authMethods: ['PLAIN'],
    allowInsecureAuth: true,
    onAuth: (a, _s, cb) => (a.password === 'typed-secret' ? (users.push(a.username ?? ''), cb(null, { user: a.username })) : cb(new Error('bad'))),
    onData(stream, _s, done) {
      stream.resume();
      stream.on('end', () => done());
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.server.address() as { port: number }).port;
  const dir = mkdtempSync(join(tmpdir(), 'nk-prompt-'));
  try {
    writeFileSync(join(dir, 'body.txt'), 'hello\n');
    const cmd = [
      process.execPath,
      join(repoRoot(), 'dist/src/cli/main.js'),
      'mail',
      'send',
      '--server',
      `127.0.0.1:${port}`,
      '--tls',
      'none',
      '--allow-plain-auth',
      '--user',
      'me',
      '--from',
      'me@x.test',
      '--to',
      'you@x.test',
      '--body-file',
      join(dir, 'body.txt'),
    ]
      .map((a) => `'${a}'`)
      .join(' ');
    const child = spawn('script', ['-qfec', cmd, '/dev/null'], { env: { PATH: process.env.PATH } });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (/Password for me: $/.test(out)) child.stdin.write('typed-secret\r');
    });
    const code = await new Promise((r) => child.on('exit', r));
    assert.equal(code, 0, out);
    assert.deepEqual(users, ['me']);
    assert.ok(!out.includes('typed-secret'), 'the password is not echoed');
    assert.match(out, /accepted you@x.test/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await new Promise<void>((r) => server.close(() => r()));
  }
});
