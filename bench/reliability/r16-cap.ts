/**
 * R-16 connection cap: `servers.serve` with maxConnections 256 while 1,000
 * idle clients (another process) try to connect; then a normal request must
 * be served within 1 s or refused within 100 ms, never hang; once the crowd
 * leaves, the same request must be served within 1 s; server RSS stays bounded.
 */
import { serve } from '../../src/servers/index.js';
import { connect } from '../../src/socket/index.js';
import { startPeer, rssMiB } from './child.js';
import { gc, type FigureSpec } from './figure.js';

export const spec: FigureSpec = {
  id: 'R-16',
  budgetMs: 60_000,
  async run() {
    // the crowd comes from the same address as the normal client: the per-client cap is lifted to test the global one
    const srv = await serve({ port: 0, maxConnections: 256, maxConnectionsPerClient: 2000, onError: () => {} }, async (c) => {
      for (;;) await c.send(`${await c.receive('*l')}\n`);
    });
    await gc();
    const rss0 = rssMiB();
    const crowd = await startPeer(['idle', String(srv.port), '1000']);
    const held = srv.connections;
    const t = performance.now();
    let outcome = 'hang';
    const c = await connect('127.0.0.1', srv.port);
    c.setTimeout(5000);
    try {
      await c.send('ping\n');
      outcome = (await c.receive('*l')) === 'ping' ? 'served' : 'wrong answer';
    } catch (err) {
      outcome = (err as { code?: string }).code === 'closed' ? 'refused' : `error ${(err as Error).message}`;
    }
    const took = performance.now() - t;
    await c.close();
    await gc();
    const rssGrowth = rssMiB() - rss0;
    await crowd.stop();
    // slots free: a request refused at the cap must now be served
    const freed = performance.now();
    let servedAfter = Infinity;
    for (let i = 0; i < 50 && servedAfter === Infinity; i++) {
      const again = await connect('127.0.0.1', srv.port);
      again.setTimeout(1000);
      try {
        await again.send('ping\n');
        if ((await again.receive('*l')) === 'ping') servedAfter = performance.now() - freed;
      } catch {
        await new Promise((r) => setTimeout(r, 20));
      }
      await again.close();
    }
    await srv.close();
    const limit = outcome === 'served' ? 1000 : 100;
    return [
      {
        name: 'R-16 normal-request-at-cap',
        value: outcome === 'served' || outcome === 'refused' ? took : Infinity,
        unit: 'ms',
        pass: '<=',
        threshold: limit,
        detail: `${outcome}; ${held} held, ${srv.refused} refused, ${crowd.line}`,
      },
      {
        name: 'R-16 served-once-slot-frees',
        value: servedAfter,
        unit: 'ms',
        pass: '<=',
        threshold: 1000,
        detail: 'from the crowd leaving to the same request answered',
      },
      { name: 'R-16 connections-held', value: held, unit: '', pass: '<=', threshold: 256 },
      { name: 'R-16 rss-growth', value: rssGrowth, unit: 'MiB', pass: '<=', threshold: 16 },
    ];
  },
};
