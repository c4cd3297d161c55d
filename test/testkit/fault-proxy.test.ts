import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { faultProxy } from '../../testkit/fault-proxy.js';
import { connect } from '../../src/socket/index.js';
import { ClosedError, NetError, TimeoutError } from '../../src/core/index.js';

/** A server sending `n` bytes of 'a' to each connection, then closing. */
async function source(n: number): Promise<net.Server> {
  const s = net.createServer((c) => {
    c.on('error', () => {});
    c.end(Buffer.alloc(n, 0x61));
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return s;
}
const portOf = (s: net.Server) => (s.address() as net.AddressInfo).port;

test('fault proxy: split and delay keep every byte; cutAfter ends early; stallAfter holds the connection open', { timeout: 30000 }, async () => {
  const srv = await source(200_000);
  const plans = [
    { plan: { down: { split: 1000, delayMs: 1 } }, expect: 'all' },
    { plan: { down: { cutAfter: 70_000 } }, expect: 'closed' },
    { plan: { down: { stallAfter: 65_536 } }, expect: 'timeout' },
  ] as const;
  try {
    for (const { plan, expect } of plans) {
      const proxy = await faultProxy({ port: portOf(srv) }, plan);
      const c = await connect('127.0.0.1', proxy.port);
      c.setTimeout(1000);
      const err = await c.receive(200_000).then(
        (b) => (assert.equal((b as Buffer).length, 200_000), null),
        (e: unknown) => e,
      );
      if (expect === 'all') assert.equal(err, null);
      if (expect === 'closed') assert.ok(err instanceof ClosedError && err.partial?.length === 70_000, String(err));
      if (expect === 'timeout') assert.ok(err instanceof TimeoutError && err.partial?.length === 65_536, String(err));
      await c.close();
      await proxy.close();
    }
  } finally {
    srv.close();
  }
});

test('fault proxy: resetAfter gives the client a typed error carrying the bytes that arrived (at most that many)', { timeout: 30000 }, async () => {
  const srv = await source(1_000_000);
  const proxy = await faultProxy({ port: portOf(srv) }, { down: { resetAfter: 100_000 } });
  try {
    const c = await connect('127.0.0.1', proxy.port);
    c.setTimeout(3000);
    const err = await c.receive(1_000_000).catch((e: unknown) => e);
    assert.ok(err instanceof NetError && (err.code === 'reset' || err.code === 'closed'), String(err));
    const got = (err as ClosedError).partial?.length ?? -1;
    assert.ok(got > 0 && got <= 100_000, `partial bytes reported: ${got}`);
    await c.close();
  } finally {
    await proxy.close();
    srv.close();
  }
});
