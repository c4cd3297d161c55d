/**
 * R-12 mail transparency: 1,000 generated messages (lines starting with '.',
 * bare CR and LF, 2 KB lines, 8-bit bytes) sent by the SMTP client to
 * `servers.mailbox` and fetched back with the POP3 client; then the five
 * SMTP smuggling end-of-data variants sent raw; then the mailbox's memory
 * under hostile DATA: more clients than `maxConnections`, each sending just
 * under `maxMessageBytes` as 3-byte lines (`a\r\n`) and no final dot. The
 * heap may grow by at most 1.5 × maxConnections × maxMessageBytes (it grew
 * ~37× the payload when each line was kept as its own Buffer).
 */
import net from 'node:net';
import { mailbox } from '../../src/servers/index.js';
import { open } from '../../src/protocols/smtp/index.js';
import { connect as pop3 } from '../../src/protocols/pop3/index.js';
import { source, transform } from '../../src/ltn12/index.js';
import { normalize } from '../../src/mime/index.js';
import { heapMiB, type Figure, type FigureSpec } from './figure.js';
import { setTimeout as sleep } from 'node:timers/promises';

const mib = (bytes: number): string => `${bytes >= 0 ? '+' : ''}${(bytes / 1048576).toFixed(1)}`;

/** Heap growth, in units of maxConnections × maxMessageBytes, under 3-byte-line DATA from more clients than the cap. */
async function dataHeap(): Promise<Figure[]> {
  const limit = 4 * 1024 * 1024;
  const cap = 4;
  const clients = 6;
  const box = await mailbox({ smtpPort: 0, pop3Port: 0, users: { u: 'p' }, store: 'memory', maxMessageBytes: limit, maxConnections: cap, greetDelay: 0 });
  const before = await heapMiB();
  const start = process.memoryUsage();
  const lines = Buffer.from('a\r\n'.repeat(64 * 1024));
  const socks: net.Socket[] = [];
  const sending = Array.from({ length: clients }, async () => {
    const c = net.connect(box.smtp.port, '127.0.0.1');
    socks.push(c);
    c.on('error', () => {});
    c.resume();
    await new Promise((r) => c.once('connect', r));
    c.write('EHLO x\r\nMAIL FROM:<a@x>\r\nRCPT TO:<u@x>\r\nDATA\r\n');
    for (let left = Math.floor((limit - 16) / 3); left > 0 && !c.destroyed; left -= 64 * 1024) {
      const n = Math.min(left, 64 * 1024);
      if (!c.write(n === 64 * 1024 ? lines : lines.subarray(0, n * 3)))
        await new Promise((r) => {
          c.once('drain', r);
          c.once('close', r);
        });
    }
  });
  await Promise.all(sending);
  // The last bytes sit in socket buffers until the handlers read them: wait for the heap to settle.
  let peak = await heapMiB();
  let atPeak = process.memoryUsage();
  for (let i = 0, last = 0; i < 50 && Math.abs(peak - last) > 0.5; i++) {
    last = peak;
    await sleep(200);
    const now = await heapMiB();
    if (now > peak) (peak = now), (atPeak = process.memoryUsage());
  }
  const refused = box.smtp.refused;
  for (const c of socks) c.destroy();
  await box.close();
  const ratio = ((peak - before) * 1048576) / (cap * limit);
  return [
    {
      name: 'R-12 data-heap-ratio',
      value: Math.round(ratio * 100) / 100,
      unit: '×',
      pass: '<=',
      threshold: 1.5,
      detail: `${clients} clients, cap ${cap}, 4 MiB of 3-byte lines each: +${(peak - before).toFixed(1)} MiB (heap ${mib(atPeak.heapUsed - start.heapUsed)}, buffers ${mib(atPeak.arrayBuffers - start.arrayBuffers)}, other external ${mib(atPeak.external - atPeak.arrayBuffers - start.external + start.arrayBuffers)})`,
    },
    { name: 'R-12 over-cap-refused', value: refused, unit: '', pass: '==', threshold: clients - cap, detail: `maxConnections ${cap}` },
  ];
}

export const spec: FigureSpec = {
  id: 'R-12',
  budgetMs: 60_000,
  async run() {
    const box = await mailbox({ smtpPort: 0, pop3Port: 0, users: { u: 'p' }, store: 'memory', greetDelay: 0 });
    const s = await open({ server: '127.0.0.1', port: box.smtp.port });
    await s.greet('rel');
    const sent: Buffer[] = [];
    for (let i = 0; i < 1000; i++) {
      const raw = Buffer.from(`Subject: ${i}\r\n\r\n.dot ${i}\n..two\r${'y'.repeat(2000)}\n\xe9\xff end`, 'latin1');
      const n = transform(raw, normalize());
      sent.push(n.subarray(-2).toString() === '\r\n' ? n : Buffer.concat([n, Buffer.from('\r\n')]));
      await s.send({ from: 'a@x', rcpt: 'u@x' }, source.string(raw));
    }
    await s.quit();
    const p = await pop3({ server: '127.0.0.1', port: box.pop3.port, user: 'u', password: 'p', apop: true });
    let different = 0;
    for (let i = 0; i < 1000; i++) if (!(await p.retrieve(i + 1)).equals(sent[i]!)) different++;
    await p.quit();
    for (const v of ['\n.\n', '\r.\r', '\r\n.\n', '\n.\r\n', '\r\n.\r']) {
      await new Promise<void>((resolve) => {
        const c = net.connect(box.smtp.port, '127.0.0.1', () => c.write(`EHLO x\r\nMAIL FROM:<a@x>\r\nRCPT TO:<u@x>\r\nDATA\r\n`));
        setTimeout(() => c.end(`a${v}MAIL FROM:<e@x>\r\nRCPT TO:<u@x>\r\nDATA\r\nevil\r\n.\r\nQUIT\r\n`), 100);
        c.on('close', () => resolve());
        c.on('error', () => {});
        c.resume();
      });
    }
    const smuggled = (await box.store.list('u')).length - 1000;
    await box.close();
    return [
      ...(await dataHeap()),
      { name: 'R-12 mail-differences', value: different, unit: '', pass: '==', threshold: 0, detail: '1,000 messages' },
      { name: 'R-12 smuggled-messages', value: smuggled, unit: '', pass: '==', threshold: 0, detail: '5 variants' },
    ];
  },
};
