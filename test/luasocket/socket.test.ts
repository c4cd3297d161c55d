/**
 * LuaSocket compatibility, socket module: vectors from LuaSocket 3.1's own
 * tests (test/testclnt.lua, test/udp*.lua) and its reference manual, each
 * row naming what LuaSocket returns and what netkit returns; where netkit
 * differs on purpose, the row says why. Every row runs over real loopback
 * sockets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { socket } from '../../src/index.js';
import { ClosedError, NetError, SendError, TimeoutError } from '../../src/core/errors.js';
import { tcpPair, type Pair } from '../../testkit/socket.js';

interface Row {
  /** The LuaSocket call (as in the Lua test). */
  lua: string;
  /** What LuaSocket returns. */
  luasocket: string;
  /** What netkit returns. */
  netkit: string;
  /** Why netkit differs, when it does. */
  differs?: string;
  /** Runs netkit's side; throws (assert) when netkit does not return what `netkit` says. */
  check(p: Pair): Promise<void>;
}

const LITTLE = 'little string';

/** The error a call fails with (or a failed assertion when it succeeds). */
async function failure(p: Promise<unknown>): Promise<NetError> {
  const got = await p.then(
    (v) => assert.fail(`expected a failure, got ${String(v)}`),
    (e: unknown) => e,
  );
  assert.ok(got instanceof NetError, String(got));
  return got;
}

