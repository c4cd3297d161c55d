import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { inetd } from '../src/servers/index.js';
import { missingPeer } from '../testkit/peers.js';

const run = promisify(execFile);
const skip = missingPeer('/usr/bin/nc');

test('nc (netcat-openbsd) talks to a program under servers.inetd, like xinetd', { skip, timeout: 30000 }, async () => {
  const srv = await inetd({ port: 0, command: 'tr', args: ['a-z', 'A-Z'], onLog: () => {} });
  try {
    const outs = await Promise.all(
      Array.from({ length: 10 }, (_, i) => run('sh', ['-c', `printf 'hello inetd ${i}\\n' | nc -q1 127.0.0.1 ${srv.port}`], { timeout: 20000 })),
    );
    outs.forEach(({ stdout }, i) => assert.equal(stdout, `HELLO INETD ${i}\n`));
  } finally {
    await srv.close();
  }
});
