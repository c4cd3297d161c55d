import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { bind, select, selectHooks, udp } from '../../src/socket/index.js';

test('every socket kind hands select() the same hooks object each time (5,000 sockets per call made GC pauses of 80 ms: R-17)', {
  timeout: 20000,
}, async () => {
  const server = await bind('127.0.0.1', 0);
  const peer = net.connect(server.getSockName().port, '127.0.0.1');
  const client = await server.accept();
  const u = udp();
  await u.setSockName('127.0.0.1', 0);
  try {
    for (const s of [server, client, u]) assert.equal(s[selectHooks], s[selectHooks]);
    // and select still wakes on the cached hooks
    const waiting = select([client], null, 2000);
    peer.write('x\n');
    assert.deepEqual((await waiting).readable, [client]);
  } finally {
    peer.destroy();
    await client.close();
    await server.close();
    await u.close();
  }
});
