/**
 * Benchmark: receiving many short lines from a TCP socket, one at a time.
 *
 * A child process (this file run with `--writer`) writes N LF-terminated
 * 40-byte lines as fast as the socket takes them; the parent receives them
 * three ways, each reader a fresh process per round (bench/runner.ts):
 *   - netkit: `await client.receive('*l')` per line;
 *   - readline: Node's `readline` `for await` over the socket;
 *   - splitter: a hand-written `Buffer.indexOf(10)` splitter on 'data' events
 *     (the floor: no per-line promise at all).
 *
 *     npm run build && node --expose-gc dist/bench/socket-lines.js   (LINES=5000000 ROUNDS=5; WARM=0.1)
 */
import net from 'node:net';
import readline from 'node:readline';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { bind } from '../src/socket/index.js';
import { childMain, compare, inChild, knob, report } from './runner.js';

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
      const buf = rest === null ? chunk : Buffer.concat([rest, chunk]);
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

const isChild = await childMain({
  "netkit receive('*l')": async (n) => ({ work: n, seconds: (await viaNetkit(n)) / 1000 }),
  'readline for await': async (n) => ({ work: n, seconds: (await viaNode(n, readlineReader)) / 1000 }),
  'indexOf splitter (floor)': async (n) => ({ work: n, seconds: (await viaNode(n, splitterReader)) / 1000 }),
});

if (process.argv[2] === '--writer') await writer(Number(process.argv[3]), Number(process.argv[4]));
else if (!isChild) {
  const lines = knob('LINES', 5_000_000);
  const rounds = knob('ROUNDS', 5);
  knob('WARM', 0.1);
  const me = import.meta.url;
  const r = await compare(
    `${lines.toLocaleString('en')} lines of 40 bytes over loopback, one receive per line`,
    'M lines/s',
    [
      inChild("netkit receive('*l')", me, [String(lines)]),
      inChild('readline for await', me, [String(lines)]),
      inChild('indexOf splitter (floor)', me, [String(lines)]),
    ],
    { rounds, scale: 1e6 },
  );
  console.log(report(r));
}
