/**
 * R-09 leak slope: 20,000 HTTP GETs with netkit's client through one
 * keep-alive Pool to `servers.web`, 8 at a time (leak-http.ts), plus 20,000
 * connections to `servers.serve` each opened for one
 * request (client and server in this process), in 10 rounds; then
 * SMTP → POP3 round trips through `servers.mailbox` (send, retrieve, delete;
 * 10,000 in 10 rounds of 1,000)
 * Each series runs after unmeasured warm-up rounds (the mail
 * path's heap grows for its first ~6,000 messages while code and caches settle, then
 * stays flat). After each round: GC, heap+external without V8's compiled code
 * (it grows while functions are re-optimised; see figure.ts). The slope
 * over rounds 2–10 (Theil–Sen: the median pairwise slope, robust to one round
 * shifted by a late GC) is scaled to MiB per 2,000 operations; descriptors and
 * active handles must be the same after the last round as after the first.
 */
import { serve, mailbox } from '../../src/servers/index.js';
import { connect } from '../../src/socket/index.js';
import { open } from '../../src/protocols/smtp/index.js';
import { connect as pop3 } from '../../src/protocols/pop3/index.js';
import { source } from '../../src/ltn12/index.js';
import { dataHeapMiB, fds, robustSlope, settledFds, type Figure, type FigureSpec } from './figure.js';
import { keepAliveSite } from './leak-http.js';

const MAIL_ROUND = 1000;
/** Connections per round: 2,000, so the slope per 2,000 is read off whole rounds, not scaled up from jitter. */
const CONNECT_ROUND = 2000;
const handles = () => process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap').length;

interface Series {
  heap: number[];
  fds: number[];
  handles: number[];
}

/** Runs `warm` unmeasured rounds (JIT and caches settle), then `rounds` measured ones. */
async function measure(rounds: number, warm: number, round: () => Promise<void>): Promise<Series> {
  for (let i = 0; i < warm; i++) await round();
  const s: Series = { heap: [], fds: [], handles: [] };
  for (let i = 0; i < rounds; i++) {
    await round();
    s.fds.push(await settledFds(s.fds[0] ?? 0, 1000));
    s.heap.push(await dataHeapMiB());
    s.handles.push(handles());
  }
  return s;
}

function figures(name: string, s: Series, opsPerRound: number): Figure[] {
  const per2000 = robustSlope(s.heap.slice(1)) * (2000 / opsPerRound);
  return [
    {
      name: `R-09 ${name}-heap-slope`,
      value: per2000,
      unit: 'MiB/2000ops',
      pass: '<=',
      threshold: 0.05,
      detail: `heap+external without code space ${s.heap.map((h) => h.toFixed(1)).join(' ')} MiB`,
    },
    { name: `R-09 ${name}-fd-change`, value: s.fds.at(-1)! - s.fds[1]!, unit: '', pass: '<=', threshold: 0 },
    { name: `R-09 ${name}-handle-change`, value: s.handles.at(-1)! - s.handles[1]!, unit: '', pass: '<=', threshold: 0 },
  ];
}

export const spec: FigureSpec = {
  id: 'R-09',
  budgetMs: 120_000,
  async run() {
    const srv = await serve({ port: 0, onError: () => {} }, async (c) => {
      for (;;) {
        const line = await c.receive('*l').catch(() => null);
        if (line === null) return;
        await c.send(`${line}\n`);
      }
    });
    const http = await keepAliveSite(2000);
    const keepAlive = await measure(10, 2, http.round);
    await http.close();
    const perConnection = await measure(10, 3, async () => {
      for (let b = 0; b < CONNECT_ROUND / 10; b++) {
        await Promise.all(
          Array.from({ length: 10 }, async () => {
            const c = await connect('127.0.0.1', srv.port);
            await c.send('one\n');
            await c.receive('*l');
            await c.close();
          }),
        );
      }
    });
    await srv.close();

    const box = await mailbox({ smtpPort: 0, pop3Port: 0, users: { u: 'p' }, store: 'memory' });
    const body = `Subject: leak\r\n\r\n${'line of text\r\n'.repeat(40)}`;
    const mail = await measure(10, 6, async () => {
      const s = await open({ server: '127.0.0.1', port: box.smtp.port });
      await s.greet('rel');
      for (let i = 0; i < MAIL_ROUND; i++) await s.send({ from: 'a@x', rcpt: 'u@x' }, source.string(body));
      await s.quit();
      const p = await pop3({ server: '127.0.0.1', port: box.pop3.port, user: 'u', password: 'p', apop: true });
      for (let i = 1; i <= MAIL_ROUND; i++) {
        await p.retrieve(i);
        await p.delete(i);
      }
      await p.quit();
    });
    await box.close();
    process.stderr.write(`R-09 fds now ${fds()}\n`);
    const ka = figures('keepalive', keepAlive, http.perRound);
    ka[0]!.detail += ` (${http.made} HTTP GETs, ${http.made - http.reused} connections)`;
    return [...ka, ...figures('connect-per-request', perConnection, CONNECT_ROUND), ...figures('smtp-pop3', mail, MAIL_ROUND)];
  },
};
