/**
 * R-08 and the static server's share of R-16 and R-01 (hostile-inputs §4),
 * for `servers.web`:
 *
 * - R-08 slowloris: `servers.web` at its default caps (1,024 connections,
 *   64 per client address) with a 5 s header deadline; 1,200 connections
 *   from 127.0.0.2 drip a head one byte every 2 s and re-open 1 s after
 *   being closed, while a normal client on 127.0.0.1 makes 200 requests. All 200
 *   served, p99 < 200 ms; the attacker holds ≤ 64; every slow connection
 *   that got a slot closed 5 s ± 1 s after its first byte.
 * - R-16 connection cap: `maxConnections` 256, 1,000 idle connections, then
 *   a normal request: served within 1 s or refused within 100 ms, never a
 *   hang; once the idle ones close, the same request is served within 1 s.
 * - R-01 idle connections: 5,000 connections from a second process wait for
 *   their first request; the server's RSS growth after GC per connection
 *   (≤ 16 KiB), and its descriptors back to the baseline once they close.
 *
 *     npm run reliability -- R-08
 */
import net from 'node:net';
import { readdirSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { web } from '../../src/servers/index.js';
import type { Figure, FigureSpec } from './figure.js';
import { startPeer } from './child.js';

/** Slowloris connections the attacker keeps open (more than the default cap of 1024). */
const SLOW = 1200;

const REQUEST = 'GET /a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n';

/** One request on a fresh connection: [ms, ok]; gives up after `limit` ms. */
function normal(port: number, limit = 5000): Promise<[number, boolean]> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let data = '';
    const timer = setTimeout(() => s.destroy(), limit);
    s.on('error', () => {});
    s.on('data', (d) => (data += d));
    s.on('close', () => {
      clearTimeout(timer);
      resolve([performance.now() - t0, data.startsWith('HTTP/1.1 200 ')]);
    });
    s.write(REQUEST);
  });
}

