/**
 * R-18 properties for HTTP (hooked into r18-fuzz.ts): the response side
 * (`parseResponseHead` then `ChunkedDecoder`, fed as the client feeds them)
 * and the server's `parseRequestHead` (fed as `servers.web` feeds it).
 *
 * - hostile: near-valid messages (real status/request lines, framing fields,
 *   chunked bodies, with stray CR/LF/NUL/bytes spliced in) and raw bytes
 *   never throw anything but a NetError, and give the same result (value or
 *   error code, and a server's answer status) whole and at any split;
 * - round trip: a valid message built from random parts parses back to
 *   those parts (code, reason, fields, body, trailers; method, target,
 *   version, fields), whole and at any split.
 *
 * @example
 * ```ts
 * const props = [...tpProps, ...httpProperties()];   // in r18-fuzz.ts
 * ```
 */
import fc from 'fast-check';
import { NetError } from '../../src/core/errors.js';
import { parseRequestHead, requestErrorStatus } from '../../src/protocols/http/index.js';
import { parseResponse } from './chunking-http.js';
import { ok, type Property } from './property.js';

/** `fn`'s value as text, or its error as `error <code> <status>`; an untyped error fails the property. */
function outcome(fn: () => unknown): string {
  try {
    return JSON.stringify(fn());
  } catch (err) {
    if (!(err instanceof NetError)) throw new Error(`untyped ${(err as Error)?.name}: ${(err as Error)?.message}`);
    return `error ${err.code} ${requestErrorStatus(err)}`;
  }
}

/** Cuts `data` at the given fractions. */
function pieces(data: Buffer, cuts: number[]): Buffer[] {
  const at = [...new Set(cuts.map((c) => Math.floor(c * data.length)))].sort((a, b) => a - b);
  return [0, ...at].map((a, i) => data.subarray(a, at[i] ?? data.length));
}
/** A fraction in [0, 1), evenly spread (fast-check's doubles lean towards 0 and would mostly cut or splice at the start). */
const fraction = fc.noBias(fc.integer({ min: 0, max: 999_999 })).map((n: number) => n / 1_000_000);
const cutsArb = fc.array(fraction, { maxLength: 8 });

/** The first request head in `parts`, parsed after each part as bytes accumulate (as `servers.web` does). */
export function firstRequest(parts: Buffer[]): unknown {
  let buf = Buffer.alloc(0);
  for (const p of parts) {
    buf = Buffer.concat([buf, p]);
    const r = parseRequestHead(buf);
    if (r === null) continue;
    const { method, target, version, rawHeaders, keepAlive, body, expectContinue } = r.head;
    return { method, target, version, rawHeaders, keepAlive, body, expectContinue, consumed: r.consumed };
  }
  return 'incomplete';
}

// Building blocks -----------------------------------------------------------

const token = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,16}$/);
/** A field value: visible latin1, inner spaces, no surrounding whitespace. */
const value = fc.stringMatching(/^([\x21-\x7e\xa0-\xff]([\x20-\x7e\xa0-\xff]{0,20}[\x21-\x7e\xa0-\xff])?)?$/);
const FRAMING = /^(content-length|transfer-encoding|host|trailer|connection)$/i;
const field = fc.tuple(
  token.filter((n) => !FRAMING.test(n)),
  value,
);
const fields = fc.array(field, { maxLength: 6 });
const bodyBytes = fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a));
const ows = fc.constantFrom('', ' ', '  ', '\t', ' \t');

