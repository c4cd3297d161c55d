import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../testkit/index.js';

const bin = join(repoRoot(), 'dist/src/cli/main.js');
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 30000 });

test('netkit url parse prints one part per line, or JSON', () => {
  const r = run('url', 'parse', 'ftp://u:p@[::1]:2121/pub;type=i?x#f');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(
    r.stdout,
    'scheme: ftp\nauthority: u:p@[::1]:2121\nuserinfo: u:p\nuser: u\npassword: p\nhost: ::1\nport: 2121\npath: /pub\nparams: type=i\nquery: x\nfragment: f\n',
  );
  const j = run('url', 'parse', '--json', 'http://h/p');
  assert.deepEqual(JSON.parse(j.stdout), { scheme: 'http', authority: 'h', host: 'h', path: '/p' });
});

test('netkit url resolve prints the absolute URL', () => {
  const r = run('url', 'resolve', 'http://a/b/c/d;p?q', '../../g');
  assert.equal(r.status, 0);
  assert.equal(r.stdout, 'http://a/g\n');
});

test('netkit url with bad usage exits 2', () => {
  assert.equal(run('url').status, 2);
  assert.equal(run('url', 'resolve', 'only-one').status, 2);
  assert.equal(run('url', 'frobnicate', 'x').status, 2);
});
