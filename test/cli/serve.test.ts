import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, runCli } from '../../testkit/index.js';
import { missingClient, rawRequest, runProgram } from '../../testkit/http-raw.js';
import { startServeCli } from '../../testkit/serve-cli.js';

test('netkit serve www: curl fetches the page, its stylesheet and image; the log goes to stderr; SIGTERM stops it', {
  timeout: 60000,
  skip: missingClient('curl'),
}, async () => {
  const www = join(repoRoot(), 'www');
  const srv = await startServeCli([www, '--port', '0']);
  try {
    assert.match(srv.url, /^http:\/\/127\.0\.0\.1:\d+\/$/, 'loopback by default');
    const page = await runProgram('curl', ['-sS', '--fail', srv.url]);
    assert.equal(page.code, 0, page.stderr);
    assert.deepEqual(page.stdout, readFileSync(join(www, 'index.html')));
    const css = await runProgram('curl', ['-sS', '--fail', '-o', '/dev/null', '-w', '%{http_code} %{content_type}', `${srv.url}style.css`]);
    assert.equal(css.stdout.toString(), '200 text/css; charset=utf-8');
    const svg = await runProgram('curl', ['-sS', '--fail', '-o', '/dev/null', '-w', '%{http_code} %{content_type}', `${srv.url}netkit.svg`]);
    assert.equal(svg.stdout.toString(), '200 image/svg+xml');
    const missing = await runProgram('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', `${srv.url}nope.html`]);
    assert.equal(missing.stdout.toString(), '404');
    assert.equal(await srv.stop(), 0);
    const log = srv.log();
    assert.equal(log.length, 4);
    assert.match(log[0]!, /"GET \/ HTTP\/1\.1" 200 \d+ "-" "curl\//);
    assert.match(log[3]!, /"GET \/nope\.html HTTP\/1\.1" 404 /);
  } finally {
    srv.child.kill();
  }
});

test('netkit serve: control bytes a client puts in its request line or fields reach the terminal escaped', { timeout: 30000 }, async () => {
  const srv = await startServeCli([join(repoRoot(), 'www'), '--port', '0']);
  try {
    await rawRequest(srv.port, 'GET /\x1b]0;owned\x07 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    await rawRequest(srv.port, 'GET / HTTP/1.1\r\nHost: x\r\nUser-Agent: a\x9bb\x1b[2J\r\nConnection: close\r\n\r\n');
    assert.equal(await srv.stop(), 0);
    const text = srv.log().join('\n');
    assert.equal(srv.log().length, 2, text);
    assert.doesNotMatch(text, /[\x00-\x08\x0b-\x1f\x7f-\x9f]/, 'no raw C0/C1 control reaches stderr');
    assert.match(text, /\\x1B\[2J/);
  } finally {
    srv.child.kill();
  }
});

test('netkit serve: bad usage exits 2, a missing folder 1 with one line', async () => {
  assert.equal((await runCli(['serve', 'a', 'b'])).code, 2);
  assert.equal((await runCli(['serve', '--port', 'x'])).code, 2);
  assert.equal((await runCli(['serve', '--index', 'a.html', '--no-index'])).code, 2);
  const missing = await runCli(['serve', '/nonexistent-folder-for-netkit', '--port', '0']);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /^netkit serve: web: cannot serve \/nonexistent-folder-for-netkit/);
  assert.equal(missing.err.trim().split('\n').length, 1);
  const help = await runCli(['serve', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.out, /usage: netkit serve \[options\] \[DIR\]/);
});
