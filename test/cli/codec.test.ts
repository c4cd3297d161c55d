import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../testkit/index.js';

const bin = join(repoRoot(), 'dist/src/cli/main.js');
const run = (args: string[], input?: Buffer) => spawnSync(process.execPath, [bin, ...args], { input, timeout: 60000, maxBuffer: 64 * 1024 * 1024 });
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test('netkit encode/decode round-trip a 3 MiB random file through base64 and qp', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nk-codec-'));
  try {
    const data = randomBytes(3 * 1024 * 1024 + 1);
    const file = join(dir, 'in.bin');
    writeFileSync(file, data);
    for (const enc of ['base64', 'qp']) {
      const encoded = run(['encode', enc, file]);
      assert.equal(encoded.status, 0, encoded.stderr.toString());
      for (const line of encoded.stdout.toString('latin1').split('\r\n')) assert.ok(line.length <= 76);
      const decoded = run(['decode', enc, '--strict'], encoded.stdout);
      assert.equal(decoded.status, 0, decoded.stderr.toString());
      assert.equal(sha(decoded.stdout), sha(data), enc);
    }
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('netkit encode base64 matches the system base64 tool (modulo CRLF)', () => {
  const data = randomBytes(10_000);
  const ours = run(['encode', 'base64'], data).stdout.toString().replace(/\r\n/g, '\n');
  // both end the last line with a line break (mime.wrap, like LuaSocket and base64(1))
  const theirs = spawnSync('base64', ['-w', '76'], { input: data }).stdout.toString();
  assert.equal(ours, theirs);
});

test('netkit decode --strict fails with one line on bad input; bad usage exits 2', () => {
  const r = run(['decode', 'base64', '--strict'], Buffer.from('Zm9v*mFy'));
  assert.equal(r.status, 1);
  assert.match(r.stderr.toString(), /^netkit decode: .*not base64 at byte 4\n$/);
  assert.equal(run(['decode', 'base64'], Buffer.from('Zm9v*YmFy')).stdout.toString(), 'foobar');
  assert.equal(run(['encode', 'rot13']).status, 2);
  assert.equal(run(['encode']).status, 2);
});
