import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { attachment, message, open, send } from '../../src/protocols/smtp/index.js';
import { decodeWords, parseHeaders } from '../../src/mime/index.js';
import { ReplyError } from '../../src/core/index.js';
import { selfSigned } from '../../testkit/tls.js';

interface Received {
  from: string;
  to: string[];
  data: string;
  user?: string;
}

async function startServer(extra: Partial<SMTPServerOptions> = {}) {
  const got: Received[] = [];
  const server = new SMTPServer({
    disableReverseLookup: true,
    logger: false,
    authOptional: true,
    onRcptTo(addr, _s, cb) {
      if (addr.address.startsWith('bad')) return cb(Object.assign(new Error('no such user'), { responseCode: 550 }));
      cb();
    },
    onMailFrom(addr, _s, cb) {
      if (addr.address.startsWith('spammer')) return cb(Object.assign(new Error('go away'), { responseCode: 554 }));
      cb();
    },
    onData(stream, session, cb) {
      const parts: Buffer[] = [];
      stream.on('data', (d: Buffer) => parts.push(d));
      stream.on('end', () => {
        got.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          data: Buffer.concat(parts).toString('latin1'),
          user: session.user as string | undefined,
        });
        cb();
      });
    },
    ...extra,
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.server.address() as { port: number }).port;
  return { got, port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'nk-smtp-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('send() delivers a multipart message with a streamed attachment, byte-exact', { timeout: 30000 }, async () => {
  const srv = await startServer();
  try {
    const file = join(dir, 'data.bin');
    const bytes = randomBytes(100_000);
    writeFileSync(file, bytes);
    const r = await send({
      server: '127.0.0.1',
      port: srv.port,
      tls: 'none',
      from: 'alice@example.test',
      rcpt: ['bob@example.test', 'bad@example.test'],
      source: message({
        headers: { From: 'Alice <alice@example.test>', To: 'bob@example.test', Subject: 'Grüße aus Köln' },
        body: { preamble: 'MIME message', parts: [{ body: 'hello\n.with a dot line\n' }, { body: 'naïve café text' }, attachment(file)] },
      }),
    });
    assert.deepEqual(r.accepted, ['bob@example.test']);
    assert.equal(r.rejected[0]!.code, 550);
    const m = srv.got[0]!;
    assert.deepEqual(m.to, ['bob@example.test']);
    const h = parseHeaders(m.data);
    assert.equal(decodeWords(h.get('subject')!), 'Grüße aus Köln');
    assert.ok(h.get('date') && h.get('message-id') && h.get('mime-version') === '1.0');
    const boundary = /boundary="([^"]+)"/.exec(h.get('content-type')!)![1]!;
    const parts = m.data.slice(h.bytes).split(`--${boundary}`);
    assert.equal(parts.length, 5, 'preamble, three parts, closing');
    assert.match(parts[1]!, /Content-Transfer-Encoding: 7bit\r\n\r\nhello\r\n\.with a dot line\r\n/);
    assert.match(parts[2]!, /Content-Transfer-Encoding: quoted-printable\r\n\r\nna=C3=AFve caf=C3=A9 text/);
    const att = parseHeaders(parts[3]!.replace(/^\r\n/, ''));
    assert.match(att.get('content-disposition')!, /filename="data.bin"/);
    const b64 = parts[3]!.replace(/^\r\n/, '').slice(att.bytes).replace(/\s+/g, '');
    assert.deepEqual(Buffer.from(b64, 'base64'), bytes);
  } finally {
    await srv.close();
  }
});

test('every recipient refused, or MAIL refused: ReplyError with the code', { timeout: 30000 }, async () => {
  const srv = await startServer();
  try {
    const base = { server: '127.0.0.1', port: srv.port, tls: 'none' as const, source: message({ body: 'x' }) };
    await assert.rejects(
      send({ ...base, from: 'a@x.test', rcpt: ['bad1@x.test', 'bad2@x.test'] }),
      (e: ReplyError) => e instanceof ReplyError && e.replyCode === 550,
    );
    await assert.rejects(send({ ...base, from: 'spammer@x.test', rcpt: 'b@x.test' }), (e: ReplyError) => e.replyCode === 554);
    await assert.rejects(send({ ...base, from: 'a@x.test\r\nRCPT TO:<c@x>', rcpt: 'b@x.test' }), { code: 'invalid argument' });
    assert.equal(srv.got.length, 0);
  } finally {
    await srv.close();
  }
});

