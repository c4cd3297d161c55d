/**
 * mime codecs against their peers, side by side in one run:
 * - base64 encode/decode of 256 MiB through `ltn12.pump.all` in 8 KiB chunks
 *   vs Node's native Buffer base64 on the same 8 KiB chunks, bytes to bytes
 *   (`Buffer.from(c.toString('base64'), 'latin1')` and
 *   `Buffer.from(c.toString('latin1'), 'base64')`), as a filter must give bytes;
 * - quoted-printable encode (with wrap) and decode of 64 MiB of mostly-ASCII
 *   text (5 % high bytes) vs npm libqp's streams and Python's binascii, each
 *   contender in a fresh process per round (bench/mime-qp-child.ts).
 *
 *     node --expose-gc dist/bench/mime.js   (BENCH_MIB_B64=256 BENCH_MIB_QP=64 ROUNDS=5 WARMUP=1)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pump, sink, source } from '../src/ltn12/index.js';
import { decode, encode } from '../src/mime/index.js';
import { encodedText, randomText } from './mime-qp-child.js';
import { compare, table, type Timed } from './harness.js';

const MiB = 1024 * 1024;
const CHUNK = 8192;
const b64Size = Number(process.env.BENCH_MIB_B64 ?? 256) * MiB;
const qpSize = Number(process.env.BENCH_MIB_QP ?? 64) * MiB;
const rounds = Number(process.env.ROUNDS ?? 5);

async function base64Rows() {
  const plain = Buffer.alloc(b64Size, 'netkit base64 benchmark ');
  const encoded = Buffer.from(plain.toString('base64'));
  const chunks = (b: Buffer) => {
    const out: Buffer[] = [];
    for (let i = 0; i < b.length; i += CHUNK) out.push(b.subarray(i, i + CHUNK));
    return out;
  };
  const plainChunks = chunks(plain);
  const encChunks = chunks(encoded);
  const enc = await compare([
    { name: 'Buffer native', run: () => { let n = 0; for (const c of plainChunks) n += Buffer.from(c.toString('base64'), 'latin1').length; return n && plain.length; } },
    { name: 'netkit pump', run: async () => { await pump.all(source.chain(source.string(plain, CHUNK), encode('base64')), sink.null()); return plain.length; } },
  ], rounds);
  const dec = await compare([
    { name: 'Buffer native', run: () => { let n = 0; for (const c of encChunks) n += Buffer.from(c.toString('latin1'), 'base64').length; return n && plain.length; } },
    { name: 'netkit pump', run: async () => { await pump.all(source.chain(source.string(encoded, CHUNK), decode('base64')), sink.null()); return plain.length; } },
  ], rounds);
  return [table(`base64 encode, ${b64Size / MiB} MiB in 8 KiB chunks`, 'MB/s', enc, 'Buffer native', 1e6), table(`base64 decode, ${b64Size / MiB} MiB in 8 KiB chunks`, 'MB/s', dec, 'Buffer native', 1e6)];
}

/**
 * One timed run of Python's binascii on `file` (read, and the operation run
 * once untimed, before the clock starts: warm like the in-process
 * contenders), as a contender of its own round: `{ work: bytes, seconds }`.
 */
function python(file: string, op: 'enc' | 'dec', work: number): Promise<Timed> {
  const call = op === 'enc' ? 'binascii.b2a_qp(data)' : 'binascii.a2b_qp(data)';
  const code = `
import binascii, sys, time
data = open(sys.argv[1], 'rb').read()
${call}
t = time.perf_counter()
${call}
print(time.perf_counter() - t)`;
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', code, file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => (status === 0 ? resolve({ work, seconds: Number(out.trim()) }) : reject(new Error(`python3 exited ${status}`))));
  });
}

/** One timed run of a contender in a process of its own (bench/mime-qp-child.ts). */
function isolated(who: 'libqp' | 'netkit', op: 'enc' | 'dec', work: number): Promise<Timed> {
  const child = spawn(process.execPath, ['--expose-gc', fileURLToPath(new URL('./mime-qp-child.js', import.meta.url)), who, op, String(qpSize / MiB)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => (status === 0 ? resolve({ work, seconds: Number(out.trim()) }) : reject(new Error(`mime-qp-child ${who} ${op} exited ${status}`))));
  });
}

async function qpRows() {
  const text = randomText(qpSize);
  const encoded = encodedText(text);
  const dir = mkdtempSync(join(tmpdir(), 'nk-bench-'));
  try {
    writeFileSync(join(dir, 'plain'), text);
    writeFileSync(join(dir, 'enc'), encoded);
    // Every contender in a fresh process per round, warmed there, as Python always was.
    const enc = await compare([
      { name: 'libqp stream', run: () => isolated('libqp', 'enc', text.length) },
      { name: 'netkit pump', run: () => isolated('netkit', 'enc', text.length) },
      { name: 'python binascii', run: () => python(join(dir, 'plain'), 'enc', text.length) },
    ], rounds, 0);
    const dec = await compare([
      { name: 'libqp stream', run: () => isolated('libqp', 'dec', text.length) },
      { name: 'netkit pump', run: () => isolated('netkit', 'dec', text.length) },
      { name: 'python binascii', run: () => python(join(dir, 'enc'), 'dec', text.length) },
    ], rounds, 0);
    return [table(`quoted-printable encode + wrap, ${qpSize / MiB} MiB text`, 'MB/s', enc, 'libqp stream', 1e6), table(`quoted-printable decode, ${qpSize / MiB} MiB text`, 'MB/s', dec, 'libqp stream', 1e6)];
  } finally {
    rmSync(dir, { recursive: true });
  }
}

const sections = [...(await base64Rows()), ...(await qpRows())];
console.log(sections.join('\n\n'));
