/**
 * R-06 timeout accuracy, in a fresh network namespace: 20 connects to a port
 * nftables blackholes (connect timeout 1 s); 20 downloads that stall after
 * 64 KiB (the fault proxy stops forwarding; block timeout 1 s); 20 receives
 * from a server dripping one byte per 100 ms (total timeout 1 s). Each must
 * fail with TimeoutError within ±10 % + 50 ms of 1 s; nothing left open.
 */
import net from 'node:net';
import { connect } from '../../src/socket/index.js';
import { TimeoutError } from '../../src/core/errors.js';
import { faultProxy } from '../../testkit/fault-proxy.js';
import { socketBaseline, type Figure, type FigureSpec } from './figure.js';
import { nft, nftClear } from './netns.js';

const LIMIT = 1000;
const SLACK = LIMIT * 0.1 + 50;

/** Runs `op` 20 times at once; the worst distance from LIMIT, and how many did not end in TimeoutError. */
async function twenty(op: () => Promise<unknown>): Promise<{ worst: number; wrong: number; times: number[] }> {
  const times: number[] = [];
  let wrong = 0;
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      const t = performance.now();
      const err = await op().then(
        () => null,
        (e: unknown) => e,
      );
      times.push(performance.now() - t);
      if (!(err instanceof TimeoutError)) wrong++;
    }),
  );
  return { worst: Math.max(...times.map((t) => Math.abs(t - LIMIT))), wrong, times };
}

async function listen(onConn: (s: net.Socket) => void): Promise<net.Server> {
  const s = net.createServer((c) => (c.on('error', () => {}), onConn(c)));
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return s;
}
const portOf = (s: net.Server) => (s.address() as net.AddressInfo).port;

export const spec: FigureSpec = {
  id: 'R-06',
  budgetMs: 60_000,
  netns: true,
  async run() {
    nftClear(); // the first child process opens libuv's signal pipe for good: before the baseline
    const sockets = socketBaseline();
    const hole = await listen((c) => c.destroy());
    nft(`chain in { type filter hook input priority 0; policy accept; tcp dport ${portOf(hole)} drop; }`);
    const blackhole = await twenty(async () => {
      const c = await connect('127.0.0.1', portOf(hole), { timeout: LIMIT });
      await c.close();
    });
    nftClear();
    hole.close();

    const big = Buffer.alloc(1 << 20, 0x65);
    const blast = await listen((c) => c.end(big));
    const proxy = await faultProxy({ port: portOf(blast) }, { down: { stallAfter: 65536 } });
    const stall = await twenty(async () => {
      const c = await connect('127.0.0.1', proxy.port);
      c.setTimeout(LIMIT, 'b');
      try {
        await c.receive(1 << 20);
      } finally {
        await c.close();
      }
    });
    await proxy.close();
    blast.close();

    const timers = new Set<NodeJS.Timeout>();
    const drip = await listen((c) => {
      const t = setInterval(() => c.write('x'), 100);
      timers.add(t);
      c.on('close', () => (clearInterval(t), timers.delete(t)));
    });
    const slow = await twenty(async () => {
      const c = await connect('127.0.0.1', portOf(drip));
      c.setTimeout(LIMIT, 't');
      try {
        await c.receive('*a');
      } finally {
        await c.close();
      }
    });
    await new Promise<void>((r) => drip.close(() => r()));
    for (const t of timers) clearInterval(t);
    const fig = (name: string, r: { worst: number; wrong: number; times: number[] }): Figure[] => [
      {
        name: `R-06 ${name}-worst-deviation`,
        value: r.worst,
        unit: 'ms',
        pass: '<=',
        threshold: SLACK,
        detail: `20 at once, fired after ${Math.min(...r.times).toFixed(0)}–${Math.max(...r.times).toFixed(0)} ms for ${LIMIT} ms`,
      },
      { name: `R-06 ${name}-not-timeout`, value: r.wrong, unit: '', pass: '==', threshold: 0 },
    ];
    return [
      ...fig('blackholed-connect', blackhole),
      ...fig('stall-after-64KiB', stall),
      ...fig('slow-drip-total', slow),
      await sockets.figure('R-06 socket-fd-delta'),
    ];
  },
};