test('AUTH is refused over cleartext unless allowed; PLAIN and LOGIN work', { timeout: 30000 }, async () => {
  for (const methods of [['PLAIN'], ['LOGIN']]) {
    const srv = await startServer({
      authMethods: methods,
      allowInsecureAuth: true,
      onAuth(auth, _s, cb) {
        if (auth.username === 'user' && auth.password === 'pass') cb(null, { user: 'user' });
        else cb(new Error('bad credentials'));
      },
    });
    try {
      const base = { server: '127.0.0.1', port: srv.port, tls: 'none' as const, from: 'a@x.test', rcpt: 'b@x.test', user: 'user', password: 'pass' };
      await assert.rejects(send({ ...base, source: message({ body: 'x' }) }), { code: 'tls' });
      const r = await send({ ...base, allowPlainAuth: true, source: message({ body: 'x' }) });
      assert.deepEqual(r.accepted, ['b@x.test']);
      assert.equal(srv.got[0]!.user, 'user', methods[0]);
      await assert.rejects(send({ ...base, password: 'wrong', allowPlainAuth: true, source: message({ body: 'x' }) }), (e: ReplyError) => e.replyCode === 535);
    } finally {
      await srv.close();
    }
  }
});

test('STARTTLS with a verified certificate, then AUTH without opting in', { timeout: 30000 }, async () => {
  const { key, cert } = selfSigned();
  const srv = await startServer({ key, cert, authMethods: ['PLAIN'], onAuth: (_a, _s, cb) => cb(null, { user: 'u' }) });
  try {
    const base = { server: 'localhost', port: srv.port, from: 'a@x.test', rcpt: 'b@x.test', user: 'u', password: 'p' };
    const r = await send({ ...base, tls: 'starttls', tlsOptions: { ca: cert }, source: message({ body: 'secret' }) });
    assert.deepEqual(r.accepted, ['b@x.test']);
    await assert.rejects(send({ ...base, tls: 'starttls', source: message({ body: 'x' }) }), { code: 'tls' }, 'an unknown CA is refused');
  } finally {
    await srv.close();
  }
});

test('one session sends several messages (connection reuse)', { timeout: 30000 }, async () => {
  const srv = await startServer();
  try {
    const s = await open({ server: '127.0.0.1', port: srv.port });
    await s.greet('client.test');
    assert.ok(s.extensions.has('PIPELINING'));
    for (let i = 0; i < 5; i++) await s.send({ from: 'a@x.test', rcpt: [`r${i}@x.test`] }, message({ headers: { Subject: `n${i}` }, body: `body ${i}` }));
    await s.quit();
    assert.deepEqual(
      srv.got.map((m) => parseHeaders(m.data).get('subject')),
      ['n0', 'n1', 'n2', 'n3', 'n4'],
    );
  } finally {
    await srv.close();
  }
});

test('AUTH CRAM-MD5 when offered; SIZE declared, and a message over the limit refused before sending', { timeout: 30000 }, async () => {
  const srv = await startServer({
    authMethods: ['CRAM-MD5', 'PLAIN'],
    allowInsecureAuth: true,
    size: 1000,
    onAuth(auth, _s, cb) {
      if (auth.method === 'CRAM-MD5' && auth.validatePassword!('pass')) cb(null, { user: auth.username });
      else cb(new Error('bad'));
    },
  });
  try {
    const base = {
      server: '127.0.0.1',
      port: srv.port,
      tls: 'none' as const,
      from: 'a@x.test',
      rcpt: 'b@x.test',
      user: 'u',
      password: 'pass',
      allowPlainAuth: true,
    };
    const r = await send({ ...base, size: 200, source: message({ body: 'small' }) });
    assert.deepEqual(r.accepted, ['b@x.test']);
    assert.equal(srv.got[0]!.user, 'u');
    await assert.rejects(send({ ...base, size: 5000, source: message({ body: 'x'.repeat(5000) }) }), { code: 'too large' });
    assert.equal(srv.got.length, 1);
  } finally {
    await srv.close();
  }
});

test('sendMany() pipelines messages back to back; a refused one does not stop the rest', { timeout: 30000 }, async () => {
  const srv = await startServer();
  try {
    const s = await open({ server: '127.0.0.1', port: srv.port });
    await s.greet('client.test');
    const envelopes = [
      { from: 'a@x.test', rcpt: ['r0@x.test'] },
      { from: 'a@x.test', rcpt: ['bad@x.test'] },
      { from: 'spammer@x.test', rcpt: ['r2@x.test'] },
      { from: 'a@x.test', rcpt: ['r3@x.test', 'bad2@x.test'] },
      { from: 'a@x.test', rcpt: ['r4@x.test'] },
    ];
    const results = await s.sendMany(envelopes.map((envelope, i) => ({ envelope, source: message({ headers: { Subject: `m${i}` }, body: `.body ${i}` }) })));
    await s.quit();
    assert.ok(results[1] instanceof ReplyError && results[1].replyCode === 550);
    assert.ok(results[2] instanceof ReplyError && results[2].replyCode === 554);
    assert.deepEqual(
      (results[3] as { rejected: { rcpt: string }[] }).rejected.map((r) => r.rcpt),
      ['bad2@x.test'],
    );
    assert.deepEqual(
      srv.got.map((m) => parseHeaders(m.data).get('subject')),
      ['m0', 'm3', 'm4'],
    );
    assert.ok(srv.got.every((m, k) => m.data.endsWith(`\r\n\r\n.body ${[0, 3, 4][k]}\r\n`)));
  } finally {
    await srv.close();
  }
});
