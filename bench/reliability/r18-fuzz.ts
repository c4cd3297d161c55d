/**
 * R-18 fuzz time-box: fast-check properties for the tp reply parser (pure
 * and over a live connection), URL parse/build/absolute/escape, the MIME
 * codecs, filters, header and encoded-word parsers, the data codec, and
 * HTTP's response and request head parsers (fuzz-http.ts). The
 * seed is fixed in CI (CI=true) and random, and logged, otherwise; a failing
 * input is saved to `corpus/regressions/<property>.json` and replayed first
 * on every later run.
 *
 *     node --expose-gc dist/bench/reliability/one.js r18-fuzz     # FUZZ_SECONDS=60 for a longer box
 */
import fc from 'fast-check';
import net from 'node:net';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArgumentError, NetError, ProtocolError } from '../../src/core/errors.js';
import { isLastLine, makeReply, parseFirstLine, TextConn } from '../../src/protocols/tp/index.js';
import { TcpClient } from '../../src/socket/index.js';
import { absolute, build, escape, parse, unescapeBytes } from '../../src/url/index.js';
import { decode, decodeWords, encode, encodeWord, normalize, parseHeaders, stuff, wrap } from '../../src/mime/index.js';
import { transform, type Filter } from '../../src/ltn12/index.js';
import { deserialize, serialize } from '../../src/data/index.js';
import { corpusDir } from './corpus.js';
import { inCI, type FigureSpec } from './figure.js';
import { httpProperties } from './fuzz-http.js';
import { ftpProperties } from './fuzz-ftp.js';
import { ok, prop, typed, type Property } from './property.js';

const bytes = fc.uint8Array({ maxLength: 600 }).map((a) => Buffer.from(a));
const latin1 = bytes.map((b) => b.toString('latin1'));
/** Cuts into pieces at the given fractions. */
const pieces = (data: Buffer, cuts: number[]) => {
  const at = [...new Set(cuts.map((c) => Math.floor(c * data.length)))].sort((a, b) => a - b);
  return [0, ...at].map((a, i) => data.subarray(a, at[i] ?? data.length));
};
const runFilter = (f: Filter, parts: Buffer[]) => Buffer.concat([...parts.map((p) => f(p)), f(null)]);
const cutsArb = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 });

const replyText = fc.stringMatching(/^[\x20-\x7e]{0,40}$/);
const liveReply = fc.record({
  code: fc.integer({ min: 100, max: 999 }),
  first: replyText,
  middle: fc.array(replyText, { maxLength: 5 }),
  last: replyText,
});

