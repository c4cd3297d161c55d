/**
 * R-12 mail transparency: 1,000 generated messages (lines starting with '.',
 * bare CR and LF, 2 KB lines, 8-bit bytes) sent by the SMTP client to
 * `servers.mailbox` and fetched back with the POP3 client; then the five
 * SMTP smuggling end-of-data variants sent raw.
 */
import net from 'node:net';
import { mailbox } from '../../src/servers/index.js';
import { open } from '../../src/protocols/smtp/index.js';
import { connect as pop3 } from '../../src/protocols/pop3/index.js';
import { source, transform } from '../../src/ltn12/index.js';
import { normalize } from '../../src/mime/index.js';
import type { FigureSpec } from './figure.js';

export const spec: FigureSpec = {
  id: 'R-12',
  budgetMs: 60_000,
  async run() {
    const box = await mailbox({ smtpPort: 0, pop3Port: 0, users: { u: 'p' }, store: 'memory' });
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
      { name: 'R-12 mail-differences', value: different, unit: '', pass: '==', threshold: 0, detail: '1,000 messages' },
      { name: 'R-12 smuggled-messages', value: smuggled, unit: '', pass: '==', threshold: 0, detail: '5 variants' },
    ];
  },
};
