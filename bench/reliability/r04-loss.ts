/**
 * R-04 behaviour under loss, in a fresh network namespace (loopback MTU
 * 1500, nftables dropping 10 % of the test ports' packets both ways):
 * 200 HTTP GETs of 64 KiB files from `servers.web` with netkit's client
 * (8 at a time, one keep-alive Pool, SHA-256 checked, 5 s timeouts: see
 * loss-http.ts) and 50 SMTP sends to
 * `servers.mailbox` (5 s per reply). Each operation must end correct or with
 * a typed timeout within 6 s (SMTP: a typed error); no hang, no corrupt success.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mailbox } from '../../src/servers/index.js';
import { NetError } from '../../src/core/errors.js';
import { open } from '../../src/protocols/smtp/index.js';
import { source } from '../../src/ltn12/index.js';
import type { FigureSpec } from './figure.js';
import { loMtu, nft, nftClear } from './netns.js';
import { lossSite } from './loss-http.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const HANG_MS = 15_000;

/** Resolves to the op's outcome, or 'hang' when it has not settled after HANG_MS. */
function bounded<T>(op: Promise<T>): Promise<T | 'hang'> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([op, new Promise<'hang'>((r) => (timer = setTimeout(() => r('hang'), HANG_MS)))]).finally(() => clearTimeout(timer));
}

export const spec: FigureSpec = {
  id: 'R-04',
  budgetMs: 110_000,
  netns: true,
  async run() {
    loMtu(1500);
    const bodies = Array.from({ length: 16 }, () => randomBytes(64 * 1024));
    const srv = await lossSite(bodies);
    const box = await mailbox({ smtpPort: 0, pop3Port: 0, users: { u: 'p' }, store: 'memory' });
    const ports = [srv.port, box.smtp.port].join(', ');
    nft(`chain out { type filter hook output priority 0; policy accept;
      tcp sport { ${ports} } numgen random mod 100 < 10 drop;
      tcp dport { ${ports} } numgen random mod 100 < 10 drop; }`);

    const get = { correct: 0, timeouts: 0, slowTimeouts: 0, otherTyped: 0, corrupt: 0, hangs: 0 };
    let slowest = 0;
    let next = 0;
    const worker = async () => {
      while (next < 200) {
        const n = next++;
        const t = performance.now();
        const r = await bounded(srv.get(n).catch((e: unknown) => e));
        const took = performance.now() - t;
        if (r === 'hang') get.hangs++;
        else if (Buffer.isBuffer(r)) {
          if (sha(r) === sha(bodies[n % bodies.length]!)) get.correct++, (slowest = Math.max(slowest, took));
          else get.corrupt++;
        } else if (r instanceof NetError && r.code === 'timeout') took <= 6000 ? get.timeouts++ : get.slowTimeouts++;
        else if (r instanceof NetError) get.otherTyped++;
        else get.corrupt++; // an untyped failure counts against us too
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));

    const mail = { correct: 0, typed: 0, corrupt: 0, hangs: 0 };
    const message = (i: number) => `Subject: loss ${i}\r\n\r\n${randomBytes(3000).toString('base64')}\r\n`;
    const sent: string[] = [];
    for (let i = 0; i < 50; i++) {
      const text = message(i);
      const r = await bounded(
        (async () => {
          const s = await open({ server: '127.0.0.1', port: box.smtp.port, timeout: 5000 });
          try {
            await s.greet('loss');
            await s.send({ from: 'a@x', rcpt: 'u@x' }, source.string(text));
            await s.quit();
            return true;
          } finally {
            await s.conn.close();
          }
        })().catch((e: unknown) => e),
      );
      if (r === 'hang') mail.hangs++;
      else if (r === true) mail.correct++, sent.push(text);
      else if (r instanceof NetError) mail.typed++;
      else mail.corrupt++;
    }
    nftClear();
    const stored = await box.store.list('u');
    let intact = 0;
    for (const m of stored) if (sent.includes((await box.store.read('u', m.uid)).toString('latin1'))) intact++;
    await box.close();
    await srv.close();
    const ok = get.correct + get.timeouts;
    return [
      {
        name: 'R-04 downloads-correct-or-timeout',
        value: (ok / 200) * 100,
        unit: '%',
        pass: '==',
        threshold: 100,
        detail: `${get.correct} correct (slowest ${(slowest / 1000).toFixed(1)} s), ${get.timeouts} timeouts ≤ 6 s, ${get.slowTimeouts} later, ${get.otherTyped} other typed errors; ${srv.how}, ${srv.reused} reused`,
      },
      { name: 'R-04 downloads-corrupt-or-untyped', value: get.corrupt, unit: '', pass: '==', threshold: 0 },
      { name: 'R-04 hangs', value: get.hangs + mail.hangs, unit: '', pass: '==', threshold: 0 },
      {
        name: 'R-04 smtp-correct-or-typed',
        value: ((mail.correct + mail.typed) / 50) * 100,
        unit: '%',
        pass: '==',
        threshold: 100,
        detail: `${mail.correct} delivered, ${mail.typed} typed errors`,
      },
      { name: 'R-04 smtp-stored-intact', value: intact, unit: '', pass: '>=', threshold: mail.correct, detail: `${stored.length} stored` },
    ];
  },
};
