/**
 * HTTP client benchmarks against nginx (one worker, the shared recipe),
 * side by side in one run:
 *   1. REQUESTS sequential GETs of a 1 KiB file over one kept-alive
 *      connection: netkit `http.request` (pooled) against undici 7
 *      `request` and node:http with a keep-alive agent (one socket);
 *   2. a 1 GiB download into a sink that only counts bytes: netkit
 *      against undici `request` (body iterated).
 * Every contender reads the whole body. Medians over ROUNDS rounds and
 * ratios to undici; for the download also the client's CPU time per GiB,
 * steadier than the rate when other work shares the machine.
 *
 *     npm run build && node dist/bench/http-client.js      (REQUESTS=20000 MIB=1024 ROUNDS=3)
 */
import { truncateSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { Agent, request as undiciRequest } from 'undici';
import { Pool, request } from '../src/protocols/http/index.js';
import { startNginx } from '../testkit/http-peers.js';
import { compare, table } from './harness.js';

const requests = Number(process.env.REQUESTS ?? 20000);
const mib = Number(process.env.MIB ?? 1024);
const rounds = Number(process.env.ROUNDS ?? 3);

const nginx = await startNginx();
try {
  writeFileSync(join(nginx.www, '1k.bin'), Buffer.alloc(1024, 0x61));
  writeFileSync(join(nginx.www, 'big.bin'), '');
  truncateSync(join(nginx.www, 'big.bin'), mib * 1024 * 1024); // sparse: served from the page cache
  const small = `http://127.0.0.1:${nginx.port}/1k.bin`;
  const big = `http://127.0.0.1:${nginx.port}/big.bin`;

  const pool = new Pool();
  const dispatcher = new Agent({ connections: 1, pipelining: 1 });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const counted = (expected: number, n: number) => {
    if (n !== expected) throw new Error(`got ${n} bytes, expected ${expected}`);
  };

  const netkitGet = async (url: string) => {
    let n = 0;
    await request({ url, pool, sink: async (c) => void (c && (n += c.length)) });
    return n;
  };
  const undiciGet = async (url: string) => {
    let n = 0;
    const { body } = await undiciRequest(url, { dispatcher });
    for await (const c of body) n += (c as Buffer).length;
    return n;
  };
  const nodeGet = (url: string) =>
    new Promise<number>((resolve, reject) => {
      http.get(url, { agent }, (res) => {
        let n = 0;
        res.on('data', (c: Buffer) => (n += c.length));
        res.on('end', () => resolve(n));
        res.on('error', reject);
      }).on('error', reject);
    });

  const many = (get: (url: string) => Promise<number>) => async () => {
    for (let i = 0; i < requests; i++) counted(1024, await get(small));
    return requests;
  };
  const rowsSmall = await compare(
    [
      { name: 'undici request', run: many(undiciGet) },
      { name: 'netkit http.request (pooled)', run: many(netkitGet) },
      { name: 'node:http keepAlive agent', run: many(nodeGet) },
    ],
    rounds,
  );
  console.log(table(`${requests} sequential GETs of a 1 KiB file from nginx, Node ${process.version}`, 'req/s', rowsSmall, 'undici request'));
  console.log();

  // CPU time per run as well: on a shared machine it is steadier than the rate.
  const cpu = new Map<string, number[]>();
  const whole = (name: string, get: (url: string) => Promise<number>) => async () => {
    const c0 = process.cpuUsage();
    counted(mib * 1024 * 1024, await get(big));
    const c = process.cpuUsage(c0);
    cpu.set(name, [...(cpu.get(name) ?? []), (c.user + c.system) / 1000]);
    return mib * 1024 * 1024;
  };
  const rowsBig = await compare(
    [
      { name: 'undici request', run: whole('undici request', undiciGet) },
      { name: 'netkit http.request', run: whole('netkit http.request', netkitGet) },
    ],
    rounds,
  );
  console.log(table(`${mib} MiB download to a null sink from nginx, Node ${process.version}`, 'MB/s', rowsBig, 'undici request', 1e6, 'MB/s'));
  console.log();
  console.log('| contender | client CPU ms per GiB (median, user+system) |\n|---|---:|');
  for (const [name, ms] of cpu) console.log(`| ${name} | ${(([...ms].sort((a, b) => a - b)[ms.length >> 1]! * 1024) / mib).toFixed(0)} |`);
  await pool.close();
  await dispatcher.close();
  agent.destroy();
} finally {
  await nginx.stop();
}
