import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../testkit/index.js';

const root = repoRoot();
const run = (file: string, ...args: string[]) => spawnSync(process.execPath, [join(root, file), ...args], { encoding: 'utf8', timeout: 30000 });

test('netkit dns localhost prints the address and A/AAAA records', () => {
  const r = run('dist/src/cli/main.js', 'dns', 'localhost');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^address: (127\.0\.0\.1|::1)$/m);
  assert.match(r.stdout, /^name: localhost$/m);
  assert.match(r.stdout, /^(A: 127\.0\.0\.1|AAAA: ::1)$/m);
});

test('netkit dns 127.0.0.1 prints its name; a bad name exits 1; no argument exits 2', () => {
  const r = run('dist/src/cli/main.js', 'dns', '127.0.0.1');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^A: 127\.0\.0\.1$/m);
  const bad = run('dist/src/cli/main.js', 'dns', 'no such..name');
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /^netkit dns: not a valid host name/);
  assert.equal(run('dist/src/cli/main.js', 'dns').status, 2);
});

test('examples/dns-lookup resolves localhost both ways', () => {
  const r = run('dist/examples/dns-lookup.js');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^localhost -> (127\.0\.0\.1|::1)$/m);
});
