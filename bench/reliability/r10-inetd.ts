/**
 * R-10 super-server hygiene: 500 connections to `servers.inetd` running `cat`
 * with a cap of 20; then 30 clients at once to programs that ignore EOF
 * (`sh -c 'sleep 1000 & sleep 1000'`, time limit 1 s, cap 20) so 10 are refused.
 * The server's descriptors afterwards, the slowest refusal, and how long the
 * hung groups took to go. Then what can escape a super-server:
 * programs that detach (`setsid sleep … &`) must not outlive their
 * connection; a descriptor the server inherited (fd 40, from its parent)
 * must not reach programs; 300 refused clients that keep sending must each
 * be closed soon after their refusal, and the server's descriptors stay
 * bounded meanwhile (MAX_LINGERING_REFUSALS). (The old "zombies" figure is
 * gone: libuv reaps every child, so it could not fail.)
 */
import { execFileSync, spawn, type StdioOptions } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inetd } from '../../src/servers/index.js';
import { MAX_LINGERING_REFUSALS } from '../../src/servers/inetd.js';
import { connect } from '../../src/socket/index.js';
import { fds, settledFds, type FigureSpec } from './figure.js';

/** Pids of `sleep <tag>` processes. */
const sleepers = (tag: string): string[] =>
  execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.trim().endsWith(` sleep ${tag}`) || l.trim().split(/\s+/).slice(1).join(' ') === `sleep ${tag}`)
    .map((l) => l.trim().split(/\s+/)[0]!);

async function talkTo(port: number): Promise<string> {
  const c = await connect('127.0.0.1', port);
  c.setTimeout(10_000);
  c.shutdown('send');
  const out = (await c.receive('*a')).toString();
  await c.close();
  return out;
}

/** 20 connections whose programs each detach a `sleep`; how many sleeps are alive 2 s after the last connection ended. */
async function escapedProcesses(): Promise<number> {
  const tag = String(800000 + Math.floor(Math.random() * 99999));
  const srv = await inetd({
    port: 0,
    command: 'sh',
    args: ['-c', `setsid sleep ${tag} </dev/null >/dev/null 2>&1 & echo started`],
    maxConnections: 20,
    perHostLimit: 20,
    onLog: () => {},
  });
  try {
    await Promise.all(Array.from({ length: 20 }, () => talkTo(srv.port)));
    for (let i = 0; i < 100 && srv.running > 0; i++) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 2000));
    return sleepers(tag).length;
  } finally {
    await srv.close();
    for (const pid of sleepers(tag)) process.kill(Number(pid), 'SIGKILL'); // ours, by pid
  }
}

