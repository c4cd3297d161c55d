/**
 * The FTP client against ftp-srv (npm) in-process: round trips of 0 B, 1 B
 * and 100 MiB compared by SHA-256, every session command, passive and active
 * modes, REST resume both ways, TYPE A, failures that leave the session usable.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, readFileSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ReplyError } from '../../core/errors.js';
import { sink as sinks, source as sources, type Sink, type Source } from '../../ltn12/index.js';
import { fdCount } from '../../../testkit/index.js';
import { startFtpSrv, type FtpSrvPeer } from '../../../testkit/ftp-srv.js';
import { connect, get, put, list, command, download } from './index.js';

let srv: FtpSrvPeer;
before(async () => {
  srv = await startFtpSrv();
});
after(async () => {
  await srv?.close();
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
async function shaFile(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(path)) h.update(c as Buffer);
  return h.digest('hex');
}

/** A source of `n` pseudo-random bytes made on the fly, and its SHA-256 once done. */
function randomSource(n: number): [Source, () => string] {
  const h = createHash('sha256');
  let left = n;
  let seed = randomBytes(65536);
  return [
    async () => {
      if (left === 0) return null;
      const chunk = seed.subarray(0, Math.min(left, seed.length));
      seed = Buffer.from(
        createHash('sha256')
          .update(seed.subarray(0, 32))
          .digest()
          .toString('hex')
          .repeat(1024 * 4)
          .slice(0, 65536),
        'latin1',
      );
      left -= chunk.length;
      h.update(chunk);
      return chunk;
    },
    () => h.digest('hex'),
  ];
}

function hashSink(): [Sink, () => string] {
  const h = createHash('sha256');
  return [async (c) => void (c && h.update(c)), () => h.digest('hex')];
}

test('0 B and 1 B files round-trip byte-identical (SHA-256), anonymous and user logins', async () => {
  for (const data of [Buffer.alloc(0), Buffer.from([0xff])]) {
    await put(`ftp://user:pass@127.0.0.1:${srv.port}/small-${data.length}.bin`, data);
    assert.equal(sha(readFileSync(join(srv.root, `small-${data.length}.bin`))), sha(data));
    const back = await get(`ftp://127.0.0.1:${srv.port}/small-${data.length}.bin`);
    assert.equal(sha(back), sha(data));
  }
});

test('100 MiB round-trips byte-identical through streaming sources and sinks, with flat memory', { timeout: 120_000 }, async () => {
  const n = 100 * 1024 * 1024;
  const [src, sentSha] = randomSource(n);
  const up = await put({ url: `ftp://127.0.0.1:${srv.port}/big.bin`, source: src });
  assert.equal(up.bytes, n);
  const want = sentSha();
  assert.equal(await shaFile(join(srv.root, 'big.bin')), want);
  const [snk, gotSha] = hashSink();
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const r = await download(`ftp://127.0.0.1:${srv.port}/big.bin`, snk, { onProgress: () => {} });
  clearInterval(timer);
  assert.deepEqual(r, { bytes: n, size: n });
  assert.equal(gotSha(), want);
  assert.ok(peak - rssBefore < 64 * 1024 * 1024, `memory grew by ${((peak - rssBefore) / 1048576).toFixed(1)} MiB`);
});

test('a session: mkd, cwd, pwd, store, size, mdtm, rename, list (LIST fallback), nlst, dele, rmd, quit', async () => {
  const fds = fdCount();
  const s = await connect({ host: '127.0.0.1', port: srv.port, user: 'user', password: 'pass', timeout: 5000 });
  assert.equal(s.socket.getOption('tcp-nodelay'), true);
  assert.match(await s.mkd('dir'), /\/dir$/); // ftp-srv reports its local path
  await s.cwd('dir');
  assert.equal(await s.pwd(), '/dir');
  await s.store('a.txt', 'hello\n');
  assert.equal(await s.size('a.txt'), 6);
  const m = await s.mdtm('a.txt');
  assert.ok(Math.abs(m.getTime() - Date.now()) < 120_000, m.toISOString());
  await s.rename('a.txt', 'b.txt');
  const entries = await s.list();
  assert.deepEqual(
    entries.map((e) => [e.name, e.type, e.size]),
    [['b.txt', 'file', 6]],
  );
  assert.deepEqual(await s.nlst(), ['b.txt']);
  await s.dele('b.txt');
  await s.cdup();
  await s.rmd('dir');
  assert.equal(existsSync(join(srv.root, 'dir')), false);
  await s.quit();
  assert.ok(fdCount() <= fds + 1, `descriptors left: ${fdCount() - fds}`);
});

