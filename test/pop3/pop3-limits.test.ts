/**
 * The POP3 client against a hostile server: multi-line answers (LIST, UIDL,
 * RETR/TOP without a sink, CAPA) that never end are cut at named limits with
 * a LimitError and a closed connection, not kept until memory runs out.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { connect, POP3_MAX_LISTING_BYTES, POP3_MAX_MESSAGE_BYTES } from '../../src/protocols/pop3/index.js';
import { ArgumentError, LimitError } from '../../src/core/index.js';

/** A server that logs anyone in, then answers `endless` with '+OK' and lines that never stop. */
async function hostile(endless: string, line: string): Promise<{ port: number; sent: () => number; closed: Promise<void>; stop: () => Promise<void> }> {
  let sent = 0;
  let closedResolve!: () => void;
  const closed = new Promise<void>((r) => (closedResolve = r));
  const socks = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    socks.add(sock);
    sock.on('error', () => {});
    sock.on('close', () => closedResolve());
    sock.write('+OK hostile <1.2@h>\r\n');
    let buf = '';
    sock.on('data', (d) => {
      buf += d;
      for (let i = buf.indexOf('\r\n'); i >= 0; i = buf.indexOf('\r\n')) {
        const cmd = buf.slice(0, i).split(' ')[0]!.toUpperCase();
        buf = buf.slice(i + 2);
        if (cmd === endless) {
          sock.write('+OK here it comes\r\n');
          const block = Buffer.from(line.repeat(4096));
          const pour = () => {
            while (!sock.destroyed) {
              sent += block.length;
              if (!sock.write(block)) return void sock.once('drain', pour);
            }
          };
          pour();
        } else if (cmd === 'CAPA') sock.write('+OK\r\nUSER\r\n.\r\n');
        else sock.write('+OK\r\n');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    sent: () => sent,
    closed,
    stop: () => {
      for (const s of socks) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

const cases: { name: string; cmd: string; line: string; call: (s: Awaited<ReturnType<typeof connect>>) => Promise<unknown>; limit: number }[] = [
  { name: 'LIST', cmd: 'LIST', line: '1 100\r\n', call: (s) => s.list(), limit: POP3_MAX_LISTING_BYTES },
  { name: 'UIDL', cmd: 'UIDL', line: '1 abc\r\n', call: (s) => s.uidl(), limit: POP3_MAX_LISTING_BYTES },
  { name: 'RETR without a sink', cmd: 'RETR', line: 'x\r\n', call: (s) => s.retrieve(1), limit: POP3_MAX_MESSAGE_BYTES },
  { name: 'TOP', cmd: 'TOP', line: 'x\r\n', call: (s) => s.top(1, 5), limit: POP3_MAX_MESSAGE_BYTES },
];

for (const c of cases) {
  // The default limits are tens of MiB of 3-byte lines: the LIST case runs at the default, the others at a set limit.
  const limit = c.cmd === 'LIST' ? c.limit : 256 * 1024;
  const options = c.limit === POP3_MAX_LISTING_BYTES ? { maxListingBytes: limit } : { maxMessageBytes: limit };
  test(`POP3 client: an endless ${c.name} answer ends in LimitError (${limit} octets${c.cmd === 'LIST' ? ', the default' : ''}) and closes`, {
    timeout: 120_000,
  }, async () => {
    const srv = await hostile(c.cmd, c.line);
    try {
      const s = await connect({ host: '127.0.0.1', port: srv.port, user: 'u', password: 'p', allowPlainAuth: true, ...(c.cmd === 'LIST' ? {} : options) });
      await assert.rejects(c.call(s), (e) => e instanceof LimitError && e.limit === limit);
      await srv.closed; // the client hung up
      assert.ok(srv.sent() < limit + 16 * 1024 * 1024, `server poured ${srv.sent()} bytes`);
    } finally {
      await srv.stop();
    }
  });
}

test('POP3 client: maxListingBytes/maxMessageBytes are options, checked', { timeout: 30_000 }, async () => {
  const srv = await hostile('LIST', '1 100\r\n');
  try {
    const s = await connect({ host: '127.0.0.1', port: srv.port, user: 'u', password: 'p', allowPlainAuth: true, maxListingBytes: 1000 });
    await assert.rejects(s.list(), (e) => e instanceof LimitError && e.limit === 1000);
  } finally {
    await srv.stop();
  }
  for (const bad of [NaN, 0, -1, 1.5, '10' as unknown as number]) {
    await assert.rejects(connect({ host: '127.0.0.1', port: 1, user: 'u', password: 'p', maxListingBytes: bad }), ArgumentError);
    await assert.rejects(connect({ host: '127.0.0.1', port: 1, user: 'u', password: 'p', maxMessageBytes: bad }), ArgumentError);
  }
});
