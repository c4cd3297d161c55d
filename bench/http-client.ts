/**
 * HTTP client benchmarks against nginx (one worker, `testkit/peers/nginx.ts`),
 * every contender a fresh process per round (bench/runner.ts):
 *   1. REQUESTS sequential GETs of a 1 KiB file over one kept-alive
 *      connection: netkit `http.request` (its pool) against undici
 *      `request` (an Agent with one connection) and node:http with a
 *      keep-alive agent (one socket);
 *   2. CONCURRENT_REQUESTS GETs of the 1 KiB file with IN_FLIGHT requests in
 *      flight: netkit `http.request` with its default pool against undici
 *      `request` with its default global agent;
 *   3. a MIB MiB download into a sink that only counts bytes: netkit against
 *      undici `request` (body iterated); also CPU ms per GiB.
 * Every contender reads the whole body and checks its length.
 *
 *     npm run build && node --expose-gc dist/bench/http-client.js
 *     (REQUESTS=20000 CONCURRENT_REQUESTS=10000 IN_FLIGHT=32 MIB=1024 ROUNDS=5; WARM=0.1)
 */
import { closeSync, openSync, readSync, truncateSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { Agent, request as undiciRequest } from 'undici';
import { Pool, request } from '../src/protocols/http/index.js';
import { startNginx } from '../testkit/http-peers.js';
import { childMain, compare, cpuPer, inChild, knob, report } from './runner.js';

const counted = (expected: number, n: number) => {
  if (n !== expected) throw new Error(`got ${n} bytes, expected ${expected}`);
};
const netkitGet = (pool?: Pool) => async (url: string) => {
  let n = 0;
  await request({ url, ...(pool ? { pool } : {}), sink: async (c) => void (c && (n += c.length)) });
  return n;
};
const undiciGet = (dispatcher?: Agent) => async (url: string) => {
  let n = 0;
  const { body } = await undiciRequest(url, dispatcher ? { dispatcher } : {});
  for await (const c of body) n += (c as Buffer).length;
  return n;
};
const nodeGet = (agent: http.Agent) => (url: string) =>
  new Promise<number>((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        let n = 0;
        res.on('data', (c: Buffer) => (n += c.length));
        res.on('end', () => resolve(n));
        res.on('error', reject);
      })
      .on('error', reject);
  });

/** `count` GETs of `url`, `inFlight` at a time, each body checked to be `size` bytes. */
async function gets(get: (url: string) => Promise<number>, url: string, count: number, inFlight: number, size: number) {
  let next = 0;
  const lane = async () => {
    while (next < count) {
      next++;
      counted(size, await get(url));
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return { work: count };
}

/** Reads a file once so that every round finds it in the page cache (the first reader of a fresh sparse file fills it: a third of the speed). */
function primePageCache(path: string): void {
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(1 << 20);
  try {
    while (readSync(fd, buf, 0, buf.length, null) > 0);
  } finally {
    closeSync(fd);
  }
}

// One pool / agent per process, as a program would keep one.
let pool: Pool | undefined;
let agent: Agent | undefined;
let nodeAgent: http.Agent | undefined;
const isChild = await childMain({
  'netkit sequential': (n, url) => gets(netkitGet((pool ??= new Pool())), url!, n, 1, 1024),
  'undici sequential': (n, url) => gets(undiciGet((agent ??= new Agent({ connections: 1, pipelining: 1 }))), url!, n, 1, 1024),
  'node:http sequential': (n, url) => gets(nodeGet((nodeAgent ??= new http.Agent({ keepAlive: true, maxSockets: 1 }))), url!, n, 1, 1024),
  'netkit concurrent': (n, url, inFlight) => gets(netkitGet(), url!, n, Number(inFlight), 1024),
  'undici concurrent': (n, url, inFlight) => gets(undiciGet(), url!, n, Number(inFlight), 1024),
  // The server holds a sparse file of every size asked for (the full one and the warm-up's): `<base>/<n>.bin`.
  'netkit download': async (n, base) => (counted(n, await netkitGet()(`${base}/${n}.bin`)), { work: n }),
  'undici download': async (n, base) => (counted(n, await undiciGet()(`${base}/${n}.bin`)), { work: n }),
});

if (isChild) process.exit(0); // pools keep idle connections; the measure is printed
const requests = knob('REQUESTS', 20000);
const concurrent = knob('CONCURRENT_REQUESTS', 10000);
const inFlight = knob('IN_FLIGHT', 32);
const mib = knob('MIB', 1024);
const rounds = knob('ROUNDS', 5);
const warm = knob('WARM', 0.1);

const nginx = await startNginx();
try {
  writeFileSync(join(nginx.www, '1k.bin'), Buffer.alloc(1024, 0x61));
  const bytes = mib * 1024 * 1024;
  for (const size of [bytes, Math.floor(bytes * warm)]) {
    writeFileSync(join(nginx.www, `${size}.bin`), '');
    truncateSync(join(nginx.www, `${size}.bin`), size); // sparse: served from the page cache
    primePageCache(join(nginx.www, `${size}.bin`)); // else the first round's contender pays for filling it
  }
  const small = `http://127.0.0.1:${nginx.port}/1k.bin`;
  const base = `http://127.0.0.1:${nginx.port}`;
  const me = import.meta.url;
  const seq = await compare(
    `${requests} sequential GETs of a 1 KiB file from nginx (one connection)`,
    'req/s',
    [
      inChild('netkit sequential', me, [String(requests), small]),
      inChild('undici sequential', me, [String(requests), small]),
      inChild('node:http sequential', me, [String(requests), small]),
    ],
    { rounds },
  );
  console.log(`${report(seq)}\n`);
  const conc = await compare(
    `${concurrent} GETs of a 1 KiB file from nginx, ${inFlight} in flight (default pool / default agent)`,
    'req/s',
    [
      inChild('netkit concurrent', me, [String(concurrent), small, String(inFlight)]),
      inChild('undici concurrent', me, [String(concurrent), small, String(inFlight)]),
    ],
    { rounds },
  );
  console.log(`${report(conc)}\n`);
  const down = await compare(
    `${mib} MiB download to a counting sink from nginx`,
    'MB/s',
    [inChild('netkit download', me, [String(bytes), base]), inChild('undici download', me, [String(bytes), base])],
    { rounds, scale: 1e6 },
  );
  console.log(report(down, [cpuPer(1024 * 1024 * 1024, 'GiB')]));
} finally {
  await nginx.stop();
}
