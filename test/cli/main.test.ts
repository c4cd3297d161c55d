import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../testkit/index.js';

const bin = join(repoRoot(), 'dist/src/cli/main.js');
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 30000 });

test('netkit --help lists commands and exits 0', () => {
  const r = run('--help');
  assert.equal(r.status, 0);
  assert.match(r.stdout, /demo/);
});

test('netkit with no command, or an unknown one, exits 2', () => {
  assert.equal(run().status, 2);
  const r = run('no-such-command');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown command/);
});
