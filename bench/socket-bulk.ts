/**
 * Benchmark: a bulk transfer received three ways in the same run, from a
 * writer in a child process over loopback:
 *   - netkit `receive(65536)` in a loop until the peer closes;
 *   - netkit `receive('*a')` (everything, one Buffer);
 *   - raw Node `net` 'data' events (the floor), the same keeping every
 *     chunk and concatenating once (what `'*a'` must do: the fair peer for
 *     it), and the same copying every chunk into one buffer allocated at the
 *     final size beforehand (what no `'*a'` can beat: it must end with all
 *     the bytes in fresh memory, and does not know the size in advance).
 * Medians over ROUNDS rounds; prints MB/s, the ratio of medians to raw net,
 * and the median of the per-round ratios (each round runs every reader back
 * to back, so a round's ratio sees one load level).
 *
 * Run: `node dist/bench/socket-bulk.js` (MIB=1024 ROUNDS=3 by default).
 */
import net from 'node:net';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { bind } from '../src/socket/index.js';

const BLOCK = Buffer.alloc(1 << 20, 0x61);

async function writer(port: number, bytes: number): Promise<void> {
  const sock = net.connect({ host: '127.0.0.1', port });
  await new Promise((r) => sock.once('connect', r));
  for (let left = bytes; left > 0; left -= BLOCK.length) {
    const piece = left >= BLOCK.length ? BLOCK : BLOCK.subarray(0, left);
    if (!sock.write(piece)) await new Promise((r) => sock.once('drain', r));
  }
  sock.end();
}

function spawnWriter(port: number, bytes: number): Promise<void> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--writer', String(port), String(bytes)], { stdio: 'inherit' });
  return new Promise((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer exited ${code}`)))));
}

type Mode = 'receive(65536)' | "receive('*a')";

async function viaNetkit(bytes: number, mode: Mode): Promise<number> {
  const server = await bind('127.0.0.1', 0);
  const child = spawnWriter(server.getSockName().port, bytes);
  const client = await server.accept();
  const t0 = performance.now();
  let n = 0;
  if (mode === "receive('*a')") {
    n = (await client.receive('*a')).length;
  } else {
    // exactly 64 KiB per call; the transfer is a multiple of it, so the
    // end shows as a ClosedError with an empty partial
    for (;;) {
      try {
        n += ((await client.receive(65536)) as Buffer).length;
      } catch (err) {
        if ((err as { code?: string }).code !== 'closed') throw err;
        break;
      }
    }
  }
  const ms = performance.now() - t0;
  await client.close();
  await server.close();
  await child;
  if (n !== bytes) throw new Error(`netkit ${mode} got ${n} bytes, expected ${bytes}`);
  return ms;
}

type Keep = 'nothing' | 'kept + concat' | 'presized copy';

async function viaNet(bytes: number, keep: Keep = 'nothing'): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const child = spawnWriter((server.address() as net.AddressInfo).port, bytes);
  const sock = await new Promise<net.Socket>((r) => server.once('connection', r));
  const t0 = performance.now();
  let n = 0;
  const kept: Buffer[] = [];
  const presized = keep === 'presized copy' ? Buffer.allocUnsafeSlow(bytes) : null;
  await new Promise<void>((resolve) => {
    sock.on('data', (d: Buffer) => {
      if (presized) d.copy(presized, n);
      else if (keep === 'kept + concat') kept.push(d);
      n += d.length;
    });
    sock.on('end', resolve);
  });
  if (keep === 'kept + concat') n = Buffer.concat(kept, n).length;
  const ms = performance.now() - t0;
  sock.destroy();
  server.close();
  await child;
  if (n !== bytes) throw new Error(`net got ${n} bytes`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const bytes = Number(process.env.MIB ?? 1024) * 1024 * 1024;
  const rounds = Number(process.env.ROUNDS ?? 3);
  const readers: Record<string, () => Promise<number>> = {
    'raw net data': () => viaNet(bytes),
    'raw net data, kept + concat': () => viaNet(bytes, 'kept + concat'),
    'raw net data, presized copy': () => viaNet(bytes, 'presized copy'),
    'receive(65536)': () => viaNetkit(bytes, 'receive(65536)'),
    "receive('*a')": () => viaNetkit(bytes, "receive('*a')"),
  };
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(readers).map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) for (const [k, run] of Object.entries(readers)) times[k]!.push(await run());
  const rate = (k: string) => bytes / 1e6 / (median(times[k]!) / 1000);
  const roundRatio = (k: string) => median(times[k]!.map((ms, r) => times['raw net data']![r]! / ms));
  console.log(`\n${bytes / 1024 / 1024} MiB over loopback, median of ${rounds} rounds, Node ${process.version}\n`);
  console.log('| reader | median ms | MB/s | ratio to raw net | median per-round ratio |');
  console.log('|---|---:|---:|---:|---:|');
  for (const k of Object.keys(times)) {
    console.log(`| ${k} | ${median(times[k]!).toFixed(0)} | ${rate(k).toFixed(0)} | ${(rate(k) / rate('raw net data')).toFixed(2)}× | ${roundRatio(k).toFixed(2)}× |`);
  }
}

if (process.argv[2] === '--writer') await writer(Number(process.argv[3]), Number(process.argv[4]));
else await main();
