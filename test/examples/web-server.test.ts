import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../testkit/index.js';
import { missingClient, rawRequest, runProgram } from '../../testkit/http-raw.js';

test('examples/web-server serves the www folder to curl and stops on /quit', { timeout: 60000, skip: missingClient('curl') }, async () => {
  const root = repoRoot();
  const server = spawn(process.execPath, [join(root, 'dist/examples/web-server.js'), '0', join(root, 'www')], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  server.stdout!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => server.on('exit', r));
  try {
    const port = await new Promise<number>((resolve) => {
      const poll = setInterval(() => {
        const m = /listening on http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
        if (m) clearInterval(poll), resolve(Number(m[1]));
      }, 20);
    });
    const page = await runProgram('curl', ['-sS', '--fail', `http://127.0.0.1:${port}/`]);
    assert.deepEqual(page.stdout, readFileSync(join(root, 'www', 'index.html')));
    const css = await runProgram('curl', ['-sS', '-w', ' %{http_code} %{content_type}', `http://127.0.0.1:${port}/style.css`]);
    assert.match(css.stdout.toString(), / 200 text\/css; charset=utf-8$/);
    const missing = await runProgram('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', `http://127.0.0.1:${port}/nope`]);
    assert.equal(missing.stdout.toString(), '404');
    const up = await rawRequest(port, 'GET /../package.json HTTP/1.0\r\n\r\n');
    assert.equal(up.status, 400, 'no way out of the folder');
    const quit = await runProgram('curl', ['-sS', `http://127.0.0.1:${port}/quit`]);
    assert.equal(quit.stdout.toString(), 'bye\n');
    assert.equal(await exited, 0);
    assert.match(out, /GET \/quit\nstopped by \/quit\n/);
  } finally {
    server.kill();
  }
});
