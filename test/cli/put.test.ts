import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../testkit/index.js';
import { startFtpSrv, type FtpSrvPeer } from '../../testkit/ftp-srv.js';

let srv: FtpSrvPeer;
let dir: string;
before(async () => {
  srv = await startFtpSrv();
  dir = mkdtempSync(join(tmpdir(), 'nk-put-'));
});
after(async () => {
  await srv?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('netkit put <file> ftp://…/dir/ uploads under the file name; no progress bar when stderr is not a terminal', { timeout: 30_000 }, async () => {
  const data = randomBytes(2 << 20);
  const file = join(dir, 'up.bin');
  writeFileSync(file, data);
  const r = await runCli(['put', file, `ftp://user@127.0.0.1:${srv.port}/`], { NETKIT_FTP_PASSWORD: 'pass' });
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^sent 2097152 bytes to up\.bin: 2\d\d /);
  assert.equal(r.err, '');
  assert.ok(readFileSync(join(srv.root, 'up.bin')).equals(data));
});

test('netkit put - reads stdin; --ascii sends CRLF line ends; errors exit 1 and bad usage 2', { timeout: 30_000 }, async () => {
  const r = await runCli(['put', '--ascii', '-', `ftp://127.0.0.1:${srv.port}/stdin.txt`], {}, 'a\nb\n');
  assert.equal(r.code, 0, r.err);
  assert.equal(readFileSync(join(srv.root, 'stdin.txt'), 'utf8'), 'a\r\nb\r\n');
  const bad = await runCli(['put', join(dir, 'missing'), `ftp://127.0.0.1:${srv.port}/x`]);
  assert.equal(bad.code, 1);
  assert.equal(bad.err, `netkit put: no such file: ${join(dir, 'missing')}\n`, "in the user's words, no raw ENOENT");
  const refused = await runCli(['put', '-', `ftp://user:wrong@127.0.0.1:${srv.port}/x`], {}, 'x');
  assert.equal(refused.code, 1);
  assert.match(refused.err, /530/);
  for (const args of [
    ['put', 'only-one'],
    ['put', 'f', 'http://x/'],
    ['put', '--tls', 'maybe', 'f', 'ftp://h/'],
    ['put', '-', 'ftp://h/dir/'],
  ]) {
    assert.equal((await runCli(args)).code, 2, args.join(' '));
  }
  const noPassword = await runCli(['put', '-', `ftp://user@127.0.0.1:${srv.port}/x`], {}, 'x');
  assert.equal(noPassword.code, 2, 'no password and no terminal to ask on');
});

test('netkit get ftp://… downloads byte-exact to a file or stdout; -I shows SIZE; a missing file exits 1 and writes nothing', { timeout: 30_000 }, async () => {
  const data = randomBytes((1 << 20) + 3);
  writeFileSync(join(srv.root, 'down.bin'), data);
  const out = join(dir, 'down.bin');
  const r = await runCli(['get', `ftp://user@127.0.0.1:${srv.port}/down.bin`, '-o', out], { NETKIT_FTP_PASSWORD: 'pass' });
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, '', 'no progress bar on a pipe');
  assert.ok(readFileSync(out).equals(data));
  writeFileSync(join(srv.root, 'small.txt'), 'hello ftp\n');
  const toStdout = await runCli(['get', `ftp://127.0.0.1:${srv.port}/small.txt`]);
  assert.equal(toStdout.code, 0, toStdout.err);
  assert.equal(toStdout.out, 'hello ftp\n');
  const head = await runCli(['get', '-I', `ftp://127.0.0.1:${srv.port}/down.bin`]);
  assert.equal(head.code, 0, head.err);
  assert.match(head.out, new RegExp(`^Content-Length: ${data.length}$`, 'm'));
  const missingOut = join(dir, 'never.bin');
  const missing = await runCli(['get', `ftp://127.0.0.1:${srv.port}/no-such-file`, '-o', missingOut]);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /^netkit get: .*55\d/);
  assert.throws(() => readFileSync(missingOut), /ENOENT/);
  assert.equal((await runCli(['get', '-d', 'x=1', `ftp://127.0.0.1:${srv.port}/small.txt`])).code, 2);
});

test('netkit get ftp://…/dir/ prints the listing (names escaped); --active downloads in active mode', { timeout: 30_000 }, async () => {
  writeFileSync(join(srv.root, 'listed.txt'), 'twelve bytes');
  writeFileSync(join(srv.root, 'evil\x1b[2Jname'), 'x');
  const env = { NETKIT_FTP_PASSWORD: 'pass' };
  const listing = await runCli(['get', `ftp://user@127.0.0.1:${srv.port}/`], env);
  assert.equal(listing.code, 0, listing.err);
  assert.match(listing.out, /^- +12 \d{4}-\d\d-\d\d \d\d:\d\d +listed\.txt$/m);
  assert.match(listing.out, /evil\\x1b\[2Jname$/m, 'a control sequence in a name is shown, not obeyed');
  assert.ok(!listing.out.includes('\x1b'));
  const active = await runCli(['get', '--active', `ftp://user@127.0.0.1:${srv.port}/listed.txt`], env);
  assert.equal(active.code, 0, active.err);
  assert.equal(active.out, 'twelve bytes');
});
