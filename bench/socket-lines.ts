/**
 * Benchmark: receiving many short lines from a TCP socket, one at a time.
 *
 * A child process (this file run with `--writer`) writes N LF-terminated
 * 40-byte lines as fast as the socket takes them; the parent receives them
 * three ways, in the same run:
 *   - netkit: `await client.receive('*l')` per line;
 *   - readline: Node's `readline` `for await` over the socket;
 *   - splitter: a hand-written `Buffer.indexOf(10)` splitter on 'data' events
 *     (the floor: no per-line promise at all).
 * Medians over ROUNDS rounds; prints a markdown table with lines/s and ratios.
 *
 * Run: `node dist/bench/socket-lines.js` (LINES=5000000 ROUNDS=3 by default).
 */
import net from 'node:net';
import readline from 'node:readline';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { bind } from '../src/socket/index.js';

const LINE = Buffer.from('0123456789abcdefghijklmnopqrstuvwxyzABC\n'); // 40 bytes

async function writer(port: number, lines: number): Promise<void> {
  const perBlock = 16384;
  const block = Buffer.concat(Array.from({ length: perBlock }, () => LINE));
  const sock = net.connect({ host: '127.0.0.1', port });
  await new Promise((r) => sock.once('connect', r));
  let left = lines;
  while (left > 0) {
    const n = Math.min(left, perBlock);
    left -= n;
    if (!sock.write(n === perBlock ? block : block.subarray(0, n * LINE.length))) await new Promise((r) => sock.once('drain', r));
  }
  sock.end();
}

type Reader = (sock: net.Socket) => Promise<number>;

async function viaNetkit(lines: number): Promise<number> {
  const server = await bind('127.0.0.1', 0);
  const child = spawnWriter(server.getSockName().port, lines);
  const client = await server.accept();
  const t0 = performance.now();
  let n = 0;
  for (;;) {
    try {
      await client.receive('*l');
      n++;
    } catch {
      break;
    }
  }
  const ms = performance.now() - t0;
  await client.close();
  await server.close();
  await child;
  if (n !== lines) throw new Error(`netkit got ${n} lines, expected ${lines}`);
  return ms;
}

async function viaNode(lines: number, read: Reader): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const accepted = new Promise<net.Socket>((r) => server.once('connection', r));
  const child = spawnWriter(port, lines);
  const sock = await accepted;
  const t0 = performance.now();
  const n = await read(sock);
  const ms = performance.now() - t0;
  sock.destroy();
  server.close();
  await child;
  if (n !== lines) throw new Error(`got ${n} lines, expected ${lines}`);
  return ms;
}

const readlineReader: Reader = async (sock) => {
  let n = 0;
  for await (const _line of readline.createInterface({ input: sock, crlfDelay: Infinity })) n++;
  return n;
};

const splitterReader: Reader = (sock) =>
  new Promise((resolve) => {
    let n = 0;
    let rest: Buffer | null = null;
    sock.on('data', (chunk: Buffer) => {
      let buf = rest === null ? chunk : Buffer.concat([rest, chunk]);
      let start = 0;
      for (let lf = buf.indexOf(10); lf !== -1; lf = buf.indexOf(10, start)) {
        buf.toString('utf8', start, lf);
        n++;
        start = lf + 1;
      }
      rest = start < buf.length ? buf.subarray(start) : null;
    });
    sock.on('end', () => resolve(n));
  });

function spawnWriter(port: number, lines: number): Promise<void> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--writer', String(port), String(lines)], { stdio: 'inherit' });
  return new Promise((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer exited ${code}`)))));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  const lines = Number(process.env.LINES ?? 5_000_000);
  const rounds = Number(process.env.ROUNDS ?? 3);
  const times: Record<string, number[]> = { netkit: [], readline: [], splitter: [] };
  for (let r = 0; r < rounds; r++) {
    times.netkit!.push(await viaNetkit(lines));
    times.readline!.push(await viaNode(lines, readlineReader));
    times.splitter!.push(await viaNode(lines, splitterReader));
  }
  const rate = (k: string): number => lines / (median(times[k]!) / 1000);
  console.log(`\n${lines.toLocaleString('en')} lines of 40 bytes, median of ${rounds} rounds, Node ${process.version}\n`);
  console.log('| reader | median ms | lines/s | netkit ÷ this |');
  console.log('|---|---:|---:|---:|');
  for (const k of Object.keys(times)) {
    console.log(`| ${k} | ${median(times[k]!).toFixed(0)} | ${(rate(k) / 1e6).toFixed(2)} M | ${(rate('netkit') / rate(k)).toFixed(2)}× |`);
  }
}

if (process.argv[2] === '--writer') await writer(Number(process.argv[3]), Number(process.argv[4]));
else await main();
