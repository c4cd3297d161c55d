/**
 * The FTP client against pyftpdlib (Debian python3-pyftpdlib, the shared
 * `ftpd.py` recipe): 0 B / 1 B / 100 MiB round trips by SHA-256, EPSV,
 * PASV, EPRT and PORT, MLSD listings, REST resume both ways, TYPE A with a
 * server that really converts line ends, and IPv6.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AbortError, ReplyError } from '../src/core/errors.js';
import { connect as tcpConnect, type TcpClient } from '../src/socket/index.js';
import { source as sources, type Sink } from '../src/ltn12/index.js';
import { connect, download, get, list, put } from '../src/protocols/ftp/index.js';
import { missingPeer } from '../testkit/peers.js';
import { startPyftpd, type Pyftpd } from '../testkit/ftp-peers.js';

const skip = missingPeer('/usr/lib/python3/dist-packages/pyftpdlib');
let v4: Pyftpd;
let v6: Pyftpd | undefined;

before(async () => {
  if (skip) return;
  v4 = await startPyftpd('127.0.0.1');
  v6 = await startPyftpd('::1').catch(() => undefined);
});
after(async () => {
  await v4?.stop();
  await v6?.stop();
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
async function shaFile(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(path)) h.update(c as Buffer);
  return h.digest('hex');
}
const url = (p: Pyftpd, path: string, login = 'user:pass@') => `ftp://${login}${p.host.includes(':') ? `[${p.host}]` : p.host}:${p.port}/${path}`;

test('pyftpdlib: 0 B, 1 B and 100 MiB round-trip byte-identical (SHA-256), upload as user, download anonymous', { skip, timeout: 180_000 }, async () => {
  const big = join(v4.root, 'big-src.bin');
  const block = randomBytes(1 << 20);
  writeFileSync(big, Buffer.concat(Array.from({ length: 100 }, (_, i) => Buffer.concat([block.subarray(i), block.subarray(0, i)]))));
  for (const [name, data] of [
    ['zero', Buffer.alloc(0)],
    ['one', Buffer.from([0x0d])],
  ] as const) {
    await put(url(v4, `${name}.bin`), data);
    assert.equal(sha(readFileSync(join(v4.root, `${name}.bin`))), sha(data));
    assert.equal(sha(await get(url(v4, `${name}.bin`, ''))), sha(data));
  }
  const want = await shaFile(big);
  await put({ url: url(v4, 'big.bin'), source: sources.file(big) });
  assert.equal(await shaFile(join(v4.root, 'big.bin')), want);
  const h = createHash('sha256');
  const snk: Sink = async (c) => void (c && h.update(c));
  const r = await download(url(v4, 'big.bin', ''), snk);
  assert.deepEqual(r, { bytes: 100 << 20, size: 100 << 20 });
  assert.equal(h.digest('hex'), want);
});

test('pyftpdlib: EPSV, PASV, EPRT and PORT each move the same bytes both ways', { skip, timeout: 60_000 }, async () => {
  const data = randomBytes(1 << 20);
  writeFileSync(join(v4.root, 'modes.bin'), data);
  for (const mode of [{}, { extended: false }, { passive: false }, { passive: false, extended: false }]) {
    const s = await connect({ host: '127.0.0.1', port: v4.port, user: 'user', password: 'pass', timeout: 10_000, ...mode });
    assert.equal(sha(await s.retrieve('modes.bin')), sha(data), JSON.stringify(mode));
    await s.store('modes-up.bin', data);
    assert.equal(sha(readFileSync(join(v4.root, 'modes-up.bin'))), sha(data), JSON.stringify(mode));
    await s.quit();
  }
});

test('pyftpdlib: MLSD listing (offered in FEAT) with types, sizes and times; SIZE, MDTM, MKD, RNFR/RNTO, DELE, RMD', { skip, timeout: 60_000 }, async () => {
  const s = await connect({ host: '127.0.0.1', port: v4.port, user: 'user', password: 'pass', timeout: 10_000 });
  assert.ok(s.features.has('MLST'));
  await s.mkd('sub');
  await s.store('sub/f.txt', 'abc');
  const entries = await s.list('sub');
  assert.deepEqual(
    entries.map((e) => [e.name, e.type, e.size]),
    [['f.txt', 'file', 3]],
  );
  assert.ok(entries[0]!.facts?.modify, 'MLSD facts kept');
  assert.equal(await s.size('sub/f.txt'), 3);
  assert.ok(Math.abs((await s.mdtm('sub/f.txt')).getTime() - Date.now()) < 120_000);
  await s.rename('sub/f.txt', 'sub/g.txt');
  const top = await list(url(v4, ''));
  assert.ok(top.some((e) => e.name === 'sub' && e.type === 'dir'));
  await s.dele('sub/g.txt');
  await s.rmd('sub');
  await assert.rejects(s.cwd('sub'), (e: unknown) => e instanceof ReplyError && e.replyCode === 550);
  await s.quit();
});

test('pyftpdlib: REST resume of a download and of an upload', { skip, timeout: 60_000 }, async () => {
  const data = randomBytes(300_000);
  writeFileSync(join(v4.root, 'resume.bin'), data);
  const s = await connect({ host: '127.0.0.1', port: v4.port, user: 'user', password: 'pass', timeout: 10_000 });
  assert.equal(sha(await s.retrieve('resume.bin', undefined, { offset: 1000 })), sha(data.subarray(1000)));
  await s.store('resume-up.bin', data.subarray(0, 123_456));
  await s.store('resume-up.bin', data.subarray(123_456), { offset: 123_456 });
  assert.equal(sha(readFileSync(join(v4.root, 'resume-up.bin'))), sha(data));
  await s.quit();
});

test('pyftpdlib: TYPE A — the server stores LF text as LF and sends it back with CRLF, which arrives as LF', { skip, timeout: 60_000 }, async () => {
  const text = 'alpha\nbeta\n\ngamma\n';
  await put(url(v4, 'text.txt;type=a'), text);
  assert.equal(readFileSync(join(v4.root, 'text.txt'), 'utf8'), text);
  assert.equal((await get(url(v4, 'text.txt;type=a', ''))).toString(), text);
  assert.equal((await get(url(v4, 'text.txt;type=i', ''))).toString(), text, 'TYPE I is byte-exact');
});

test('pyftpdlib over IPv6 (::1): EPSV and EPRT', { skip, timeout: 60_000 }, async (t) => {
  if (!v6) return t.skip('pyftpdlib did not start on ::1');
  const data = randomBytes(200_000);
  await put(url(v6, 'six.bin'), data);
  assert.equal(sha(await get(url(v6, 'six.bin', ''))), sha(data));
  const s = await connect({ host: '::1', port: v6.port, passive: false, timeout: 10_000 });
  assert.equal(s.socket.getPeerName().family, 'inet6');
  assert.equal(sha(await s.retrieve('six.bin')), sha(data));
  await s.quit();
});

test('pyftpdlib: an aborted download closes the data connection and the session; the server serves the file again', { skip, timeout: 60_000 }, async () => {
  const data = randomBytes(32 << 20);
  writeFileSync(join(v4.root, 'abort.bin'), data);
  const opened: TcpClient[] = [];
  const create: typeof tcpConnect = async (host, port, opts) => {
    const sock = await tcpConnect(host, port, opts);
    opened.push(sock);
    return sock;
  };
  const s = await connect({ host: v4.host, port: v4.port, timeout: 10_000, create });
  const ac = new AbortController();
  let chunks = 0;
  const slow: Sink = async (c) => {
    if (c === null) return;
    if (++chunks === 3) ac.abort();
    await new Promise((r) => setTimeout(r, 20));
  };
  await assert.rejects(s.retrieve('abort.bin', slow, { signal: ac.signal }), AbortError);
  const seen = chunks;
  assert.ok(seen >= 3 && seen < 100, `the sink stopped soon after the abort (${seen} chunks)`);
  assert.equal(s.closed, true, 'the session is closed (its state is unknown after an abort)');
  assert.equal(opened.length, 2, 'control and one data connection');
  assert.ok(
    opened.every((c) => c.closed),
    'the data and control connections are closed',
  );
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(chunks, seen, 'nothing reaches the sink after the abort');
  // a one-call get aborted by its signal, then the same file byte-identical
  await assert.rejects(get({ url: url(v4, 'abort.bin', ''), sink: slow, signal: AbortSignal.timeout(50) }), AbortError);
  assert.equal(sha(await get(url(v4, 'abort.bin', ''))), sha(data));
});
