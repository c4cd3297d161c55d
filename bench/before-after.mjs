// Before/after workload for a refactor: one job against one netkit tree's build, timed from outside.
//
//   farm-bench -n 5 --vs "node bench/before-after.mjs OLD_TREE lines" -- node bench/before-after.mjs . lines
//
// OLD_TREE is a built checkout of the earlier commit (`git worktree add OLD REV && cd OLD && npm ci && npm run build`).
// Jobs: lines (2,000,000 receive('*l') of 42-byte lines), bulk (512 MiB in receive(65536)),
// web (4,000 keep-alive GETs of a 1 KiB file from servers.web through one http Pool).
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [root, kind] = process.argv.slice(2);
if (!root || !['lines', 'bulk', 'web'].includes(kind)) throw new Error('usage: node bench/before-after.mjs TREE lines|bulk|web');
const nk = await import(pathToFileURL(join(resolve(root), 'dist/src/index.js')).href);
const peer = (onConn) =>
  new Promise((r) => {
    const s = net.createServer(onConn).listen(0, '127.0.0.1', () => r(s));
  });
/** Writes `count` copies of `block` with back-pressure, then ends. */
const feed = (c, block, count) => {
  let i = 0;
  const go = () => {
    while (i < count) {
      i++;
      if (!c.write(block)) return c.once('drain', go);
    }
    c.end();
  };
  go();
};

if (kind === 'lines') {
  const n = 2_000_000;
  const block = Buffer.from(`${'x'.repeat(40)}\r\n`.repeat(1000));
  const s = await peer((c) => feed(c, block, n / 1000));
  const c = await nk.socket.connect('127.0.0.1', s.address().port);
  for (let i = 0; i < n; i++) await c.receive('*l');
  await c.close();
  s.close();
} else if (kind === 'bulk') {
  const mib = 512;
  const s = await peer((c) => feed(c, Buffer.alloc(1 << 20, 7), mib));
  const c = await nk.socket.connect('127.0.0.1', s.address().port);
  let got = 0;
  for (;;) {
    try {
      got += (await c.receive(65536)).length;
    } catch (e) {
      got += e.partial?.length ?? 0;
      break;
    }
  }
  if (got !== mib << 20) throw new Error(`got ${got} bytes`);
  await c.close();
  s.close();
} else {
  const dir = mkdtempSync(join(tmpdir(), 'nk-before-after-'));
  writeFileSync(join(dir, 'a.txt'), 'x'.repeat(1024));
  const site = await nk.servers.web({ root: dir, port: 0 });
  const pool = new nk.http.Pool();
  for (let i = 0; i < 4000; i++) {
    let n = 0;
    await nk.http.request({ url: `http://127.0.0.1:${site.port}/a.txt`, pool, sink: async (b) => void (b && (n += b.length)) });
    if (n !== 1024) throw new Error(`short answer: ${n} bytes`);
  }
  pool.close?.();
  await site.close();
}
process.exit(0);
