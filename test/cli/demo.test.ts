import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot, runCli } from '../../testkit/index.js';

test('netkit demo --once (npm start -- --once) runs the whole tour and exits 0 within 30 s', { timeout: 60000 }, async () => {
  const t = performance.now();
  const r = await runCli(['demo', '--once']);
  assert.equal(r.code, 0, r.out + r.err);
  assert.ok(performance.now() - t < 30_000);
  for (const step of ['dns', 'url', 'mime', 'http', 'smtp + pop3', 'web inbox', 'inetd echo', 'select server'])
    assert.match(r.out, new RegExp(`^✓ ${step.replace('+', '\\+')}: `, 'm'));
  assert.match(r.out, /every step passed/);
  // The chapter's server keeps one set of characters per connection, across lines.
  assert.match(r.out, /"ajx → abjkxy → abcjklxyz" and "ehlo → dehlorw"/);
});

test('netkit demo keeps serving until interrupted', { timeout: 60000 }, async () => {
  const child = spawn(process.execPath, [join(repoRoot(), 'dist/src/cli/main.js'), 'demo'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  await new Promise<void>((resolve) => {
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('still serving')) resolve();
    });
  });
  child.kill('SIGINT');
  assert.equal(await new Promise((r) => child.on('exit', r)), 0);
  assert.match(out, /netkit mail send --server 127\.0\.0\.1:\d+/);
  assert.match(out, /open http:\/\/127\.0\.0\.1:\d+\/ in a browser to see the caught mail/);
});
