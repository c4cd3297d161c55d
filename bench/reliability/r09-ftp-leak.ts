/**
 * R-09 leak slope, FTP leg: `ftp.download()` of a 64 KiB file from pyftpdlib
 * (`testkit/peers/ftpd.py`, another process, so only the client is measured),
 * each call a whole session (connect, login, FEAT, TYPE I, SIZE, EPSV, RETR,
 * QUIT). 10,000 measured downloads in 10 rounds of 1,000 after 3,000 unmeasured
 * ones; after each round: GC, heap+external without V8's code space,
 * open descriptors, active handles. (Heap snapshots 6,000 downloads apart
 * differ by ~180 KB, all of it compiled code and its deopt data, which grows
 * while V8 re-optimises; no JS object count grows. Counting code space would
 * report that as a slope of ~0.06 MiB/2,000.) The Theil–Sen slope over rounds 2–10 is scaled to MiB per 2,000
 * downloads; descriptors and handles must be the same after the last round
 * as after the first. SKIP where pyftpdlib is missing.
 *
 *     node --expose-gc dist/bench/reliability/one.js r09-ftp-leak
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { download } from '../../src/protocols/ftp/index.js';
import { hasPyftpdlib, startPyftpd } from '../../testkit/ftp-peers.js';
import { dataHeapMiB, robustSlope, settledFds, skipped, type Figure, type FigureSpec } from './figure.js';

const ROUND = 1000;
const ROUNDS = 10;
const WARM = 3;
const SIZE = 64 * 1024;
const handles = () => process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap').length;

export const spec: FigureSpec = {
  id: 'R-09',
  budgetMs: 120_000,
  async run() {
    const names = ['ftp-download-heap-slope', 'ftp-download-fd-change', 'ftp-download-handle-change', 'ftp-download-wrong'];
    if (!(await hasPyftpdlib())) return names.map((n) => skipped(`R-09 ${n}`, 'pyftpdlib (python3-pyftpdlib) is not installed'));
    const peer = await startPyftpd();
    const content = Buffer.from(Array.from({ length: SIZE }, (_, i) => (i * 131) & 255));
    const want = createHash('sha256').update(content).digest('hex');
    writeFileSync(join(peer.root, 'file.bin'), content);
    let wrong = 0;
    let done = 0;
    const round = async () => {
      for (let i = 0; i < ROUND; i++) {
        const hash = createHash('sha256');
        const r = await download(
          { host: '127.0.0.1', port: peer.port, path: 'file.bin', timeout: 10_000 },
          async (chunk) => void (chunk && hash.update(chunk)),
        );
        if (r.bytes !== SIZE || r.size !== SIZE || hash.digest('hex') !== want) wrong++;
        done++;
      }
    };
    const heap: number[] = [];
    const fdSeries: number[] = [];
    const handleSeries: number[] = [];
    const started = performance.now();
    try {
      for (let i = 0; i < WARM; i++) await round();
      for (let i = 0; i < ROUNDS; i++) {
        await round();
        fdSeries.push(await settledFds(fdSeries[0] ?? 0, 1000));
        heap.push(await dataHeapMiB());
        handleSeries.push(handles());
      }
    } finally {
      await peer.stop();
    }
    const per2000 = robustSlope(heap.slice(1)) * (2000 / ROUND);
    const secs = ((performance.now() - started) / 1000).toFixed(1);
    const f = (name: string, value: number, unit: string, pass: Figure['pass'], threshold: number, detail?: string): Figure => ({
      name: `R-09 ${name}`,
      value,
      unit,
      pass,
      threshold,
      detail,
    });
    return [
      f(
        'ftp-download-heap-slope',
        per2000,
        'MiB/2000ops',
        '<=',
        0.05,
        `heap+external without code space ${heap.map((h) => h.toFixed(2)).join(' ')} MiB; ${done} downloads of 64 KiB from pyftpdlib in ${secs} s`,
      ),
      f('ftp-download-fd-change', fdSeries.at(-1)! - fdSeries[1]!, '', '<=', 0),
      f('ftp-download-handle-change', handleSeries.at(-1)! - handleSeries[1]!, '', '<=', 0),
      f('ftp-download-wrong', wrong, '', '==', 0, 'size or SHA-256 differs'),
    ];
  },
};
