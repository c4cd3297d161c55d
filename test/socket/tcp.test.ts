import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { socket } from '../../src/index.js';
import { ClosedError, type LimitError, type NetError, SendError, TimeoutError, type AbortError } from '../../src/core/errors.js';
import type { Pattern } from '../../src/socket/index.js';
import { fdCount, waitFor } from '../../testkit/index.js';
import { fillKernel, nodeServer, tcpPair, writeInPieces } from '../../testkit/socket.js';

const STREAM = Buffer.concat([
  Buffer.from('first line\r\nsecond\n\r\nthird\rwith cr\n'),
  Buffer.from(`${'x'.repeat(5000)}\n`),
  Buffer.from('héllo wörld ☃\r\n', 'utf8'),
  Buffer.from([0, 1, 2, 255, 254, 10]),
  Buffer.from('tail without newline'),
]);
const SCRIPT: Pattern[] = ['*l', '*L', 'line', '*l', '*l', '*l', 6, '*a'];

async function receiveScript(sizes: number[] | null): Promise<unknown[]> {
  const peer = await nodeServer((sock) => {
    void (sizes === null ? Promise.resolve(sock.write(STREAM)) : writeInPieces(sock, STREAM, sizes)).then(() => sock.end());
  });
  const c = await socket.connect('127.0.0.1', peer.port);
  try {
    const out: unknown[] = [];
    for (const p of SCRIPT) out.push(await c.receive(p));
    return out;
  } finally {
    await c.close();
    await peer.close();
  }
}

test('every pattern over loopback; 1-byte and random writes give identical results', async () => {
  const whole = await receiveScript(null);
  assert.deepEqual(whole.slice(0, 6), ['first line', 'second\n', '', 'thirdwith cr', 'x'.repeat(5000), 'héllo wörld ☃']);
  assert.deepEqual(whole[6], Buffer.from([0, 1, 2, 255, 254, 10]));
  assert.deepEqual(whole[7], Buffer.from('tail without newline'));
  assert.deepEqual(await receiveScript([1]), whole);
  const sizes = Array.from({ length: 37 }, (_, i) => ((i * 7919) % 23) + 1);
  assert.deepEqual(await receiveScript(sizes), whole);
});

test('peer close mid-pattern: ClosedError with partial; later receives see closed', async () => {
  const peer = await nodeServer((sock) => sock.end('partial line'));
  const c = await socket.connect('127.0.0.1', peer.port);
  await assert.rejects(c.receive('*l'), (e: ClosedError) => e instanceof ClosedError && e.code === 'closed' && e.partial.toString() === 'partial line');
  await assert.rejects(c.receive(1), ClosedError);
  assert.deepEqual(await c.receive('*a'), Buffer.alloc(0));
  await c.close();
  await peer.close();
});

test("peer reset mid-receive: ClosedError whose cause has code 'reset'", async () => {
  const peer = await nodeServer((sock) => {
    sock.write('abc', () => setTimeout(() => sock.resetAndDestroy(), 50));
  });
  const c = await socket.connect('127.0.0.1', peer.port);
  await assert.rejects(c.receive(10), (e: ClosedError) => e.partial.toString() === 'abc' && (e.cause as NetError).code === 'reset');
  await c.close();
  await peer.close();
});

test('prefix over a socket and resuming after a timeout with err.partial', async () => {
  const p = await tcpPair();
  try {
    p.client.setTimeout(100);
    await p.peer.send('hel');
    const err = (await p.client.receive('*l').catch((e) => e)) as TimeoutError;
    assert.ok(err instanceof TimeoutError);
    assert.equal(err.partial.toString(), 'hel');
    await p.peer.send('lo\n');
    assert.equal(await p.client.receive('*l', err.partial), 'hello');
  } finally {
    await p.close();
  }
});

for (const mode of ['b', 't'] as const) {
  test(`timeout '${mode}' fires within ±10 % + 50 ms and carries partial`, async () => {
    const p = await tcpPair();
    try {
      p.client.setTimeout(500, mode);
      await p.peer.send('12345');
      const t0 = performance.now();
      const err = (await p.client.receive(10).catch((e) => e)) as TimeoutError;
      const ms = performance.now() - t0;
      assert.ok(err instanceof TimeoutError, String(err));
      assert.equal(err.code, 'timeout');
      assert.equal(err.partial.toString(), '12345');
      assert.ok(ms >= 450 - 50 && ms <= 550 + 50, `fired after ${ms.toFixed(0)} ms`);
    } finally {
      await p.close();
    }
  });
}

