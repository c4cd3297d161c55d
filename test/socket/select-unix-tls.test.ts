import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import tls from 'node:tls';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bind, connect, select, unix, type TcpClient } from '../../src/socket/index.js';
import { fdCount, waitFor } from '../../testkit/index.js';
import { selfSigned } from '../../testkit/tls.js';

test('select over 2,000 sockets finds exactly the readable ones, quickly', { timeout: 60000 }, async () => {
  const server = await bind('127.0.0.1', 0);
  const port = server.getSockName().port;
  const peers: net.Socket[] = [];
  const clients: TcpClient[] = [];
  try {
    const accepted = (async () => {
      const out: TcpClient[] = [];
      for (let i = 0; i < 2000; i++) out.push(await server.accept());
      return out;
    })();
    for (let i = 0; i < 2000; i++) {
      const s = net.connect(port, '127.0.0.1');
      await new Promise((r) => s.once('connect', r));
      peers.push(s);
    }
    clients.push(...(await accepted));
    const none = await select(clients, null, 0);
    assert.equal(none.readable.length, 0);
    assert.equal(none.timedOut, true);
    const waiting = select(clients, null, 5000);
    const t = performance.now();
    peers[1234]!.write('x\n');
    const r = await waiting;
    assert.equal(r.timedOut, false);
    assert.equal(r.readable.length, 1);
    assert.ok(performance.now() - t < 1000);
    // which server-side client corresponds to peer 1234: the readable one gives its line
    assert.equal(await r.readable[0]!.receive('*l'), 'x');
    const w = await select(null, clients.slice(0, 10), 0);
    assert.equal(w.writable.length, 10);
    // a server with a pending connection is readable
    const extra = net.connect(port, '127.0.0.1');
    const s = await select([server], null, 5000);
    assert.deepEqual(s.readable, [server]);
    (await server.accept()).close();
    extra.destroy();
  } finally {
    for (const p of peers) p.destroy();
    await Promise.all(clients.map((c) => c.close()));
    await server.close();
  }
});

test('unix-domain sockets: bind, connect, receive, and the path is theirs alone', { timeout: 20000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nk-unix-'));
  const path = join(dir, 's.sock');
  const server = await unix.bind(path);
  try {
    const accepting = server.accept();
    const c = await unix.connect(path);
    const s = await accepting;
    await c.send('over unix\nrest');
    c.shutdown('send');
    assert.equal(await s.receive('*l'), 'over unix');
    assert.deepEqual(await s.receive('*a'), Buffer.from('rest'));
    await c.close();
    await s.close();
    await assert.rejects(unix.connect(join(dir, 'missing.sock'), { timeout: 2000 }));
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('TLS: implicit (connect with tls) and upgraded (startTls) against a Node TLS server', { timeout: 30000 }, async () => {
  const { key, cert } = selfSigned();
  const secure = tls.createServer({ key, cert }, (s) => s.end('secret hello\n'));
  await new Promise<void>((r) => secure.listen(0, '127.0.0.1', r));
  const port = (secure.address() as net.AddressInfo).port;
  // A plain server that upgrades after a line, STARTTLS-style.
  const plain = net.createServer((raw) => {
    raw.once('data', () => {
      raw.write('go ahead\n', () => {
        const t = new tls.TLSSocket(raw, { isServer: true, key, cert });
        t.on('error', () => {});
        t.end('upgraded hello\n');
      });
    });
  });
  await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
  const plainPort = (plain.address() as net.AddressInfo).port;
  try {
    const c = await connect('localhost', port, { tls: { ca: cert } });
    assert.equal(await c.receive('*l'), 'secret hello');
    await c.close();
    await assert.rejects(connect('localhost', port, { tls: true, timeout: 5000 }), { code: 'tls' }, 'unverified certificate is refused');

    const u = await connect('127.0.0.1', plainPort);
    await u.send('STARTTLS\n');
    assert.equal(await u.receive('*l'), 'go ahead');
    await u.startTls({ ca: cert, servername: 'localhost' });
    assert.equal(await u.receive('*l'), 'upgraded hello');
    await u.close();
  } finally {
    secure.close();
    plain.close();
  }
});

test('no descriptors left after select, unix and TLS use', { timeout: 20000 }, async () => {
  const before = fdCount();
  const server = await bind('127.0.0.1', 0);
  const c = await connect('127.0.0.1', server.getSockName().port);
  const s = await server.accept();
  await select([s], [c], 10);
  await Promise.all([c.close(), s.close(), server.close()]);
  assert.ok(await waitFor(() => fdCount() <= before), `${fdCount()} vs ${before}`);
});
