import { test } from 'node:test';
import assert from 'node:assert/strict';
import { udp, udp6, select } from '../../src/socket/index.js';
import { TimeoutError, NetError, type LimitError } from '../../src/core/index.js';
import { fdCount, waitFor } from '../../testkit/index.js';

test('unconnected UDP: sendTo / receiveFrom over 127.0.0.1', { timeout: 20000 }, async () => {
  const a = udp();
  const b = udp();
  try {
    await a.setSockName('127.0.0.1', 0);
    const port = a.getSockName().port;
    assert.equal(await b.sendTo('ping', '127.0.0.1', port), 4);
    const d = await a.receiveFrom();
    assert.equal(d.data.toString(), 'ping');
    assert.equal(d.address, '127.0.0.1');
    assert.equal(d.truncated, false);
    await a.sendTo('pong', d.address, d.port);
    b.setTimeout(5000);
    assert.equal((await b.receive()).toString(), 'pong');
  } finally {
    await a.close();
    await b.close();
  }
});

test('connected UDP over ::1; setPeerName("*") disconnects', { timeout: 20000 }, async () => {
  const a = udp6();
  const b = udp6();
  try {
    await a.setSockName('::1', 0);
    await b.setSockName('::1', 0);
    await b.setPeerName('::1', a.getSockName().port);
    assert.equal(b.getPeerName().port, a.getSockName().port);
    await b.send('one');
    await b.send('two');
    assert.equal((await a.receive()).toString(), 'one', 'datagrams are never merged');
    assert.equal((await a.receive()).toString(), 'two');
    await assert.rejects(b.sendTo('x', '::1', 9), { code: 'invalid argument' });
    await b.setPeerName('*');
    assert.throws(() => b.getPeerName(), NetError);
    await b.sendTo('three', '::1', a.getSockName().port);
    assert.equal((await a.receive()).toString(), 'three');
  } finally {
    await a.close();
    await b.close();
  }
});

test('a datagram bigger than the size asked for is truncated and reported', { timeout: 20000 }, async () => {
  const a = udp();
  const b = udp();
  try {
    await a.setSockName('127.0.0.1', 0);
    await a.setOption('recv-buffer', 1 << 20);
    await b.sendTo(Buffer.alloc(65507, 7), '127.0.0.1', a.getSockName().port);
    const d = await a.receiveFrom(8192);
    assert.equal(d.data.length, 8192);
    assert.equal(d.truncated, true);
    await b.sendTo(Buffer.alloc(10), '127.0.0.1', a.getSockName().port);
    await a.receive(4);
    assert.equal(a.lastTruncated, true);
    await assert.rejects(b.sendTo(Buffer.alloc(65508), '127.0.0.1', 9), (e: LimitError) => e.code === 'too large');
  } finally {
    await a.close();
    await b.close();
  }
});

test('receive timeout fires within ±10 % + 50 ms', { timeout: 20000 }, async () => {
  const a = udp();
  try {
    await a.setSockName('127.0.0.1', 0);
    a.setTimeout(300);
    const t = performance.now();
    await assert.rejects(a.receive(), TimeoutError);
    const took = performance.now() - t;
    assert.ok(took >= 270 && took <= 380, `${took} ms`);
  } finally {
    await a.close();
  }
});

test('a flood is bounded: extra datagrams are dropped and counted', { timeout: 30000 }, async () => {
  const a = udp();
  const b = udp();
  try {
    a.maxQueue = 100;
    await a.setSockName('127.0.0.1', 0);
    const port = a.getSockName().port;
    for (let i = 0; i < 2000; i++) await b.sendTo(Buffer.alloc(512, i & 255), '127.0.0.1', port);
    assert.ok(await waitFor(() => a.getStats().dropped > 0, 5000), 'drops are counted');
    // The kernel's receive buffer may still hold datagrams after the first drop; wait until the
    // drop count stops moving, so that what the loop below drains is netkit's queue alone.
    let last = -1;
    while (a.getStats().dropped !== last) {
      last = a.getStats().dropped;
      await new Promise((r) => setTimeout(r, 250));
    }
    const s = await select([a], [], 1000);
    assert.deepEqual(s.readable, [a]);
    let got = 0;
    a.setTimeout(200);
    for (;;) {
      try {
        await a.receive();
        got++;
      } catch {
        break;
      }
    }
    assert.ok(got <= 100, `queued ${got}`);
  } finally {
    await a.close();
    await b.close();
  }
});

test('options: supported ones apply, unsupported ones throw code unsupported', { timeout: 20000 }, async () => {
  const a = udp();
  try {
    a.setOption('reuseaddr', true);
    await a.setSockName('127.0.0.1', 0);
    a.setOption('broadcast', true);
    assert.equal(a.getOption('broadcast'), true);
    a.setOption('ip-multicast-ttl', 4);
    a.setOption('ip-multicast-loop', false);
    a.setOption('send-buffer', 65536);
    assert.ok((a.getOption('send-buffer') as number) >= 65536);
    assert.throws(() => a.setOption('dontroute', true), { code: 'unsupported' });
    assert.throws(() => a.setOption('reuseport', true), { code: 'unsupported' });
    assert.throws(() => a.setOption('ipv6-v6only', true), { code: 'unsupported' }, 'too late once bound');
  } finally {
    await a.close();
  }
});

test('close ends pending receives and leaves no descriptor', { timeout: 20000 }, async () => {
  const before = fdCount();
  for (let i = 0; i < 20; i++) {
    const a = udp();
    await a.setSockName('127.0.0.1', 0);
    const pending = a.receive();
    await a.close();
    await assert.rejects(pending, { code: 'closed' });
  }
  assert.ok(await waitFor(() => fdCount() <= before), `${fdCount()} vs ${before}`);
});
