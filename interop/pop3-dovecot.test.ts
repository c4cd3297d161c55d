import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect, listHeaders } from '../src/protocols/pop3/index.js';
import { missingPeer, startDovecot, type Dovecot } from '../testkit/peers.js';

const skip = missingPeer('/usr/sbin/dovecot');
let dovecot: Dovecot;

before(async () => {
  if (!skip) dovecot = await startDovecot();
});
after(async () => {
  await dovecot?.stop();
});

test('POP3 against Dovecot: STLS (verified), STAT, LIST, UIDL, TOP, RETR un-stuffed', { skip, timeout: 60000 }, async () => {
  const s = await connect({ server: 'localhost', port: dovecot.pop3, user: 'alice', password: 'secret', tlsOptions: { ca: dovecot.cert } });
  assert.ok(s.conn.socket.nodeSocket.constructor.name.includes('TLS'), 'STLS was used because CAPA offered it');
  assert.equal((await s.stat()).count, 2);
  assert.equal((await s.list()).length, 2);
  assert.equal((await s.uidl()).length, 2);
  const first = (await s.retrieve(1)).toString();
  assert.match(first, /\r\nfirst body\r\n\.leading dot line\r\n$/);
  const heads = await listHeaders(s);
  assert.deepEqual(
    heads.map((h) => h.subject),
    ['one', 'two'],
  );
  await s.quit();
});

test('POP3 against Dovecot: implicit TLS, APOP, AUTH PLAIN, plain USER/PASS when allowed, bad password', { skip, timeout: 60000 }, async () => {
  const implicit = await connect({
    server: 'localhost',
    port: dovecot.pop3s,
    tls: 'implicit',
    user: 'bob',
    password: 'secret',
    tlsOptions: { ca: dovecot.cert },
  });
  assert.equal((await implicit.stat()).count, 0);
  await implicit.quit();
  const apop = await connect({ server: '127.0.0.1', port: dovecot.pop3, tls: 'none', user: 'alice', password: 'secret', apop: true });
  assert.equal((await apop.stat()).count, 2);
  await apop.quit();
  const plain = await connect({ server: '127.0.0.1', port: dovecot.pop3, tls: 'none', user: 'alice', password: 'secret', auth: 'plain', allowPlainAuth: true });
  assert.equal((await plain.stat()).count, 2);
  await plain.quit();
  await assert.rejects(connect({ server: '127.0.0.1', port: dovecot.pop3, tls: 'none', user: 'alice', password: 'wrong', allowPlainAuth: true }), {
    code: 'reply',
  });
});

test('POP3 against Dovecot: DELE is honoured at QUIT, RSET undoes it', { skip, timeout: 60000 }, async () => {
  const login = () => connect({ server: 'localhost', port: dovecot.pop3, user: 'alice', password: 'secret', tlsOptions: { ca: dovecot.cert } });
  const a = await login();
  await a.delete(2);
  await a.reset();
  await a.quit();
  const b = await login();
  assert.equal((await b.stat()).count, 2);
  await b.delete(2);
  await b.quit();
  const c = await login();
  assert.equal((await c.stat()).count, 1);
  await c.quit();
});

test('POP3 against Dovecot at 127.0.0.1: STLS and implicit TLS verify the certificate against the IP, with no SNI warning', {
  skip,
  timeout: 60000,
}, async () => {
  const warnings: Error[] = [];
  const collect = (w: Error) => warnings.push(w);
  process.on('warning', collect);
  try {
    for (const [tls, port] of [
      ['stls', dovecot.pop3],
      ['implicit', dovecot.pop3s],
    ] as const) {
      const s = await connect({ host: '127.0.0.1', port, tls, user: 'bob', password: 'secret', tlsOptions: { ca: dovecot.cert } });
      assert.ok(s.conn.socket.nodeSocket.constructor.name.includes('TLS'));
      assert.equal((await s.stat()).count, 0);
      await s.quit();
    }
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(
      warnings.map((w) => w.message),
      [],
    );
  } finally {
    process.off('warning', collect);
  }
});