async function r08(root: string): Promise<Figure[]> {
  // the defaults: maxConnections 1024, maxConnectionsPerClient 64
  const site = await web({ root, port: 0, headerTimeout: 5000 });
  const drip = 'GET /a.txt HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaa\r\n\r\n';
  const lifetimes: number[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let running = true;
  let opened = 0;
  // the attacker, from 127.0.0.2: SLOW connections that each drip a head and re-open whenever closed
  const slow = (): void => {
    if (!running) return;
    opened++;
    const s = net.connect({ port: site.port, host: '127.0.0.1', localAddress: '127.0.0.2' });
    s.on('error', () => {});
    let timedOut = false;
    s.on('data', (d: Buffer) => (timedOut ||= d.toString('latin1', 0, 12) === 'HTTP/1.1 408'));
    let first = 0;
    let k = 0;
    let t: NodeJS.Timeout | undefined;
    s.once('connect', () => {
      first = performance.now();
      s.write(drip[k++]!);
      t = setInterval(() => (k < drip.length && !s.destroyed ? s.write(drip[k++]!) : undefined), 2000);
      timers.add(t);
    });
    s.on('close', () => {
      if (t !== undefined) clearInterval(t), timers.delete(t);
      if (first > 0 && timedOut) lifetimes.push(performance.now() - first); // got a slot and met the header deadline
      if (running) setTimeout(slow, 1000);
    });
  };
  for (let i = 0; i < SLOW; i++) slow();
  await new Promise((r) => setTimeout(r, 1000));
  const held = site.connections;
  const times: number[] = [];
  let served = 0;
  for (let i = 0; i < 200; i++) {
    const [ms, ok] = await normal(site.port);
    times.push(ms);
    if (ok) served++;
  }
  await new Promise((r) => setTimeout(r, 6500)); // let connections that got a slot reach the header deadline
  running = false;
  for (const t of timers) clearInterval(t);
  await site.close();
  times.sort((a, b) => a - b);
  const p99 = times[Math.floor(times.length * 0.99)]!;
  const slotted = lifetimes; // those past the caps (the rest were closed on arrival)
  const worstOff = slotted.length === 0 ? Infinity : Math.max(...slotted.map((l) => Math.abs(l - 5000)));
  return [
    {
      name: 'R-08 normal-served',
      value: served,
      unit: '',
      pass: '==',
      threshold: 200,
      detail: `200 requests from 127.0.0.1 beside ${SLOW} re-opening slowloris connections from 127.0.0.2 (default caps; ${held} connections held, ${opened} opened)`,
    },
    { name: 'R-08 normal-p99', value: p99, unit: 'ms', pass: '<=', threshold: 200 },
    {
      name: 'R-08 slow-held-per-client-cap',
      value: held,
      unit: '',
      pass: '<=',
      threshold: 64,
      detail: 'connections the attacking address holds (maxConnectionsPerClient default)',
    },
    {
      name: 'R-08 slow-closed-off-deadline',
      value: worstOff,
      unit: 'ms',
      pass: '<=',
      threshold: 1000,
      detail: `worst |lifetime - 5000 ms| of ${slotted.length} that got a slot`,
    },
  ];
}

async function r16(root: string): Promise<Figure[]> {
  const site = await web({ root, port: 0, maxConnections: 256, maxConnectionsPerClient: 2000, idleTimeout: 60000 });
  const idle: net.Socket[] = [];
  for (let i = 0; i < 1000; i++) {
    const s = net.connect(site.port, '127.0.0.1');
    s.on('error', () => {});
    idle.push(s);
  }
  await Promise.all(idle.map((s) => new Promise((r) => (s.readyState === 'open' ? r(null) : s.once('connect', r).once('close', r)))));
  await new Promise((r) => setTimeout(r, 300));
  const [ms, ok] = await normal(site.port, 5000);
  // a slot frees: the same request must now be served
  for (const s of idle) s.destroy();
  const freed = performance.now();
  let servedAfter = Infinity;
  for (let i = 0; i < 50 && servedAfter === Infinity; i++) {
    const [, again] = await normal(site.port, 1000);
    if (again) servedAfter = performance.now() - freed;
    else await new Promise((r) => setTimeout(r, 20));
  }
  await site.close();
  return [
    { name: 'R-16 web-over-cap-request', value: ms, unit: 'ms', pass: '<=', threshold: ok ? 1000 : 100, detail: ok ? 'served' : 'refused' },
    {
      name: 'R-16 web-served-once-slot-frees',
      value: servedAfter,
      unit: 'ms',
      pass: '<=',
      threshold: 1000,
      detail: 'from closing the idle crowd to a 200 for the same request',
    },
  ];
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const fds = () => readdirSync('/proc/self/fd').length;

async function r01(root: string): Promise<Figure[]> {
  const N = 5000;
  // Idle means no request yet: the header deadline (R-08's slowloris guard) is set past the figure's 15 s.
  const site = await web({ root, port: 0, idleTimeout: 60000, headerTimeout: 60000, maxConnections: N + 100, maxConnectionsPerClient: N + 100 });
  const settle = async () => {
    for (let i = 0; i < 3; i++) gc(), await new Promise((r) => setTimeout(r, 100));
    return process.memoryUsage().rss;
  };
  const fdBefore = fds();
  const before = await settle();
  // The clients: peer.ts in another process, connecting in batches so the listen backlog is not overrun.
  const clients = await startPeer(['idle', String(site.port), String(N)]);
  const open = Number(clients.line.split(' ')[1]);
  for (let i = 0; i < 300 && site.connections < open; i++) await new Promise((r) => setTimeout(r, 50));
  const held = site.connections;
  const during = await settle();
  await clients.stop();
  const closed = performance.now();
  for (let i = 0; i < 60 && (site.connections > 0 || fds() > fdBefore); i++) await new Promise((r) => setTimeout(r, 50));
  const fdDelta = fds() - fdBefore;
  const settledMs = performance.now() - closed;
  await site.close();
  return [
    { name: 'R-01 web-idle-conn-rss', value: (during - before) / held / 1024, unit: 'KiB', pass: '<=', threshold: 16, detail: `${held} idle connections` },
    { name: 'R-01 web-connections-held', value: held, unit: '', pass: '==', threshold: N },
    { name: 'R-01 web-fd-delta', value: fdDelta, unit: '', pass: '<=', threshold: 0, detail: `${settledMs.toFixed(0)} ms after the client closed` },
  ];
}

export const spec: FigureSpec = {
  id: 'R-08',
  budgetMs: 120_000,
  async run() {
    const root = mkdtempSync(join(tmpdir(), 'nk-rel-web-'));
    writeFileSync(join(root, 'a.txt'), 'hello\n');
    try {
      return [...(await r08(root)), ...(await r16(root)), ...(await r01(root))];
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  },
};