/** Descriptors a program sees beyond its stdio and /dev/null, with the server started by a parent that passed it fd 40. */
async function passedDescriptors(): Promise<{ count: number; seen: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'r10-fd-'));
  const fd = openSync(join(dir, 'inherited'), 'w');
  const lib = pathToFileURL(join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../../src/servers/index.js')).href;
  const script = `const { inetd } = await import(${JSON.stringify(lib)});
    const s = await inetd({ port: 0, command: 'sh', args: ['-c', 'for f in /proc/self/fd/*; do readlink "$f"; done'], onLog: () => {} });
    console.log(s.port); process.stdin.on('end', () => s.close().then(() => process.exit(0))).resume();`;
  const stdio = ['pipe', 'pipe', 'inherit', ...Array.from({ length: 37 }, () => 'ignore'), fd] as StdioOptions;
  const server = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio });
  try {
    const port = await new Promise<number>((resolve) => server.stdout!.once('data', (d) => resolve(Number(String(d).trim()))));
    const lines = (await talkTo(port)).split('\n').filter((l) => l !== '' && !l.startsWith('socket:') && l !== '/dev/null');
    return { count: lines.length, seen: lines.join(', ') };
  } finally {
    server.stdin!.end();
    await new Promise((r) => server.once('exit', r));
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Clients, in their own process, that each connect, keep sending a byte every 20 ms and keep their side open; prints the ms from connect to close of each. */
const TRICKLERS = `
const net = require('node:net');
const [port, n] = [Number(process.argv[1]), Number(process.argv[2])];
const times = [];
for (let i = 0; i < n; i++) {
  const s = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  let t0 = 0;
  s.on('connect', () => (t0 = performance.now()));
  const drip = setInterval(() => s.writable && s.write('x'), 20);
  const give = setTimeout(() => s.destroy(), 5000);
  s.on('error', () => {});
  s.on('data', () => {});
  s.on('close', () => {
    clearInterval(drip);
    clearTimeout(give);
    times.push(t0 === 0 ? 5000 : performance.now() - t0);
    if (times.length === n) console.log(JSON.stringify(times));
  });
}
`;

/** 300 refused clients that keep sending: the slowest close after connecting, how many closed before their own 5 s limit, and the server's peak descriptors meanwhile. */
async function tricklingRefusals(): Promise<{ worst: number; closed: number; peakFds: number }> {
  const srv = await inetd({ port: 0, command: 'sleep', args: ['1000'], maxConnections: 1, timeLimit: 60_000, onLog: () => {} });
  const holder = await connect('127.0.0.1', srv.port);
  try {
    for (let i = 0; i < 250 && srv.running < 1; i++) await new Promise((r) => setTimeout(r, 20));
    const base = fds();
    let peakFds = 0;
    const sample = setInterval(() => (peakFds = Math.max(peakFds, fds() - base)), 10);
    const child = spawn(process.execPath, ['-e', TRICKLERS, String(srv.port), '300'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    await new Promise((r) => child.once('exit', r));
    clearInterval(sample);
    const times = JSON.parse(out) as number[];
    return { worst: Math.max(...times), closed: times.filter((t) => t < 4900).length, peakFds };
  } finally {
    await holder.close();
    await srv.close();
  }
}

export const spec: FigureSpec = {
  id: 'R-10',
  budgetMs: 120_000,
  async run() {
    // One round first, so one-time runtime descriptors (signal pipe, thread pool) exist before the baseline.
    const w = await inetd({ port: 0, command: 'cat', onLog: () => {} });
    const wc = await connect('127.0.0.1', w.port);
    wc.shutdown('send');
    await wc.receive('*a');
    await wc.close();
    await w.close();
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

    const hung = await inetd({
      port: 0,
      command: 'sh',
      args: ['-c', 'sleep 1000 & sleep 1000'],
      timeLimit: 1000,
      maxConnections: 20,
      perHostLimit: 30,
      onLog: () => {},
    });
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
        if ((await c.receive('*a')).toString().startsWith('busy')) refusals++, (refusedWorst = Math.max(refusedWorst, performance.now() - t0));
        await c.close();
      }),
    );
    await Promise.all(held.map(async (c) => (c.setTimeout(10_000), await c.receive('*a'), await c.close())));
    const gone = performance.now() - t;
    await srv.close();
    await hung.close();
    const after = await settledFds(before);
    const escaped = await escapedProcesses();
    const passed = await passedDescriptors();
    const trickle = await tricklingRefusals();
    return [
      {
        name: 'R-10 escaped-processes',
        value: escaped,
        unit: '',
        pass: '==',
        threshold: 0,
        detail: '20 programs that each detach `setsid sleep … &`; alive 2 s after their connections ended',
      },
      {
        name: 'R-10 descriptors-passed',
        value: passed.count,
        unit: '',
        pass: '==',
        threshold: 0,
        detail: passed.seen === '' ? 'the server inherited fd 40; programs see only their stdio' : `programs saw: ${passed.seen}`,
      },
      {
        name: 'R-10 trickling-refusal-close',
        value: trickle.worst,
        unit: 'ms',
        pass: '<=',
        threshold: 150,
        detail: 'slowest close, from connect, of 300 refused clients that keep sending (linger 100 ms)',
      },
      { name: 'R-10 trickling-refusals-closed', value: trickle.closed, unit: '', pass: '==', threshold: 300 },
      {
        name: 'R-10 trickling-refusal-fds',
        value: trickle.peakFds,
        unit: '',
        pass: '<=',
        threshold: MAX_LINGERING_REFUSALS + 16,
        detail: `server descriptors over its base while 300 refused clients keep sending (cap ${MAX_LINGERING_REFUSALS} lingering)`,
      },
      { name: 'R-10 fd-delta', value: after - before, unit: '', pass: '<=', threshold: 0 },
      { name: 'R-10 over-cap-refusal', value: refusedWorst, unit: 'ms', pass: '<=', threshold: 100, detail: `slowest of ${refusals} refusals` },
      { name: 'R-10 over-cap-refusals', value: refusals, unit: '', pass: '==', threshold: 10, detail: '30 clients, cap 20' },
      { name: 'R-10 hung-groups-gone', value: gone, unit: 'ms', pass: '<=', threshold: 2000 },
    ];
  },
};
