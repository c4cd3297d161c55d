import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LimitError } from '../src/core/errors.js';
import { sink as sinks, source as sources } from '../src/ltn12/index.js';
import { Pool, request } from '../src/protocols/http/index.js';
import { missingPeer } from '../testkit/peers.js';
import { startNginx, type Nginx } from '../testkit/http-peers.js';
import { runCli } from '../testkit/index.js';

const skip = missingPeer('/usr/sbin/nginx');
let nginx: Nginx;
let base = '';
let sbase = '';
const BIG = 50 * 1024 * 1024;
let bigSha = '';
const text = 'nginx compresses this line of text when asked.\n'.repeat(2000);

before(async () => {
  if (skip) return;
  nginx = await startNginx();
  base = `http://127.0.0.1:${nginx.port}`;
  sbase = `https://localhost:${nginx.tlsPort}`;
  writeFileSync(join(nginx.www, 'text.txt'), text);
  const hash = createHash('sha256');
  const out = createWriteStream(join(nginx.www, 'big50.bin'));
  for (let left = BIG; left > 0; left -= 1024 * 1024) {
    const block = randomBytes(Math.min(left, 1024 * 1024));
    hash.update(block);
    if (!out.write(block)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
  bigSha = hash.digest('hex');
});
after(async () => {
  await nginx?.stop();
});

async function get(url: string, extra: Record<string, unknown> = {}) {
  const [sink, chunks] = sinks.table();
  const r = await request({ url, sink, timeout: 10000, ...extra });
  return { ...r, body: Buffer.concat(chunks).toString() };
}

test('nginx: keep-alive reuse over http and https', { skip, timeout: 60000 }, async () => {
  for (const [url, extra] of [
    [`${base}/`, {}],
    [`${sbase}/`, { ca: nginx.cert }],
  ] as const) {
    const pool = new Pool();
    for (let i = 0; i < 20; i++) assert.equal((await get(url, { pool, ...extra })).body, 'hello\n');
    assert.equal(pool.hits, 19, `${url}: 20 requests, one connection`);
    await pool.close();
  }
});

test('nginx: chunked responses, chunked request bodies, redirects and the redirect limit', { skip, timeout: 60000 }, async () => {
  const c = await get(`${base}/chunked`);
  assert.equal(c.headers['transfer-encoding'], 'chunked');
  assert.equal(c.body, 'part1\npart2\n');
  const payload = randomBytes(3 * 1024 * 1024);
  const [sink, chunks] = sinks.table();
  await request({ url: `${base}/echo`, method: 'POST', source: sources.string(payload, 100_000), sink });
  assert.ok(Buffer.concat(chunks).equals(payload), '3 MB chunked upload echoed byte-identical');
  const r = await get(`${base}/redirect`);
  assert.equal(r.body, 'hello\n');
  assert.equal(r.redirects, 1);
  await assert.rejects(get(`${base}/loop`), LimitError);
  assert.equal((await get(`${base}/status/404`)).code, 404);
});

test('nginx: basic auth from the URL', { skip, timeout: 60000 }, async () => {
  assert.equal((await get(`${base}/private/index.html`)).code, 401);
  assert.equal((await get(`${base.replace('//', '//user:wrong@')}/private/index.html`)).code, 401);
  const ok = await get(`${base.replace('//', '//user:pass@')}/private/index.html`);
  assert.equal(ok.code, 200);
  assert.equal(ok.body, 'hello\n');
});

test('nginx: gzip decoded when asked', { skip, timeout: 60000 }, async () => {
  const raw = await request({ url: `${base}/text.txt`, headers: { 'Accept-Encoding': 'gzip' }, sink: sinks.table()[0] });
  assert.equal(raw.headers['content-encoding'], 'gzip');
  const decoded = await get(`${base}/text.txt`, { decode: true });
  assert.equal(decoded.headers['content-encoding'], 'gzip');
  assert.equal(decoded.body, text);
});

test('nginx: a 50 MiB file arrives byte-identical (SHA-256) over http, https and IPv6', { skip, timeout: 120000 }, async () => {
  for (const [url, extra] of [
    [`${base}/big50.bin`, {}],
    [`${sbase}/big50.bin`, { ca: nginx.cert }],
    [`http://[::1]:${nginx.port}/big50.bin`, {}],
  ] as const) {
    const hash = createHash('sha256');
    let n = 0;
    await request({ url, ...extra, sink: async (c) => void (c && (hash.update(c), (n += c.length))) });
    assert.equal(n, BIG, url);
    assert.equal(hash.digest('hex'), bigSha, url);
  }
});

test('nginx: netkit get -o writes the big file', { skip, timeout: 120000 }, async () => {
  const out = join(nginx.dir, 'copy.bin');
  const r = await runCli(['get', `${base}/big50.bin`, '-o', out]);
  assert.equal(r.code, 0, r.err);
  assert.equal(createHash('sha256').update(readFileSync(out)).digest('hex'), bigSha);
});
