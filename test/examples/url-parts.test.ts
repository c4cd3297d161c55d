import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../testkit/index.js';

test('examples/url-parts prints the parts, the rebuilt URL and resolutions', () => {
  const r = spawnSync(process.execPath, [join(repoRoot(), 'dist/examples/url-parts.js')], { encoding: 'utf8', timeout: 30000 });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^ {2}host: www\.example\.com$/m);
  assert.match(r.stdout, /^ {2}port: 8080$/m);
  assert.match(r.stdout, /^rebuilt: http:\/\/user:secret@www\.example\.com:8080\/docs\/guide\/index\.html;type=a\?lang=en#intro$/m);
  assert.match(r.stdout, /^without credentials: http:\/\/www\.example\.com:8080\//m);
  assert.match(r.stdout, /^resolve \.\.\/api\/ -> http:\/\/user:secret@www\.example\.com:8080\/docs\/api\/$/m);
  assert.match(r.stdout, /path segments: \["docs","guide","index.html"\]/);
});
