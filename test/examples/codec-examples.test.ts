import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../testkit/index.js';

const example = (name: string) => join(repoRoot(), 'dist/examples', name);

test('examples/text-hydraulics round-trips through base64 and QP', () => {
  const r = spawnSync(process.execPath, [example('text-hydraulics.js')], { encoding: 'utf8', timeout: 30000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /pumped in 7-byte chunks: identical/);
  assert.match(r.stdout, /=C3=A7/); // ç in quoted-printable
});

test('examples/rot13 rotates stdin to stdout, and rot13 twice is the identity', () => {
  const once = spawnSync(process.execPath, [example('rot13.js')], { input: 'Hello, World!\n', encoding: 'utf8', timeout: 30000 });
  assert.equal(once.status, 0, once.stderr);
  assert.equal(once.stdout, 'Uryyb, Jbeyq!\n');
  const twice = spawnSync(process.execPath, [example('rot13.js')], { input: once.stdout, encoding: 'utf8', timeout: 30000 });
  assert.equal(twice.stdout, 'Hello, World!\n');
  const demo = spawnSync(process.execPath, [example('rot13.js'), '--demo'], { encoding: 'utf8', timeout: 30000 });
  assert.equal(demo.stdout, 'Uryyb, Jbeyq!\n');
});