test("slow drip: block timeout never fires, total timeout does (LuaSocket 'b' vs 't')", async () => {
  const p = await tcpPair();
  const drip = setInterval(() => void p.peer.send('.').catch(() => {}), 40);
  try {
    p.client.setTimeout(300, 'b');
    assert.equal((await p.client.receive(15)).length, 15); // ~600 ms, never idle 300 ms
    p.client.setTimeout(400, 't');
    const t0 = performance.now();
    const err = (await p.client.receive(1000).catch((e) => e)) as TimeoutError;
    const ms = performance.now() - t0;
    assert.ok(err instanceof TimeoutError);
    assert.ok(err.partial.length > 3);
    assert.ok(ms >= 360 && ms <= 440 + 50, `fired after ${ms.toFixed(0)} ms`);
  } finally {
    clearInterval(drip);
    await p.close();
  }
});

test('abort signal cancels a receive with partial', async () => {
  const p = await tcpPair();
  try {
    await p.peer.send('ab');
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    await assert.rejects(p.client.receive(5, undefined, { signal: ac.signal }), (e: AbortError) => e.code === 'aborted' && e.partial.toString() === 'ab');
  } finally {
    await p.close();
  }
});

test('line limit over a socket; data stays receivable', async () => {
  const p = await tcpPair();
  try {
    p.client.setLineLimit(100);
    await p.peer.send(`${'y'.repeat(150)}\nnext\n`);
    await waitFor(() => p.client.peek().length >= 156);
    await assert.rejects(p.client.receive(), (e: LimitError) => e.code === 'too large' && e.limit === 100);
    assert.equal((await p.client.receive(151)).length, 151);
    assert.equal(await p.client.receive(), 'next');
  } finally {
    await p.close();
  }
});

test("'*a' returns everything when the peer closes", async () => {
  const data = Buffer.alloc(3 * 1024 * 1024, 7);
  const peer = await nodeServer((sock) => sock.end(data));
  const c = await socket.connect('127.0.0.1', peer.port);
  const got = await c.receive('*a');
  assert.equal(got.length, data.length);
  assert.ok(got.equals(data));
  await c.close();
  await peer.close();
});

test('send(data, i, j) sends Lua ranges and returns the last index', async () => {
  const p = await tcpPair();
  try {
    assert.equal(await p.client.send('hello world', 7), 11);
    assert.equal(await p.client.send('hello world', 1, 5), 5);
    assert.equal(await p.client.send('hello world', -5, -4), 8);
    assert.equal(await p.client.send('abc', 3, 1), 2);
    assert.equal(await p.client.send(Buffer.from('\n')), 1);
    assert.equal(await p.peer.receive(), 'worldhellowo');
    assert.deepEqual(p.client.getStats().sent, 13);
    assert.equal(p.peer.getStats().received, 13);
    p.client.setStats(0, 0, 0);
    assert.equal(p.client.getStats().sent, 0);
  } finally {
    await p.close();
  }
});

test('send waits for drain under back-pressure; timeout gives SendError with sent', async () => {
  const p = await tcpPair();
  try {
    const big = Buffer.alloc(64 * 1024 * 1024, 1);
    p.client.setTimeout(300);
    const err = (await p.client.send(big).catch((e) => e)) as SendError;
    assert.ok(err instanceof SendError, String(err));
    assert.equal(err.code, 'timeout');
    assert.ok(err.sent > 0 && err.sent < big.length, `sent ${err.sent}`);
    // a reader drains it: a smaller send now completes once the peer reads
    p.client.setTimeout(null);
    const reading = p.peer.receive('*a');
    assert.equal(await p.client.send('done'), 4);
    await p.client.close();
    const got = await reading;
    assert.equal(got.subarray(-4).toString(), 'done');
    assert.ok(got.length - 4 >= err.sent, `peer got ${got.length - 4} bytes, sender reported ${err.sent}`);
  } finally {
    await p.close();
  }
});

