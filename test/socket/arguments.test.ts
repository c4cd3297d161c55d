import { test } from 'node:test';
import assert from 'node:assert/strict';
import { socket } from '../../src/index.js';
import { ArgumentError } from '../../src/core/errors.js';
import { bytesOf, isDetached } from '../../src/core/bytes.js';
import { Slab } from '../../src/core/slab.js';
import { ReceiveBuffer } from '../../src/core/receive-buffer.js';
import { tcpPair } from '../../testkit/socket.js';

/** A Uint8Array and a Buffer whose ArrayBuffer was transferred away. */
function detached(): { view: Uint8Array; buf: Buffer } {
  const ab = new ArrayBuffer(16);
  const view = new Uint8Array(ab, 4, 8);
  const buf = Buffer.from(ab);
  structuredClone(ab, { transfer: [ab] });
  return { view, buf };
}

test('send() of a detached buffer is an ArgumentError (TCP and UDP), not a TypeError or a silent empty send', async () => {
  const { client, close } = await tcpPair();
  const u = socket.udp();
  try {
    const { view, buf } = detached();
    for (const data of [view, buf]) {
      await assert.rejects(client.send(data), ArgumentError);
      await assert.rejects(u.sendTo(data, '127.0.0.1', 9), ArgumentError);
    }
    for (const bad of [42, null, undefined, {}, [1, 2]]) await assert.rejects(client.send(bad as never), ArgumentError, String(bad));
    // an empty, not detached, buffer is fine
    assert.equal(await client.send(new Uint8Array(0)), 0);
    assert.equal(isDetached(new ArrayBuffer(0)), false);
    assert.equal(bytesOf(new Uint8Array([1, 2, 3]).subarray(1), 'utf8').toString('hex'), '0203');
  } finally {
    await u.close();
    await close();
  }
});

test('bad arguments in core and socket are ArgumentError', async () => {
  const { client, close } = await tcpPair();
  try {
    const rows: [string, () => unknown][] = [
      ['send range 1.5', () => socket.luaRange(5, 1.5, 2)],
      ['send range NaN', () => socket.luaRange(5, 1, NaN)],
      ['shutdown("x")', () => client.shutdown('x' as never)],
      ['setEncoding("ascii")', () => client.setEncoding('ascii' as never)],
      ['setLineLimit(0)', () => client.setLineLimit(0)],
      ['setLineLimit(NaN)', () => (new ReceiveBuffer().lineLimit = NaN)],
      ['setStats(NaN)', () => client.setStats(NaN, 0, 0)],
      ['setTimeout(NaN)', () => client.setTimeout(NaN)],
      ['setTimeout(-1)', () => client.setTimeout(-1)],
      ['Slab(10)', () => new Slab(10)],
      ['udp maxQueue NaN', () => (socket.udp().maxQueue = NaN)],
      ['udp maxQueueBytes 0', () => (socket.udp().maxQueueBytes = 0)],
    ];
    for (const [what, f] of rows) assert.throws(f, ArgumentError, what);
    const asyncRows: [string, () => Promise<unknown>][] = [
      ['bind backlog NaN', () => socket.bind('127.0.0.1', 0, { backlog: NaN })],
      ['bind maxQueue -1', () => socket.bind('127.0.0.1', 0, { maxQueue: -1 })],
      ['udp setSockName port 70000', () => socket.udp().setSockName('127.0.0.1', 70000)],
      ['udp sendTo port NaN', () => socket.udp().sendTo('x', '127.0.0.1', NaN)],
      ["receive('*a', maxBytes NaN)", () => client.receive('*a', undefined, { maxBytes: NaN })],
      ['sleep(NaN)', () => socket.sleep(NaN)],
    ];
    for (const [what, f] of asyncRows) await assert.rejects(f(), ArgumentError, what);
  } finally {
    await close();
  }
});
