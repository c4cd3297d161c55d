/**
 * `netkit get` and `netkit put` over FTPS against vsftpd (the shared recipe):
 * explicit (`--tls starttls`) and implicit (`ftps://`), passive and `--active`,
 * a directory listing, and the one way to trust a certificate (`--ca FILE`,
 * `-k`; without either, the error names both).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../testkit/index.js';
import { missingPeer } from '../testkit/peers.js';
import { startVsftpd, type Vsftpd } from '../testkit/ftp-peers.js';

const skip = missingPeer('/usr/sbin/vsftpd');
let vs: Vsftpd;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nk-cli-ftps-'));
  if (!skip) vs = await startVsftpd();
});
after(async () => {
  await vs?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('netkit put and get over explicit and implicit FTPS, passive and active, with --ca or -k; a listing', { skip, timeout: 120_000 }, async () => {
  const ca = join(dir, 'ca.pem');
  writeFileSync(ca, vs.cert);
  const data = randomBytes(300_000);
  const file = join(dir, 'up.bin');
  writeFileSync(file, data);
  const plain = `ftp://127.0.0.1:${vs.port}/pub/`;
  const implicit = `ftps://127.0.0.1:${vs.iport}/pub/`;
  const put = await runCli(['put', '--tls', 'starttls', '--ca', ca, file, plain]);
  assert.equal(put.code, 0, put.err);
  const ways: [string, string[]][] = [
    ['explicit passive --ca', ['--tls', 'starttls', '--ca', ca, `${plain}up.bin`]],
    ['explicit active -k', ['--tls', 'explicit', '-k', '--active', `${plain}up.bin`]],
    ['implicit passive --ca', ['--ca', ca, `${implicit}up.bin`]],
    ['implicit active --ca', ['--ca', ca, '--active', `${implicit}up.bin`]],
  ];
  for (const [name, args] of ways) {
    const out = join(dir, `${name.replaceAll(' ', '-')}.bin`);
    const r = await runCli(['get', ...args, '-o', out]);
    assert.equal(r.code, 0, `${name}: ${r.err}`);
    assert.ok(readFileSync(out).equals(data), `${name}: byte-exact`);
  }
  const listing = await runCli(['get', '--tls', 'starttls', '--ca', ca, plain]);
  assert.equal(listing.code, 0, listing.err);
  assert.match(listing.out, /^- +300000 .* up\.bin$/m);
  const untrusted = await runCli(['get', '--tls', 'starttls', `${plain}up.bin`]);
  assert.equal(untrusted.code, 1);
  assert.match(untrusted.err, /--ca FILE.*--insecure/);
});
