/**
 * SMTP throughput: MESSAGES messages of 2 KiB over one connection to a local
 * sink (npm smtp-server in a child process): netkit (one session, PIPELINING;
 * one `send` at a time, and `sendMany` in batches of 100, which pipelines each
 * envelope behind the previous message's dot) against nodemailer with
 * `pool: true` (one connection), in the same run.
 *
 *     node dist/bench/smtp.js        (MESSAGES=2000 ROUNDS=3)
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createTransport } from 'nodemailer';
import { message, open } from '../src/protocols/smtp/index.js';
import { compare, table } from './harness.js';

const count = Number(process.env.MESSAGES ?? 2000);
const rounds = Number(process.env.ROUNDS ?? 3);
const body = `${'netkit smtp benchmark line of text, 64 bytes long, plain ASCII.\n'.repeat(32)}`; // 2 KiB

const child = spawn(process.execPath, [fileURLToPath(new URL('./smtp-sink-server.js', import.meta.url))], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise<number>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));

try {
  const rows = await compare(
    [
      {
        name: 'nodemailer pool',
        async run() {
          const t = createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true, maxConnections: 1, maxMessages: Infinity });
          for (let i = 0; i < count; i++) await t.sendMail({ from: 'a@bench.test', to: 'b@bench.test', subject: `m${i}`, text: body });
          t.close();
          return count;
        },
      },
      {
        name: 'netkit sendMany',
        async run() {
          const s = await open({ server: '127.0.0.1', port });
          await s.greet('bench.test');
          const batch = 100;
          for (let i = 0; i < count; i += batch) {
            const items = [];
            for (let k = i; k < Math.min(count, i + batch); k++) {
              items.push({ envelope: { from: 'a@bench.test', rcpt: 'b@bench.test' }, source: message({ headers: { From: 'a@bench.test', To: 'b@bench.test', Subject: `m${k}` }, body }) });
            }
            for (const r of await s.sendMany(items)) if (r instanceof Error) throw r;
          }
          await s.quit();
          return count;
        },
      },
      {
        name: 'netkit session',
        async run() {
          const s = await open({ server: '127.0.0.1', port });
          await s.greet('bench.test');
          for (let i = 0; i < count; i++) {
            await s.send({ from: 'a@bench.test', rcpt: 'b@bench.test' }, message({ headers: { From: 'a@bench.test', To: 'b@bench.test', Subject: `m${i}` }, body }));
          }
          await s.quit();
          return count;
        },
      },
    ],
    rounds,
  );
  console.log(table(`${count} messages of 2 KiB over one connection`, 'msg/s', rows, 'nodemailer pool'));
} finally {
  child.kill('SIGTERM');
}