test('passive EPSV, passive PASV, active EPRT: the same bytes each way', async () => {
  const data = randomBytes(300_000);
  writeFileSync(join(srv.root, 'modes.bin'), data);
  for (const mode of [{}, { extended: false }, { passive: false }, { passive: false, extended: false }]) {
    const s = await connect({ host: '127.0.0.1', port: srv.port, timeout: 5000, ...mode });
    assert.equal(sha(await s.retrieve('modes.bin')), sha(data), JSON.stringify(mode));
    await s.store('modes-up.bin', data);
    assert.equal(sha(readFileSync(join(srv.root, 'modes-up.bin'))), sha(data), JSON.stringify(mode));
    await s.quit();
  }
});

test('REST resume of a download; APPE continues an upload (ftp-srv truncates on REST+STOR: that case runs against pyftpdlib)', async () => {
  const data = randomBytes(100_000);
  writeFileSync(join(srv.root, 'rest.bin'), data);
  const s = await connect({ host: '127.0.0.1', port: srv.port, timeout: 5000 });
  const tail = await s.retrieve('rest.bin', undefined, { offset: 1000 });
  assert.equal(sha(tail), sha(data.subarray(1000)));
  writeFileSync(join(srv.root, 'rest-up.bin'), data.subarray(0, 40_000));
  await s.store('rest-up.bin', sources.string(data.subarray(40_000)), { append: true });
  assert.equal(sha(readFileSync(join(srv.root, 'rest-up.bin'))), sha(data));
  await s.quit();
});

test('TYPE A: local LF text goes out with CRLF and comes back with LF', async () => {
  const text = 'line one\nline two\n\nlast\n';
  await put(`ftp://127.0.0.1:${srv.port}/text.txt;type=a`, text);
  assert.equal(readFileSync(join(srv.root, 'text.txt'), 'utf8'), text.replaceAll('\n', '\r\n'), 'ftp-srv stores what it receives');
  assert.equal((await get(`ftp://127.0.0.1:${srv.port}/text.txt;type=a`)).toString(), text);
  assert.equal((await get(`ftp://127.0.0.1:${srv.port}/text.txt;type=i`)).toString(), text.replaceAll('\n', '\r\n'));
});

test('failures: bad password, missing file (session stays usable), command() and list() one-call forms', async () => {
  await assert.rejects(
    get({ host: '127.0.0.1', port: srv.port, user: 'user', password: 'wrong', path: 'x' }),
    (e: unknown) => e instanceof ReplyError && e.replyCode === 530,
  );
  writeFileSync(join(srv.root, 'here.txt'), 'here');
  const s = await connect({ host: '127.0.0.1', port: srv.port, timeout: 5000 });
  await assert.rejects(s.retrieve('missing.txt'), (e: unknown) => e instanceof ReplyError && e.replyCode >= 550 && e.replyCode <= 551);
  assert.equal(s.closed, false);
  assert.equal((await s.retrieve('here.txt')).toString(), 'here');
  await s.quit();
  const r = await command({ host: '127.0.0.1', port: srv.port, command: 'NOOP' });
  assert.equal(r.code, 200);
  const names = (await list(`ftp://127.0.0.1:${srv.port}/`)).map((e) => e.name);
  assert.ok(names.includes('here.txt'), names.join(','));
  assert.equal(statSync(join(srv.root, 'here.txt')).size, 4);
  const [snk, all] = sinks.buffer();
  await get({ host: '127.0.0.1', port: srv.port, path: 'here.txt', sink: snk });
  assert.equal(all().toString(), 'here');
});

test('an aborted download rejects with AbortError and closes the session', async () => {
  writeFileSync(join(srv.root, 'abort.bin'), randomBytes(4 << 20));
  const ac = new AbortController();
  const slow: Sink = async (c) => {
    if (c) await new Promise((r) => setTimeout(r, 30));
  };
  setTimeout(() => ac.abort(), 100);
  const s = await connect({ host: '127.0.0.1', port: srv.port, timeout: 5000 });
  await assert.rejects(s.retrieve('abort.bin', slow, { signal: ac.signal }), { code: 'aborted' });
  assert.equal(s.closed, true);
});
