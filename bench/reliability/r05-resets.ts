/**
 * R-05 resets, in a fresh network namespace: 100 downloads of 1 MB from
 * `servers.serve` while nftables answers the client's packets with a TCP
 * reset once the server has sent 100 kB (`ct reply bytes > 100000 reject
 * with tcp reset`). Every download must fail with a typed error carrying the
 * bytes that did arrive; none may be reported a success; no descriptor left.
 */
import { serve } from '../../src/servers/index.js';
import { connect } from '../../src/socket/index.js';
import { NetError } from '../../src/core/errors.js';
import { socketBaseline, type FigureSpec } from './figure.js';
import { nft, nftClear } from './netns.js';

const MB = 1_000_000;

export const spec: FigureSpec = {
  id: 'R-05',
  budgetMs: 60_000,
  netns: true,
  async run() {
    nftClear(); // the first child process opens libuv's signal pipe for good: before the baseline
    const sockets = socketBaseline();
    const body = Buffer.alloc(MB, 0x64);
    const srv = await serve({ port: 0, onError: () => {} }, async (c) => {
      await c.send(body);
    });
    nft(`chain in { type filter hook input priority 0; policy accept; tcp dport ${srv.port} ct reply bytes > 100000 reject with tcp reset; }`);
    let typedWithPartial = 0;
    let successes = 0;
    const other: string[] = [];
    for (let i = 0; i < 100; i++) {
      const c = await connect('127.0.0.1', srv.port, { timeout: 3000 });
      c.setTimeout(3000);
      try {
        await c.receive(MB);
        successes++;
      } catch (err) {
        const partial = (err as { partial?: Buffer }).partial?.length ?? 0;
        if (err instanceof NetError && err.code !== 'timeout' && partial > 0 && partial < MB) typedWithPartial++;
        else other.push(err instanceof NetError ? `${err.code} with ${partial} bytes` : String(err));
      } finally {
        await c.close();
      }
    }
    nftClear();
    await srv.close();
    return [
      {
        name: 'R-05 typed-reset-with-partial',
        value: typedWithPartial,
        unit: '%',
        pass: '==',
        threshold: 100,
        detail: other.length > 0 ? `others: ${[...new Set(other)].slice(0, 3).join('; ')}` : '100 downloads of 1 MB, reset after 100 kB',
      },
      { name: 'R-05 reported-successes', value: successes, unit: '', pass: '==', threshold: 0 },
      await sockets.figure('R-05 socket-fd-delta'),
    ];
  },
};
