/**
 * SMTP throughput: MESSAGES messages of 2 KiB over one connection to a local
 * sink (npm smtp-server in a process of its own), each client a fresh
 * process per round (bench/runner.ts): netkit one `send` at a time and
 * `sendMany` in batches of 100 (which pipelines each envelope behind the
 * previous message's dot) against nodemailer with `pool: true` (one
 * connection).
 *
 *     npm run build && node --expose-gc dist/bench/smtp.js   (MESSAGES=2000 ROUNDS=5; WARM=0.1)
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createTransport } from 'nodemailer';
import { message, open } from '../src/protocols/smtp/index.js';
import { childMain, compare, inChild, knob, report } from './runner.js';

const body = `${'netkit smtp benchmark line of text, 64 bytes long, plain ASCII.\n'.repeat(32)}`; // 2 KiB

const isChild = await childMain({
  async 'netkit session'(count, port) {
    const s = await open({ server: '127.0.0.1', port: Number(port) });
    await s.greet('bench.test');
    for (let i = 0; i < count; i++) {
      await s.send({ from: 'a@bench.test', rcpt: 'b@bench.test' }, message({ headers: { From: 'a@bench.test', To: 'b@bench.test', Subject: `m${i}` }, body }));
    }
    await s.quit();
    return { work: count };
  },
  async 'netkit sendMany'(count, port) {
    const s = await open({ server: '127.0.0.1', port: Number(port) });
    await s.greet('bench.test');
    const batch = 100;
    for (let i = 0; i < count; i += batch) {
      const items = [];
      for (let k = i; k < Math.min(count, i + batch); k++) {
        items.push({
          envelope: { from: 'a@bench.test', rcpt: 'b@bench.test' },
          source: message({ headers: { From: 'a@bench.test', To: 'b@bench.test', Subject: `m${k}` }, body }),
        });
      }
      for (const r of await s.sendMany(items)) if (r instanceof Error) throw r;
    }
    await s.quit();
    return { work: count };
  },
  async 'nodemailer pool'(count, port) {
    const t = createTransport({ host: '127.0.0.1', port: Number(port), secure: false, ignoreTLS: true, pool: true, maxConnections: 1, maxMessages: Infinity });
    for (let i = 0; i < count; i++) await t.sendMail({ from: 'a@bench.test', to: 'b@bench.test', subject: `m${i}`, text: body });
    t.close();
    return { work: count };
  },
});

if (!isChild) {
  const count = knob('MESSAGES', 2000);
  const rounds = knob('ROUNDS', 5);
  knob('WARM', 0.1);
  const sink = spawn(process.execPath, [fileURLToPath(new URL('./smtp-sink-server.js', import.meta.url))], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve) => sink.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
  try {
    const me = import.meta.url;
    const args = [String(count), String(port)];
    const r = await compare(
      `${count} messages of 2 KiB over one connection to smtp-server`,
      'msg/s',
      [inChild('netkit session', me, args), inChild('netkit sendMany', me, args), inChild('nodemailer pool', me, args)],
      { rounds },
    );
    console.log(report(r));
  } finally {
    sink.kill('SIGTERM');
  }
}
