import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import tls from 'node:tls';
import { message, send } from '../../src/protocols/smtp/index.js';
import { selfSigned, selfSignedFor } from '../../testkit/tls.js';
import { startSmtpSink } from '../../testkit/smtp-sink.js';

// Node warns once per process (DEP0123) when an IP goes into SNI: collect from the start.
const warnings: Error[] = [];
process.on('warning', (w) => warnings.push(w));
const tick = () => new Promise((r) => setImmediate(r));

const right = selfSigned(); // subjectAltName IP:127.0.0.1
const wrong = selfSignedFor('DNS:localhost,IP:127.0.0.2', '127.0.0.1');
const sinks: { close(): Promise<void> }[] = [];
after(async () => {
  for (const s of sinks) await s.close();
});

for (const mode of ['implicit', 'starttls'] as const) {
  test(`SMTP ${mode} TLS to 127.0.0.1: the certificate is verified against the IP, and no IP goes into SNI`, { timeout: 30000 }, async () => {
    const ok = await startSmtpSink({ ...right, secure: mode === 'implicit' });
    const bad = await startSmtpSink({ ...wrong, secure: mode === 'implicit' });
    sinks.push(ok, bad);
    let sni: string | false | undefined;
    const r = await send({
      host: '127.0.0.1',
      port: ok.port,
      tls: mode,
      tlsOptions: { ca: right.cert, checkServerIdentity: (host, cert) => ((sni = host), tls.checkServerIdentity(host, cert)) },
      from: 'a@x.test',
      rcpt: 'b@x.test',
      source: message({ body: 'over tls' }),
    });
    assert.deepEqual(r.accepted, ['b@x.test']);
    assert.equal(sni, '127.0.0.1', 'checkServerIdentity is given the IP');
    assert.equal(ok.got.length, 1);
    // a certificate for another IP (its CN says 127.0.0.1, which must not count) is refused
    await assert.rejects(
      send({
        host: '127.0.0.1',
        port: bad.port,
        tls: mode,
        tlsOptions: { ca: wrong.cert },
        from: 'a@x.test',
        rcpt: 'b@x.test',
        source: message({ body: 'x' }),
      }),
      (e: Error & { code?: string }) => e.code === 'tls' && /IP|127\.0\.0\.1/.test(e.message),
    );
    assert.equal(bad.got.length, 0);
    await tick();
    assert.deepEqual(
      warnings.map((w) => w.message),
      [],
    );
  });
}

test('the warning collector works: an IP given as servername does warn (DEP0123)', { timeout: 10000 }, async () => {
  const s = tls.connect({ host: '127.0.0.1', port: 9, servername: '127.0.0.1' });
  s.on('error', () => {});
  s.destroy();
  await tick();
  assert.ok(warnings.some((w) => /DEP0123|IP address/.test(`${(w as { code?: string }).code} ${w.message}`)));
});
