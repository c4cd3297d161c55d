/**
 * Benchmark: a bulk transfer from a writer in another process over loopback,
 * received by contenders each in a fresh process per round (bench/runner.ts):
 *   1. streaming: netkit `receive(65536)` in a loop until the peer closes,
 *      against raw Node `net` 'data' events that keep nothing (the floor);
 *   2. everything at once: netkit `receive('*a')` (one Buffer) against the
 *      same job done with raw `net` (keep every chunk, one concat — the fair
 *      peer), with the presized copy (every chunk copied into one buffer
 *      allocated at the final size beforehand, which no `'*a'` can beat: it
 *      does not know the size) as a bound; with peak RSS growth as a
 *      multiple of the size received.
 *
 *     npm run build && node --expose-gc dist/bench/socket-bulk.js   (MIB=1024 ROUNDS=5; WARM=0.1)
 */
import net from 'node:net';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { bind } from '../src/socket/index.js';
import { childMain, compare, inChild, knob, report, rssPerByte } from './runner.js';

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

const seconds = (ms: number) => ms / 1000;
/** Sizes in whole 64 KiB blocks (the warm-up's share of the work included): `receive(65536)` then ends exactly. */
const blocks = (n: number) => n - (n % 65536);
const isChild = await childMain({
  'netkit receive(65536)': async (n) => ({ work: blocks(n), seconds: seconds(await viaNetkit(blocks(n), 'receive(65536)')) }),
  'raw net, keep nothing': async (n) => ({ work: n, seconds: seconds(await viaNet(n)) }),
  "netkit receive('*a')": async (n) => ({ work: n, seconds: seconds(await viaNetkit(n, "receive('*a')")) }),
  'raw net, kept + one concat': async (n) => ({ work: n, seconds: seconds(await viaNet(n, 'kept + concat')) }),
  'raw net, presized copy (bound)': async (n) => ({ work: n, seconds: seconds(await viaNet(n, 'presized copy')) }),
});

if (process.argv[2] === '--writer') await writer(Number(process.argv[3]), Number(process.argv[4]));
else if (!isChild) {
  const bytes = knob('MIB', 1024) * 1024 * 1024;
  const rounds = knob('ROUNDS', 5);
  knob('WARM', 0.1);
  const me = import.meta.url;
  const size = `${bytes / 1024 / 1024} MiB`;
  const stream = await compare(
    `${size} over loopback, streamed in 64 KiB receives`,
    'MB/s',
    [inChild('netkit receive(65536)', me, [String(bytes)]), inChild('raw net, keep nothing', me, [String(bytes)])],
    { rounds, scale: 1e6 },
  );
  console.log(`${report(stream)}\n`);
  const all = await compare(
    `${size} over loopback, received whole into one Buffer`,
    'MB/s',
    [
      inChild("netkit receive('*a')", me, [String(bytes)]),
      inChild('raw net, kept + one concat', me, [String(bytes)]),
      inChild('raw net, presized copy (bound)', me, [String(bytes)]),
    ],
    { rounds, scale: 1e6 },
  );
  console.log(report(all, [rssPerByte]));
}
