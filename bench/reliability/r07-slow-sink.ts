/**
 * R-07 slow sink memory: a 1 GiB download from a server in another process,
 * through `socket.source('until-closed')` into a sink that pauses 1 ms per
 * 64 KiB chunk; then a 1 GiB upload through `socket.sink` from a source that
 * pauses 1 ms per 64 KiB chunk. Peak RSS over the start (sampled every 20 ms).
 * RELIABILITY_GIB scales the transfers (default 1).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, sink as socketSink, source as socketSource } from '../../src/socket/index.js';
import { pump } from '../../src/ltn12/index.js';
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

export const spec: FigureSpec = {
  id: 'R-07',
  budgetMs: 150_000,
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
      await pump.all(async () => {
        if (sent >= GiB) return null;
        await sleep(1);
        sent += CHUNK;
        return block;
      }, socketSink('close-when-done', c));
    });
    const upMs = performance.now() - t1;
    await drain.stop();
    const mib = GiB / 1048576;
    return [
      { name: 'R-07 download-peak-rss-growth', value: down, unit: 'MiB', pass: '<=', threshold: 64, detail: `${(got / 1048576).toFixed(0)} of ${mib} MiB in ${(downMs / 1000).toFixed(1)} s, sink 1 ms per chunk` },
      { name: 'R-07 download-complete', value: got, unit: 'B', pass: '==', threshold: GiB },
      { name: 'R-07 upload-peak-rss-growth', value: up, unit: 'MiB', pass: '<=', threshold: 64, detail: `${mib} MiB in ${(upMs / 1000).toFixed(1)} s, source 1 ms per 64 KiB` },
    ];
  },
};
