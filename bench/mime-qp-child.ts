/**
 * One contender of the quoted-printable benchmark in a process of its own:
 * builds the benchmark text, runs the job {@link WARM_RUNS} times untimed
 * (libqp keeps speeding up over its first three runs: 70 → 95 → 110 MB/s),
 * then once timed, and prints the seconds. bench/mime.ts starts one per contender
 * per round, so no contender inherits another's heap and allocator state
 * (in one process, whichever runs second pays for the garbage and freed
 * memory of the first: see BENCHMARKS.md, mime).
 *
 *     node --expose-gc dist/bench/mime-qp-child.js netkit enc 64
 */
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Encoder, Decoder } from 'libqp';
import { filter, pump, sink, source } from '../src/ltn12/index.js';
import { decode, encode, wrap } from '../src/mime/index.js';

const MiB = 1024 * 1024;
/** Untimed runs before the timed one. */
const WARM_RUNS = 3;
/** Chunk size of every contender's input: 64 KiB. */
export const QP_CHUNK = 64 * 1024;

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

function pieces(b: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < b.length; i += QP_CHUNK) out.push(b.subarray(i, i + QP_CHUNK));
  return out;
}

const drain = () => new Writable({ write(_c, _e, done) { done(); } });

const jobs: Record<string, (input: Buffer) => Promise<void>> = {
  'libqp enc': (b) => pipeline(Readable.from(pieces(b)), new Encoder({ lineLength: 76 }), drain()),
  'libqp dec': (b) => pipeline(Readable.from(pieces(b)), new Decoder(), drain()),
  'netkit enc': (b) => pump.all(source.chain(source.string(b, QP_CHUNK), filter.chain(encode('quoted-printable'), wrap('quoted-printable'))), sink.null()),
  'netkit dec': (b) => pump.all(source.chain(source.string(b, QP_CHUNK), decode('quoted-printable')), sink.null()),
};

async function main(who: string, op: string, mib: number): Promise<void> {
  const job = jobs[`${who} ${op}`];
  if (!job) throw new Error(`usage: mime-qp-child.js libqp|netkit enc|dec MiB`);
  const text = randomText(mib * MiB);
  const input = op === 'enc' ? text : encodedText(text);
  for (let i = 0; i < WARM_RUNS; i++) await job(input);
  (globalThis as { gc?: () => void }).gc?.();
  const t = performance.now();
  await job(input);
  process.stdout.write(`${(performance.now() - t) / 1000}\n`);
}

if (process.argv[1]?.endsWith('mime-qp-child.js')) await main(process.argv[2]!, process.argv[3]!, Number(process.argv[4]));
