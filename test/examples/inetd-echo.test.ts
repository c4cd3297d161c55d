import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot, runCli, waitFor } from '../../testkit/index.js';

test('netkit inetd serves examples/line-echo to examples/line-client; SIGTERM stops it', { timeout: 60000 }, async () => {
  const root = repoRoot();
  const srv = spawn(
    process.execPath,
    [join(root, 'dist/src/cli/main.js'), 'inetd', '--port', '0', '--', process.execPath, join(root, 'dist/examples/line-echo.js')],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  srv.stderr!.on('data', (d) => (log += d));
  try {
    const port = await new Promise<number>((resolve) => {
      let out = '';
      srv.stdout!.on('data', (d) => {
        out += d;
        const m = /on [\d.]+:(\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
    });
    const client = spawn(process.execPath, [join(root, 'dist/examples/line-client.js'), String(port), 'hello', 'bye'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    client.stdout!.on('data', (d) => (out += d));
    assert.equal(await new Promise((r) => client.on('exit', r)), 0);
    assert.equal(out, '5: hello\n3: bye\n');
    // The program ends when it reads the client's EOF, a moment after the client exits: SIGTERM before then would kill it.
    assert.ok(await waitFor(() => log.includes('inetd pid='), 5000), 'the program finished');
    srv.kill('SIGTERM');
    assert.equal(await new Promise((r) => srv.on('exit', r)), 0);
    assert.match(log, /inetd pid=\d+ host=127\.0\.0\.1:\d+ duration=\d+ms exit=0/);
  } finally {
    srv.kill();
  }
  assert.equal((await runCli(['inetd', '--port', '0'])).code, 2, 'no program is bad usage');
});
