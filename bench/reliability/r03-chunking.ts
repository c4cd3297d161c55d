/**
 * R-03 chunk-boundary invariance: every streaming parser and filter that
 * exists is fed valid inputs cut in two at every split point (and once in
 * 1-byte pieces); the output must equal the unsplit run's.
 * Filters: base64 and QP encode/decode, wrap (text, base64, QP), EOL
 * normalisation, dot-stuffing. Parsers: the receive buffer's line patterns
 * (LuaSocket '*l', '*L', strict CRLF), tp's dot source over TCP and the dot
 * sink, the data channel's frames over TCP.
 */
import net from 'node:net';
import { ReceiveBuffer } from '../../src/core/receive-buffer.js';
import { ClosedError } from '../../src/core/errors.js';
import { decode, encode, normalize, stuff, wrap } from '../../src/mime/index.js';
import { filter as filters, pump, sink, source, transform, type Filter } from '../../src/ltn12/index.js';
import { connect as tpConnect, dotSink, dotSource } from '../../src/protocols/tp/index.js';
import { connect } from '../../src/socket/index.js';
import { receiveValue, serialize } from '../../src/data/index.js';
import { playback } from './corpus.js';
import type { FigureSpec } from './figure.js';
import { httpChunking } from './chunking-http.js';
import { ftpChunking } from './chunking-ftp.js';

/** Valid inputs: mail text with dot lines and mixed line ends, 8-bit bytes, a long line. */
const samples = [
  Buffer.from('Subject: a\r\n\r\n.first\r\nline two\n..\r\n.\r\nlast', 'latin1'),
  Buffer.from(`caf\xe9 \xff\x00\x01 = =3D tail  \r\n${'x'.repeat(90)}\r\n\t\r\nend\r`, 'latin1'),
  Buffer.from(Array.from({ length: 130 }, (_, i) => (i * 37) & 255)),
];

const filterKinds: [string, () => Filter, (s: Buffer) => Buffer][] = [
  ['base64-encode', () => encode('base64'), (s) => s],
  ['base64-decode', () => decode('base64'), (s) => transform(s, encode('base64'), wrap('base64'))],
  ['qp-encode', () => encode('quoted-printable'), (s) => s],
  ['qp-encode-binary', () => encode('quoted-printable', 'binary'), (s) => s],
  ['qp-decode', () => decode('quoted-printable'), (s) => transform(s, encode('quoted-printable'), wrap('quoted-printable'))],
  ['wrap-text', () => wrap('text', 20), (s) => s],
  ['wrap-base64', () => wrap('base64'), (s) => transform(s, encode('base64'))],
  ['wrap-qp', () => wrap('quoted-printable'), (s) => transform(s, encode('quoted-printable'))],
  ['eol', () => normalize(), (s) => s],
  ['stuff', () => stuff(), (s) => s],
  ['eol+stuff', () => filters.chain(normalize(), stuff()), (s) => s],
];

function runFilter(make: () => Filter, pieces: Buffer[]): Buffer {
  const f = make();
  return Buffer.concat([...pieces.map((p) => f(p)), f(null)]);
}

/** Every way to cut `data` in two, and 1-byte pieces. */
function* cuts(data: Buffer): Generator<Buffer[]> {
  for (let i = 0; i <= data.length; i++) yield [data.subarray(0, i), data.subarray(i)];
  yield [...data].map((b) => Buffer.from([b]));
}

/** The lines a detached receive buffer gives for `pieces` with a pattern, until it reports the end. */
async function lines(pieces: Buffer[], how: '*l' | '*L' | 'strict'): Promise<string[]> {
  const rb = new ReceiveBuffer();
  rb.encoding = 'latin1';
  for (const p of pieces) rb.push(p);
  rb.end();
  const out: string[] = [];
  for (;;) {
    try {
      out.push(how === 'strict' ? String(await rb.line({ strict: true, keepEol: true })) : String(await rb.receive(how)));
    } catch (err) {
      out.push(err instanceof ClosedError ? `closed:${Buffer.from(err.partial ?? []).toString('latin1')}` : `error:${(err as Error).message}`);
      return out;
    }
  }
}

