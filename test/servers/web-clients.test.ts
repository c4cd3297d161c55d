import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { web, type WebServer } from '../../src/servers/index.js';
import { hasCommand, repoRoot, waitFor } from '../../testkit/index.js';
import { missingClient, runProgram } from '../../testkit/http-raw.js';
import { startServeCli } from '../../testkit/serve-cli.js';

let dir: string;
let site: WebServer;
const log: string[] = [];
const big = randomBytes(5 * 1024 * 1024 + 3);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nk-webc-'));
  mkdirSync(join(dir, 'www', 'docs'), { recursive: true });
  mkdirSync(join(dir, 'outside'));
  writeFileSync(join(dir, 'outside', 'secret.txt'), 'SECRET');
  writeFileSync(join(dir, 'www', 'index.html'), '<a href="docs/">docs</a>\n');
  writeFileSync(join(dir, 'www', 'docs', 'index.html'), '<p>docs</p>\n');
  writeFileSync(join(dir, 'www', 'big.bin'), big);
  writeFileSync(join(dir, 'www', '.env'), 'SECRET');
  symlinkSync(join(dir, 'outside', 'secret.txt'), join(dir, 'www', 'out.txt'));
  site = await web({ root: join(dir, 'www'), port: 0, log: (l) => log.push(l) });
});

after(async () => {
  await site.close();
  rmSync(dir, { recursive: true, force: true });
});

const base = () => `http://127.0.0.1:${site.port}`;