test('send({ onWritten }): called once Node is done with the bytes, which may be after send resolved; at once when nothing is written', async () => {
  const p = await tcpPair();
  try {
    await fillKernel(p.client.nodeSocket);
    const calls: (Error | undefined)[] = [];
    const tail = Buffer.from('tail');
    await p.client.send(tail, undefined, undefined, { onWritten: (e) => calls.push(e) });
    assert.equal(calls.length, 0, "send resolved while its bytes still wait in Node's queue");
    const reading = p.peer.receive('*a');
    await waitFor(() => calls.length > 0, 5000);
    assert.equal(calls.length, 1);
    assert.equal(calls[0], undefined, 'written, no error');
    await p.client.close();
    assert.equal((await reading).subarray(-4).toString(), 'tail');
    const rows: [string, () => Promise<unknown>][] = [
      ['an empty range', () => p.client.send('abc', 3, 2, { onWritten: (e) => calls.push(e) })],
      ['a closed socket', () => p.client.send('abc', undefined, undefined, { onWritten: (e) => calls.push(e) })],
      ['a bad range', () => p.client.send('abc', 1.5, 2, { onWritten: (e) => calls.push(e) })],
    ];
    for (const [name, send] of rows) {
      calls.length = 0;
      await send().catch(() => {});
      assert.equal(calls.length, 1, name);
    }
  } finally {
    await p.close();
  }
});

test('send({ onWritten }): bytes still queued when the socket is destroyed end it with an error', async () => {
  const p = await tcpPair();
  try {
    await fillKernel(p.client.nodeSocket);
    const seen: { called: boolean; err?: Error } = { called: false };
    await p.client.send('tail', undefined, undefined, { onWritten: (err) => Object.assign(seen, { called: true, err }) });
    assert.equal(seen.called, false);
    p.client.nodeSocket.destroy();
    await waitFor(() => seen.called, 5000);
    assert.ok(seen.err instanceof Error, String(seen.err));
  } finally {
    await p.close();
  }
});

test('send on a closed socket throws SendError closed', async () => {
  const p = await tcpPair();
  await p.client.close();
  await assert.rejects(p.client.send('x'), (e: SendError) => e instanceof SendError && e.code === 'closed' && e.sent === 0);
  await p.close();
});

test('shutdown(send) lets the peer see the end while we still receive', async () => {
  const p = await tcpPair();
  try {
    await p.client.send('bye');
    p.client.shutdown('send');
    assert.deepEqual(await p.peer.receive('*a'), Buffer.from('bye'));
    await p.peer.send('reply\n');
    assert.equal(await p.client.receive(), 'reply');
    p.client.shutdown('receive');
    await assert.rejects(p.client.receive(), ClosedError);
  } finally {
    await p.close();
  }
});

test('getPeerName/getSockName, IPv4 and IPv6 (::1)', async () => {
  for (const host of ['127.0.0.1', '::1']) {
    const p = await tcpPair(host);
    try {
      const s = p.server.getSockName();
      assert.equal(s.address, host);
      assert.equal(s.family, host === '::1' ? 'inet6' : 'inet');
      assert.deepEqual(p.client.getPeerName(), { address: host, port: s.port, family: s.family });
      assert.deepEqual(p.peer.getPeerName(), p.client.getSockName());
      await p.client.send('v6?\n');
      assert.equal(await p.peer.receive(), 'v6?');
    } finally {
      await p.close();
    }
  }
});

test('connect errors are typed: refused, invalid port; bind: address in use', async () => {
  const s = await socket.bind('127.0.0.1', 0);
  const port = s.getSockName().port;
  await assert.rejects(socket.bind('127.0.0.1', port), (e: NetError) => e.code === 'address in use');
  await s.close();
  await assert.rejects(socket.connect('127.0.0.1', port), (e: NetError) => e.code === 'refused');
  await assert.rejects(socket.connect('127.0.0.1', 70000), (e: NetError) => e.code === 'invalid argument');
  await assert.rejects(socket.connect('bad host\r\n', 80), (e: NetError) => e.code === 'invalid argument');
});

test('server accept respects its timeout; close fails a pending accept', async () => {
  const s = await socket.bind('127.0.0.1', 0);
  s.setTimeout(150);
  const t0 = performance.now();
  await assert.rejects(s.accept(), TimeoutError);
  assert.ok(performance.now() - t0 >= 140);
  s.setTimeout(null);
  const pending = s.accept();
  await s.close();
  await assert.rejects(pending, ClosedError);
});

