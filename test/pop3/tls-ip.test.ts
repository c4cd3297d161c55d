import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import tls from 'node:tls';
import { connect } from '../../src/protocols/pop3/index.js';
import { selfSigned, selfSignedFor } from '../../testkit/tls.js';

// Node warns once per process (DEP0123) when an IP goes into SNI: collect from the start.
const warnings: Error[] = [];
process.on('warning', (w) => warnings.push(w));
const tick = () => new Promise((r) => setImmediate(r));

/**
 * A small POP3 responder over Node's TLS (implicit, or plain until STLS):
 * greeting, CAPA with STLS, USER/PASS, STAT, QUIT. The certificate checks
 * under test are Node's real TLS on both ends.
 */
async function pop3Tls(cert: { key: string; cert: string }, mode: 'implicit' | 'stls'): Promise<{ port: number; close(): Promise<void> }> {
  const serve = (sock: net.Socket, plain: boolean) => {
    let buf = '';
    sock.on('error', () => {});
    sock.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      for (let i = buf.indexOf('\r\n'); i >= 0; i = buf.indexOf('\r\n')) {
        const cmd = buf.slice(0, i).split(' ')[0]!.toUpperCase();
        buf = buf.slice(i + 2);
        if (cmd === 'CAPA') sock.write(`+OK\r\nUSER\r\n${plain ? 'STLS\r\n' : ''}.\r\n`);
        else if (cmd === 'STLS' && plain) {
          sock.removeAllListeners('data');
          sock.write('+OK begin TLS\r\n');
          serve(new tls.TLSSocket(sock, { isServer: true, ...cert }), false);
          return;
        } else if (cmd === 'STAT') sock.write('+OK 0 0\r\n');
        else if (cmd === 'QUIT') sock.end('+OK bye\r\n');
        else sock.write('+OK\r\n');
      }
    });
  };
  const server = net.createServer((raw) => {
    if (mode === 'stls') {
      raw.write('+OK ready\r\n');
      serve(raw, true);
      return;
    }
    const secure = new tls.TLSSocket(raw, { isServer: true, ...cert });
    secure.on('secure', () => secure.write('+OK ready\r\n'));
    serve(secure, false);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const sockets = new Set<net.Socket>();
  server.on('connection', (s) => sockets.add(s.on('close', () => sockets.delete(s))));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

const right = selfSigned(); // subjectAltName IP:127.0.0.1
const wrong = selfSignedFor('DNS:localhost,IP:127.0.0.2', '127.0.0.1');
const servers: { close(): Promise<void> }[] = [];
after(async () => {
  for (const s of servers) await s.close();
});

for (const mode of ['implicit', 'stls'] as const) {
  test(`POP3 ${mode} TLS to 127.0.0.1: the certificate is verified against the IP, and no IP goes into SNI`, { timeout: 30000 }, async () => {
    const ok = await pop3Tls(right, mode);
    const bad = await pop3Tls(wrong, mode);
    servers.push(ok, bad);
    let checked: string | undefined;
    const s = await connect({
      host: '127.0.0.1',
      port: ok.port,
      tls: mode,
      user: 'u',
      password: 'p',
      tlsOptions: { ca: right.cert, checkServerIdentity: (host, cert) => ((checked = host), tls.checkServerIdentity(host, cert)) },
    });
    assert.ok(s.conn.socket.nodeSocket instanceof tls.TLSSocket);
    assert.deepEqual(await s.stat(), { count: 0, size: 0 });
    await s.quit();
    assert.equal(checked, '127.0.0.1', 'checkServerIdentity is given the IP');
    await assert.rejects(
      connect({ host: '127.0.0.1', port: bad.port, tls: mode, user: 'u', password: 'p', tlsOptions: { ca: wrong.cert } }),
      (e: Error & { code?: string }) => e.code === 'tls' && /IP|127\.0\.0\.1/.test(e.message),
    );
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
