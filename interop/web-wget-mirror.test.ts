import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { web } from '../src/servers/index.js';
import { missingPeer } from '../testkit/peers.js';

const run = promisify(execFile);
const skip = missingPeer('/usr/bin/wget');

function files(root: string, dir = root): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? files(root, path) : [relative(root, path)];
    })
    .sort();
}

/** Beside Chromium and curl (test/servers/web-clients.test.ts): wget -r mirrors a folder tree by following links. */
test('wget -r mirrors a linked folder tree from servers.web, every file byte-exact', { skip, timeout: 120_000 }, async () => {
  const site = mkdtempSync(join(tmpdir(), 'nk-site-'));
  const mirror = mkdtempSync(join(tmpdir(), 'nk-mirror-'));
  mkdirSync(join(site, 'docs', 'img'), { recursive: true });
  writeFileSync(join(site, 'index.html'), '<link rel="stylesheet" href="style.css"><a href="docs/">docs</a> <a href="data.bin">data</a>\n');
  writeFileSync(join(site, 'style.css'), 'body { background: url(docs/img/bg.png) }\n');
  writeFileSync(join(site, 'data.bin'), randomBytes(700_000));
  writeFileSync(join(site, 'docs', 'index.html'), '<img src="img/bg.png"><a href="page%20two.html">two</a><a href="../">up</a>\n');
  writeFileSync(join(site, 'docs', 'page two.html'), '<p>second page, ünïcode</p>\n');
  writeFileSync(join(site, 'docs', 'img', 'bg.png'), randomBytes(20_000));
  const srv = await web({ root: site, port: 0 });
  try {
    await run('wget', ['-q', '-r', '-l', '5', '-nH', '-P', mirror, '-e', 'robots=off', `http://127.0.0.1:${srv.port}/`], { timeout: 100_000 });
    const want = files(site);
    assert.deepEqual(files(mirror), want);
    for (const f of want) assert.ok(readFileSync(join(mirror, f)).equals(readFileSync(join(site, f))), `${f} byte-exact`);
  } finally {
    await srv.close();
    rmSync(site, { recursive: true, force: true });
    rmSync(mirror, { recursive: true, force: true });
  }
});
