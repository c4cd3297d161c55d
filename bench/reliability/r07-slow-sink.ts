/**
 * R-07 slow sink memory: a 1 GiB download from a server in another process,
 * through `socket.source('until-closed')` into a sink that pauses 1 ms per
 * 64 KiB chunk; then a 1 GiB upload through `socket.sink` from a source that
 * pauses 1 ms per 64 KiB chunk. Peak RSS over the start (sampled every 20 ms).
 * RELIABILITY_GIB scales the transfers (default 1).
 *
 * Then many slow readers against one `servers.web`: 1,000 clients
 * in another process each ask for an 8 MiB file and stop reading (the
 * kernel's socket buffers take a few MiB each first), for 5 s;
 * meanwhile a normal client downloads the same file. Figures: the server's
 * peak RSS growth (was ~460 MiB: two 256 KiB chunks per stalled client),
 * its RSS growth once they left (was 54–115 MiB while each chunk was a
 * buffer of its own, freed into the C heap that keeps it), and that the
 * normal download completed.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, sink as socketSink, source as socketSource } from '../../src/socket/index.js';
import { pump } from '../../src/ltn12/index.js';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as netConnect } from 'node:net';
import { web } from '../../src/servers/index.js';
import { IDLE_MS } from '../../src/servers/web/chunk-slots.js';
import { startPeer, rssMiB } from './child.js';
import { gc, type FigureSpec } from './figure.js';

const GiB = Number(process.env.RELIABILITY_GIB ?? 1) * 1024 ** 3;
const CHUNK = 64 * 1024;

/** Runs `fn` while sampling RSS; the peak over `base`, MiB. */
async function peakDuring(base: number, fn: () => Promise<void>): Promise<number> {
  let peak = rssMiB();
  const timer = setInterval(() => (peak = Math.max(peak, rssMiB())), 20);
  try {
    await fn();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, rssMiB()) - base;
}

const STALLED = 1000;
const FILE = 8 * 1024 * 1024;

/** Clients, in their own process, that each send `GET path` and never read; they all close when its stdin ends. */
const STALLER = `
const net = require('node:net');
const [port, n, path] = [Number(process.argv[1]), Number(process.argv[2]), process.argv[3]];
let up = 0;
(async () => {
  for (let i = 0; i < n; i++) {
    const s = net.connect({ port, host: '127.0.0.1' }, () => { s.pause(); if (++up === n) console.log('ready'); });
    s.on('error', () => {});
    s.write('GET ' + path + ' HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n');
    if (i % 100 === 99) await new Promise((r) => setTimeout(r, 20));
  }
})();
process.stdin.on('end', () => process.exit(0)).resume();
`;

/** One plain download of `path`: the body bytes received. */
function download(port: number, path: string): Promise<number> {
  return new Promise((resolve) => {
    const s = netConnect(port, '127.0.0.1');
    let n = 0;
    let headEnd = -1;
    let head = Buffer.alloc(0);
    s.on('data', (d: Buffer) => {
      if (headEnd >= 0) return void (n += d.length);
      head = Buffer.concat([head, d]);
      headEnd = head.indexOf('\r\n\r\n');
      if (headEnd >= 0) n = head.length - headEnd - 4;
    });
    s.on('close', () => resolve(n));
    s.on('error', () => resolve(-1));
    s.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
  });
}

/** Many stalled readers against one static server: its RSS, during and after. */
async function stalledReaders(): Promise<{ peak: number; after: number; normal: number; held: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'r07-web-'));
  writeFileSync(join(dir, 'big.bin'), Buffer.alloc(FILE, 0x61));
  const site = await web({ root: dir, port: 0, maxConnectionsPerClient: STALLED + 1 });
  try {
    await gc();
    const base = rssMiB();
    let peak = base;
    const timer = setInterval(() => (peak = Math.max(peak, rssMiB())), 20);
    const child = spawn(process.execPath, ['-e', STALLER, String(site.port), String(STALLED), '/big.bin'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    await new Promise<void>((r) => child.stdout!.once('data', () => r()));
    for (let i = 0; i < 1200 && site.connections < STALLED; i++) await sleep(50); // a loaded machine accepts slowly
    await sleep(5000);
    const held = site.connections;
    const normal = await download(site.port, '/big.bin');
    clearInterval(timer);
    peak = Math.max(peak, rssMiB());
    child.stdin!.end();
    await exited;
    for (let i = 0; i < 100 && site.connections > 0; i++) await sleep(50);
    await sleep(IDLE_MS + 500); // the server drops its chunk slabs once they have been unused for IDLE_MS
    await gc();
    return { peak: peak - base, after: rssMiB() - base, normal, held };
  } finally {
    await site.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const spec: FigureSpec = {
  id: 'R-07',
  budgetMs: 240_000,
  async run() {
    await gc();
    const base = rssMiB();
    const blast = await startPeer(['blast', String(GiB)]);
    let got = 0;
    const t0 = performance.now();
    const down = await peakDuring(base, async () => {
      const c = await connect('127.0.0.1', Number(blast.line.split(' ')[1]));
      c.setTimeout(30_000);
      await pump.all(socketSource('until-closed', c), async (chunk) => {
        if (chunk === null) return;
        got += chunk.length;
        await sleep(1);
      });
      await c.close();
    });
    const downMs = performance.now() - t0;
    await blast.stop();

    const drain = await startPeer(['discard']);
    let sent = 0;
    const block = Buffer.alloc(CHUNK, 0x62);
    const t1 = performance.now();
    const up = await peakDuring(base, async () => {
      const c = await connect('127.0.0.1', Number(drain.line.split(' ')[1]));
      c.setTimeout(30_000);
      await pump.all(
        async () => {
          if (sent >= GiB) return null;
          await sleep(1);
          sent += CHUNK;
          return block;
        },
        socketSink('close-when-done', c),
      );
    });
    const upMs = performance.now() - t1;
    await drain.stop();
    const mib = GiB / 1048576;
    const stalled = await stalledReaders();
    return [
      {
        name: 'R-07 web-stalled-readers-peak-rss-growth',
        value: stalled.peak,
        unit: 'MiB',
        pass: '<=',
        threshold: 128,
        detail: `${stalled.held} connections held, each asked for 8 MiB and stopped reading; default maxInflightBytes (16 MiB) + 16 KiB each`,
      },
      {
        name: 'R-07 web-stalled-readers-rss-after',
        value: stalled.after,
        unit: 'MiB',
        pass: '<=',
        threshold: 48,
        detail: 'RSS growth once the stalled clients left (after GC)',
      },
      { name: 'R-07 web-normal-download-during-stall', value: stalled.normal, unit: 'B', pass: '==', threshold: FILE },
      {
        name: 'R-07 download-peak-rss-growth',
        value: down,
        unit: 'MiB',
        pass: '<=',
        threshold: 64,
        detail: `${(got / 1048576).toFixed(0)} of ${mib} MiB in ${(downMs / 1000).toFixed(1)} s, sink 1 ms per chunk`,
      },
      { name: 'R-07 download-complete', value: got, unit: 'B', pass: '==', threshold: GiB },
      {
        name: 'R-07 upload-peak-rss-growth',
        value: up,
        unit: 'MiB',
        pass: '<=',
        threshold: 64,
        detail: `${mib} MiB in ${(upMs / 1000).toFixed(1)} s, source 1 ms per 64 KiB`,
      },
    ];
  },
};
