import { test } from 'node:test';
import assert from 'node:assert/strict';
import { socket } from '../../src/index.js';
import { AbortError, NetError, SendError } from '../../src/core/errors.js';
import { tcpPair } from '../../testkit/socket.js';

// Node fires a setTimeout of 2^31 ms or more after 1 ms (TimeoutOverflowWarning):
// every socket wait must wait as long as it says instead.
const LONG = [2 ** 31, 1e12];

/** Runs `start` (which begins a wait bounded by `ms`), checks it is still pending after 100 ms, then aborts it. */
async function staysPending(what: string, start: (ms: number, signal: AbortSignal) => Promise<unknown>): Promise<void> {
  const warnings: string[] = [];
  const onWarning = (w: Error): void => void warnings.push(`${w.name}: ${w.message}`);
  process.on('warning', onWarning);
  try {
    for (const ms of LONG) {
      const ac = new AbortController();
      let settled: unknown = 'pending';
      const p = start(ms, ac.signal).then(
        (v) => (settled = ['resolved', v]),
        (e: unknown) => (settled = e),
      );
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(settled, 'pending', `${what} with ${ms} ms ended early: ${String(settled)}`);
      ac.abort();
      await p;
      const got = settled as unknown;
      assert.ok(got instanceof NetError && (got.code === 'aborted' || got instanceof AbortError), `${what}: ${String(got)}`);
    }
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(warnings, [], `${what} printed warnings`);
  } finally {
    process.off('warning', onWarning);
  }
}

test('receive with setTimeout(2^31 / 1e12) waits, without TimeoutOverflowWarning', async () => {
  const { client, close } = await tcpPair();
  try {
    await staysPending('receive', (ms, signal) => {
      client.setTimeout(ms);
      return client.receive('*l', undefined, { signal });
    });
    await staysPending('receive (total)', (ms, signal) => {
      client.setTimeout(null);
      client.setTimeout(ms, 't');
      return client.receive(10, undefined, { signal });
    });
  } finally {
    await close();
  }
});

test('send blocked on a peer that does not read waits for a long timeout', async () => {
  const { client, close } = await tcpPair();
  try {
    const big = Buffer.alloc(32 * 1024 * 1024);
    await staysPending('send', async (ms, signal) => {
      client.setTimeout(ms);
      try {
        return await client.send(big, undefined, undefined, { signal });
      } catch (e) {
        assert.ok(e instanceof SendError && e.code === 'aborted', String(e));
        throw new AbortError('send aborted');
      }
    });
  } finally {
    await close();
  }
});

test('accept and select with a long timeout wait', async () => {
  const server = await socket.bind('127.0.0.1', 0);
  try {
    await staysPending('accept', (ms, signal) => {
      server.setTimeout(ms);
      return server.accept({ signal });
    });
    await staysPending('select', (ms, signal) => socket.select([server], null, ms, { signal }));
  } finally {
    await server.close();
  }
});

test('sleep and UDP receive with a long timeout wait', async () => {
  await staysPending('sleep', (ms, signal) => socket.sleep(ms, { signal }));
  const u = socket.udp();
  try {
    await u.setSockName('127.0.0.1', 0);
    await staysPending('udp receive', (ms, signal) => {
      u.setTimeout(ms);
      return u.receive(undefined, { signal });
    });
  } finally {
    await u.close();
  }
});
