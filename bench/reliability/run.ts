/**
 * Reliability figures of hostile-inputs §4 that netkit can measure so far,
 * each bounded in time, printed as `name value threshold PASS|FAIL`.
 *
 *     npm run build && node dist/bench/reliability/run.js
 *
 * R-10 super-server hygiene, R-12 mail transparency, R-13 URL linearity,
 * R-17 select scale. Exit code 1 if any figure fails.
 */
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import { readdirSync } from 'node:fs';
import { absolute, build, parse } from '../../src/url/index.js';
import { bind, connect, select, type TcpClient } from '../../src/socket/index.js';
import { inetd, mailbox } from '../../src/servers/index.js';
import { open } from '../../src/protocols/smtp/index.js';
import { connect as pop3 } from '../../src/protocols/pop3/index.js';
import { source, transform } from '../../src/ltn12/index.js';
import { normalize } from '../../src/mime/index.js';
import { report, type Figure } from './report.js';

const fds = () => readdirSync('/proc/self/fd').length;
/** The fd count once it is back to `before`, or after 3 s of waiting (closes finish asynchronously). */
async function settledFds(before: number): Promise<number> {
  for (let i = 0; i < 60 && fds() > before && before > 0; i++) await new Promise((r) => setTimeout(r, 50));
  return fds();
}
const best = (fn: () => unknown, n = 5) => {
  let min = Infinity;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    fn();
    min = Math.min(min, performance.now() - t);
  }
  return min;
};

function r13(): Figure[] {
  let worst = 0;
  let worstRatio = 0;
  for (const pat of ['/..', 'a/./', '%', '[', '@', ':', '//', '?', ';']) {
    const big = `http://h/${pat.repeat(Math.ceil(1048576 / pat.length))}`;
    const small = `http://h/${pat.repeat(Math.ceil(102400 / pat.length))}`;
    for (const fn of [(s: string) => parse(s), (s: string) => build(parse(s)), (s: string) => absolute('http://a/b/c/d;p?q', s.slice(9)), (s: string) => absolute(s, '../x')]) {
      const tb = best(() => fn(big));
      worst = Math.max(worst, tb);
      worstRatio = Math.max(worstRatio, tb / Math.max(best(() => fn(small)), 1));
    }
  }
  return [
    { name: 'R-13 url-1MiB-worst', value: worst, unit: 'ms', pass: '<=', threshold: 100 },
    { name: 'R-13 url-1MiB/100KiB-ratio', value: worstRatio, unit: '', pass: '<=', threshold: 15 },
  ];
}

/** Runs `fn` once so one-time runtime descriptors (libuv's signal pipe, thread pool) exist before a baseline is taken. */
async function warm(fn: () => Promise<void>): Promise<number> {
  await fn();
  await settledFds(0).catch(() => 0);
  return fds();
}

async function r17(): Promise<Figure[]> {
  const before = await warm(async () => {
    const s = await bind('127.0.0.1', 0);
    const p = net.connect(s.getSockName().port, '127.0.0.1');
    const c = await s.accept();
    p.end('x\n');
    await select([c], null, 1000);
    await c.close();
    await s.close();
  });
  const server = await bind('127.0.0.1', 0);
  const peers: net.Socket[] = [];
  const clients: TcpClient[] = [];
  for (let i = 0; i < 5000; i++) {
    const s = net.connect(server.getSockName().port, '127.0.0.1');
    peers.push(s);
    clients.push(await server.accept());
  }
  let worst = 0;
  for (let i = 0; i < 1000; i++) {
    const t = performance.now();
    const waiting = select(clients, null, 1000);
    peers[(i * 37) % 5000]!.write('x\n');
    const r = await waiting;
    await r.readable[0]!.receive('*l');
    worst = Math.max(worst, performance.now() - t);
  }
  for (const p of peers) p.destroy();
  await Promise.all(clients.map((c) => c.close()));
  await server.close();
  const after = await settledFds(before);
  return [
    { name: 'R-17 select-5000-worst-call', value: worst, unit: 'ms', pass: '<=', threshold: 50 },
    { name: 'R-17 select-fd-delta', value: after - before, unit: '', pass: '<=', threshold: 0 },
  ];
}

