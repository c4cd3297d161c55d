import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, runCli } from '../../testkit/index.js';

const bin = join(repoRoot(), 'dist/src/cli/main.js');

const run = runCli;

test('netkit mailbox + mail send + mail list + mail read --delete, then SIGTERM stops it', { timeout: 60000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nk-cli-box-'));
  const users = join(dir, 'users.json');
  writeFileSync(users, JSON.stringify({ alice: 'secret' }));
  const box = spawn(process.execPath, [bin, 'mailbox', '--memory', '--smtp-port', '0', '--pop3-port', '0', '--web', '0', '--users', users], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    let banner = '';
    const [smtpPort, pop3Port] = await new Promise<number[]>((resolve) => {
      box.stdout!.on('data', (d) => {
        banner += d;
        const m = /SMTP on [\d.]+:(\d+), POP3 on [\d.]+:(\d+)/.exec(banner);
        if (m) resolve([Number(m[1]), Number(m[2])]);
      });
    });
    const sent = await run(
      ['mail', 'send', '--server', `127.0.0.1:${smtpPort}`, '--tls', 'none', '--from', 'bob@x.test', '--to', 'alice@x.test', '--subject', 'Grüße'],
      {},
      'hello alice\n',
    );
    assert.equal(sent.code, 0, sent.err);
    const env = { NETKIT_POP3_PASSWORD: 'secret' };
    const common = ['--server', `127.0.0.1:${pop3Port}`, '--user', 'alice', '--tls', 'none', '--allow-plain-auth'];
    const list = await run(['mail', 'list', ...common], env);
    assert.equal(list.code, 0, list.err);
    assert.match(list.out, /^1\t\d+\tbob@x\.test\t.+\tGrüße$/m);
    const read = await run(['mail', 'read', '1', '--raw', '--delete', ...common], env);
    assert.equal(read.code, 0, read.err);
    assert.match(read.out, /\r\n\r\nhello alice\r\n$/);
    const empty = await run(['mail', 'list', ...common], env);
    assert.equal(empty.out, '');
    assert.equal((await run(['mail', 'read', 'x', ...common], env)).code, 2);
    box.kill('SIGTERM');
    const code = await new Promise((r) => box.on('exit', r));
    assert.equal(code, 0);
    assert.match(`${banner}`, /mailbox: SMTP on/);
  } finally {
    box.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('netkit mailbox --tls starttls --plain-auth tls prints the generated certificate; mail list trusting it logs in over STLS, and refuses without it', {
  timeout: 60000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nk-cli-box-tls-'));
  const users = join(dir, 'users.json');
  writeFileSync(users, JSON.stringify({ alice: 'secret' }));
  const box = spawn(
    process.execPath,
    [bin, 'mailbox', '--memory', '--smtp-port', '0', '--pop3-port', '0', '--web', '0', '--users', users, '--tls', 'starttls', '--plain-auth', 'tls'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    let banner = '';
    const pop3Port = await new Promise<number>((resolve) => {
      box.stdout!.on('data', (d) => {
        banner += d;
        const m = /POP3 on [\d.]+:(\d+)[\s\S]*-----END CERTIFICATE-----\n/.exec(banner);
        if (m) resolve(Number(m[1]));
      });
    });
    assert.match(banner, /certificate SHA-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}\n/);
    const pem = join(dir, 'dev.pem');
    writeFileSync(pem, banner.slice(banner.indexOf('-----BEGIN CERTIFICATE-----')));
    const env = { NETKIT_POP3_PASSWORD: 'secret' };
    const common = ['--server', `127.0.0.1:${pop3Port}`, '--user', 'alice'];
    const trusted = await run(['mail', 'list', ...common, '--tls', 'starttls', '--ca', pem], env);
    assert.equal(trusted.code, 0, trusted.err);
    const untrusted = await run(['mail', 'list', ...common, '--tls', 'starttls'], env);
    assert.notEqual(untrusted.code, 0);
    const clear = await run(['mail', 'list', ...common, '--tls', 'none', '--allow-plain-auth'], env);
    assert.notEqual(clear.code, 0);
    assert.match(clear.err, /plaintext authentication disallowed/);
  } finally {
    box.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('netkit mailbox: bad --tls, --plain-auth and a lone --tls-cert are usage errors (exit 2)', async () => {
  for (const args of [
    ['--tls', 'implicit'],
    ['--plain-auth', 'never'],
    ['--tls', 'starttls', '--tls-cert', 'x.pem'],
    ['--tls-cert', 'x.pem', '--tls-key', 'k.pem'],
  ]) {
    const r = await run(['mailbox', '--memory', '--smtp-port', '0', '--pop3-port', '0', '--web', '0', ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
  }
});
