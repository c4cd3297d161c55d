/**
 * FTPS against vsftpd (the shared `vsftpd.sh` recipe): explicit (AUTH TLS)
 * and implicit, passive and active, certificates verified, TLS session reuse
 * on every data connection (vsftpd's `require_ssl_reuse=YES` refuses data
 * connections without it), the LIST fallback (vsftpd has no MLSD), REST,
 * and 0 B / 1 B / 100 MiB round trips by SHA-256.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { connect, get, put, type ConnectOptions } from '../src/protocols/ftp/index.js';
import { missingPeer } from '../testkit/peers.js';
import { startVsftpd, type Vsftpd } from '../testkit/ftp-peers.js';

const skip = missingPeer('/usr/sbin/vsftpd');
let vs: Vsftpd;

before(async () => {
  if (!skip) vs = await startVsftpd();
});
after(async () => {
  await vs?.stop();
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function modes(): [string, Omit<ConnectOptions, 'host'>][] {
  const tlsOptions = { ca: vs.cert };
  return [
    ['plain', { port: vs.port }],
    ['explicit passive', { port: vs.port, tls: 'explicit', tlsOptions }],
    ['starttls passive (the project word for explicit)', { port: vs.port, tls: 'starttls', tlsOptions }],
    ['explicit active', { port: vs.port, tls: 'explicit', tlsOptions, passive: false }],
    ['implicit passive', { port: vs.iport, tls: 'implicit', tlsOptions }],
    ['implicit active', { port: vs.iport, tls: 'implicit', tlsOptions, passive: false }],
  ];
}

test('vsftpd: download, upload, LIST and REST in plain, explicit and implicit FTPS, passive and active', { skip, timeout: 120_000 }, async () => {
  const file = readFileSync(join(vs.root, 'file.bin'));
  for (const [name, mode] of modes()) {
    const s = await connect({ host: '127.0.0.1', timeout: 10_000, ...mode });
    const tlsSock = s.socket.nodeSocket as TLSSocket;
    assert.equal(tlsSock.encrypted === true, mode.tls !== undefined, `${name}: control encrypted`);
    assert.equal(sha(await s.retrieve('file.bin')), sha(file), name);
    const up = randomBytes(50_000);
    await s.store(`pub/${name.replace(' ', '-')}.bin`, up);
    assert.equal(sha(readFileSync(join(vs.root, 'pub', `${name.replace(' ', '-')}.bin`))), sha(up), name);
    const entries = await s.list();
    assert.ok(
      entries.some((e) => e.name === 'file.bin' && e.type === 'file' && e.size === file.length),
      `${name}: LIST parsed`,
    );
    assert.ok(
      entries.some((e) => e.name === 'pub' && e.type === 'dir'),
      name,
    );
    assert.equal(sha(await s.retrieve('file.bin', undefined, { offset: 1000 })), sha(file.subarray(1000)), `${name}: REST`);
    assert.equal(await s.size('file.bin'), file.length);
    await s.quit();
  }
});

test('vsftpd: 0 B, 1 B and 100 MiB round-trip over explicit FTPS (SHA-256)', { skip, timeout: 180_000 }, async () => {
  const tlsOptions = { ca: vs.cert };
  const big = randomBytes(1 << 20);
  const data100 = Buffer.concat(Array.from({ length: 100 }, (_, i) => Buffer.concat([big.subarray(i), big.subarray(0, i)])));
  for (const [name, data] of [
    ['zero', Buffer.alloc(0)],
    ['one', Buffer.from([0x0a])],
    ['hundred', data100],
  ] as const) {
    await put({ host: '127.0.0.1', port: vs.port, tls: 'explicit', tlsOptions, path: `pub/${name}.bin` }, data);
    assert.equal(sha(readFileSync(join(vs.root, 'pub', `${name}.bin`))), sha(data), name);
    const back = await get({ host: '127.0.0.1', port: vs.iport, tls: 'implicit', tlsOptions, path: `pub/${name}.bin` });
    assert.equal(sha(back), sha(data), name);
  }
});

test('vsftpd: certificates are verified (no CA → tls error), and ftps:// URLs mean implicit TLS', { skip, timeout: 60_000 }, async () => {
  await assert.rejects(get({ host: '127.0.0.1', port: vs.port, tls: 'explicit', path: 'hello.txt', timeout: 10_000 }), { code: 'tls' });
  await assert.rejects(get({ host: '127.0.0.1', port: vs.iport, tls: 'implicit', path: 'hello.txt', timeout: 10_000 }), { code: 'tls' });
  const hello = await get({ url: `ftps://localhost:${vs.iport}/hello.txt`, tlsOptions: { ca: vs.cert } });
  assert.equal(hello.toString(), 'hello\n');
});
