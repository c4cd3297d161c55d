/**
 * R-14 codec memory and robustness: 64 MiB through base64 and QP
 * encode → wrap → decode as streaming filters in random chunks (and 1 MiB of
 * it in 1-byte chunks), round trip exact, peak RSS over the start; then
 * 10,000 random inputs (fast-check, seeded as R-18) to every decoder, lenient
 * and strict, counting exceptions that are not typed.
 */
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { NetError } from '../../src/core/errors.js';
import { decode, decodeWords, encode, parseHeaders, wrap } from '../../src/mime/index.js';
import { filter as filters, transform, type Filter } from '../../src/ltn12/index.js';
import { deserialize } from '../../src/data/index.js';
import { rssMiB } from './child.js';
import { heapMiB, inCI, rng, type FigureSpec } from './figure.js';

const MiB = 1024 * 1024;

/**
 * Streams `total` bytes of generated data through `f` in pieces from `size`;
 * SHA-256 of input and output. The stream is synchronous (no timer can
 * fire), so `sample` is called every 16 pieces to catch the RSS peak.
 */
function stream(f: Filter, total: number, size: () => number, seed: number, sample: () => void): { inHash: string; outHash: string } {
  const rand = rng(seed);
  const hin = createHash('sha256');
  const hout = createHash('sha256');
  const block = Buffer.alloc(MiB);
  let pieces = 0;
  for (let sent = 0; sent < total; ) {
    for (let i = 0; i < block.length; i++) block[i] = (rand() * 256) | 0;
    // Text-like stretches too, so QP meets line breaks and spaces.
    block.fill('line of text \r\n', 0, 4096);
    for (let at = 0; at < block.length && sent < total; ) {
      const n = Math.min(size(), block.length - at, total - sent);
      const piece = block.subarray(at, at + n);
      hin.update(piece);
      hout.update(f(piece));
      at += n;
      sent += n;
      if ((++pieces & 15) === 0) sample();
    }
  }
  hout.update(f(null));
  return { inHash: hin.digest('hex'), outHash: hout.digest('hex') };
}

export const spec: FigureSpec = {
  id: 'R-14',
  budgetMs: 120_000,
  async run() {
    const heap0 = await heapMiB();
    const base = rssMiB();
    let peak = base;
    const sample = () => void (peak = Math.max(peak, rssMiB()));
    let mismatches = 0;
    const runs: string[] = [];
    for (const enc of ['base64', 'quoted-printable'] as const) {
      const chain = () => filters.chain(encode(enc, 'binary'), wrap(enc), decode(enc, { strict: true }));
      const r = rng(7);
      const big = stream(chain(), 64 * MiB, () => 1 + ((r() * 65536) | 0), 1, sample);
      const tiny = stream(chain(), MiB, () => 1, 2, sample);
      for (const x of [big, tiny]) if (x.inHash !== x.outHash) mismatches++;
      runs.push(enc);
    }
    const growth = Math.max(peak, rssMiB()) - base;
    const retained = (await heapMiB()) - heap0;

    const seed = inCI() ? 20261124 : Math.floor(Math.random() * 2 ** 31);
    const decoders: [string, (b: Buffer) => unknown][] = [
      ['base64', (b) => transform(b, decode('base64'))],
      ['base64-strict', (b) => transform(b, decode('base64', { strict: true }))],
      ['qp', (b) => transform(b, decode('quoted-printable'))],
      ['qp-strict', (b) => transform(b, decode('quoted-printable', { strict: true }))],
      ['headers', (b) => parseHeaders(b)],
      ['words', (b) => decodeWords(b.toString('latin1'))],
      ['data', (b) => deserialize(b.toString('utf8'))],
    ];
    let untyped = 0;
    let inputs = 0;
    const examples: string[] = [];
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 400 }),
          fc.string({ maxLength: 200 }).map((s) => new TextEncoder().encode(s)),
        ),
        (arr) => {
          inputs++;
          const b = Buffer.from(arr);
          for (const [name, fn] of decoders) {
            try {
              fn(b);
            } catch (err) {
              if (!(err instanceof NetError)) {
                untyped++;
                if (examples.length < 3) examples.push(`${name}: ${(err as Error).message} on ${b.toString('hex').slice(0, 60)}`);
              }
            }
          }
        },
      ),
      { seed, numRuns: 10_000 },
    );
    for (const e of examples) process.stderr.write(`R-14 untyped ${e}\n`);
    return [
      {
        name: 'R-14 round-trip-mismatches',
        value: mismatches,
        unit: '',
        pass: '==',
        threshold: 0,
        detail: `${runs.join(' and ')}: 64 MiB in random chunks up to 64 KiB, 1 MiB in 1-byte chunks`,
      },
      { name: 'R-14 peak-rss-growth', value: growth, unit: 'MiB', pass: '<=', threshold: 32 },
      { name: 'R-14 retained-heap-growth', value: retained, unit: 'MiB', pass: '<=', threshold: 2, detail: 'heap+external after GC' },
      {
        name: 'R-14 untyped-exceptions',
        value: untyped,
        unit: '',
        pass: '==',
        threshold: 0,
        detail: `${inputs} inputs × ${decoders.length} decoders, seed ${seed}`,
      },
    ];
  },
};
