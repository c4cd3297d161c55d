import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { socket } from '../../src/index.js';
import { ArgumentError, ClosedError, NetError, TimeoutError } from '../../src/core/errors.js';
import { BULK_READ_SIZE } from '../../src/socket/index.js';
import { nodeServer, writeInPieces } from '../../testkit/socket.js';

test('bulk mode: every receive pattern gives what a normal socket gives', async () => {
  const payload = randomBytes(3 * 1024 * 1024);
  const stream = Buffer.concat([Buffer.from('line one\r\nline two\n'), payload, Buffer.from('tail')]);
  const peer = await nodeServer((sock) => void writeInPieces(sock, stream, [1, 7, 70000, 300000, 13]).then(() => sock.end()));
  try {
    const results: unknown[][] = [];
    for (const bulk of [false, true]) {
      const c = await socket.connect('127.0.0.1', peer.port, { bulk });
      const got = [await c.receive('*l'), await c.receive('*L'), await c.receive(payload.length), await c.receive('*a')];
      results.push(got);
      await c.close();
    }
    assert.deepEqual(results[1], results[0]);
    assert.deepEqual(results[1]![2], payload);
    assert.deepEqual(results[1]![3], Buffer.from('tail'));
  } finally {
    await peer.close();
  }
});

test('bulk mode reads more than 64 KiB at a time; short reads do not pin a 256 KiB buffer', async () => {
  const big = Buffer.alloc(16 * 1024 * 1024, 1);
  const peer = await nodeServer((sock) => {
    sock.write('tiny');
    setTimeout(() => sock.end(big), 50);
  });
  try {
    const c = await socket.connect('127.0.0.1', peer.port, { bulk: true });
    const first = (await c.receivePartial(BULK_READ_SIZE))!;
    assert.equal(first.toString(), 'tiny');
    assert.ok(first.buffer.byteLength < BULK_READ_SIZE, `a 4-byte read holds a ${first.buffer.byteLength}-byte allocation`);
    let largest = 0;
    let total = 0;
    for (let chunk; (chunk = await c.receivePartial(BULK_READ_SIZE)) !== null; ) {
      largest = Math.max(largest, chunk.length);
      total += chunk.length;
    }
    assert.equal(total, big.length);
    assert.ok(largest > 64 * 1024, `largest read ${largest} bytes`);
    await c.close();
  } finally {
    await peer.close();
  }
});

test('bulk mode keeps the socket timeouts, errors and back-pressure', async () => {
  const flood = Buffer.alloc(64 * 1024 * 1024);
  const peer = await nodeServer((sock) => {
    sock.on('error', () => {});
    sock.once('data', (d) => {
      if (d.toString() === 'silent') return;
      if (d.toString() === 'reset') return void sock.resetAndDestroy();
      sock.end(flood);
    });
  });
  try {
    const quiet = await socket.connect('127.0.0.1', peer.port, { bulk: true });
    await quiet.send('silent');
    quiet.setTimeout(100);
    await assert.rejects(quiet.receive('*a'), TimeoutError);
    await quiet.close();

    const reset = await socket.connect('127.0.0.1', peer.port, { bulk: true });
    await reset.send('reset');
    await assert.rejects(reset.receive('*a'), (e: unknown) => e instanceof ClosedError && (e.cause as NetError | undefined)?.code === 'reset');
    await reset.close();

    const slow = await socket.connect('127.0.0.1', peer.port, { bulk: true });
    await slow.send('go');
    await new Promise((r) => setTimeout(r, 300));
    const held = slow.getStats().received;
    assert.ok(held < 8 * 1024 * 1024, `a reader that does not read buffered ${held} bytes`);
    let total = 0;
    for (let chunk; (chunk = await slow.receivePartial(BULK_READ_SIZE)) !== null; ) total += chunk.length;
    assert.equal(total, flood.length);
    await slow.close();
  } finally {
    await peer.close();
  }
});

test('bulk mode is for plain TCP: with tls, or startTls on it, is refused', async () => {
  const peer = await nodeServer(() => {});
  try {
    await assert.rejects(socket.connect('127.0.0.1', peer.port, { bulk: true, tls: true }), ArgumentError);
    const c = await socket.connect('127.0.0.1', peer.port, { bulk: true });
    await assert.rejects(c.startTls(), (e: unknown) => e instanceof NetError && e.code === 'unsupported');
    await c.close();
  } finally {
    await peer.close();
  }
});
