/**
 * The mailbox's memory under hostile DATA: a message of 3-byte lines
 * (`a\r\n`) just under the limit must cost about the limit in heap, not one
 * Buffer per line (~45× the payload before the fix).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { serve } from '../../src/servers/index.js';
import { smtpSession } from '../../src/servers/mailbox/smtp-in.js';
import { MemoryStore } from '../../src/servers/mailbox/store.js';
import type { TcpClient } from '../../src/socket/index.js';
import { delay, waitFor } from '../../testkit/index.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heap = (): number => {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

const LIMIT = 4 * 1024 * 1024;

test('DATA of 3-byte lines just under maxMessageBytes costs about the limit in heap, not a Buffer per line', { timeout: 120_000 }, async () => {
  const store = new MemoryStore();
  let client: TcpClient | undefined;
  const srv = await serve({ port: 0 }, (c) => {
    client = c;
    return smtpSession(c, { users: new Map([['alice', 'pw']]), store, hostname: 'localhost', requireAuth: false, maxMessageBytes: LIMIT, greetDelay: 0 });
  });
  const sock = net.connect(srv.port, '127.0.0.1');
  let replies = '';
  sock.on('data', (d) => (replies += d));
  try {
    await new Promise((r) => sock.once('connect', r));
    const head = 'EHLO t\r\nMAIL FROM:<a@x>\r\nRCPT TO:<alice@x>\r\nDATA\r\n';
    sock.write(head);
    assert.ok(await waitFor(() => replies.includes('354'), 10_000), replies);
    const before = heap();
    const lines = Math.floor((LIMIT - 16) / 3);
    const block = Buffer.from('a\r\n'.repeat(64 * 1024));
    let sent = 0;
    for (let left = lines; left > 0; ) {
      const n = Math.min(left, 64 * 1024);
      if (!sock.write(n === 64 * 1024 ? block : block.subarray(0, n * 3))) await new Promise((r) => sock.once('drain', r));
      left -= n;
      sent += n * 3;
    }
    const total = head.length + sent;
    assert.ok(await waitFor(() => client!.getStats().received >= total, 60_000), 'the server received everything');
    await delay(500); // let the handler consume what is buffered
    const grown = heap() - before;
    assert.ok(
      grown < 3 * LIMIT,
      `heap grew by ${(grown / 2 ** 20).toFixed(1)} MiB for a ${(sent / 2 ** 20).toFixed(1)} MiB message (limit ${LIMIT / 2 ** 20} MiB)`,
    );
    sock.write('.\r\n');
    assert.ok(await waitFor(() => /\r\n250 [^\r\n]*delivered[^\r\n]*\r\n$/.test(replies), 20_000), replies);
    const [msg] = await store.list('alice');
    assert.equal(msg!.size, sent);
  } finally {
    sock.destroy();
    await srv.close();
  }
});