test('options: supported ones round-trip, unsupported throw code unsupported', async () => {
  const p = await tcpPair();
  try {
    p.client.setOption('tcp-nodelay', true);
    p.client.setOption('keepalive', true);
    p.client.setOption('tcp-keepidle', 30_000);
    assert.equal(p.client.getOption('tcp-nodelay'), true);
    assert.equal(p.client.getOption('keepalive'), true);
    assert.equal(p.client.getOption('tcp-keepidle'), 30_000);
    assert.deepEqual(p.client.getOption('linger'), { on: false, timeout: 0 });
    for (const name of ['tcp-keepcnt', 'tcp-keepintvl', 'reuseport', 'send-buffer', 'recv-buffer'] as const) {
      assert.throws(
        () => p.client.setOption(name, 1),
        (e: NetError) => e.code === 'unsupported' && e.message.includes(name),
        name,
      );
    }
    assert.throws(
      () => p.client.setOption('ipv6-v6only', true),
      (e: NetError) => e.code === 'unsupported',
    );
    assert.throws(
      () => p.client.setOption('no-such' as never, true),
      (e: NetError) => e.code === 'invalid argument',
    );
    assert.throws(
      () => p.client.setOption('linger', 5),
      (e: NetError) => e.code === 'invalid argument',
    );
  } finally {
    await p.close();
  }
});

test('linger { on: true, timeout: 0 } makes close() reset the connection', async () => {
  const p = await tcpPair();
  try {
    p.client.setOption('linger', { on: true, timeout: 0 });
    await p.client.close();
    await assert.rejects(p.peer.receive(), (e: ClosedError) => (e.cause as NetError | undefined)?.code === 'reset');
  } finally {
    await p.close();
  }
});

test('close() flushes queued data before closing (no linger)', async () => {
  const p = await tcpPair();
  try {
    const big = Buffer.alloc(8 * 1024 * 1024, 3);
    void p.client.send(big).catch(() => {});
    const closing = p.client.close();
    const got = await p.peer.receive('*a');
    await closing;
    assert.equal(got.length, big.length);
  } finally {
    await p.close();
  }
});

test('masters: tcp4 bind/listen/connect, tcp6 with ipv6-v6only; a master is spent once used', async () => {
  const m = socket.tcp4();
  m.setTimeout(2000);
  await m.bind('*', 0);
  const server = await m.listen();
  const port = server.getSockName().port;
  assert.equal(server.getSockName().address, '0.0.0.0');
  await assert.rejects(m.listen(), (e: NetError) => e.code === 'closed');
  const cm = socket.tcp();
  cm.setOption('tcp-nodelay', true);
  const c = await cm.connect('127.0.0.1', port);
  assert.equal(c.getOption('tcp-nodelay'), true);
  const peer = await server.accept();
  await c.send('m\n');
  assert.equal(await peer.receive(), 'm');
  await Promise.all([c.close(), peer.close(), server.close()]);

  const m6 = socket.tcp6();
  m6.setOption('ipv6-v6only', true);
  await m6.bind('::', 0);
  const s6 = await m6.listen();
  const p6 = s6.getSockName().port;
  assert.equal(s6.getSockName().family, 'inet6');
  await assert.rejects(socket.connect('127.0.0.1', p6, { timeout: 2000 }), (e: NetError) => e.code === 'refused');
  const c6 = await socket.connect('::1', p6);
  await Promise.all([c6.close(), s6.close()]);
});

test('no file descriptor is left open after many connect/close cycles', async () => {
  const before = fdCount();
  const server = await socket.bind('127.0.0.1', 0);
  const port = server.getSockName().port;
  for (let i = 0; i < 200; i++) {
    const c = await socket.connect('127.0.0.1', port);
    const peer = await server.accept();
    await c.send('x\n');
    assert.equal(await peer.receive(), 'x');
    await Promise.all([c.close(), peer.close()]);
  }
  await server.close();
  assert.ok(await waitFor(() => fdCount() <= before, 3000), `fds: before ${before}, after ${fdCount()}`);
});

test('fromSocket adopts an accepted Node socket', async () => {
  const accepted = new Promise<net.Socket>((resolve) => {
    const srv = net.createServer((s) => {
      srv.close();
      resolve(s);
    });
    srv.listen(0, '127.0.0.1', () => {
      void socket.connect('127.0.0.1', (srv.address() as net.AddressInfo).port).then(async (c) => {
        await c.send('adopted\n');
        await c.close();
      });
    });
  });
  const client = socket.TcpClient.fromSocket(await accepted);
  assert.equal(await client.receive(), 'adopted');
  await client.close();
});