/** A server that records what each connection sends until it closes. */
async function recorder(): Promise<{ port: number; next(): Promise<Buffer>; close(): Promise<void> }> {
  const got: Promise<Buffer>[] = [];
  let resolveNext: ((b: Promise<Buffer>) => void) | null = null;
  const server = net.createServer((s) => {
    const chunks: Buffer[] = [];
    const done = new Promise<Buffer>((r) => {
      s.on('data', (d) => chunks.push(d));
      s.on('close', () => r(Buffer.concat(chunks)));
      s.on('error', () => {});
    });
    if (resolveNext) resolveNext(done), (resolveNext = null);
    else got.push(done);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    next: () => (got.length > 0 ? got.shift()! : new Promise<Promise<Buffer>>((r) => (resolveNext = r)).then((p) => p)),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export const spec: FigureSpec = {
  id: 'R-03',
  budgetMs: 60_000,
  async run() {
    let checks = 0;
    const diffs: string[] = [];
    const differ = (what: string, a: Buffer | string, b: Buffer | string, pieces: Buffer[]) => {
      checks++;
      if (Buffer.from(a as never, 'latin1').equals(Buffer.from(b as never, 'latin1'))) return;
      diffs.push(`${what} split ${pieces.map((p) => p.length).join('+')}`);
    };

    for (const [name, make, prepare] of filterKinds) {
      for (const sample of samples) {
        const input = prepare(sample);
        const whole = runFilter(make, [input]);
        for (const pieces of cuts(input)) differ(name, runFilter(make, pieces), whole, pieces);
      }
    }

    for (const how of ['*l', '*L', 'strict'] as const) {
      for (const sample of samples) {
        const whole = (await lines([sample], how)).join('|');
        for (const pieces of cuts(sample)) differ(`lines ${how}`, (await lines(pieces, how)).join('|'), whole, pieces);
      }
    }

    // tp's dot source over TCP: one connection per split point.
    const block = Buffer.from('+x\r\n..dot\r\nplain\r\n...\r\n.\r\n', 'latin1').subarray(4);
    const pb = await playback();
    const readBlock = async () => {
      const c = await tpConnect('127.0.0.1', pb.port, { idleTimeout: 2000 });
      try {
        const [collect, all] = sink.buffer();
        await pump.all(dotSource(c), collect);
        return all();
      } finally {
        await c.close();
      }
    };
    pb.next([block], false);
    const wholeBlock = await readBlock();
    for (const pieces of cuts(block)) {
      pb.next(pieces, false);
      differ('tp dot source', await readBlock(), wholeBlock, pieces);
    }

    // The data channel: one frame per connection, split everywhere.
    const frame = (() => {
      const p = Buffer.from(serialize({ a: [1, 'x\n'], b: new Map([[1, 2n]]) }));
      return Buffer.concat([Buffer.from(`${p.length}\n`), p]);
    })();
    const readFrame = async () => {
      const c = await connect('127.0.0.1', pb.port);
      c.setTimeout(2000);
      try {
        return serialize(await receiveValue(c));
      } finally {
        await c.close();
      }
    };
    pb.next([frame], false);
    const wholeFrame = await readFrame();
    for (const pieces of cuts(frame)) {
      pb.next(pieces, false);
      differ('data frame', await readFrame(), wholeFrame, pieces);
    }
    await pb.close();

    // tp's dot sink: what reaches the wire must not depend on how the source cut the message.
    const rec = await recorder();
    const writeBlock = async (pieces: Buffer[]) => {
      const c = await tpConnect('127.0.0.1', rec.port, { idleTimeout: 2000 });
      const got = rec.next();
      await pump.all(source.iterable(pieces), dotSink(c));
      await c.close();
      return got;
    };
    const message = samples[0]!;
    const wholeSent = await writeBlock([message]);
    for (const pieces of cuts(message)) differ('tp dot sink', await writeBlock(pieces), wholeSent, pieces);
    await rec.close();

    const http = await httpChunking(differ);
    process.stderr.write(`R-03 ${await ftpChunking(differ)}\n`);
    for (const d of diffs.slice(0, 20)) process.stderr.write(`R-03 difference: ${d}\n`);
    return [
      {
        name: 'R-03 output-differences',
        value: diffs.length,
        unit: '',
        pass: '==',
        threshold: 0,
        detail: `${checks} split runs over ${filterKinds.length} filters, 3 line patterns, dot source/sink, data frames; ${http}`,
      },
    ];
  },
};