const rows: Row[] = [
  {
    lua: 'data:receive(10, "123456") -- peer sent "7890" (test_partialrecv)',
    luasocket: '"1234567890"',
    netkit: "Buffer '1234567890'",
    async check({ client, peer }) {
      await peer.send('7890');
      client.setTimeout(1000);
      assert.equal((await client.receive(10, '123456')).toString(), '1234567890');
    },
  },
  {
    lua: 'data:receive(8, "87654321"); data:receive(4, "87654321") (test_partialrecv)',
    luasocket: '"87654321" twice: a prefix as long as n or longer is returned whole, nothing is read',
    netkit: "Buffer '87654321' twice, nothing read",
    async check({ client, peer }) {
      await peer.send('x');
      assert.equal((await client.receive(8, '87654321')).toString(), '87654321');
      assert.equal((await client.receive(4, '87654321')).toString(), '87654321');
      assert.equal((await client.receive(1)).toString(), 'x');
    },
  },
  {
    lua: 'receive(), receive(), receive(#p3), receive("*a") over unix line, dos line, raw bytes, rest (test_mixed)',
    luasocket: 'p1 without "\\n", p2 without "\\r\\n", p3, p4',
    netkit: 'the same (lines as strings, counts and "*a" as Buffers)',
    differs: 'byte results are Buffers, lines are strings (TypeScript has no byte strings)',
    async check({ client, peer }) {
      const x = 'x'.repeat(100);
      await peer.send(`unix ${x}line\ndos ${x}line\r\nraw ${x}bytesend${x}bytes`);
      await peer.close();
      assert.equal(await client.receive(), `unix ${x}line`);
      assert.equal(await client.receive(), `dos ${x}line`);
      assert.equal((await client.receive(`raw ${x}bytes`.length)).toString(), `raw ${x}bytes`);
      assert.equal((await client.receive('*a')).toString(), `end${x}bytes`);
    },
  },
  {
    lua: 'receive() of a binary line: chars 120,21,77,4,5,0,7,36,44,100 (test_rawline)',
    luasocket: 'the same bytes as a Lua string',
    netkit: "the same chars with setEncoding('latin1'); UTF-8 decoding by default",
    differs: "lines decode as UTF-8 by default (text protocols); latin1 gives LuaSocket's one char per byte",
    async check({ client, peer }) {
      const raw = String.fromCharCode(120, 21, 77, 4, 5, 0, 7, 36, 44, 100, 200, 255).repeat(50);
      await peer.send(Buffer.from(`${raw}\n`, 'latin1'));
      client.setEncoding('latin1');
      assert.equal(await client.receive(), raw);
    },
  },
  {
    lua: 'data:receive(len) after send(s1); send(s2) (test_raw)',
    luasocket: 's1..s2',
    netkit: 'Buffer s1+s2',
    async check({ client, peer }) {
      const s1 = 'x'.repeat(40000);
      const s2 = 'y'.repeat(40001);
      await peer.send(s1);
      await peer.send(s2);
      assert.equal((await client.receive(80001)).toString(), s1 + s2);
    },
  },
  {
    lua: 'data:receive() -- peer sent "little string" and closed (test_closed)',
    luasocket: "nil, 'closed', 'little string'",
    netkit: "throws ClosedError code 'closed', partial 'little string'",
    differs: 'failures are thrown typed errors carrying `partial`, not nil, err, partial',
    async check({ client, peer }) {
      await peer.send(LITTLE);
      await peer.close();
      const e = await failure(client.receive());
      assert.ok(e instanceof ClosedError && e.code === 'closed' && e.partial.toString() === LITTLE);
    },
  },
  {
    lua: 'receive("*a") twice -- peer sent "little string" and closed (test_readafterclose)',
    luasocket: "'little string', then nil, 'closed'",
    netkit: "Buffer 'little string', then an empty Buffer",
    differs:
      "an empty result is not a failure (LuaSocket 2.0 returned '' too): HTTP/1.0 bodies, inetd and serve() read '*a' to the close and an empty answer is valid; a receive that must see data uses a count or a line, which fail 'closed'",
    async check({ client, peer }) {
      await peer.send(LITTLE);
      await peer.close();
      assert.equal((await client.receive('*a')).toString(), LITTLE);
      assert.deepEqual(await client.receive('*a'), Buffer.alloc(0));
    },
  },
  ...(['*a', '*l', 1, 0] as const).map(
    (pattern): Row => ({
      lua: `data:close(); data:receive(${JSON.stringify(pattern)}) -- active close first (test_readafterclose)`,
      luasocket: "nil, 'closed'",
      netkit: "ClosedError code 'closed'",
      async check({ client, peer }) {
        await peer.close();
        await client.close();
        assert.equal((await failure(client.receive(pattern))).code, 'closed');
      },
    }),
  ),
  {
    lua: 'data:receive(0) -- peer closed, nothing left',
    luasocket: "nil, 'closed'",
    netkit: "ClosedError code 'closed'",
    async check({ client, peer }) {
      await peer.close();
      assert.equal((await failure(client.receive(0))).code, 'closed');
    },
  },
  {
    lua: 'data:receive() -- peer sent "abc\\r" and closed',
    luasocket: "nil, 'closed', 'abc' (CRs are dropped from line data, partial too)",
    netkit: "ClosedError, partial 'abc'",
    async check({ client, peer }) {
      await peer.send('abc\r');
      await peer.close();
      const e = await failure(client.receive());
      assert.ok(e instanceof ClosedError && e.partial.toString() === 'abc', String(e));
    },
  },
  {
    lua: 'receive("*line"), receive("*all") -- patterns are told by their first two characters',
    luasocket: 'a line, then the rest',
    netkit: 'the same',
    async check({ client, peer }) {
      await peer.send('one\r\ntwo');
      await peer.close();
      assert.equal(await client.receive('*line'), 'one');
      assert.equal((await client.receive('*all')).toString(), 'two');
    },
  },
  {
    lua: 'data:send(string.rep("ugauga", 100000)) -- peer closed (test_closed, test_writeafterclose)',
    luasocket: "nil, 'closed', bytes sent",
    netkit: "SendError code 'closed' with `sent` (after a first send that the kernel accepted)",
    differs: 'Node reports the reset on a later write, so the loop of test_writeafterclose is needed, as in Lua',
    async check({ client, peer }) {
      await peer.close();
      let err: unknown;
      for (let i = 0; i < 50 && err === undefined; i++) {
        await client.send('ugauga'.repeat(100000)).catch((e: unknown) => (err = e));
        await new Promise((r) => setTimeout(r, 10));
      }
      assert.ok(err instanceof SendError && err.code === 'closed', String(err));
      assert.ok(err.sent >= 0);
    },
  },
  {
    lua: 'send(c bytes); receive(c) 25 times; data:getstats() (getstats_test)',
    luasocket: 'received, sent = the running totals, age',
    netkit: '{ received, sent, age } with the running totals (age in ms)',
    differs: 'one object instead of three results; age in ms',
    async check({ client, peer }) {
      let t = 0;
      for (let i = 1; i <= 25; i++) {
        const c = ((i * 37) % 100) + 1;
        await client.send('a'.repeat(c));
        await peer.send(await peer.receive(c));
        await client.receive(c);
        t += c;
        const s = client.getStats();
        assert.equal(s.received, t);
        assert.equal(s.sent, t);
      }
    },
  },
  {
    lua: 'socket.select(nil, nil, 0.1) (test_selectbugs)',
    luasocket: "{}, {}, 'timeout'",
    netkit: '{ readable: [], writable: [], timedOut: true } (timeout in ms: 100)',
    differs: 'one object; timeouts in milliseconds everywhere',
    async check() {
      assert.deepEqual(await socket.select(null, null, 100), { readable: [], writable: [], timedOut: true });
    },
  },
  {
    lua: 'server:settimeout(1); server:accept() -- nobody connects (accept_timeout)',
    luasocket: "nil, 'timeout'",
    netkit: "TimeoutError code 'timeout' (setTimeout(100))",
    async check({ server }) {
      server.setTimeout(100);
      const e = await failure(server.accept());
      assert.ok(e instanceof TimeoutError && e.code === 'timeout');
    },
  },
  {
    lua: 'socket.connect("localhost", <closed port>) (connect_errors)',
    luasocket: "nil, 'connection refused'",
    netkit: "NetError code 'refused'",
    differs: 'short stable codes; the message holds the details',
    async check() {
      const s = await socket.bind('127.0.0.1', 0);
      const port = s.getSockName().port;
      await s.close();
      assert.equal((await failure(socket.connect('127.0.0.1', port))).code, 'refused');
    },
  },
  {
    lua: 'socket.tcp4():getfamily(), socket.tcp6():getfamily(), socket.tcp():getfamily()',
    luasocket: "'inet4', 'inet6', 'inet4'",
    netkit: "getFamily(): 'inet4', 'inet6', 'inet4'; a connected socket says its own ('unix' for Unix sockets)",
    async check({ client }) {
      assert.deepEqual([socket.tcp4().getFamily(), socket.tcp6().getFamily(), socket.tcp().getFamily()], ['inet4', 'inet6', 'inet4']);
      assert.equal(client.getFamily(), 'inet4');
      assert.deepEqual([socket.udp().getFamily(), socket.udp6().getFamily()], ['inet4', 'inet6']);
    },
  },
  {
    lua: "c:settimeout(5, 'b'); c:settimeout(9, 't'); c:gettimeout()",
    luasocket: '5, 9 (seconds; -1 when unset)',
    netkit: 'getTimeout(): { block: 5000, total: 9000 } (ms; null when unset)',
    differs: 'milliseconds, null for none, one object',
    async check({ client }) {
      assert.deepEqual(client.getTimeout(), { block: null, total: null });
      client.setTimeout(5000, 'b');
      client.setTimeout(9000, 't');
      assert.deepEqual(client.getTimeout(), { block: 5000, total: 9000 });
    },
  },
  {
    lua: 'c:dirty() -- bytes buffered, then drained',
    luasocket: 'true, then false',
    netkit: 'true, then false',
    async check({ client, peer }) {
      await peer.send('ab\ncd');
      assert.equal(await client.receive(), 'ab');
      assert.equal(client.dirty(), true);
      await client.receive(2);
      assert.equal(client.dirty(), false);
    },
  },
  {
    lua: 'udp:dirty() -- a datagram is waiting',
    luasocket: "false (always: LuaSocket's UDP has no user-space queue)",
    netkit: "true while datagrams wait in netkit's queue, false once received",
    differs: 'netkit queues datagrams for receive (and select), so dirty tells whether a receive would wait, as on TCP',
    async check() {
      const a = socket.udp();
      const b = socket.udp();
      try {
        await a.setSockName('127.0.0.1', 0);
        assert.equal(a.dirty(), false);
        await b.sendTo('x', '127.0.0.1', a.getSockName().port);
        await socket.select([a], null, 2000);
        assert.equal(a.dirty(), true);
        await a.receive();
        assert.equal(a.dirty(), false);
      } finally {
        await a.close();
        await b.close();
      }
    },
  },
  {
    lua: "c:setoption('recv-buffer-size', 65536) on TCP",
    luasocket: '1 (SO_RCVBUF set)',
    netkit: "NetError code 'unsupported' (the name is accepted as LuaSocket's spelling of 'recv-buffer')",
    differs: 'Node 20 cannot set SO_RCVBUF/SO_SNDBUF on stream sockets',
    async check({ client }) {
      assert.equal((await failure(Promise.resolve().then(() => client.setOption('recv-buffer-size', 65536)))).code, 'unsupported');
      assert.equal((await failure(Promise.resolve().then(() => client.setOption('send-buffer-size', 65536)))).code, 'unsupported');
    },
  },
  {
    lua: "udp:setoption('recv-buffer-size', 65536); udp:getoption('recv-buffer-size')",
    luasocket: "1; the kernel's value (Linux doubles it)",
    netkit: "the same: 'recv-buffer-size' maps to 'recv-buffer'",
    async check() {
      const u = socket.udp();
      try {
        await u.setSockName('127.0.0.1', 0);
        u.setOption('recv-buffer-size', 65536);
        assert.ok((u.getOption('recv-buffer-size') as number) >= 65536);
      } finally {
        await u.close();
      }
    },
  },
  {
    lua: "c:setoption('bindtodevice', 'lo')",
    luasocket: '1 (SO_BINDTODEVICE, needs privileges)',
    netkit: "NetError code 'unsupported'",
    differs: "Node has no SO_BINDTODEVICE; bind to the device's address instead",
    async check({ client }) {
      assert.equal((await failure(Promise.resolve().then(() => client.setOption('bindtodevice', true)))).code, 'unsupported');
      assert.equal((await failure(Promise.resolve().then(() => socket.udp().setOption('bindtodevice', 'lo')))).code, 'unsupported');
    },
  },
  {
    lua: "socket.connect4('::1', port); socket.connect6('::1', port)",
    luasocket: 'nil, error (an IPv6 address for an IPv4 connect); a connection',
    netkit: "NetError 'host not found'; a TcpClient",
    async check() {
      const s = await socket.bind('::1', 0);
      try {
        const port = s.getSockName().port;
        assert.equal((await failure(socket.connect4('::1', port))).code, 'host not found');
        const c = await socket.connect6('::1', port);
        assert.equal(c.getFamily(), 'inet6');
        await c.close();
      } finally {
        await s.close();
      }
    },
  },
  {
    lua: "c:send('hello', 2, -2)",
    luasocket: "4 (sends 'ell'; returns the index of the last byte sent)",
    netkit: "4; the peer receives 'ell'",
    async check({ client, peer }) {
      assert.equal(await client.send('hello', 2, -2), 4);
      assert.equal((await peer.receive(3)).toString(), 'ell');
    },
  },
  {
    lua: 'socket._VERSION',
    luasocket: "'LuaSocket 3.1.0'",
    netkit: "'LuaSocket 3.1.0 (netkit)'",
    differs: 'says which implementation follows that release',
    async check() {
      assert.equal(socket._VERSION, 'LuaSocket 3.1.0 (netkit)');
      assert.ok(socket._VERSION.startsWith('LuaSocket 3.1'));
    },
  },
];

for (const row of rows) {
  test(`${row.lua} → LuaSocket: ${row.luasocket}; netkit: ${row.netkit}${row.differs ? ` (differs: ${row.differs})` : ''}`, async () => {
    const pair = await tcpPair();
    try {
      await row.check(pair);
    } finally {
      await pair.close();
    }
  });
}

test('every row that differs says why, and every row names both results', () => {
  for (const r of rows) {
    assert.ok(r.lua && r.luasocket && r.netkit, r.lua);
    if (r.differs !== undefined) assert.ok(r.differs.length > 10, r.lua);
  }
  assert.ok(rows.length >= 25);
});
