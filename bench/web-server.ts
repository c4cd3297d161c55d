/**
 * Benchmark: static files under `wrk -t1 -c50`, three servers side by side
 * in the same run, rounds interleaved:
 *   - `netkit serve` (the CLI: servers.web on netkit sockets; its access log
 *     goes to a file, as nginx's does);
 *   - `sirv` behind `node:http` (production mode), see bench/sirv-server.ts;
 *   - nginx with one worker (testkit's nginx recipe, access log on).
 * Files: 1 KiB and 1 MiB of random bytes. Prints the median requests/s of
 * ROUNDS runs and netkit's ratio to each peer.
 *
 * Run: `npm run build && node dist/bench/web-server.js` (SECONDS=5 ROUNDS=3).
 * nginx is skipped (with a note) when it is not installed.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, closeSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort, waitPort } from '../testkit/peers.js';
import { startNginx, type Nginx } from '../testkit/http-peers.js';

const run = promisify(execFile);
const SECONDS = Number(process.env.SECONDS ?? 5);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const FILES = [
  { name: '1k.bin', size: 1024 },
  { name: '1m.bin', size: 1024 * 1024 },
];

interface Server {
  name: string;
  port: number;
  stop(): Promise<void>;
}

async function child(name: string, args: string[], port: number, logFile: string): Promise<Server> {
  const fd = openSync(logFile, 'a');
  const proc: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', fd] });
  closeSync(fd);
  await waitPort(port);
  return {
    name,
    port,
    stop: () => new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    }),
  };
}

async function nginx(dir: string): Promise<Server | string> {
  let ng: Nginx;
  try {
    ng = await startNginx();
  } catch (err) {
    return `nginx did not start: ${(err as Error).message.split('\n')[0]}`;
  }
  for (const f of FILES) await run('cp', [join(dir, 'www', f.name), join(ng.www, f.name)]);
  return { name: 'nginx (1 worker)', port: ng.port, stop: () => ng.stop() };
}

async function wrk(port: number, file: string): Promise<number> {
  const { stdout } = await run('wrk', ['-t1', '-c50', `-d${SECONDS}s`, `http://127.0.0.1:${port}/${file}`], { timeout: (SECONDS + 30) * 1000 });
  const m = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
  if (!m) throw new Error(`wrk said: ${stdout}`);
  if (/Non-2xx|Socket errors: connect [1-9]/.test(stdout)) throw new Error(`errors during the run:\n${stdout}`);
  return Number(m[1]);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'nk-bench-web-'));
  const www = join(dir, 'www');
  await run('mkdir', ['-p', www]);
  for (const f of FILES) writeFileSync(join(www, f.name), randomBytes(f.size));
  const dist = join(fileURLToPath(import.meta.url), '..', '..');
  const servers: Server[] = [];
  try {
    const nkPort = await freePort();
    servers.push(await child('netkit serve', [join(dist, 'src/cli/main.js'), 'serve', www, '--port', String(nkPort)], nkPort, join(dir, 'netkit-access.log')));
    const sirvPort = await freePort();
    servers.push(await child('sirv (node:http)', [join(dist, 'bench/sirv-server.js'), www, String(sirvPort)], sirvPort, join(dir, 'sirv.log')));
    const ng = await nginx(dir);
    if (typeof ng === 'string') console.log(`(nginx skipped: ${ng})`);
    else servers.push(ng);
    console.log(`wrk -t1 -c50 -d${SECONDS}s, median of ${ROUNDS} rounds, Node ${process.version}\n`);
    for (const f of FILES) {
      const rates: number[][] = servers.map(() => []);
      for (let r = 0; r < ROUNDS; r++) {
        for (let i = 0; i < servers.length; i++) rates[i]!.push(await wrk(servers[i]!.port, f.name));
      }
      const med = rates.map(median);
      console.log(`### ${f.name} (${f.size} bytes)\n`);
      console.log('| server | req/s (median) | MB/s | netkit ÷ this |');
      console.log('|---|---:|---:|---:|');
      servers.forEach((s, i) => {
        console.log(`| ${s.name} | ${med[i]!.toFixed(0)} | ${((med[i]! * f.size) / 1e6).toFixed(1)} | ${(med[0]! / med[i]!).toFixed(2)}× |`);
      });
      console.log(`\nrounds: ${servers.map((s, i) => `${s.name} ${rates[i]!.map((x) => x.toFixed(0)).join('/')}`).join('; ')}\n`);
    }
  } finally {
    for (const s of servers) await s.stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