/** One live connection for the tp property: the server writes, the client's TextConn reads. */
interface LivePair {
  server: net.Socket;
  conn: TextConn;
  /** Replaces server and conn with a fresh connection (the old one closed). */
  renew(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A connected pair over loopback for the properties that feed a live
 * TextConn. It is renewed after every property: fast-check's time limit
 * abandons the run in progress, whose receive may still be parked on the
 * connection with its bytes half read.
 */
async function livePair(): Promise<LivePair> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const connectPair = async (): Promise<{ server: net.Socket; conn: TextConn }> => {
    const accepted = new Promise<net.Socket>((r) => srv.once('connection', r));
    const sock = net.connect((srv.address() as net.AddressInfo).port, '127.0.0.1');
    await new Promise((r) => sock.once('connect', r));
    return { server: await accepted, conn: new TextConn(TcpClient.fromSocket(sock), { idleTimeout: 2000 }) };
  };
  const drop = async (p: { server: net.Socket; conn: TextConn }): Promise<void> => {
    p.server.destroy();
    await p.conn.close();
  };
  const live: LivePair = {
    ...(await connectPair()),
    async renew() {
      await drop(live);
      Object.assign(live, await connectPair());
    },
    async close() {
      await drop(live);
      await new Promise((r) => srv.close(r));
    },
  };
  return live;
}

function properties(live: { server: net.Socket; conn: TextConn }): Property<unknown>[] {
  return [
    prop({
      name: 'tp-first-line',
      arb: latin1,
      check(line) {
        try {
          const { code } = parseFirstLine(line);
          ok(/^\d{3}([ -]|$)/.test(line) && code === Number(line.slice(0, 3)), `accepted ${JSON.stringify(line)}`);
        } catch (err) {
          ok(err instanceof ProtocolError && !/^\d{3}([ -]|$)/.test(line), `refused ${JSON.stringify(line)}: ${(err as Error).message}`);
        }
        typed(() => makeReply(100, [line]));
        isLastLine(line, 250);
      },
    }),
    prop({
      name: 'tp-live-reply',
      arb: liveReply,
      async check({ code, first, middle, last }) {
        const mids = middle.filter((m) => !isLastLine(m, code));
        const lines = mids.length === 0 && first === last ? [`${code} ${last}`] : [`${code}-${first}`, ...mids, `${code} ${last}`];
        live.server.write(lines.map((l) => `${l}\r\n`).join(''));
        const r = await live.conn.getReply();
        ok(r.code === code && JSON.stringify(r.lines) === JSON.stringify(lines), `got ${JSON.stringify(r.lines)}`);
      },
    }),
    prop({
      name: 'url-parse-build',
      arb: fc.oneof(
        fc.string({ maxLength: 200 }),
        fc.webUrl({ withFragments: true, withQueryParameters: true }),
        fc.stringMatching(/^[a-z]{1,5}:\/\/[\x21-\x7e]{0,80}$/),
      ),
      check(s) {
        if (s === '') {
          // LuaSocket's parse('') is nil, 'invalid url': netkit throws ArgumentError.
          let threw = false;
          try {
            parse(s);
          } catch (err) {
            threw = err instanceof ArgumentError;
          }
          ok(threw, "parse('') must throw ArgumentError");
          return;
        }
        const u = parse(s);
        if (u.scheme !== undefined || u.path !== undefined)
          ok(
            build(u) === s || build(u) === s.replace(/^[A-Za-z][A-Za-z0-9+.-]*:/, (m) => m.toLowerCase()),
            `build(parse(${JSON.stringify(s)})) = ${JSON.stringify(build(u))}`,
          );
      },
    }),
    prop({
      name: 'url-absolute',
      arb: fc.tuple(fc.webUrl(), fc.stringMatching(/^[a-z./?#;:@%=]{0,60}$/)),
      check([base, rel]) {
        // An empty reference path keeps the base path as it is (RFC 3986 §5.2.2).
        if (/^([?#]|$)/.test(rel)) return;
        const abs = absolute(base, rel);
        // The RFC 3986 path (';' params included): no segment may be exactly '.' or '..'.
        const path = abs.replace(/^[a-z][a-z0-9+.-]*:(\/\/[^/?#]*)?/i, '').replace(/[?#].*$/s, '');
        ok(!path.split('/').some((seg) => seg === '.' || seg === '..'), `dot segment left in ${JSON.stringify(abs)} from ${JSON.stringify([base, rel])}`);
      },
    }),
    prop({
      name: 'url-escape-round-trip',
      arb: latin1,
      check(s) {
        const b = Buffer.from(s, 'latin1');
        ok(
          unescapeBytes(escape(b.toString('latin1'))).toString('latin1') === s || unescapeBytes(escape(s)).equals(Buffer.from(s, 'utf8')),
          `escape round trip ${JSON.stringify(s)}`,
        );
      },
    }),
    prop({
      name: 'mime-base64-round-trip',
      arb: fc.tuple(bytes, cutsArb),
      check([data, cuts]) {
        const enc = transform(data, encode('base64'), wrap('base64'));
        ok(
          enc
            .toString('latin1')
            .split('\r\n')
            .every((l) => l.length <= 76),
          'base64 line over 76',
        );
        ok(runFilter(decode('base64', { strict: true }), pieces(enc, cuts)).equals(data), 'base64 round trip');
      },
    }),
    prop({
      name: 'mime-qp-round-trip',
      arb: fc.tuple(bytes, cutsArb, fc.constantFrom('text' as const, 'binary' as const)),
      check([data, cuts, mode]) {
        const enc = transform(data, encode('quoted-printable', mode), wrap('quoted-printable'));
        ok(
          enc
            .toString('latin1')
            .split('\r\n')
            .every((l) => l.length <= 76),
          'QP line over 76',
        );
        // Both modes keep every byte: text mode only writes CRLF as a line break, a bare CR or LF as =0D/=0A.
        const back = runFilter(decode('quoted-printable', { strict: true }), pieces(enc, cuts));
        ok(back.equals(data), `QP ${mode} round trip`);
      },
    }),
    prop({
      name: 'mime-decoders-hostile',
      arb: fc.tuple(bytes, cutsArb),
      check([data, cuts]) {
        for (const make of [
          () => decode('base64'),
          () => decode('quoted-printable'),
          () => decode('base64', { strict: true }),
          () => decode('quoted-printable', { strict: true }),
        ]) {
          let whole: Buffer | string;
          try {
            whole = runFilter(make(), [data]);
          } catch (err) {
            ok(err instanceof NetError, `untyped ${(err as Error).message}`);
            whole = `error ${(err as NetError).code}`;
          }
          let split: Buffer | string;
          try {
            split = runFilter(make(), pieces(data, cuts));
          } catch (err) {
            ok(err instanceof NetError, `untyped ${(err as Error).message}`);
            split = `error ${(err as NetError).code}`;
          }
          ok(typeof whole === 'string' ? whole === split : Buffer.isBuffer(split) && whole.equals(split), 'decoder result depends on the chunking');
        }
      },
    }),
    prop({
      name: 'mime-stuff-never-ends-early',
      arb: fc.tuple(bytes, cutsArb),
      check([data, cuts]) {
        const n = normalize();
        const st = stuff();
        const out = runFilter((c) => st(n(c)), pieces(data, cuts));
        ok(!Buffer.concat([Buffer.from('\r\n'), out]).includes('\r\n.\r\n'), 'a lone dot line left the stuffer');
        ok(!/\r(?!\n)|(?<!\r)\n/.test(out.toString('latin1')), 'bare CR or LF left the normaliser');
      },
    }),
    prop({
      name: 'mime-headers-and-words',
      arb: fc.oneof(latin1, fc.string({ maxLength: 300 }), fc.stringMatching(/^(=\?[a-zA-Z0-9-]{0,12}\?[bqBQx]\?[\x21-\x7e]{0,30}\?= ?){0,5}$/)),
      check(s) {
        typed(() => parseHeaders(s));
        typed(() => decodeWords(s));
        typed(() => ok(decodeWords(encodeWord(s)) === s || /[\r\n]/.test(s), `encoded word round trip ${JSON.stringify(s)}`));
      },
    }),
    prop({
      name: 'data-round-trip',
      arb: fc.anything({
        withBigInt: true,
        withDate: true,
        withMap: true,
        withSet: true,
        withTypedArray: false,
        withNullPrototype: true,
        withSparseArray: true,
        withObjectString: false,
        withBoxedValues: false,
      }),
      check(v) {
        const text = serialize(v);
        ok(serialize(deserialize(text)) === text, 'serialize(deserialize(x)) changed');
      },
    }),
    prop({
      name: 'data-hostile-text',
      arb: fc.oneof(
        fc.string({ maxLength: 300 }),
        fc.json(),
        fc.anything().map((v) => JSON.stringify(v) ?? ''),
      ),
      check(s) {
        typed(() => deserialize(s));
        ok(({} as Record<string, unknown>).polluted === undefined, 'prototype polluted');
      },
    }),
    ...httpProperties(),
  ];
}

const regressionFile = (name: string) => join(corpusDir(), 'regressions', `${name}.json`);

/** Stored failing inputs of `name` (serialised with the data codec, which keeps bytes and BigInts). */
function regressions(name: string): unknown[] {
  const f = regressionFile(name);
  return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as { input: string }[]).map((r) => deserialize(r.input)) : [];
}

function saveRegression(name: string, input: unknown, seed: number, error: string): void {
  mkdirSync(join(corpusDir(), 'regressions'), { recursive: true });
  const f = regressionFile(name);
  const list = existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as unknown[]) : [];
  list.push({ input: serialize(input), seed, error: error.slice(0, 300), found: new Date().toISOString().slice(0, 10) });
  writeFileSync(f, `${JSON.stringify(list, null, 1)}\n`);
}

/** What one fuzzing session found. */
export interface Fuzzed {
  properties: number;
  runs: number;
  replayed: number;
  /** One line per failing property or stored regression that still fails. */
  failures: string[];
}

/**
 * Replays every stored regression, then checks every property with
 * fast-check for `seconds` in all from `seed`; a new failure is saved to
 * `testkit/corpus/regressions/` (unless `save` is false) and reported.
 * `test/hostile/properties.test.ts` runs this in `npm test` for a few seconds.
 */
export async function fuzz(seed: number, seconds: number, save = true): Promise<Fuzzed> {
  const live = await livePair();
  const props = [...properties(live), ...ftpProperties(live)];
  const out: Fuzzed = { properties: props.length, runs: 0, replayed: 0, failures: [] };
  try {
    for (const p of props) {
      for (const input of regressions(p.name)) {
        out.replayed++;
        try {
          await p.check(input);
        } catch (err) {
          out.failures.push(`${p.name}: stored regression still fails: ${(err as Error).message}`);
        }
      }
      const r = await fc.check(
        fc.asyncProperty(p.arb, async (v) => void (await p.check(v))),
        {
          seed,
          numRuns: 1_000_000,
          interruptAfterTimeLimit: (seconds * 1000) / props.length,
          markInterruptAsFailure: false,
        },
      );
      out.runs += r.numRuns;
      if (r.failed) {
        const input = r.counterexample?.[0];
        const why = r.errorInstance instanceof Error ? r.errorInstance.message : String(r.errorInstance);
        out.failures.push(`${p.name} FAILED (seed ${r.seed}, path ${r.counterexamplePath}): ${why}\n  input ${JSON.stringify(serialize(input)).slice(0, 300)}`);
        if (save) saveRegression(p.name, input, r.seed, why);
      }
      await live.renew();
    }
  } finally {
    await live.close();
  }
  return out;
}

export const spec: FigureSpec = {
  id: 'R-18',
  budgetMs: 120_000,
  async run() {
    const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : inCI() ? 20261124 : Math.floor(Math.random() * 2 ** 31);
    const seconds = Number(process.env.FUZZ_SECONDS ?? (inCI() ? 30 : 60));
    process.stderr.write(`R-18 seed ${seed} (FUZZ_SEED=${seed} repeats this run), ${seconds} s\n`);
    const r = await fuzz(seed, seconds);
    for (const f of r.failures) process.stderr.write(`R-18 ${f}\n`);
    return [
      {
        name: 'R-18 fuzz-failures',
        value: r.failures.length,
        unit: '',
        pass: '==',
        threshold: 0,
        detail: `${r.properties} properties, ${r.runs} runs in ${seconds} s, seed ${seed}, ${r.replayed} stored regressions`,
      },
    ];
  },
};
