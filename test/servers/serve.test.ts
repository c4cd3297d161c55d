import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serve } from '../../src/servers/index.js';
import { connect, type TcpClient } from '../../src/socket/index.js';
import { TimeoutError } from '../../src/core/index.js';
import { delay, fdCount, waitFor } from '../../testkit/index.js';

const upper = async (c: TcpClient) => {
  for (;;) {
    const line = (await c.receive('*l')) as string;
    if (line === 'boom') throw new Error('handler exploded');
    await c.send(`${line.toUpperCase()}\n`);
  }
};

test('serve() runs one handler per connection; a throwing handler closes only its own', { timeout: 30000 }, async () => {
  const errors: unknown[] = [];
  const srv = await serve({ port: 0, onError: (e) => errors.push(e) }, upper);
  try {
    assert.equal(srv.address, '127.0.0.1');
    const a = await connect('127.0.0.1', srv.port);
    const b = await connect('127.0.0.1', srv.port);
    await a.send('hello\n');
    await b.send('world\n');
    assert.equal(await a.receive('*l'), 'HELLO');
    assert.equal(await b.receive('*l'), 'WORLD');
    await a.send('boom\n');
    assert.deepEqual(await a.receive('*a'), Buffer.alloc(0), 'the thrower is closed');
    await b.send('still here\n');
    assert.equal(await b.receive('*l'), 'STILL HERE');
    assert.equal(errors.length, 1);
    assert.match(String(errors[0]), /exploded/);
    await a.close();
    await b.close();
  } finally {
    await srv.close();
  }
});

test('serve() closes connections over maxConnections at once', { timeout: 30000 }, async () => {
  const srv = await serve({ port: 0, maxConnections: 2 }, upper);
  try {
    const a = await connect('127.0.0.1', srv.port);
    const b = await connect('127.0.0.1', srv.port);
    await a.send('x\n');
    await b.send('y\n');
    await a.receive('*l');
    await b.receive('*l');
    const c = await connect('127.0.0.1', srv.port);
    c.setTimeout(2000);
    const t = performance.now();
    assert.deepEqual(await c.receive('*a'), Buffer.alloc(0));
    assert.ok(performance.now() - t < 1000);
    assert.equal(srv.refused, 1);
    await Promise.all([a.close(), b.close(), c.close()]);
    assert.ok(await waitFor(() => srv.connections === 0));
  } finally {
    await srv.close();
  }
});

test('serve() idle timeout ends a silent connection', { timeout: 30000 }, async () => {
  const seen: unknown[] = [];
  const srv = await serve({ port: 0, idleTimeout: 200, onError: (e) => seen.push(e) }, upper);
  try {
    const a = await connect('127.0.0.1', srv.port);
    a.setTimeout(5000);
    const t = performance.now();
    assert.deepEqual(await a.receive('*a'), Buffer.alloc(0));
    const took = performance.now() - t;
    assert.ok(took >= 150 && took < 2000, `closed after ${took} ms`);
    assert.ok(seen[0] instanceof TimeoutError);
    await a.close();
  } finally {
    await srv.close();
  }
});

test('close() waits for a handler to finish, then force-closes after the grace', { timeout: 30000 }, async () => {
  let finished = false;
  const srv = await serve({ port: 0, closeGrace: 300, onError: () => {} }, async (c) => {
    await c.receive('*l');
    await delay(100);
    finished = true;
    await c.send('bye\n');
  });
  const a = await connect('127.0.0.1', srv.port);
  await a.send('go\n');
  await delay(20);
  await srv.close();
  assert.ok(finished, 'close() waited for the running handler');
  assert.equal(await a.receive('*l'), 'bye');
  await a.close();

  const stuck = await serve({ port: 0, closeGrace: 200, onError: () => {} }, async (c) => void (await c.receive('*a')));
  const b = await connect('127.0.0.1', stuck.port);
  await waitFor(() => stuck.connections === 1);
  const t = performance.now();
  await stuck.close();
  const took = performance.now() - t;
  assert.ok(took >= 150 && took < 2000, `forced after ${took} ms`);
  await b.close();
  await assert.rejects(connect('127.0.0.1', stuck.port, { timeout: 2000 }), { code: 'refused' });
});

test('no file descriptor is left after serving and closing', { timeout: 30000 }, async () => {
  const before = fdCount();
  const srv = await serve({ port: 0 }, upper);
  for (let i = 0; i < 50; i++) {
    const c = await connect('127.0.0.1', srv.port);
    await c.send(`n${i}\n`);
    assert.equal(await c.receive('*l'), `N${i}`);
    await c.close();
  }
  await srv.close();
  assert.ok(await waitFor(() => fdCount() <= before), `fds ${fdCount()} vs ${before}`);
});

test('an aborted signal closes the server', { timeout: 30000 }, async () => {
  const ac = new AbortController();
  const srv = await serve({ port: 0, signal: ac.signal }, upper);
  ac.abort();
  await srv.close();
  await assert.rejects(connect('127.0.0.1', srv.port, { timeout: 2000 }), { code: 'refused' });
});

test('a burst of 1,000 simultaneous connections is taken in within seconds (the listen backlog is not the 32 of a bare socket)', {
  timeout: 60000,
}, async () => {
  const net = await import('node:net');
  let handled = 0;
  const srv = await serve({ port: 0, maxConnectionsPerClient: 2000, onError: () => {} }, async (c) => {
    handled++;
    await c.receive('*l');
  });
  const socks: import('node:net').Socket[] = [];
  try {
    const t = performance.now();
    for (let i = 0; i < 1000; i++) socks.push(net.connect(srv.port, '127.0.0.1').on('error', () => {}));
    // With a backlog of 32 the kernel drops the burst's SYNs and clients retry after 1 s, 3 s, 7 s …: ~100 a second.
    assert.ok(await waitFor(() => handled === 1000, 8000), `${handled} of 1,000 handled after ${Math.round(performance.now() - t)} ms`);
  } finally {
    for (const s of socks) s.destroy();
    await srv.close();
  }
});
