/**
 * R-10 super-server hygiene: 500 connections to `servers.inetd` running `cat`
 * with a cap of 20; then 30 clients at once to programs that ignore EOF
 * (`sh -c 'sleep 1000 & sleep 1000'`, time limit 1 s, cap 20) so 10 are refused.
 * Zombies, the server's descriptors afterwards, the slowest refusal, and how
 * long the hung groups took to go.
 */
import { execFileSync } from 'node:child_process';
import { inetd } from '../../src/servers/index.js';
import { connect } from '../../src/socket/index.js';
import { settledFds, type FigureSpec } from './figure.js';

const zombies = () =>
  execFileSync('ps', ['-o', 'stat=', '--ppid', String(process.pid)], { encoding: 'utf8' })
    .split('\n')
    .filter((s) => s.startsWith('Z')).length;

export const spec: FigureSpec = {
  id: 'R-10',
  budgetMs: 60_000,
  async run() {
    // One round first, so one-time runtime descriptors (signal pipe, thread pool) exist before the baseline.
    const w = await inetd({ port: 0, command: 'cat', onLog: () => {} });
    const wc = await connect('127.0.0.1', w.port);
    wc.shutdown('send');
    await wc.receive('*a');
    await wc.close();
    await w.close();
    zombies();
    const before = await settledFds(0);

    const srv = await inetd({ port: 0, command: 'cat', maxConnections: 20, perHostLimit: 20, onLog: () => {} });
    const talk = async (i: number) => {
      const c = await connect('127.0.0.1', srv.port);
      c.setTimeout(5000);
      await c.send(`n${i}\n`);
      c.shutdown('send');
      await c.receive('*a');
      await c.close();
    };
    for (let round = 0; round < 10; round++) await Promise.all(Array.from({ length: 50 }, (_, i) => talk(round * 50 + i)));

    const hung = await inetd({ port: 0, command: 'sh', args: ['-c', 'sleep 1000 & sleep 1000'], timeLimit: 1000, maxConnections: 20, perHostLimit: 30, onLog: () => {} });
    const t = performance.now();
    const held = await Promise.all(Array.from({ length: 20 }, () => connect('127.0.0.1', hung.port)));
    while (hung.running < 20 && performance.now() - t < 5000) await new Promise((r) => setTimeout(r, 10));
    // The cap is full: each further connection must be refused at once.
    let refusedWorst = 0;
    let refusals = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        const t0 = performance.now();
        const c = await connect('127.0.0.1', hung.port);
        c.setTimeout(5000);
        if ((await c.receive('*a')).toString().startsWith('busy')) (refusals++, (refusedWorst = Math.max(refusedWorst, performance.now() - t0)));
        await c.close();
      }),
    );
    await Promise.all(held.map(async (c) => (c.setTimeout(10_000), await c.receive('*a'), await c.close())));
    const gone = performance.now() - t;
    await srv.close();
    await hung.close();
    const after = await settledFds(before);
    return [
      { name: 'R-10 zombies', value: zombies(), unit: '', pass: '==', threshold: 0 },
      { name: 'R-10 fd-delta', value: after - before, unit: '', pass: '<=', threshold: 0 },
      { name: 'R-10 over-cap-refusal', value: refusedWorst, unit: 'ms', pass: '<=', threshold: 100, detail: `slowest of ${refusals} refusals` },
      { name: 'R-10 over-cap-refusals', value: refusals, unit: '', pass: '==', threshold: 10, detail: '30 clients, cap 20' },
      { name: 'R-10 hung-groups-gone', value: gone, unit: 'ms', pass: '<=', threshold: 2000 },
    ];
  },
};
