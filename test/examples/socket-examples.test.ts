import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../testkit/index.js';

const example = (name: string) => join(repoRoot(), 'dist/examples', name);

function output(child: ChildProcess): Promise<{ code: number | null; out: string }> {
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out })));
}

test('examples/greeting: one client talks to two servers', () => {
  const r = spawnSync(process.execPath, [example('greeting.js')], { encoding: 'utf8', timeout: 30000 });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /client <- hello, this is server 1/);
  assert.match(r.stdout, /client <- server 2 heard: hello from the client on port \d+/);
  assert.match(r.stdout, /both conversations done/);
});

test('examples/unique-server keeps one set of characters per connection across lines; .quit and .shutdown work', { timeout: 60000 }, async () => {
  const server = spawn(process.execPath, [example('unique-server.js'), '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const kill = setTimeout(() => server.kill(), 50_000);
  try {
    const port = await new Promise<number>((resolve, reject) => {
      server.stdout!.once('data', (d: Buffer) => {
        const m = /listening on (\d+)/.exec(d.toString());
        if (m) resolve(Number(m[1]));
        else reject(new Error(`unexpected: ${d}`));
      });
    });
    const exited = output(server);
    const client = (lines: string[]) => {
      const c = spawn(process.execPath, [example('unique-client.js'), String(port)], { stdio: ['pipe', 'pipe', 'inherit'] });
      const done = output(c);
      c.stdin!.end(`${lines.join('\n')}\n`);
      return done;
    };
    // the chapter's sequence: ajx → abjkxy → abcjklxyz, while a second client has its own set
    const [a, b] = await Promise.all([client(['jax', 'kby', 'lcz', '.quit']), client(['hello', 'mississippi', '.quit'])]);
    assert.equal(a.code, 0);
    assert.equal(a.out, 'ajx\nabjkxy\nabcjklxyz\nbye\n');
    assert.equal(b.out, 'ehlo\nehilmops\nbye\n');
    const stop = await client(['.shutdown']);
    assert.equal(stop.out, 'bye\n');
    const s = await exited;
    assert.equal(s.code, 0);
    assert.match(s.out, /server shut down/);
  } finally {
    clearTimeout(kill);
    server.kill();
  }
});