test('curl: a 5 MiB file byte-identical, HEAD, a range, 304 by ETag and by date, keep-alive reuse', { skip: missingClient('curl') }, async () => {
  const whole = await runProgram('curl', ['-sS', '--fail', `${base()}/big.bin`]);
  assert.equal(whole.code, 0, whole.stderr);
  assert.equal(sha(whole.stdout), sha(big));
  const head = await runProgram('curl', ['-sS', '-I', `${base()}/big.bin`]);
  assert.match(head.stdout.toString(), /^HTTP\/1\.1 200 OK\r\n/);
  assert.match(head.stdout.toString(), new RegExp(`\r\nContent-Length: ${big.length}\r\n`));
  const etag = /ETag: ("[^"]+")/.exec(head.stdout.toString())![1]!;
  const part = await runProgram('curl', ['-sS', '-r', '1000-1999', '-w', '%{http_code}', `${base()}/big.bin`]);
  assert.equal(part.stdout.subarray(1000).toString(), '206');
  assert.deepEqual(part.stdout.subarray(0, 1000), big.subarray(1000, 2000));
  const cond = await runProgram('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '-H', `If-None-Match: ${etag}`, `${base()}/big.bin`]);
  assert.equal(cond.stdout.toString(), '304');
  const since = await runProgram('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '-z', 'Mon, 01 Jan 2035 00:00:00 GMT', `${base()}/big.bin`]);
  assert.equal(since.stdout.toString(), '304');
  const reuse = await runProgram('curl', ['-sS', '-v', '-o', '/dev/null', '-o', '/dev/null', `${base()}/`, `${base()}/docs/`]);
  assert.match(reuse.stderr, /Re-using existing connection/);
  const http10 = await runProgram('curl', ['-sS', '-0', '-i', `${base()}/docs/`]);
  assert.match(http10.stdout.toString(), /Connection: close\r\n[\s\S]*<p>docs<\/p>/);
  const redirect = await runProgram('curl', ['-sS', '-L', '-w', ' %{url_effective}', `${base()}/docs`]);
  assert.equal(redirect.stdout.toString(), `<p>docs</p>\n ${base()}/docs/`);
});

test('curl: an unread 5 MiB upload still gets its 413 (lingering close, no reset), with and without Expect', { skip: missingClient('curl') }, async () => {
  const body = join(dir, 'www', 'big.bin');
  for (const expect of [[], ['-H', 'Expect:']]) {
    const r = await runProgram('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', ...expect, '--data-binary', `@${body}`, `${base()}/docs/`]);
    assert.equal(r.stdout.toString(), '413', `${expect.join(' ')}: ${r.stderr}`);
  }
  const small = await runProgram('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '--data-binary', 'abc', `${base()}/docs/`]);
  assert.equal(small.stdout.toString(), '405');
});

test('curl --path-as-is: traversal, dotfiles and symlinks out are refused (WS-01…WS-09)', { skip: missingClient('curl') }, async () => {
  for (const [path, code] of [
    ['/../outside/secret.txt', '400'],
    ['/docs/../../outside/secret.txt', '400'],
    ['/%2e%2e/outside/secret.txt', '400'],
    ['/..%2foutside%2fsecret.txt', '400'],
    ['/..%5coutside%5csecret.txt', '400'],
    ['/out.txt', '404'],
    ['/.env', '404'],
  ] as const) {
    const r = await runProgram('curl', ['-sS', '--path-as-is', '-w', '\n%{http_code}', `${base()}${path}`]);
    assert.equal(r.stdout.toString().split('\n').pop(), code, path);
    assert.ok(!r.stdout.includes('SECRET'), path);
  }
});

test('wget: downloads byte-identical, resumes a partial file with a range (-c), follows the directory redirect', { skip: missingClient('wget') }, async () => {
  const out = join(dir, 'dl.bin');
  const got = await runProgram('wget', ['-q', '-O', out, `${base()}/big.bin`]);
  assert.equal(got.code, 0, got.stderr);
  assert.equal(sha(readFileSync(out)), sha(big));
  writeFileSync(out, big.subarray(0, 1234567));
  log.length = 0;
  const resumed = await runProgram('wget', ['-q', '-c', '-O', out, `${base()}/big.bin`]);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.equal(sha(readFileSync(out)), sha(big));
  const resumedLine = (l: string) => l.includes(`"GET /big.bin HTTP/1.1" 206 ${big.length - 1234567} `);
  assert.ok(await waitFor(() => log.some(resumedLine)), `only the missing part was sent:\n${log.join('\n')}`);
  const page = join(dir, 'docs.html');
  const followed = await runProgram('wget', ['-q', '-O', page, `${base()}/docs`]);
  assert.equal(followed.code, 0, followed.stderr);
  assert.equal(readFileSync(page, 'utf8'), '<p>docs</p>\n');
  const refused = await runProgram('wget', ['-q', '-O', join(dir, 'x'), `${base()}/.env`]);
  assert.equal(refused.code, 8, 'wget reports the 404 as a server error');
});

test('curl over IPv6: a server bound to ::1 answers with its bracketed address', { skip: missingClient('curl') }, async () => {
  const six = await web({ root: join(dir, 'www'), host: '::1', port: 0 });
  try {
    assert.equal(six.family, 'inet6');
    const r = await runProgram('curl', ['-sS', '-g', '--fail', `http://[::1]:${six.port}/docs/`]);
    assert.equal(r.stdout.toString(), '<p>docs</p>\n');
  } finally {
    await six.close();
  }
});

const chromium = ['chromium', 'chromium-browser', 'google-chrome'].find((c) => hasCommand(c));

test('headless Chromium loads the bundled www page with its stylesheet and image over netkit serve', {
  skip: chromium === undefined ? (process.env.CI ? false : 'chromium is not installed') : false,
  timeout: 90000,
}, async () => {
  assert.ok(chromium, 'chromium missing under CI (see .ci/install-peers)');
  const srv = await startServeCli([join(repoRoot(), 'www'), '--port', '0']);
  const profile = mkdtempSync(join(tmpdir(), 'nk-chromium-'));
  try {
    const r = await runProgram(
      chromium,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-extensions',
        `--user-data-dir=${profile}`,
        '--dump-dom',
        srv.url,
      ],
      { timeoutMs: 60000 },
    );
    assert.equal(r.code, 0, r.stderr.slice(-500));
    assert.match(r.stdout.toString(), /<img src="netkit\.svg"/);
    const line = (path: string) => srv.log().find((l) => l.includes(`"GET ${path} HTTP/1.1"`));
    await waitFor(() => ['/', '/style.css', '/netkit.svg'].every((p) => line(p) !== undefined));
    const lines = srv.log();
    for (const path of ['/', '/style.css', '/netkit.svg']) {
      assert.match(line(path) ?? '', /" 200 \d+ "[^"]*" "[^"]*HeadlessChrome/, `${path} requested by Chromium and answered 200:\n${lines.join('\n')}`);
    }
  } finally {
    await srv.stop();
    rmSync(profile, { recursive: true, force: true });
  }
});
