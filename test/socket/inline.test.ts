import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tcpPair } from '../../testkit/socket.js';

// An inline reader that answers whole "ping\n" lines at once and leaves the rest.
function pingTaker(answer: (n: number) => boolean): (chunk: Buffer) => number {
  return (chunk) => {
    let off = 0;
    while (chunk.subarray(off, off + 5).toString('latin1') === 'ping\n' && answer(1)) off += 5;
    return off;
  };
}

test('setInline: consumed prefixes never reach receive; the rest does, in order; received counts both', async () => {
  const p = await tcpPair();
  try {
    p.peer.setTimeout(5000);
    p.client.setTimeout(5000);
    let pings = 0;
    p.peer.setInline(pingTaker(() => p.peer.write('pong\n') && ++pings > 0));
    const rows: [sent: string, wantPongs: number, wantLine: string | null][] = [
      ['ping\n', 1, null],
      ['ping\nping\n', 2, null],
      ['ping\nhello\nping\n', 1, 'hello'], // stops at the first byte it does not take
    ];
    for (const [sent, pongs, line] of rows) {
      const before = pings;
      await p.client.send(sent);
      for (let i = 0; i < pongs; i++) assert.equal(await p.client.receive('*l'), 'pong');
      if (line !== null) {
        assert.equal(await p.peer.receive('*l'), line);
        assert.equal(await p.peer.receive('*l'), 'ping', 'after the stop, everything is buffered for receive');
      }
      assert.equal(pings - before, pongs, sent);
    }
    assert.equal(p.peer.getStats().received, 5 + 10 + 16);
    p.peer.setInline(null);
    await p.client.send('ping\n');
    assert.equal(await p.peer.receive('*l'), 'ping', 'removed: bytes go to receive again');
  } finally {
    await p.close();
  }
});

test('setInline is not offered a chunk while earlier bytes wait in the buffer (order kept)', async () => {
  const p = await tcpPair();
  try {
    p.peer.setTimeout(5000);
    await p.client.send('abc');
    await new Promise((r) => setTimeout(r, 50)); // 'abc' is buffered, nobody receives
    let offered = 0;
    p.peer.setInline((chunk) => (offered++, chunk.length));
    await p.client.send('ping\n');
    assert.equal(await p.peer.receive('*l'), 'abcping');
    assert.equal(offered, 0);
  } finally {
    await p.close();
  }
});

test('write(): queues only when nothing waits before it; counted in sent', async () => {
  const p = await tcpPair();
  try {
    p.client.setTimeout(5000);
    assert.equal(p.peer.write('hi\n'), true);
    assert.equal(await p.client.receive('*l'), 'hi');
    // fill Node's buffer: the peer reads nothing
    const big = Buffer.alloc(8 * 1024 * 1024);
    void p.peer.send(big).catch(() => {});
    assert.equal(p.peer.nodeSocket.writableLength > 0, true);
    assert.equal(p.peer.write('x'), false, 'refused behind queued output');
    assert.equal(p.peer.getStats().sent, 3);
  } finally {
    await p.close();
  }
});