/** Valid chunked framing of `body` cut at `cuts`, with extensions and trailers. */
function chunkedBody(body: Buffer, cuts: number[], exts: string[], trailers: [string, string][]): Buffer {
  const parts = pieces(body, cuts).filter((p) => p.length > 0);
  const out: Buffer[] = [];
  parts.forEach((p, i) => out.push(Buffer.from(`${p.length.toString(16)}${exts[i % Math.max(1, exts.length)] ?? ''}\r\n`, 'latin1'), p, Buffer.from('\r\n')));
  out.push(Buffer.from(`0\r\n${trailers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`, 'latin1'));
  return Buffer.concat(out);
}
const ext = fc.stringMatching(/^(;[a-z]{1,5}(=[a-z0-9"]{0,5})?){0,2}$/);

/** A valid response and what it must parse to. */
const validResponse = fc
  .record({
    version: fc.constantFrom('1.0', '1.1'),
    code: fc.integer({ min: 200, max: 599 }).filter((c) => c !== 204 && c !== 304),
    reason: fc.stringMatching(/^[\x20-\x7e\xa0-\xff]{0,20}$/),
    interim: fc.boolean(),
    fields,
    framing: fc.constantFrom('length', 'chunked', 'close'),
    at: fc.nat(),
    body: bodyBytes,
    cuts: cutsArb,
    exts: fc.array(ext, { maxLength: 3 }),
    trailers: fields,
    ows,
  })
  .map((r) => {
    const framingField: [string, string] | null =
      r.framing === 'length' ? ['Content-Length', String(r.body.length)] : r.framing === 'chunked' ? ['Transfer-Encoding', 'chunked'] : null;
    const all = [...r.fields];
    if (framingField) all.splice(r.at % (all.length + 1), 0, framingField);
    const head = `${r.interim ? 'HTTP/1.1 100 Continue\r\n\r\n' : ''}HTTP/${r.version} ${r.code} ${r.reason}\r\n${all.map(([n, v]) => `${n}:${r.ows}${v}${r.ows}\r\n`).join('')}\r\n`;
    const wire = Buffer.concat([Buffer.from(head, 'latin1'), r.framing === 'chunked' ? chunkedBody(r.body, r.cuts, r.exts, r.trailers) : r.body]);
    return {
      wire,
      want: { code: r.code, reason: r.reason, fields: all, body: r.body.toString('latin1'), trailers: r.framing === 'chunked' ? r.trailers : [] },
    };
  });

/** A valid request head (and what it must parse to), with some body bytes after it. */
const validRequest = fc
  .record({
    method: token,
    target: fc.oneof(fc.stringMatching(/^\/[\x21-\x7e]{0,40}$/), fc.constant('*'), fc.stringMatching(/^http:\/\/[a-z]{1,8}(:[0-9]{1,5})?\/[\x21-\x7e]{0,20}$/)),
    version: fc.constantFrom('1.0', '1.1'),
    host: fc.stringMatching(/^[a-z0-9.-]{1,20}(:[0-9]{1,5})?$/),
    fields,
    at: fc.nat(),
    empty: fc.integer({ min: 0, max: 4 }),
    ows,
    after: bodyBytes,
  })
  .map((r) => {
    const all = [...r.fields];
    all.splice(r.at % (all.length + 1), 0, ['Host', r.host]);
    const head = `${'\r\n'.repeat(r.empty)}${r.method} ${r.target} HTTP/${r.version}\r\n${all.map(([n, v]) => `${n}:${r.ows}${v}${r.ows}\r\n`).join('')}\r\n`;
    return {
      wire: Buffer.concat([Buffer.from(head, 'latin1'), r.after]),
      want: { method: r.method, target: r.target, version: r.version, rawHeaders: all, consumed: Buffer.byteLength(head, 'latin1') },
    };
  });

/** Splices hostile bytes into a message: stray CR, LF, NUL, space, colon, high bytes, or anything. */
const spliced = (base: fc.Arbitrary<Buffer>) =>
  fc
    .tuple(
      base,
      fc.array(fc.tuple(fraction, fc.constantFrom('\r', '\n', '\x00', ' ', ':', '\t', '\x7f', '\xff', '0', ';', '\r\n', '\r\n\r\n'), fc.boolean()), {
        maxLength: 3,
      }),
    )
    .map(([wire, edits]) => {
      let b = wire;
      for (const [where, bytes, replace] of edits) {
        const at = Math.floor(where * b.length);
        b = Buffer.concat([b.subarray(0, at), Buffer.from(bytes, 'latin1'), b.subarray(replace ? at + 1 : at)]);
      }
      return b;
    });

/** Framing and other fields that servers get wrong, for hostile heads. */
const oddField = fc.constantFrom<[string, string]>(
  ['Content-Length', '5'],
  ['Content-Length', '0'],
  ['Content-Length', '+5'],
  ['Content-Length', '5, 5'],
  ['Content-Length', '99999999999999999999'],
  ['content-length', ' 7'],
  ['Transfer-Encoding', 'chunked'],
  ['Transfer-Encoding', 'gzip, chunked'],
  ['Transfer-Encoding', 'chunked, gzip'],
  ['Transfer-Encoding', 'xchunked'],
  ['Host', 'x'],
  ['Host', 'a b'],
  ['Connection', 'close'],
  ['Expect', '100-continue'],
  ['Trailer', 'X-A'],
);
/** A head of a real start line and a mix of ordinary and odd fields, then a chunked body or bytes. */
const mixed = (startLines: string[]) =>
  fc
    .record({
      start: fc.constantFrom(...startLines),
      fields: fc.array(fc.oneof(field, oddField), { maxLength: 6 }),
      chunked: fc.boolean(),
      body: bodyBytes,
      cuts: cutsArb,
      exts: fc.array(ext, { maxLength: 2 }),
      trailers: fc.array(fc.oneof(field, oddField), { maxLength: 2 }),
    })
    .map((r) =>
      Buffer.concat([
        Buffer.from(`${r.start}\r\n${r.fields.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`, 'latin1'),
        r.chunked ? chunkedBody(r.body, r.cuts, r.exts, r.trailers) : r.body,
      ]),
    );

const hostileResponse = fc.oneof(
  { arbitrary: spliced(validResponse.map((r) => r.wire)), weight: 4 },
  {
    arbitrary: spliced(
      mixed([
        'HTTP/1.1 200 OK',
        'HTTP/1.0 200 OK',
        'HTTP/1.1 404 ',
        'HTTP/1.1 204 No Content',
        'HTTP/1.1 100 Continue',
        'HTTP/1.1 101 Switching',
        'HTTP/1.1 304 x',
        'HTTP/2 200',
        'HTTP/1.1 2000 OK',
      ]),
    ),
    weight: 4,
  },
  { arbitrary: fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)), weight: 1 },
);
const hostileRequest = fc.oneof(
  { arbitrary: spliced(validRequest.map((r) => r.wire)), weight: 4 },
  {
    arbitrary: spliced(
      mixed(['GET / HTTP/1.1', 'POST /f HTTP/1.1', 'GET / HTTP/1.0', 'GET /', 'PRI * HTTP/2.0', 'GET / HTTP/1.2', 'G\x00T / HTTP/1.1', '\r\nGET / HTTP/1.1']),
    ),
    weight: 4,
  },
  { arbitrary: fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)), weight: 1 },
);

