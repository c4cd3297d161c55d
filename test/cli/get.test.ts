import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { hasCommand, repoRoot, runCli } from '../../testkit/index.js';
import { selfSigned } from '../../testkit/tls.js';

const payload = Buffer.alloc(3 * 1024 * 1024);
for (let i = 0; i < payload.length; i++) payload[i] = (i * 31) & 255;
const seen: { method?: string; headers: http.IncomingHttpHeaders; url?: string; body: string }[] = [];

const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    seen.push({ method: req.method, headers: req.headers, url: req.url, body });
    req.url = req.url!.replace(/^http:\/\/[^/]+/, ''); // absolute-form, as a proxy sees it
    if (req.url === '/file.bin')
      return void res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(payload.length) }).end(payload);
    if (req.url === '/go') return void res.writeHead(302, { Location: '/file.bin' }).end();
    if (req.url === '/echo') return void res.end(`${req.method} ${body}`);
    if (req.url === '/empty') return void res.end();
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('no such page');
  });
};
let server: http.Server;
let tlsServer: https.Server;
let base = '';
let sbase = '';
let dir = '';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nk-get-'));
  server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  const cert = selfSigned();
  tlsServer = https.createServer({ key: cert.key, cert: cert.cert }, handler);
  await new Promise<void>((r) => tlsServer.listen(0, '127.0.0.1', r));
  sbase = `https://localhost:${(tlsServer.address() as net.AddressInfo).port}`;
});
after(async () => {
  for (const s of [server, tlsServer]) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  rmSync(dir, { recursive: true, force: true });
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test('netkit get URL -o FILE downloads byte-identical (following redirects), with no progress when piped', { timeout: 30000 }, async () => {
  const out = join(dir, 'a.bin');
  const r = await runCli(['get', `${base}/go`, '-o', out]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, '', 'no progress bar on a pipe');
  assert.equal(sha(readFileSync(out)), sha(payload));
  const empty = join(dir, 'empty');
  assert.equal((await runCli(['get', `${base}/empty`, '-o', empty])).code, 0);
  assert.equal(readFileSync(empty).length, 0);
});

test('netkit get URL (or -o -) writes to standard output', async () => {
  for (const extra of [[], ['-o', '-']]) {
    const r = await runCli(['get', `${base}/echo`, ...extra]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, 'GET ');
  }
});

test('netkit get -I prints the head; -H, -d and -X reach the server', async () => {
  const head = await runCli(['get', '-I', `${base}/file.bin`]);
  assert.equal(head.code, 0, head.err);
  assert.match(head.out, /^HTTP\/1\.1 200 OK\n/);
  assert.match(head.out, /Content-Type: application\/octet-stream\n/i);
  assert.equal(seen.at(-1)!.method, 'HEAD');
  const post = await runCli(['get', `${base}/echo`, '-d', 'a=1', '-H', 'X-Test: yes']);
  assert.equal(post.out, 'POST a=1');
  assert.equal(seen.at(-1)!.headers['x-test'], 'yes');
  assert.equal(seen.at(-1)!.headers['content-type'], 'application/x-www-form-urlencoded');
  const file = join(dir, 'data.txt');
  writeFileSync(file, 'from file');
  assert.equal((await runCli(['get', `${base}/echo`, '-X', 'PUT', '-d', `@${file}`])).out, 'PUT from file');
});

test('netkit get over https verifies certificates; -k skips that', async () => {
  const bad = await runCli(['get', `${sbase}/echo`]);
  assert.equal(bad.code, 1);
  assert.equal(bad.err.trim().split('\n').length, 1);
  const ok = await runCli(['get', `${sbase}/echo`, '-k']);
  assert.equal(ok.code, 0, ok.err);
  assert.equal(ok.out, 'GET ');
});

test('netkit get --proxy sends absolute-form requests to the proxy', async () => {
  const r = await runCli(['get', 'http://origin.test/echo', '--proxy', base]);
  assert.equal(r.code, 0, r.err);
  assert.equal(seen.at(-1)!.url, 'http://origin.test/echo');
});

test('netkit get failures: one line and exit 1; an error page writes no file; bad usage exits 2', async () => {
  const out = join(dir, 'missing.bin');
  const nf = await runCli(['get', `${base}/nope`, '-o', out]);
  assert.equal(nf.code, 1);
  assert.equal(nf.err, 'netkit get: server answered HTTP/1.1 404 Not Found\n');
  assert.equal(existsSync(out), false);
  const refused = await runCli(['get', 'http://127.0.0.1:1/']);
  assert.equal(refused.code, 1);
  assert.equal(refused.err.split('\n').length, 2);
  assert.equal((await runCli(['get'])).code, 2);
  assert.equal((await runCli(['get', 'gopher://x/'])).code, 2);
  assert.equal((await runCli(['get', base, '-H', 'no colon'])).code, 2);
  const inject = await runCli(['get', base, '-H', 'X-A: a\rb']);
  assert.equal(inject.code, 1, 'a CR in a header value is refused');
});

test('on a terminal the progress line goes to stderr with bytes, rate and ETA', {
  skip: hasCommand('script') ? undefined : 'script(1) is not installed',
  timeout: 30000,
}, async () => {
  const out = join(dir, 'tty.bin');
  const cmd = [process.execPath, join(repoRoot(), 'dist/src/cli/main.js'), 'get', `${base}/file.bin`, '-o', out].map((a) => `'${a}'`).join(' ');
  const child = spawn('script', ['-qfec', cmd, '/dev/null'], { env: { PATH: process.env.PATH } });
  let tty = '';
  child.stdout.on('data', (d) => (tty += d));
  const code = await new Promise((r) => child.on('exit', r));
  assert.equal(code, 0, tty);
  assert.match(tty, /3\.0 MiB \/ 3\.0 MiB 100% \[=+\] [\d.]+ [KMG]?i?B\/s {2}ETA 0:00/);
  assert.equal(sha(readFileSync(out)), sha(payload));
});
