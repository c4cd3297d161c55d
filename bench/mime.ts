/**
 * mime codecs against their peers, every contender a fresh process per round
 * (bench/runner.ts), each warmed in its own process first:
 * - base64 encode/decode of B64_MIB MiB through `ltn12.pump.all` in 8 KiB
 *   chunks against Node's native Buffer base64 on the same 8 KiB chunks,
 *   bytes to bytes (`Buffer.from(c.toString('base64'), 'latin1')` and
 *   `Buffer.from(c.toString('latin1'), 'base64')`), as a filter must give bytes;
 * - quoted-printable encode (with wrap at 76) and decode of QP_MIB MiB of
 *   mostly-ASCII text (5 % high bytes) in 64 KiB chunks against npm libqp's
 *   streams and Python's binascii (in its own process too, warmed by one
 *   untimed run).
 * Inputs are built before the clock starts.
 *
 *     npm run build && node --expose-gc dist/bench/mime.js
 *     (B64_MIB=256 QP_MIB=64 ROUNDS=5; each contender warmed WARM_RUNS=3 times at full size, WARM=1)
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
import { childMain, compare, inChild, knob, report, type Contender, type Measure } from './runner.js';

const MiB = 1024 * 1024;
const B64_CHUNK = 8192;
const QP_CHUNK = 64 * 1024;

/** Mostly-ASCII text: 5 % high bytes, 2 % LF, the rest printable. Same bytes for the same size. */
export function randomText(size: number): Buffer {
  const buf = Buffer.allocUnsafe(size);
  let seed = 12345;
  for (let i = 0; i < size; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const r = seed % 1000;
    buf[i] = r < 50 ? 0x80 + (r % 128) : r < 70 ? 0x0a : 0x20 + (r % 95);
  }
  return buf;
}

/** `text` QP-encoded and wrapped at 76: the decode input. */
export const encodedText = (text: Buffer): Buffer => filter.chain(encode('quoted-printable'), wrap('quoted-printable'))(text);

const pieces = (b: Buffer, size: number): Buffer[] => {
  const out: Buffer[] = [];
  for (let i = 0; i < b.length; i += size) out.push(b.subarray(i, i + size));
  return out;
};
const drain = () =>
  new Writable({
    write(_c, _e, done) {
      done();
    },
  });

// Inputs by size, built once per process and outside the timed part.
const memo = new Map<string, Buffer>();
const input = (kind: 'b64-plain' | 'b64-enc' | 'qp-plain' | 'qp-enc', size: number): Buffer => {
  const key = `${kind} ${size}`;
  let b = memo.get(key);
  if (!b) {
    if (kind === 'b64-plain') b = Buffer.alloc(size, 'netkit base64 benchmark ');
    else if (kind === 'b64-enc') b = Buffer.from(input('b64-plain', size).toString('base64'));
    else if (kind === 'qp-plain') b = randomText(size);
    else b = encodedText(input('qp-plain', size));
    memo.set(key, b);
  }
  return b;
};
/** Times `run` on the prepared input; the work is `size` bytes of plain text. */
const timed = async (size: number, run: () => unknown): Promise<{ work: number; seconds: number }> => {
  const t = performance.now();
  await run();
  return { work: size, seconds: (performance.now() - t) / 1000 };
};