/** The HTTP properties of R-18. */
export function httpProperties(): Property<unknown>[] {
  const props: Property<unknown>[] = [
    {
      name: 'http-response-hostile',
      arb: fc.tuple(hostileResponse, cutsArb),
      check([wire, cuts]: [Buffer, number[]]) {
        const whole = outcome(() => parseResponse([wire]));
        const split = outcome(() => parseResponse(pieces(wire, cuts)));
        ok(whole === split, `whole ${whole.slice(0, 120)} but split ${split.slice(0, 120)}`);
      },
    },
    {
      name: 'http-response-round-trip',
      arb: fc.tuple(validResponse, cutsArb),
      check([{ wire, want }, cuts]: [{ wire: Buffer; want: Record<string, unknown> }, number[]]) {
        for (const parts of [[wire], pieces(wire, cuts)]) {
          const got = parseResponse(parts) as { code: number; status: string; fields: unknown; body: string; trailers: unknown };
          ok(typeof got === 'object', `not parsed: ${JSON.stringify(got)}`);
          const have = { code: got.code, reason: got.status.replace(/^HTTP\/1\.[01] \d{3} ?/, ''), fields: got.fields, body: got.body, trailers: got.trailers };
          ok(JSON.stringify(have) === JSON.stringify(want), `got ${JSON.stringify(have).slice(0, 200)}, want ${JSON.stringify(want).slice(0, 200)}`);
        }
      },
    },
    {
      name: 'http-request-head-hostile',
      arb: fc.tuple(hostileRequest, cutsArb),
      check([wire, cuts]: [Buffer, number[]]) {
        const whole = outcome(() => firstRequest([wire]));
        const split = outcome(() => firstRequest(pieces(wire, cuts)));
        ok(whole === split, `whole ${whole.slice(0, 120)} but split ${split.slice(0, 120)}`);
      },
    },
    {
      name: 'http-request-head-round-trip',
      arb: fc.tuple(validRequest, cutsArb),
      check([{ wire, want }, cuts]: [{ wire: Buffer; want: Record<string, unknown> }, number[]]) {
        for (const parts of [[wire], pieces(wire, cuts)]) {
          const got = firstRequest(parts) as Record<string, unknown>;
          ok(typeof got === 'object', `not parsed: ${JSON.stringify(got)}`);
          const have = { method: got.method, target: got.target, version: got.version, rawHeaders: got.rawHeaders, consumed: got.consumed };
          ok(JSON.stringify(have) === JSON.stringify(want), `got ${JSON.stringify(have).slice(0, 200)}, want ${JSON.stringify(want).slice(0, 200)}`);
        }
      },
    },
  ];
  return props as Property<unknown>[];
}
