import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { inetd } from '../src/servers/index.js';
import { missingPeer } from '../testkit/peers.js';

const run = promisify(execFile);
const skip = missingPeer('/usr/bin/socat');

/** How many socat clients talk to one servers.inetd at once (below its connection cap). */
const CLIENTS = 40;

test(`socat beside nc: ${CLIENTS} concurrent clients each get their own program and their own answer`, { skip, timeout: 120_000 }, async () => {
  const srv = await inetd({
    port: 0,
    command: 'sh',
    args: ['-c', 'read line; echo "pid $$: $line" | tr a-z A-Z'],
    maxConnections: CLIENTS + 10,
    perHostLimit: CLIENTS + 10,
    onLog: () => {},
  });
  try {
    const outs = await Promise.all(
      Array.from({ length: CLIENTS }, (_, i) => run('sh', ['-c', `printf 'client ${i}\\n' | socat -t 10 - TCP:127.0.0.1:${srv.port}`], { timeout: 60_000 })),
    );
    const pids = new Set<string>();
    outs.forEach(({ stdout }, i) => {
      const m = /^PID (\d+): CLIENT (\d+)\n$/.exec(stdout);
      assert.ok(m, `client ${i} got ${JSON.stringify(stdout)}`);
      assert.equal(Number(m[2]), i, 'each client gets its own answer');
      pids.add(m[1]!);
    });
    assert.equal(pids.size, CLIENTS, 'one program per connection');
  } finally {
    await srv.close();
  }
});
