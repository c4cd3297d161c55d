/**
 * R-01 idle connections: `servers.serve` holds 5,000 idle TCP connections
 * (the clients live in another process); RSS growth after GC per connection,
 * and the descriptors 2 s after the clients close.
 */
import { serve } from '../../src/servers/index.js';
import { startPeer, rssMiB } from './child.js';
import { fds, gc, settledFds, type FigureSpec } from './figure.js';

const N = 5000;

export const spec: FigureSpec = {
  id: 'R-01',
  budgetMs: 60_000,
  async run() {
    const srv = await serve({ port: 0, maxConnections: N + 100, maxConnectionsPerClient: N + 100, onError: () => {} }, async (c) => {
      await c.receive('*l');
    });
    // Warm up: one round of connections, so lazily built runtime state is not counted.
    const warm = await startPeer(['idle', String(srv.port), '200']);
    await warm.stop();
    await settledFds(0, 1000);
    await gc();
    const fdBefore = fds();
    const rssBefore = rssMiB();
    const heapBefore = process.memoryUsage().heapUsed;
    const clients = await startPeer(['idle', String(srv.port), String(N)]);
    const open = Number(clients.line.split(' ')[1]);
    while (srv.connections < open) await new Promise((r) => setTimeout(r, 20));
    await gc();
    const perConn = ((rssMiB() - rssBefore) * 1024) / N;
    const heapPer = (process.memoryUsage().heapUsed - heapBefore) / 1024 / N;
    const t = performance.now();
    await clients.stop();
    const fdAfter = await settledFds(fdBefore, 2000);
    const took = performance.now() - t;
    await srv.close();
    return [
      {
        name: 'R-01 rss-per-idle-connection',
        value: perConn,
        unit: 'KiB',
        pass: '<=',
        threshold: 16,
        detail: `${open} connections, heap ${heapPer.toFixed(2)} KiB each (Node net 3.7, http 9.1)`,
      },
      { name: 'R-01 fd-delta-after-close', value: fdAfter - fdBefore, unit: '', pass: '<=', threshold: 0, detail: `within ${Math.round(took)} ms` },
      { name: 'R-01 connections-held', value: open, unit: '', pass: '==', threshold: N },
    ];
  },
};
