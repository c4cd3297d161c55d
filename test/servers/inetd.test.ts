import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { inetd } from '../../src/servers/index.js';
import { connect } from '../../src/socket/index.js';
import { fdCount, waitFor } from '../../testkit/index.js';

/** Zombie children of this process. */
function zombies(): number {
  const out = execFileSync('ps', ['-o', 'stat=', '--ppid', String(process.pid)], { encoding: 'utf8' }).trim();
  return out === '' ? 0 : out.split('\n').filter((s) => s.startsWith('Z')).length;
}

async function talk(port: number, input: string): Promise<string> {
  const c = await connect('127.0.0.1', port);
  c.setTimeout(10_000);
  await c.send(input);
  c.shutdown('send');
  const out = (await c.receive('*a')).toString();
  await c.close();
  return out;
}

test('inetd runs a program per connection with the socket as stdin/stdout and REMOTE_* set', { timeout: 30000 }, async () => {
  const logs: string[] = [];
  const echo = await inetd({ port: 0, command: 'cat', onLog: (l) => logs.push(l) });
  const env = await inetd({ port: 0, command: 'sh', args: ['-c', 'echo "$REMOTE_HOST $REMOTE_PORT"'], onLog: () => {} });
  try {
    assert.equal(await talk(echo.port, 'hello inetd\nsecond line\n'), 'hello inetd\nsecond line\n');
    assert.match(await talk(env.port, ''), /^127\.0\.0\.1 \d+\n$/);
    assert.ok(await waitFor(() => logs.length === 1));
    assert.match(logs[0]!, /^inetd pid=\d+ host=127\.0\.0\.1:\d+ duration=\d+ms exit=0$/);
  } finally {
    await echo.close();
    await env.close();
  }
});

test('500 connections with a cap of 20: each echoed or politely refused; no zombie, no descriptor left', { timeout: 120000 }, async () => {
  const fds = fdCount();
  const srv = await inetd({ port: 0, command: 'cat', maxConnections: 20, perHostLimit: 20, onLog: () => {} });
  let maxRunning = 0;
  const watch = setInterval(() => (maxRunning = Math.max(maxRunning, srv.running)), 5);
  try {
    let echoed = 0;
    let busy = 0;
    for (let round = 0; round < 10; round++) {
      const outs = await Promise.all(Array.from({ length: 50 }, (_, i) => talk(srv.port, `n${round}-${i}\n`)));
      outs.forEach((o, i) => {
        if (o === `n${round}-${i}\n`) echoed++;
        else if (o === 'busy: try again later\r\n') busy++;
      });
    }
    assert.equal(echoed + busy, 500);
    assert.ok(echoed > 0 && busy === srv.refused, `${echoed} echoed, ${busy} busy, ${srv.refused} refused`);
    assert.ok(maxRunning <= 20, `max running ${maxRunning}`);
  } finally {
    clearInterval(watch);
    await srv.close();
  }
  assert.ok(await waitFor(() => zombies() === 0, 5000), 'no zombies');
  assert.ok(await waitFor(() => fdCount() <= fds, 5000), `fds ${fdCount()} vs ${fds}`);
});

test('programs that ignore EOF are killed with their group at the time limit', { timeout: 30000 }, async () => {
  const srv = await inetd({ port: 0, command: 'sh', args: ['-c', 'sleep 1000 & sleep 1000'], timeLimit: 2000, perHostLimit: 20, onLog: () => {} });
  try {
    const t = performance.now();
    const clients = await Promise.all(Array.from({ length: 20 }, () => connect('127.0.0.1', srv.port)));
    assert.ok(await waitFor(() => srv.running === 20, 5000));
    for (const c of clients) {
      c.setTimeout(5000);
      assert.deepEqual(await c.receive('*a'), Buffer.alloc(0));
      await c.close();
    }
    const took = performance.now() - t;
    // The limit is 2 s: all 20 must be running before the first is killed, even on a loaded machine.
    assert.ok(took < 6000, `closed after ${took} ms`);
    assert.ok(await waitFor(() => srv.running === 0, 3000));
    const left = execFileSync('sh', ['-c', `ps -eo pgid=,args= | grep -c '[s]leep 1000' || true`], { encoding: 'utf8' }).trim();
    assert.equal(left, '0', 'the whole process group is gone');
  } finally {
    // close() must not wait on sockets whose descriptors were handed to programs (it once hung here)
    const closing = await Promise.race([srv.close().then(() => 'closed'), new Promise((r) => setTimeout(() => r('hung'), 5000))]);
    assert.equal(closing, 'closed');
  }
});

test('refused connections are closed once the client has read the refusal, even when the client sent data first', { timeout: 30000 }, async () => {
  const srv = await inetd({ port: 0, command: 'sleep', args: ['1000'], maxConnections: 1, timeLimit: 20_000, onLog: () => {} });
  try {
    const holder = await connect('127.0.0.1', srv.port);
    assert.ok(await waitFor(() => srv.running === 1, 5000));
    const fds = fdCount();
    for (let i = 0; i < 10; i++) {
      const c = await connect('127.0.0.1', srv.port);
      c.setTimeout(5000);
      if (i % 2 === 0) await c.send(`request ${i}\n`); // unread bytes must not turn the refusal into a reset
      assert.equal((await c.receive('*a')).toString(), 'busy: try again later\r\n');
      await c.close();
    }
    assert.equal(srv.refused, 10);
    // the server's side of each refused connection must go too, while the server keeps running
    assert.ok(await waitFor(() => fdCount() <= fds, 3000), `fds ${fdCount()} vs ${fds} before the refusals`);
    await holder.close();
  } finally {
    await srv.close();
  }
});
