/**
 * mime codecs against their peers, side by side in one run:
 * - base64 encode/decode of 256 MiB through `ltn12.pump.all` in 8 KiB chunks
 *   vs Node's native Buffer base64 on the same 8 KiB chunks, bytes to bytes
 *   (`Buffer.from(c.toString('base64'), 'latin1')` and
 *   `Buffer.from(c.toString('latin1'), 'base64')`), as a filter must give bytes;
 * - quoted-printable encode (with wrap) and decode of 64 MiB of mostly-ASCII
 *   text (5 % high bytes) vs npm libqp's streams and Python's binascii.
 *
 *     node --expose-gc dist/bench/mime.js   (BENCH_MIB_B64=256 BENCH_MIB_QP=64 ROUNDS=5 WARMUP=1)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Encoder, Decoder } from 'libqp';
import { filter, pump, sink, source } from '../src/ltn12/index.js';
import { decode, encode, wrap } from '../src/mime/index.js';
import { compare, table, type Timed } from './harness.js';

const MiB = 1024 * 1024;
const CHUNK = 8192;
const b64Size = Number(process.env.BENCH_MIB_B64 ?? 256) * MiB;
const qpSize = Number(process.env.BENCH_MIB_QP ?? 64) * MiB;
const rounds = Number(process.env.ROUNDS ?? 5);

function randomText(size: number): Buffer {
  const buf = Buffer.allocUnsafe(size);
  let seed = 12345;
  for (let i = 0; i < size; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const r = seed % 1000;
    buf[i] = r < 50 ? 0x80 + (r % 128) : r < 70 ? 0x0a : 0x20 + (r % 95);
  }
  return buf;
}

const countingSink = () => {
  let n = 0;
  return { sink: async (c: Buffer | null) => void (n += c?.length ?? 0), get count() { return n; } };
};

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

async function qpRows() {
  const text = randomText(qpSize);
  const encoded = Buffer.concat([filter.chain(encode('quoted-printable'), wrap('quoted-printable'))(text)]);
  const dir = mkdtempSync(join(tmpdir(), 'nk-bench-'));
  try {
    writeFileSync(join(dir, 'plain'), text);
    writeFileSync(join(dir, 'enc'), encoded);
    const drain = () => new Writable({ write(_c, _e, done) { done(); } });
    const enc = await compare([
      { name: 'libqp stream', run: async () => { await pipeline(Readable.from(source2chunks(text)), new Encoder({ lineLength: 76 }), drain()); return text.length; } },
      { name: 'netkit pump', run: async () => { const c = countingSink(); await pump.all(source.chain(source.string(text, CHUNK * 8), filter.chain(encode('quoted-printable'), wrap('quoted-printable'))), c.sink); return text.length; } },
      { name: 'python binascii', run: () => python(join(dir, 'plain'), 'enc', text.length) },
    ], rounds);
    const dec = await compare([
      { name: 'libqp stream', run: async () => { await pipeline(Readable.from(source2chunks(encoded)), new Decoder(), drain()); return text.length; } },
      { name: 'netkit pump', run: async () => { await pump.all(source.chain(source.string(encoded, CHUNK * 8), decode('quoted-printable')), sink.null()); return text.length; } },
      { name: 'python binascii', run: () => python(join(dir, 'enc'), 'dec', text.length) },
    ], rounds);
    return [table(`quoted-printable encode + wrap, ${qpSize / MiB} MiB text`, 'MB/s', enc, 'libqp stream', 1e6), table(`quoted-printable decode, ${qpSize / MiB} MiB text`, 'MB/s', dec, 'libqp stream', 1e6)];
  } finally {
    rmSync(dir, { recursive: true });
  }
}

function source2chunks(b: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < b.length; i += CHUNK * 8) out.push(b.subarray(i, i + CHUNK * 8));
  return out;
}

const sections = [...(await base64Rows()), ...(await qpRows())];
console.log(sections.join('\n\n'));