async function r10(): Promise<Figure[]> {
  const before = await warm(async () => {
    const w = await inetd({ port: 0, command: 'cat', onLog: () => {} });
    const c = await connect('127.0.0.1', w.port);
    c.shutdown('send');
    await c.receive('*a');
    await c.close();
    await w.close();
    execFileSync('ps', ['-o', 'stat=', '--ppid', String(process.pid)]);
  });
  const srv = await inetd({ port: 0, command: 'cat', maxConnections: 20, perHostLimit: 20, onLog: () => {} });
  let refusedWorst = 0;
  const talk = async (i: number) => {
    const t = performance.now();
    const c = await connect('127.0.0.1', srv.port);
    c.setTimeout(5000);
    await c.send(`n${i}\n`);
    c.shutdown('send');
    const out = (await c.receive('*a')).toString();
    if (out.startsWith('busy')) refusedWorst = Math.max(refusedWorst, performance.now() - t);
    await c.close();
  };
  for (let round = 0; round < 10; round++) await Promise.all(Array.from({ length: 50 }, (_, i) => talk(round * 50 + i)));
  const hung = await inetd({ port: 0, command: 'sh', args: ['-c', 'sleep 1000 & sleep 1000'], timeLimit: 1000, maxConnections: 20, onLog: () => {} });
  const t = performance.now();
  const cs = await Promise.all(Array.from({ length: 20 }, () => connect('127.0.0.1', hung.port)));
  await Promise.all(cs.map(async (c) => (c.setTimeout(10_000), await c.receive('*a'), await c.close())));
  const gone = performance.now() - t;
  await srv.close();
  await hung.close();
  const after = await settledFds(before);
  const ps = execFileSync('ps', ['-o', 'stat=', '--ppid', String(process.pid)], { encoding: 'utf8' }).split('\n').filter((s) => s.startsWith('Z')).length;
  return [
    { name: 'R-10 zombies', value: ps, unit: '', pass: '==', threshold: 0 },
    { name: 'R-10 fd-delta', value: after - before, unit: '', pass: '<=', threshold: 0 },
    { name: 'R-10 over-cap-refusal', value: refusedWorst, unit: 'ms', pass: '<=', threshold: 100, detail: refusedWorst === 0 ? 'no connection went over the cap in this run' : 'slowest refusal' },
    { name: 'R-10 hung-groups-gone', value: gone, unit: 'ms', pass: '<=', threshold: 2000 },
  ];
}

async function r12(): Promise<Figure[]> {
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
  let smuggled = 0;
  for (const v of ['\n.\n', '\r.\r', '\r\n.\n', '\n.\r\n', '\r\n.\r']) {
    await new Promise<void>((resolve) => {
      const c = net.connect(box.smtp.port, '127.0.0.1', () => c.write(`EHLO x\r\nMAIL FROM:<a@x>\r\nRCPT TO:<u@x>\r\nDATA\r\n`));
      setTimeout(() => c.end(`a${v}MAIL FROM:<e@x>\r\nRCPT TO:<u@x>\r\nDATA\r\nevil\r\n.\r\nQUIT\r\n`), 100);
      c.on('close', () => resolve());
      c.resume();
    });
  }
  smuggled = (await box.store.list('u')).length - 1000;
  await box.close();
  return [
    { name: 'R-12 mail-differences', value: different, unit: '', pass: '==', threshold: 0, detail: '1,000 messages' },
    { name: 'R-12 smuggled-messages', value: smuggled, unit: '', pass: '==', threshold: 0, detail: '5 variants' },
  ];
}

const figures: Figure[] = [];
for (const [name, run] of [['R-13', r13], ['R-17', r17], ['R-10', r10], ['R-12', r12]] as const) {
  process.stderr.write(`${name}…\n`);
  figures.push(...(await run()));
}
process.exitCode = report(figures) ? 0 : 1;
