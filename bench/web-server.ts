/**
 * Benchmark: static files under `wrk -t1 -c50`, three servers, each in its
 * own process, driven in interleaved rounds whose order rotates
 * (bench/runner.ts); every server is warmed by a 1 s wrk run first:
 *   - `netkit serve` (the CLI: servers.web on netkit sockets; its access log
 *     goes to a file, as nginx's does);
 *   - `sirv` behind `node:http` (production mode), see bench/sirv-server.ts;
 *   - nginx with one worker (testkit's nginx recipe, access log on).
 * Files: 1 KiB and 1 MiB of random bytes (netkit sends them from its
 * cache), and 8 MiB (over the cache's 1 MiB limit: read from the file in
 * chunks). FILES picks some by name (`FILES=8m.bin`).
 *
 *     npm run build && node --expose-gc dist/bench/web-server.js   (SECONDS=5 ROUNDS=5)
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
import { compare, knob, median, report, type Contender } from './runner.js';

const run = promisify(execFile);
const SECONDS = knob('SECONDS', 5);
const ROUNDS = knob('ROUNDS', 5);
const FILES = [
  { name: '1k.bin', size: 1024 },
  { name: '1m.bin', size: 1024 * 1024 },
  { name: '8m.bin', size: 8 * 1024 * 1024 },
].filter((f) => process.env.FILES === undefined || process.env.FILES.split(',').includes(f.name));

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
    stop: () =>
      new Promise<void>((resolve) => {
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

async function wrk(port: number, file: string, seconds = SECONDS): Promise<number> {
  const { stdout } = await run('wrk', ['-t1', '-c50', `-d${seconds}s`, `http://127.0.0.1:${port}/${file}`], { timeout: (SECONDS + 30) * 1000 });
  const m = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
  if (!m) throw new Error(`wrk said: ${stdout}`);
  if (/Non-2xx|Socket errors: connect [1-9]/.test(stdout)) throw new Error(`errors during the run:\n${stdout}`);
  return Number(m[1]);
}

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
    for (const f of FILES) for (const srv of servers) await wrk(srv.port, f.name, 1);
    for (const f of FILES) {
      const contenders: Contender[] = servers.map((srv) => ({
        name: srv.name,
        round: async () => ({ work: (await wrk(srv.port, f.name)) * SECONDS, seconds: SECONDS }),
      }));
      const r = await compare(`${f.name} (${f.size} bytes) under wrk -t1 -c50 -d${SECONDS}s`, 'req/s', contenders, { rounds: ROUNDS });
      console.log(`${report(r, [{ head: 'MB/s (median)', cell: (ms) => ((median(ms.map((m) => m.work / m.seconds)) * f.size) / 1e6).toFixed(1) }])}\n`);
    }
  } finally {
    for (const s of servers) await s.stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
