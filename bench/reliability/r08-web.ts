/**
 * R-08 and the static server's share of R-16 and R-01 (hostile-inputs §4),
 * for `servers.web`:
 *
 * - R-08 slowloris: `servers.web` with a 5 s header deadline; 500
 *   connections drip a head one byte every 2 s while a normal client makes
 *   200 requests. Normal p99 < 200 ms with no failure; every slow connection
 *   closed 5 s ± 1 s after its first byte.
 * - R-16 connection cap: `maxConnections` 256, 1,000 idle connections, then
 *   a normal request: served within 1 s or refused within 100 ms, never a hang.
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
  const site = await web({ root, port: 0, headerTimeout: 5000, maxConnections: 2048 });
  const drip = 'GET /a.txt HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaa\r\n\r\n';
  const lifetimes: Promise<number>[] = [];
  const timers: NodeJS.Timeout[] = [];
  for (let i = 0; i < 500; i++) {
    const s = net.connect(site.port, '127.0.0.1');
    s.on('error', () => {});
    s.resume(); // read the 408 and the close as soon as they come
    lifetimes.push(new Promise((resolve) => {
      let first = 0;
      let k = 0;
      s.once('connect', () => {
        first = performance.now();
        s.write(drip[k++]!);
        const t = setInterval(() => (k < drip.length && !s.destroyed ? s.write(drip[k++]!) : undefined), 2000);
        timers.push(t);
      });
      s.on('close', () => resolve(first === 0 ? -1 : performance.now() - first));
    }));
  }
  await new Promise((r) => setTimeout(r, 300));
  const times: number[] = [];
  let failures = 0;
  for (let i = 0; i < 200; i++) {
    const [ms, ok] = await normal(site.port);
    times.push(ms);
    if (!ok) failures++;
  }
  const lives = await Promise.all(lifetimes);
  for (const t of timers) clearInterval(t);
  await site.close();
  times.sort((a, b) => a - b);
  const p99 = times[Math.floor(times.length * 0.99)]!;
  const connected = lives.filter((l) => l >= 0);
  const worstOff = Math.max(...connected.map((l) => Math.abs(l - 5000)));
  return [
    { name: 'R-08 normal-p99', value: p99, unit: 'ms', pass: '<=', threshold: 200, detail: '200 requests beside 500 slowloris connections' },
    { name: 'R-08 normal-failures', value: failures, unit: '', pass: '==', threshold: 0 },
    { name: 'R-08 slow-closed-off-deadline', value: worstOff, unit: 'ms', pass: '<=', threshold: 1000, detail: 'worst |lifetime - 5000 ms|' },
    { name: 'R-08 slow-never-connected', value: lives.length - connected.length, unit: '', pass: '==', threshold: 0 },
  ];
}

async function r16(root: string): Promise<Figure[]> {
  const site = await web({ root, port: 0, maxConnections: 256, idleTimeout: 60000 });
  const idle: net.Socket[] = [];
  for (let i = 0; i < 1000; i++) {
    const s = net.connect(site.port, '127.0.0.1');
    s.on('error', () => {});
    idle.push(s);
  }
  await Promise.all(idle.map((s) => new Promise((r) => (s.readyState === 'open' ? r(null) : s.once('connect', r).once('close', r)))));
  await new Promise((r) => setTimeout(r, 300));
  const [ms, ok] = await normal(site.port, 5000);
  for (const s of idle) s.destroy();
  await site.close();
  return [{ name: 'R-16 web-over-cap-request', value: ms, unit: 'ms', pass: '<=', threshold: ok ? 1000 : 100, detail: ok ? 'served' : 'refused' }];
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const fds = () => readdirSync('/proc/self/fd').length;

async function r01(root: string): Promise<Figure[]> {
  const N = 5000;
  // Idle means no request yet: the header deadline (R-08's slowloris guard) is set past the figure's 15 s.
  const site = await web({ root, port: 0, idleTimeout: 60000, headerTimeout: 60000, maxConnections: N + 100 });
  const settle = async () => {
    for (let i = 0; i < 3; i++) (gc(), await new Promise((r) => setTimeout(r, 100)));
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