const isChild = await childMain({
  'netkit base64 encode': (n) => {
    const b = input('b64-plain', n);
    return timed(n, () => pump.all(source.chain(source.string(b, B64_CHUNK), encode('base64')), sink.null()));
  },
  'Buffer base64 encode': (n) => {
    const chunks = pieces(input('b64-plain', n), B64_CHUNK);
    return timed(n, () => {
      for (const c of chunks) Buffer.from(c.toString('base64'), 'latin1');
    });
  },
  'netkit base64 decode': (n) => {
    const b = input('b64-enc', n);
    return timed(n, () => pump.all(source.chain(source.string(b, B64_CHUNK), decode('base64')), sink.null()));
  },
  'Buffer base64 decode': (n) => {
    const chunks = pieces(input('b64-enc', n), B64_CHUNK);
    return timed(n, () => {
      for (const c of chunks) Buffer.from(c.toString('latin1'), 'base64');
    });
  },
  'netkit qp encode': (n) => {
    const b = input('qp-plain', n);
    return timed(n, () => pump.all(source.chain(source.string(b, QP_CHUNK), filter.chain(encode('quoted-printable'), wrap('quoted-printable'))), sink.null()));
  },
  'libqp qp encode': (n) => {
    const chunks = pieces(input('qp-plain', n), QP_CHUNK);
    return timed(n, () => pipeline(Readable.from(chunks), new Encoder({ lineLength: 76 }), drain()));
  },
  'netkit qp decode': (n) => {
    const b = input('qp-enc', n);
    return timed(n, () => pump.all(source.chain(source.string(b, QP_CHUNK), decode('quoted-printable')), sink.null()));
  },
  'libqp qp decode': (n) => {
    const chunks = pieces(input('qp-enc', n), QP_CHUNK);
    return timed(n, () => pipeline(Readable.from(chunks), new Decoder(), drain()));
  },
});

/** Python's binascii on `file`, in its own process: one untimed run, then one timed. */
function python(name: string, file: string, op: 'enc' | 'dec', work: number): Contender {
  const call = op === 'enc' ? 'binascii.b2a_qp(data)' : 'binascii.a2b_qp(data)';
  const code = `
import binascii, sys, time
data = open(sys.argv[1], 'rb').read()
${call}
t = time.perf_counter()
${call}
print(time.perf_counter() - t)`;
  return {
    name,
    round: () =>
      new Promise<Measure>((resolve, reject) => {
        const child = spawn('python3', ['-c', code, file], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.on('error', reject);
        child.on('close', (status) => (status === 0 ? resolve({ work, seconds: Number(out.trim()) }) : reject(new Error(`python3 exited ${status}`))));
      }),
  };
}

if (!isChild) {
  const b64 = knob('B64_MIB', 256) * MiB;
  const qp = knob('QP_MIB', 64) * MiB;
  const rounds = knob('ROUNDS', 5);
  // libqp keeps speeding up over its first three runs (70 → 95 → 110 MB/s): warm everyone at full size.
  process.env.WARM = String(knob('WARM', 1));
  process.env.WARM_RUNS = String(knob('WARM_RUNS', 3));
  const me = import.meta.url;
  const opts = () => ({ rounds, scale: 1e6 });
  const sections: string[] = [];
  for (const op of ['encode', 'decode']) {
    const r = await compare(
      `base64 ${op}, ${b64 / MiB} MiB in 8 KiB chunks`,
      'MB/s',
      [inChild(`netkit base64 ${op}`, me, [String(b64)]), inChild(`Buffer base64 ${op}`, me, [String(b64)])],
      opts(),
    );
    sections.push(report(r));
  }
  const dir = mkdtempSync(join(tmpdir(), 'nk-bench-mime-'));
  try {
    writeFileSync(join(dir, 'plain'), randomText(qp));
    writeFileSync(join(dir, 'enc'), encodedText(randomText(qp)));
    for (const [op, file, short] of [
      ['encode', 'plain', 'enc'],
      ['decode', 'enc', 'dec'],
    ] as const) {
      const r = await compare(
        `quoted-printable ${op}${op === 'encode' ? ' + wrap' : ''}, ${qp / MiB} MiB of text in 64 KiB chunks`,
        'MB/s',
        [inChild(`netkit qp ${op}`, me, [String(qp)]), inChild(`libqp qp ${op}`, me, [String(qp)]), python('python binascii', join(dir, file), short, qp)],
        opts(),
      );
      sections.push(report(r));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(sections.join('\n\n'));
}
