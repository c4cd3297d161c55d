/**
 * R-11 UDP flood, in a fresh network namespace: 50,000 datagrams of 1 KiB
 * from another process at a `socket.udp()` echo loop; RSS growth (peak,
 * sampled), then one probe must be answered within 100 ms; a 65,507-byte
 * datagram read with `receive(8192)` must come back as 8,192 bytes flagged
 * truncated. The namespace's own `/proc/net/snmp` counts the kernel's drops.
 */
import { readFileSync } from 'node:fs';
import { udp } from '../../src/socket/index.js';
import { startPeer, rssMiB } from './child.js';
import { gc, type FigureSpec } from './figure.js';

function udpCounters(): Record<string, number> {
  const lines = readFileSync('/proc/net/snmp', 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('Udp:'));
  const [names, values] = lines.map((l) => l.split(/\s+/).slice(1));
  return Object.fromEntries(names!.map((n, i) => [n, Number(values![i])]));
}

export const spec: FigureSpec = {
  id: 'R-11',
  budgetMs: 60_000,
  netns: true,
  async run() {
    const server = udp();
    await server.setSockName('127.0.0.1', 0);
    const port = server.getSockName().port;
    let served = 0;
    const loop = (async () => {
      for (;;) {
        const d = await server.receiveFrom().catch(() => null);
        if (d === null) return;
        served++;
        if (d.data.toString('latin1', 0, 5) === 'probe') await server.sendTo(Buffer.from('pong'), d.address, d.port);
      }
    })();
    // Warm-up: a small flood first, so spawning the sender and V8's young generation sizing are not counted.
    await (await startPeer(['udp-flood', String(port), '5000', '1024'], 50_000)).stop();
    await gc();
    const base = rssMiB();
    let peak = base;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMiB())), 10);
    const before = udpCounters();
    const flood = await startPeer(['udp-flood', String(port), '50000', '1024'], 50_000);
    await flood.stop();
    clearInterval(sampler);
    const after = udpCounters();

    const probe = udp();
    await probe.setSockName('127.0.0.1', 0);
    probe.setTimeout(2000);
    const t = performance.now();
    await probe.sendTo(Buffer.from('probe'), '127.0.0.1', port);
    const answer = (await probe.receive().catch(() => Buffer.from('none'))).toString();
    const probeMs = answer === 'pong' ? performance.now() - t : Infinity;

    const big = udp();
    await big.setSockName('127.0.0.1', 0);
    big.setTimeout(2000);
    await probe.sendTo(Buffer.alloc(65507, 0x63), '127.0.0.1', big.getSockName().port);
    const first = await big.receive(8192);
    const truncatedOk = first.length === 8192 && big.lastTruncated ? 1 : 0;

    const dropped = server.getStats().dropped;
    await Promise.all([server.close(), probe.close(), big.close()]);
    await loop;
    return [
      {
        name: 'R-11 flood-rss-growth',
        value: peak - base,
        unit: 'MiB',
        pass: '<=',
        threshold: 5,
        detail: `${flood.line}; ${served} served, ${dropped} dropped by the queue bound, kernel RcvbufErrors ${after.RcvbufErrors! - before.RcvbufErrors!}`,
      },
      { name: 'R-11 probe-after-flood', value: probeMs, unit: 'ms', pass: '<=', threshold: 100 },
      {
        name: 'R-11 65507-byte-datagram-truncated',
        value: truncatedOk,
        unit: '',
        pass: '==',
        threshold: 1,
        detail: 'receive(8192) gives 8,192 bytes and lastTruncated',
      },
    ];
  },
};
