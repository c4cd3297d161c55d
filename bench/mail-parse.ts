/**
 * Mail parsing: netkit's `mime.parseMessage` against `mailparser` (npm), on
 * the real-world-shaped corpus of test/mime/corpus (REPEAT passes) and on a
 * message with a MIB MiB base64 attachment, read from a file. Each run is a
 * fresh process (bench/mail-parse-child.ts), rounds interleaved, the order
 * rotated each round; reported: median throughput, per-round ratios, and
 * peak RSS of each process. Targets: ≥ 2× mailparser's
 * throughput, peak RSS ≤ 64 MiB on the big message.
 *
 *     npm run build && node dist/bench/mail-parse.js     (MIB=100 ROUNDS=5 REPEAT=200)
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../testkit/index.js';

const mib = Number(process.env.MIB ?? 100);
const rounds = Number(process.env.ROUNDS ?? 5);
const repeat = Number(process.env.REPEAT ?? 200);
const contenders = ['netkit', 'mailparser'];

interface Run {
  work: number;
  seconds: number;
  maxRssMiB: number;
}

function child(who: string, kind: string, file: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [fileURLToPath(new URL('./mail-parse-child.js', import.meta.url)), who, kind, file, String(repeat)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as Run) : reject(new Error(`${who} ${kind} exited ${code}`))));
  });
}

function writeCorpus(path: string): number {
  const dir = join(repoRoot(), 'test/mime/corpus');
  const fd = openSync(path, 'w');
  let n = 0;
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.eml'))) {
    const raw = Buffer.from(readFileSync(join(dir, name), 'latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(raw.length);
    writeSync(fd, len);
    writeSync(fd, raw);
    n++;
  }
  closeSync(fd);
  return n;
}

function writeBig(path: string): void {
  const fd = openSync(path, 'w');
  writeSync(
    fd,
    'From: a@example.test\r\nTo: b@example.test\r\nSubject: big\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="big"\r\n\r\n--big\r\nContent-Type: text/plain\r\n\r\nsee attachment\r\n--big\r\nContent-Type: application/octet-stream; name="big.bin"\r\nContent-Disposition: attachment; filename="big.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n',
  );
  const block = Buffer.alloc(57 * 1024);
  for (let i = 0; i < block.length; i++) block[i] = (i * 7919 + (i >> 8)) & 0xff;
  const text = Buffer.from(block.toString('base64').replace(/.{76}/g, '$&\r\n'), 'latin1');
  for (let done = 0; done < mib * 1024 * 1024; done += block.length) writeSync(fd, text);
  writeSync(fd, '\r\n--big--\r\n');
  closeSync(fd);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measure(kind: string, file: string): Promise<string> {
  const runs = new Map<string, Run[]>(contenders.map((c) => [c, []]));
  const ratios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? contenders : [...contenders].reverse();
    const got: Record<string, Run> = {};
    for (const who of order) got[who] = await child(who, kind, file);
    for (const who of contenders) runs.get(who)!.push(got[who]!);
    ratios.push(got.netkit!.work / got.netkit!.seconds / (got.mailparser!.work / got.mailparser!.seconds));
  }
  const lines = [`| contender | MB/s (median) | peak RSS MiB (max) |`, '|---|---:|---:|'];
  for (const who of contenders) {
    const rs = runs.get(who)!;
    lines.push(`| ${who} | ${(median(rs.map((x) => x.work / x.seconds)) / 1e6).toFixed(1)} | ${Math.max(...rs.map((x) => x.maxRssMiB)).toFixed(1)} |`);
  }
  lines.push('', `netkit / mailparser per round: ${ratios.map((x) => `${x.toFixed(2)}×`).join(', ')} (median ${median(ratios).toFixed(2)}×)`);
  return lines.join('\n');
}

const dir = mkdtempSync(join(tmpdir(), 'nk-bench-mail-'));
try {
  const corpus = join(dir, 'corpus.bin');
  const n = writeCorpus(corpus);
  console.log(`### Mail parsing: corpus (${n} messages × ${repeat})\n\n${await measure('corpus', corpus)}\n`);
  const big = join(dir, 'big.eml');
  writeBig(big);
  console.log(`### Mail parsing: one message with a ${mib} MiB attachment\n\n${await measure('big', big)}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
