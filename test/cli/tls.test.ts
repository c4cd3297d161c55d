import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { runCli } from '../../testkit/index.js';
import { selfSigned } from '../../testkit/tls.js';

const HINT = /trust its CA with --ca FILE, or skip the check with --insecure \(-k\)/;

test('mail send and get trust a self-signed server with --ca FILE or -k, and the certificate error names both', { timeout: 60_000 }, async () => {
  const { key, cert } = selfSigned();
  const dir = mkdtempSync(join(tmpdir(), 'nk-tls-'));
  const ca = join(dir, 'ca.pem');
  writeFileSync(ca, cert);
  let delivered = 0;
  const smtp = new SMTPServer({
    secure: true,
    key,
    cert,
    disableReverseLookup: true,
    logger: false,
    authOptional: true,
    onData(stream, _s, done) {
      stream.resume();
      stream.on('end', () => (delivered++, done()));
    },
  });
  smtp.on('error', () => {}); // a client refusing the certificate is what the first case expects
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  const smtpPort = (smtp.server.address() as net.AddressInfo).port;
  const web = https.createServer({ key, cert }, (_req, res) => res.end('over tls\n'));
  await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
  const webUrl = `https://127.0.0.1:${(web.address() as net.AddressInfo).port}/`;
  try {
    const send = ['mail', 'send', '--server', `127.0.0.1:${smtpPort}`, '--tls', 'implicit', '--from', 'a@x.test', '--to', 'b@x.test'];
    const untrusted = await runCli(send, {}, 'hi\n');
    assert.equal(untrusted.code, 1);
    assert.match(untrusted.err, HINT);
    // One line of netkit's own (Node's DEP0123 warning for SMTP TLS to an IP is the SMTP client's, being fixed there).
    assert.equal(untrusted.err.split('\n').filter((l) => l.startsWith('netkit')).length, 1, untrusted.err);
    for (const extra of [['--ca', ca], ['-k'], ['--insecure']]) {
      const r = await runCli([...send, ...extra], {}, 'hi\n');
      assert.equal(r.code, 0, `${extra.join(' ')}: ${r.err}`);
    }
    assert.equal(delivered, 3);
    const get = await runCli(['get', webUrl]);
    assert.equal(get.code, 1);
    assert.match(get.err, HINT);
    for (const extra of [['--ca', ca], ['-k']]) {
      const r = await runCli(['get', ...extra, webUrl]);
      assert.equal(r.code, 0, r.err);
      assert.equal(r.out, 'over tls\n');
    }
    const both = await runCli(['get', '--ca', ca, '-k', webUrl]);
    assert.equal(both.code, 2, 'the two options exclude each other');
    const badWord = await runCli([...send.slice(0, -6), '--tls', 'sometimes', '--from', 'a@x.test', '--to', 'b@x.test'], {}, 'hi');
    assert.equal(badWord.code, 2);
    assert.match(badWord.err, /--tls takes none, implicit or starttls/);
  } finally {
    await new Promise<void>((r) => smtp.close(() => r()));
    web.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the plaintext-auth refusal names the --allow-plain-auth flag', { timeout: 30_000 }, async () => {
  const smtp = new SMTPServer({
    disableReverseLookup: true,
    logger: false,
    authMethods: ['PLAIN'],
    allowInsecureAuth: true,
    hideSTARTTLS: true,
    onAuth: (_a, _s, cb) => cb(null, { user: 'x' }),
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  const port = (smtp.server.address() as net.AddressInfo).port;
  try {
    const r = await runCli(
      ['mail', 'send', '--server', `127.0.0.1:${port}`, '--tls', 'none', '--user', 'me', '--from', 'a@x.test', '--to', 'b@x.test'],
      { NETKIT_SMTP_PASSWORD: 'pw' },
      'hi\n',
    );
    assert.equal(r.code, 1);
    assert.match(r.err, /--allow-plain-auth/);
    assert.doesNotMatch(r.err, /allowPlainAuth/);
  } finally {
    await new Promise<void>((r) => smtp.close(() => r()));
  }
});
