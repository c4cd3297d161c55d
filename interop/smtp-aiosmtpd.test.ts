import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ltn12, smtp } from '../src/index.js';
import { selfSigned } from '../testkit/tls.js';
import { freePort, missingPeer, peerScript } from '../testkit/peers.js';

const skip = missingPeer('/usr/bin/python3') ?? aiosmtpdMissing();
const children: ChildProcess[] = [];
const dirs: string[] = [];

function aiosmtpdMissing(): string | undefined {
  const ok = spawnSync('/usr/bin/python3', ['-c', 'import aiosmtpd']).status === 0;
  if (!ok && process.env.CI) throw new Error('interop peer missing under CI: python3-aiosmtpd');
  return ok ? undefined : 'python3-aiosmtpd is not installed';
}

after(() => {
  for (const c of children) c.kill('SIGTERM');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function start(extra: string[]): Promise<{ port: number; maildir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'nk-aiosmtpd-'));
  dirs.push(dir);
  const { key, cert } = selfSigned();
  writeFileSync(join(dir, 'cert.pem'), cert);
  writeFileSync(join(dir, 'key.pem'), key);
  const port = await freePort();
  const maildir = join(dir, 'Maildir');
  const args = [
    peerScript('smtpd.py'),
    maildir,
    String(port),
    '--host',
    '127.0.0.1',
    '--tls',
    join(dir, 'cert.pem'),
    join(dir, 'key.pem'),
    '--auth',
    'user:pass',
    ...extra,
  ];
  const child = spawn('/usr/bin/python3', args, { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('listening') && resolve());
    child.on('exit', (code) => reject(new Error(`smtpd.py exited ${code}`)));
  });
  return { port, maildir };
}

function stored(maildir: string): string[] {
  const dir = join(maildir, 'new');
  return readdirSync(dir).map((f) => readFileSync(join(dir, f), 'latin1'));
}

test('smtp.send to aiosmtpd over STARTTLS with AUTH: stored byte-exact after normalisation', { skip, timeout: 60000 }, async () => {
  const { port, maildir } = await start(['--require-auth']);
  const { cert } = selfSigned();
  const r = await smtp.send({
    server: 'localhost',
    port,
    tls: 'starttls',
    tlsOptions: { ca: cert },
    user: 'user',
    password: 'pass',
    from: 'a@x.test',
    rcpt: ['b@x.test', 'c@x.test'],
    source: smtp.message({
      headers: [
        ['Subject', 'dots'],
        ['Message-ID', '<m1@x.test>'],
        ['Date', 'Tue, 24 Nov 2026 00:00:00 +0000'],
      ],
      body: '.one\n..two\nlast',
    }),
  });
  assert.deepEqual(r.accepted, ['b@x.test', 'c@x.test']);
  const [msg] = stored(maildir);
  assert.match(msg!, /^X-Envelope-From: a@x\.test\r\nX-Envelope-To: b@x\.test, c@x\.test\r\n/);
  assert.match(msg!, /\r\n\r\n\.one\r\n\.\.two\r\nlast\r\n$/);
  await assert.rejects(
    smtp.send({
      server: 'localhost',
      port,
      tls: 'starttls',
      tlsOptions: { ca: cert },
      user: 'user',
      password: 'bad',
      from: 'a@x.test',
      rcpt: 'b@x.test',
      source: smtp.message({ body: 'x' }),
    }),
    { code: 'reply' },
  );
});

test('smtp.send to aiosmtpd over implicit TLS with AUTH LOGIN', { skip, timeout: 60000 }, async () => {
  const { port, maildir } = await start(['--implicit']);
  const { cert } = selfSigned();
  const r = await smtp.send({
    server: 'localhost',
    port,
    tls: 'implicit',
    tlsOptions: { ca: cert },
    user: 'user',
    password: 'pass',
    from: 'a@x.test',
    rcpt: 'b@x.test',
    source: smtp.message({ body: 'over smtps' }),
  });
  assert.deepEqual(r.accepted, ['b@x.test']);
  assert.match(stored(maildir)[0]!, /over smtps\r\n$/);
});

test('the low-level steps against aiosmtpd: mail, rcpt, rset, data with a custom step, noop, quit — stored byte-exact', { skip, timeout: 60000 }, async () => {
  const { port, maildir } = await start([]);
  const { cert } = selfSigned();
  const s = await smtp.open({ host: '127.0.0.1', port, tlsOptions: { ca: cert } });
  await s.greet('client.test');
  await s.startTls('client.test');
  assert.ok(s.encrypted, 'STARTTLS to 127.0.0.1 verified against the IP');
  await s.auth('user', 'pass');
  await s.mail('dropped@x.test');
  await s.rcpt('nobody@x.test');
  assert.equal((await s.rset()).code, 250);
  assert.equal((await s.mail('a@x.test')).code, 250);
  assert.equal((await s.rcpt('b@x.test')).code, 250);
  let steps = 0;
  const body = 'Subject: steps\r\n\r\n.dot line\r\n..two dots\r\nlast\r\n';
  const reply = await s.data(ltn12.source.string(body, 5), { step: (src, snk) => (steps++, ltn12.pump.step(src, snk)) });
  assert.equal(reply.code, 250);
  assert.equal(steps, Math.ceil(body.length / 5) + 1);
  assert.equal((await s.noop()).code, 250);
  assert.equal((await s.quit()).code, 221);
  const [msg] = stored(maildir);
  assert.equal(msg, `X-Envelope-From: a@x.test\r\nX-Envelope-To: b@x.test\r\n${msg!.split('\r\n')[2]}\r\n${body}`);
});

test('SMTPUTF8 against aiosmtpd: a non-ASCII envelope is sent with the SMTPUTF8 parameter', { skip, timeout: 60000 }, async () => {
  const { port, maildir } = await start([]);
  const r = await smtp.send({ host: '127.0.0.1', port, tls: 'none', from: 'jürgen@exämple.test', rcpt: 'zoë@x.test', source: smtp.message({ body: 'utf8' }) });
  assert.deepEqual(r.accepted, ['zoë@x.test']);
  const [msg] = stored(maildir);
  const head = Buffer.from(msg!, 'latin1').toString('utf8').split('\r\n').slice(0, 3);
  assert.equal(head[0], 'X-Envelope-From: jürgen@exämple.test');
  assert.equal(head[1], 'X-Envelope-To: zoë@x.test');
  assert.match(head[2]!, /SMTPUTF8/);
});
